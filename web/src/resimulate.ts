// The page's independent check of a proposed input: evaluate the forward model at x again and compare
// with the target, output by output. For a band target the residual is the distance to the nearest
// band edge (0 inside). The match tolerance is relative to each output's scale (training std),
// named below, and shown on the page next to the residual.
import { Matrix } from '../../src/linalg/index.ts';
import type { Model } from '../../src/model/index.ts';

/** An output matches its target when |residual| ≤ MATCH_RTOL · (that output's training std). */
export const MATCH_RTOL = 1e-3;

export interface Resimulation {
  x: number[];
  y: number[];
  residual: number[];
  residualNorm: number;
  tolerance: number[];
  withinTolerance: boolean[];
}

/** Signed distance of y from the band [low, high]: y − high above, y − low below, 0 inside. */
export function bandResidual(y: number, low: number, high: number): number {
  if (y > high) return y - high;
  if (y < low) return y - low;
  return 0;
}

/** Re-simulate f(x) and compare with targets [low, high] per output; scale[i] sets the tolerance. */
export function resimulate(model: Model, x: ArrayLike<number>, low: readonly number[], high: readonly number[], scale: readonly number[]): Resimulation {
  const point = Float64Array.from(x);
  const y = Array.from(model.forward(new Matrix(1, point.length, point)).data);
  const residual = y.map((value, i) => bandResidual(value, low[i], high[i]));
  const tolerance = scale.map((value) => MATCH_RTOL * value);
  return {
    x: Array.from(point),
    y,
    residual,
    residualNorm: Math.hypot(...residual),
    tolerance,
    withinTolerance: residual.map((value, i) => Number.isFinite(value) && Math.abs(value) <= tolerance[i]),
  };
}
