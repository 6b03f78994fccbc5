// `arm`: the 4-DOF planar robot arm of Kruse et al. (seed 002's inverse-kinematics problem).
// x1 is the vertical slide of the base, x2..x4 are joint angles; y = end-effector position with
// link lengths 0.5, 0.5, 1.0 (kruseArm() in src/model/functions.ts). Inputs are drawn from the
// paper's prior N(0, diag(0.25², 0.5², 0.5², 0.5²)). Smooth and noise-free.
import { Matrix } from '../../linalg/index.ts';
import { kruseArm } from '../../model/index.ts';
import type { DatasetDefinition } from './types.ts';

/** Prior standard deviations of (x1, x2, x3, x4) in Kruse et al. */
export const ARM_PRIOR_STD = [0.25, 0.5, 0.5, 0.5];

export const armDataset: DatasetDefinition = {
  name: 'arm',
  summary: 'Kruse et al. 4-DOF planar arm (slide + 3 joints) → end-effector position; noise-free',
  description:
    'The 4-DOF robot arm of Kruse et al.: x1 = vertical slide of the base, x2..x4 = joint angles (rad), links 0.5, 0.5, 1.0; ' +
    'y1, y2 = end-effector position. Inputs drawn from the prior N(0, diag(0.25², 0.5², 0.5², 0.5²)). Exact, noise-free; ' +
    'the inverse is not unique (4 inputs, 2 outputs).',
  inputNames: ['x1', 'x2', 'x3', 'x4'],
  outputNames: ['y1', 'y2'],
  inputUnits: ['m', 'rad', 'rad', 'rad'],
  outputUnits: ['m', 'm'],
  synthetic: false,
  noiseFraction: 0,
  defaultRows: 5000,
  model: kruseArm,
  sampleInputs(rows, random) {
    const out = new Matrix(rows, ARM_PRIOR_STD.length);
    for (let k = 0; k < out.data.length; k++) out.data[k] = random.normal(0, ARM_PRIOR_STD[k % ARM_PRIOR_STD.length]);
    return out;
  },
  addNoise() {},
};
