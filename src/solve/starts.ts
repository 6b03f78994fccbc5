// Where iterations begin, and what to make of many of them. A solve starts from a given point, the
// training mean (else the box centre, else 0), or K seeded Latin-hypercube points in the box. With
// several starts per target the converged points are deduplicated (two points are the same solution
// when they agree to DEDUPE_RTOL in scaled units) and ranked by residual, then objective: the
// inverse of a many-to-one model is a manifold, not a point, and the user should see several of it.
import { NonFiniteError, ShapeError, shapeText, checkInteger } from '../core/index.ts';
import { Matrix, type MatrixLike, type VectorLike, Random } from '../linalg/index.ts';
import { TRAINING_RANGE_STDS, type Bounds, type Model } from '../model/index.ts';
import { projectInPlace } from './bounds.ts';
import { copyRow } from './small-svd.ts';

/** Two solutions are one when ‖(x_a − x_b)/s‖ ≤ DEDUPE_RTOL·(1 + ‖x_a/s‖). */
export const DEDUPE_RTOL = 1e-6;
/** For an input without finite bounds, random starts use the training range of model/domain.ts (mean ± 3 std; std 1 when unknown). */
export const UNBOUNDED_SPREAD_STDS = TRAINING_RANGE_STDS;

/** The default start of one input: training mean, else box centre, else the finite bound, else 0. */
export function defaultStart(model: Model, bounds: Bounds): Float64Array {
  const n = model.inputNames.length;
  const mean = model.meta?.inputMean;
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const lo = bounds.lower[j], hi = bounds.upper[j];
    if (mean && mean.length === n && Number.isFinite(mean[j])) out[j] = mean[j];
    else if (Number.isFinite(lo) && Number.isFinite(hi)) out[j] = 0.5 * (lo + hi);
    else if (Number.isFinite(lo)) out[j] = Math.max(lo, 0);
    else if (Number.isFinite(hi)) out[j] = Math.min(hi, 0);
  }
  projectInPlace(out, 0, bounds.lower, bounds.upper);
  return out;
}

/**
 * Start points for `count` targets (count×n): `start` is one point for all, or one row per target.
 * Points outside the box are projected into it; each projection adds a warning.
 */
export function resolveStarts(model: Model, bounds: Bounds, count: number, start: MatrixLike | VectorLike | undefined, warnings: string[]): Float64Array {
  const n = model.inputNames.length;
  const out = new Float64Array(count * n);
  if (start === undefined) {
    const point = defaultStart(model, bounds);
    for (let k = 0; k < count; k++) out.set(point, k * n);
    return out;
  }
  const matrix = toStartMatrix(start, n, model);
  if (matrix.rows !== 1 && matrix.rows !== count) {
    throw new ShapeError(`start is ${shapeText(matrix.rows, matrix.cols)} but there are ${count} targets; give one start row (used for all) or ${count} rows`);
  }
  for (let k = 0; k < matrix.data.length; k++) {
    if (!Number.isFinite(matrix.data[k])) {
      throw new NonFiniteError(`start row ${Math.floor(k / n) + 1}, input ${model.inputNames[k % n]} is ${matrix.data[k]}; starts must be finite`);
    }
  }
  for (let k = 0; k < count; k++) copyRow(matrix.data, (matrix.rows === 1 ? 0 : k) * n, out, k * n, n);
  let projected = 0;
  const examples: string[] = [];
  for (let k = 0; k < count; k++) {
    for (let j = 0; j < n; j++) {
      const value = out[k * n + j];
      if (value < bounds.lower[j] || value > bounds.upper[j]) {
        if (examples.length < 3) examples.push(`row ${k + 1} ${model.inputNames[j]}=${value} outside [${bounds.lower[j]}, ${bounds.upper[j]}]`);
        projected++;
      }
    }
    projectInPlace(out, k * n, bounds.lower, bounds.upper);
  }
  if (projected > 0) warnings.push(`start outside the bounds in ${projected} value(s) (${examples.join('; ')}${projected > examples.length ? '; …' : ''}); projected onto the box`);
  return out;
}

