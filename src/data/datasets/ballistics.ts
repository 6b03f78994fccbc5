// `ballistics`: the ballistics task of Kruse et al. — a projectile with linear air drag thrown from
// (x1, x2) at `angle` with speed v0; y = where it lands. Forward function and prior come from
// src/model/ballistics.ts (ballisticsModel, sampleBallisticsInputs). Exact and noise-free; many
// throws land at the same spot, so the inverse is far from unique (4 inputs, 1 output).
import { ballisticsModel, sampleBallisticsInputs } from '../../model/index.ts';
import type { DatasetDefinition } from './types.ts';

export const ballisticsDataset: DatasetDefinition = {
  name: 'ballistics',
  summary: 'Kruse et al. ballistics: launch point, angle, speed → landing position (linear drag); noise-free',
  description:
    'The ballistics task of Kruse et al.: a projectile with linear air drag (k 0.25, mass 0.2, g 9.81) is thrown from (x1, x2) ' +
    'at angle (rad) with speed v0; x_land is where it comes back to height 0. Prior: x1 ~ N(0, 0.5²), x2 = max(N(1.5, 0.5²), 0), ' +
    'angle ~ U(0.1·π/2, 0.9·π/2), v0 ~ Poisson(15). Exact, noise-free.',
  inputNames: ['x1', 'x2', 'angle', 'v0'],
  outputNames: ['x_land'],
  inputUnits: ['m', 'm', 'rad', 'm/s'],
  outputUnits: ['m'],
  synthetic: false,
  noiseFraction: 0,
  defaultRows: 5000,
  model: ballisticsModel,
  sampleInputs: sampleBallisticsInputs,
  addNoise() {},
};
