// The `gd-inverse` lab. Part 1 (seed 004): the inverse of M = diag(1, 2, 3, 4) by gradient descent
// on the mean squared error of X·M − I (linalg's gradientDescentInverse), with its loss curve,
// compared with the exact inverse (LU). Part 2 (seed 002): damped pseudo-inverse inverse kinematics
// of a 3-link planar arm, for a reachable and an unreachable target and several dampings λ.
import { InvalidArgumentError, checkInteger, checkNonNegative, checkPositive } from '../../core/index.ts';
import { gradientDescentInverse } from './gradient-descent-inverse.ts';
import { inverse, Matrix, multiply, norm2 } from '../../linalg/index.ts';
import { planarArm } from '../../model/index.ts';
import { dampedIk, type DampedIkRun } from './damped-ik.ts';

export interface GdInverseOptions {
  /** The matrix to invert (default seed 004's diag(1, 2, 3, 4)). */
  matrix?: Matrix;
  /** Learning rate (default seed 004's 0.2·ln 10 ≈ 0.4605). */
  learningRate?: number;
  /** Gradient steps (default 100, as in seed 004). */
  steps?: number;
  /** Seed of the random start (default 314, as in seed 004). */
  seed?: number;
  /** Link lengths of the planar arm (default 1, 0.8, 0.6). */
  armLengths?: number[];
  /** Dampings λ of (JᵀJ + λI)⁻¹Jᵀ to compare (default 0, 0.1, 1). */
  dampings?: number[];
  /** IK iterations (default 100). */
  ikIterations?: number;
}

export interface GdInverseResult {
  lab: 'gd-inverse';
  matrix: Matrix;
  learningRate: number;
  steps: number;
  /** Loss (mean of (XM − I)²) after each step. */
  losses: number[];
  gradientInverse: Matrix;
  exactInverse: Matrix;
  /** ‖X − M⁻¹‖_F / ‖M⁻¹‖_F. */
  relativeInverseError: number;
  /** ‖X·M − I‖_F. */
  identityResidual: number;
  /** Per-step factor by which the loss fell over the last quarter of the run (geometric mean). */
  observedLossRate: number;
  /** Theory: the slowest error direction shrinks by |1 − 2·lr·σ_min²/n²| per step, so the loss by its square. */
  predictedLossRate: number;
  /** Learning rates at or above n²/σ_max² diverge. */
  stableLearningRateLimit: number;
  /** gradientDescentInverse's own status line. */
  descentMessage: string;
  arm: {
    lengths: number[];
    reach: number;
    start: number[];
    reachable: { target: number[]; runs: DampedIkRun[] };
    unreachable: { target: number[]; distance: number; runs: DampedIkRun[] };
  };
  status: 'ok' | 'not-converged';
  message: string;
}

const LAB = 'lab gd-inverse';
/** Relative inverse error below which the gradient-descent inverse counts as converged. */
export const GD_CONVERGED_RELATIVE_ERROR = 1e-2;
/** Seed 004's learning rate: np.log(np.logspace(0.2, 0.2, 100)) = 0.2·ln 10. */
export const SEED_004_LEARNING_RATE = 0.2 * Math.LN10;