function toStartMatrix(start: MatrixLike | VectorLike, n: number, model: Model): Matrix {
  let matrix: Matrix;
  if (start instanceof Matrix) matrix = start;
  else if (start instanceof Float64Array || (Array.isArray(start) && (start.length === 0 || typeof start[0] === 'number'))) {
    matrix = new Matrix(1, start.length, Float64Array.from(start as ArrayLike<number>));
  } else {
    const rows = start as readonly (readonly number[])[];
    matrix = new Matrix(rows.length, rows[0]?.length ?? 0);
    rows.forEach((row, i) => {
      if (row.length !== matrix.cols) throw new ShapeError(`start is ragged: row 1 has ${matrix.cols} values but row ${i + 1} has ${row.length}`);
      for (let j = 0; j < row.length; j++) matrix.data[i * matrix.cols + j] = row[j];
    });
  }
  if (matrix.cols !== n) {
    throw new ShapeError(`start is ${shapeText(matrix.rows, matrix.cols)} but the model has ${n} inputs (${model.inputNames.join(', ')})`);
  }
  return matrix;
}

/**
 * K Latin-hypercube points in the box (K×n), seeded: each input's range is cut into K equal strata
 * and every stratum is used exactly once, in a random order per input.
 */
export function latinHypercube(count: number, model: Model, bounds: Bounds, seed: number): Float64Array {
  checkInteger(count, 'starts', 1);
  const n = model.inputNames.length;
  const random = new Random(seed);
  const out = new Float64Array(count * n);
  const mean = model.meta?.inputMean, std = model.meta?.inputStd;
  for (let j = 0; j < n; j++) {
    let lo = bounds.lower[j], hi = bounds.upper[j];
    const centre = mean?.[j] ?? 0, spread = UNBOUNDED_SPREAD_STDS * (std?.[j] ?? 1);
    if (!Number.isFinite(lo) && !Number.isFinite(hi)) { lo = centre - spread; hi = centre + spread; }
    else if (!Number.isFinite(lo)) lo = hi - 2 * spread;
    else if (!Number.isFinite(hi)) hi = lo + 2 * spread;
    const order = random.permutation(count);
    for (let k = 0; k < count; k++) out[k * n + j] = lo + ((order[k] + random.uniform()) / count) * (hi - lo);
  }
  return out;
}

/** One candidate solution of a target, from one start. */
export interface Candidate {
  x: Float64Array;
  /** Scaled residual norm (ranking key 1). */
  residual: number;
  /** Secondary objective (ranking key 2; 0 when none). */
  objective: number;
  converged: boolean;
}

/**
 * Indices of the distinct candidates, best first: converged before not, then by residual (ties
 * within the tolerance of the target count as equal), then by objective. A candidate within
 * DEDUPE_RTOL of a better one is dropped.
 */
export function rankDistinct(candidates: readonly Candidate[], inputScale: Float64Array, tolerance: number): number[] {
  const order = candidates.map((_, index) => index).sort((a, b) => {
    const ca = candidates[a], cb = candidates[b];
    if (ca.converged !== cb.converged) return ca.converged ? -1 : 1;
    const residualA = Math.max(ca.residual, tolerance), residualB = Math.max(cb.residual, tolerance);
    if (residualA !== residualB) return residualA - residualB;
    return ca.objective - cb.objective;
  });
  const kept: number[] = [];
  for (const index of order) {
    const x = candidates[index].x;
    const duplicate = kept.some((other) => scaledDistance(x, candidates[other].x, inputScale) <= DEDUPE_RTOL * (1 + scaledNorm(candidates[other].x, inputScale)));
    if (!duplicate) kept.push(index);
  }
  return kept;
}

function scaledDistance(a: Float64Array, b: Float64Array, scale: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += ((a[j] - b[j]) / scale[j]) ** 2;
  return Math.sqrt(sum);
}

function scaledNorm(a: Float64Array, scale: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += (a[j] / scale[j]) ** 2;
  return Math.sqrt(sum);
}
