// The standard inverse-problem benchmark tasks (Ren, Padilla & Malof, NeurIPS 2020; Kruse et al.):
// each an exact forward function, the prior its inputs are drawn from (seeded), and the published
// r̂_T figures read from the neural-adjoint paper's figure, printed beside ours.
import { InvalidArgumentError } from '../../core/index.ts';
import { Matrix, type Random } from '../../linalg/index.ts';
import { ballisticsModel, sampleBallisticsInputs, kruseArm, sineModel, type Model } from '../../model/index.ts';

export type TaskName = 'arm' | 'sine' | 'ballistics';
export const TASK_NAMES: readonly TaskName[] = ['arm', 'sine', 'ballistics'];

/** Published figures (approximate, read from the paper's plot). */
export interface PublishedFigures {
  /** Neural adjoint r̂_T at T = 1 and T = 50. */
  neuralAdjoint: { t1: number; t50: number };
  /** Tandem (inverse net + frozen forward), flat in T. */
  tandem: number;
  source: string;
}

export interface BenchmarkTask {
  name: TaskName;
  description: string;
  /** The true forward function (used for data generation and for scoring only). */
  model: Model;
  /** Draw `rows` inputs from the task's prior. */
  sampleInputs(rows: number, random: Random): Matrix;
  published: PublishedFigures;
}

const PAPER = 'Ren, Padilla & Malof, "Benchmarking deep inverse models over time, and the neural-adjoint method", NeurIPS 2020 (read from the figure)';

/** Robot-arm prior of Kruse et al.: N(0, diag(0.25², 0.5², 0.5², 0.5²)). */
const ARM_PRIOR_STD = [0.25, 0.5, 0.5, 0.5];

function sampleArm(rows: number, random: Random): Matrix {
  const out = new Matrix(rows, 4);
  for (let i = 0; i < rows; i++) for (let j = 0; j < 4; j++) out.data[i * 4 + j] = random.normal(0, ARM_PRIOR_STD[j]);
  return out;
}

/** Sine task prior: U[−1, 1]². */
function sampleSine(rows: number, random: Random): Matrix {
  const out = new Matrix(rows, 2);
  for (let k = 0; k < out.data.length; k++) out.data[k] = random.between(-1, 1);
  return out;
}

export function getTask(name: string): BenchmarkTask {
  switch (name) {
    case 'arm':
      return {
        name, model: kruseArm(), sampleInputs: sampleArm,
        description: '4-DOF robot arm of Kruse et al.: x ~ N(0, diag(0.25², 0.5², 0.5², 0.5²)), y = end-effector position (2 outputs)',
        published: { neuralAdjoint: { t1: 2e-4, t50: 2.5e-6 }, tandem: 5.5e-4, source: PAPER },
      };
    case 'sine':
      return {
        name, model: sineModel(), sampleInputs: sampleSine,
        description: 'sine: y = sin(3π x1) + cos(3π x2), x ~ U[−1, 1]² (1 output)',
        published: { neuralAdjoint: { t1: 3e-4, t50: 2.5e-6 }, tandem: 3e-2, source: PAPER },
      };
    case 'ballistics':
      return {
        name, model: ballisticsModel(), sampleInputs: sampleBallisticsInputs,
        description: 'ballistics of Kruse et al.: projectile with linear drag, (x1, x2, angle, v0) → landing x (1 output)',
        published: { neuralAdjoint: { t1: 6e-3, t50: 5e-6 }, tandem: 8e-3, source: PAPER },
      };
    default:
      throw new InvalidArgumentError(`unknown benchmark task '${name}'; available: ${TASK_NAMES.join(', ')}`);
  }
}