export function runGdInverse(options: GdInverseOptions = {}): GdInverseResult {
  const matrix = options.matrix ? Matrix.from(options.matrix, 'matrix') : Matrix.diagonal([1, 2, 3, 4]);
  if (matrix.rows !== matrix.cols) throw new InvalidArgumentError(`${LAB}: the matrix must be square to have an inverse, got ${matrix.rows}×${matrix.cols}`);
  const learningRate = checkPositive(options.learningRate ?? SEED_004_LEARNING_RATE, `${LAB}: learningRate`);
  const steps = checkInteger(options.steps ?? 100, `${LAB}: steps`, 1, 1_000_000);
  const seed = options.seed ?? 314;
  const lengths = options.armLengths ?? [1, 0.8, 0.6];
  if (lengths.length !== 3) throw new InvalidArgumentError(`${LAB}: armLengths must be 3 link lengths (a 3-link arm), got ${lengths.length}`);
  lengths.forEach((length, index) => checkPositive(length, `${LAB}: armLengths[${index}]`));
  const dampings = options.dampings ?? [0, 0.1, 1];
  if (dampings.length === 0) throw new InvalidArgumentError(`${LAB}: dampings needs at least one λ ≥ 0`);
  dampings.forEach((lambda, index) => checkNonNegative(lambda, `${LAB}: dampings[${index}] (λ)`));
  const ikIterations = checkInteger(options.ikIterations ?? 100, `${LAB}: ikIterations`, 1, 100000);

  const exactInverse = inverse(matrix);
  const descent = gradientDescentInverse(matrix, { learningRate, steps, seed });
  const gradientInverse = descent.inverse;
  const difference = gradientInverse.data.map((value, k) => value - exactInverse.data[k]);
  const relativeInverseError = norm2(difference) / norm2(exactInverse.data);
  const product = multiply(gradientInverse, matrix);
  for (let i = 0; i < matrix.rows; i++) product.data[i * matrix.cols + i] -= 1;
  const identityResidual = norm2(product.data);
  const losses = Array.from(descent.losses);
  const quarter = Math.max(1, Math.floor(losses.length / 4));
  const first = losses[losses.length - 1 - quarter], last = losses[losses.length - 1];
  const observedLossRate = first > 0 && last > 0 ? (last / first) ** (1 / quarter) : 0;
  const predictedLossRate = descent.slowestContraction ** 2;

  const arm = planarArm(lengths);
  const reach = lengths.reduce((sum, length) => sum + length, 0);
  const start = [0.3, 0.4, 0.3];
  const reachableTarget = [0.6 * reach * Math.cos(1.1), 0.6 * reach * Math.sin(1.1)];
  const unreachableTarget = [1.3 * reach * Math.cos(0.5), 1.3 * reach * Math.sin(0.5)];
  const runAll = (target: number[]) => dampings.map((damping) => dampedIk(arm, start, target, reach, { damping, iterations: ikIterations }));
  const reachableRuns = runAll(reachableTarget);
  const unreachableRuns = runAll(unreachableTarget);
  const distance = norm2(unreachableTarget);

  const converged = relativeInverseError <= GD_CONVERGED_RELATIVE_ERROR;
  const ikText = reachableRuns.map((run) => `λ = ${run.damping}: ‖e‖ = ${run.finalError.toExponential(1)} after ${run.iterations} steps`).join(', ');
  const message =
    `gradient descent (lr ${learningRate.toPrecision(4)}, ${steps} steps) ${converged ? 'reached' : 'did not reach'} the exact inverse: ` +
    `‖X − M⁻¹‖/‖M⁻¹‖ = ${relativeInverseError.toExponential(2)}, loss ${losses[0].toPrecision(3)} → ${last.toExponential(2)}, ` +
    `falling ×${observedLossRate.toPrecision(4)} per step late in the run (theory ×${predictedLossRate.toPrecision(4)} = (1 − 2·lr·σ_min²/n²)²). ` +
    `3-link arm IK to a reachable target: ${ikText}. Unreachable target (distance ${distance.toPrecision(3)} > reach ${reach}): ` +
    `best possible ‖e‖ = ${(distance - reach).toPrecision(3)} (arm stretched towards it); reached ` +
    unreachableRuns.map((run) => `${run.finalError.toPrecision(3)} with λ = ${run.damping} (largest joint step ${run.largestStep.toPrecision(3)} rad)`).join(', ') + '.';
  return {
    lab: 'gd-inverse', matrix, learningRate, steps, losses, gradientInverse, exactInverse, relativeInverseError, identityResidual, observedLossRate,
    predictedLossRate, stableLearningRateLimit: descent.stableLearningRateLimit, descentMessage: descent.message,
    arm: {
      lengths, reach, start,
      reachable: { target: reachableTarget, runs: reachableRuns },
      unreachable: { target: unreachableTarget, distance, runs: unreachableRuns },
    },
    status: converged ? 'ok' : 'not-converged', message,
  };
}
