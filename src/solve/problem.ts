// The inverse problem in the form every solver iterates on: per-target bands [lo, hi] per output
// (a point target has lo = hi), residual scaling (per-output weight / output std), input scaling
// (input std, so damping and step caps mean the same thing for every input), bounds, an optional
// quadratic penalty toward a per-target reference, and the convergence tolerance per target.
//
// Residual of output i at y: r_i = s_i·(clamp(y_i, lo_i, hi_i) − y_i), s_i = weight_i / std_i.
// Solvers work in scaled inputs z_j = x_j / inputScale_j and scaled Jacobian diag(s)·J·diag(inputScale).
import { InvalidArgumentError, NonFiniteError, ShapeError, shapeText, checkNonNegative } from '../core/index.ts';
import { Matrix, type MatrixLike, type VectorLike } from '../linalg/index.ts';
import type { Bounds, Model } from '../model/index.ts';

/** Converged when ‖r‖ ≤ RESIDUAL_RTOL·(1 + ‖target‖) in scaled output units (default `tolerance`). */
export const RESIDUAL_RTOL = 1e-10;

/**
 * Largest |target| accepted: squares and sums of squares of residuals must stay finite in float64
 * (√MAX_VALUE ≈ 1.3e154, with room for m outputs and scaling). Beyond it a target is an input error.
 */
export const MAX_TARGET_MAGNITUDE = 1e150;

/** Point targets (N×m or one row), or bands with a lower and an upper matrix (±Infinity for one-sided). */
export type TargetsInput = MatrixLike | VectorLike | TargetBands;

export interface TargetBands {
  lower: MatrixLike | readonly (readonly number[])[];
  upper: MatrixLike | readonly (readonly number[])[];
}

export interface SolveProblem {
  model: Model;
  n: number;
  m: number;
  count: number;
  /** count×m lower and upper ends of each target band (equal for point targets). */
  targetLow: Float64Array;
  targetHigh: Float64Array;
  /** Per-output residual scale: weight / output std. */
  outputScale: Float64Array;
  /** Per-input scale (input std or 1): steps are taken in x / inputScale. */
  inputScale: Float64Array;
  bounds: Bounds;
  /** Weight w of the penalty w·‖(x − reference)/inputScale‖² (0: none). */
  penaltyWeight: number;
  /** count×n reference points of the penalty (null when penaltyWeight is 0). */
  penaltyReference: Float64Array | null;
  /** Per-target tolerance on the scaled residual norm. */
  tolerance: Float64Array;
}

/** Rows of the (augmented) residual: m outputs, plus n penalty rows when a penalty is set. */
export function residualLength(problem: SolveProblem): number {
  return problem.m + (problem.penaltyWeight > 0 ? problem.n : 0);
}

/** Parse targets into count×m low/high arrays, checking width and values. */
export function parseTargets(targets: TargetsInput, model: Model): { low: Float64Array; high: Float64Array; count: number; isBand: boolean } {
  const m = model.outputNames.length;
  const expected = `${m} outputs (${model.outputNames.join(', ')})`;
  if (isBands(targets)) {
    const low = bandMatrix(targets.lower, 'targets.lower', m, expected);
    const high = bandMatrix(targets.upper, 'targets.upper', m, expected);
    if (low.rows !== high.rows) throw new ShapeError(`targets.lower has ${low.rows} rows but targets.upper has ${high.rows}`);
    for (let k = 0; k < low.data.length; k++) {
      if (low.data[k] > high.data[k]) {
        throw new InvalidArgumentError(`target band row ${Math.floor(k / m) + 1}, output ${model.outputNames[k % m]}: lower ${low.data[k]} > upper ${high.data[k]}`);
      }
      if (Number.isFinite(low.data[k])) checkMagnitude(low.data[k], `target band row ${Math.floor(k / m) + 1}, output ${model.outputNames[k % m]} (lower)`);
      if (Number.isFinite(high.data[k])) checkMagnitude(high.data[k], `target band row ${Math.floor(k / m) + 1}, output ${model.outputNames[k % m]} (upper)`);
      if (low.data[k] === Infinity || high.data[k] === -Infinity) {
        throw new InvalidArgumentError(`target band row ${Math.floor(k / m) + 1}, output ${model.outputNames[k % m]}: band [${low.data[k]}, ${high.data[k]}] is empty`);
      }
    }
    return { low: low.data, high: high.data, count: low.rows, isBand: true };
  }
  let matrix: Matrix;
  if (targets instanceof Matrix) matrix = targets;
  else if (targets instanceof Float64Array || (Array.isArray(targets) && targets.length > 0 && typeof targets[0] === 'number')) {
    matrix = new Matrix(1, targets.length, Float64Array.from(targets as ArrayLike<number>));
  } else if (Array.isArray(targets)) {
    matrix = rectangular(targets as number[][], 'targets');
  } else {
    throw new ShapeError(`targets must be an N×${m} matrix, one row of ${m} numbers, or { lower, upper } bands`);
  }
  if (matrix.rows === 0) throw new ShapeError('targets is empty (0 rows)');
  if (matrix.cols !== m) throw new ShapeError(`targets are ${shapeText(matrix.rows, matrix.cols)} but the model has ${expected}; each target row needs ${m} values`);
  for (let k = 0; k < matrix.data.length; k++) {
    if (!Number.isFinite(matrix.data[k])) {
      throw new NonFiniteError(`target row ${Math.floor(k / m) + 1}, output ${model.outputNames[k % m]} is ${matrix.data[k]}; targets must be finite (use { lower, upper } bands for one-sided targets)`);
    }
    checkMagnitude(matrix.data[k], `target row ${Math.floor(k / m) + 1}, output ${model.outputNames[k % m]}`);
  }
  return { low: matrix.data.slice(), high: matrix.data.slice(), count: matrix.rows, isBand: false };
}

function checkMagnitude(value: number, where: string): void {
  if (Math.abs(value) > MAX_TARGET_MAGNITUDE) {
    throw new InvalidArgumentError(`${where} is ${value}: beyond what float64 arithmetic on residuals can represent (|y| ≤ ${MAX_TARGET_MAGNITUDE}); check the units or the column`);
  }
}

function isBands(value: TargetsInput): value is TargetBands {
  return typeof value === 'object' && value !== null && !(value instanceof Matrix) && !Array.isArray(value) && !(value instanceof Float64Array) && 'lower' in value && 'upper' in value;
}

/** A band end matrix: rectangular, width m, no NaN (±Infinity allowed). */
function bandMatrix(value: MatrixLike | readonly (readonly number[])[], name: string, m: number, expected: string): Matrix {
  const matrix = value instanceof Matrix ? value : rectangular(value as number[][], name);
  if (matrix.rows === 0) throw new ShapeError(`${name} is empty (0 rows)`);
  if (matrix.cols !== m) throw new ShapeError(`${name} is ${shapeText(matrix.rows, matrix.cols)} but the model has ${expected}`);
  for (let k = 0; k < matrix.data.length; k++) {
    if (Number.isNaN(matrix.data[k])) throw new NonFiniteError(`${name} row ${Math.floor(k / m) + 1}, column ${(k % m) + 1} is NaN`);
  }
  return matrix;
}

/** Copy number[][] into a Matrix checking only that it is rectangular (values are checked by the caller). */
function rectangular(array: readonly (readonly number[])[], name: string): Matrix {
  const rows = array.length;
  const cols = array[0]?.length ?? 0;
  const out = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    const row = array[i];
    if (!Array.isArray(row) && !(row instanceof Float64Array)) throw new ShapeError(`${name} row ${i + 1} is not an array of numbers`);
    if (row.length !== cols) throw new ShapeError(`${name} is ragged: row 1 has ${cols} values but row ${i + 1} has ${row.length}`);
    for (let j = 0; j < cols; j++) {
      const value = row[j];
      if (typeof value !== 'number') throw new InvalidArgumentError(`${name} row ${i + 1}, column ${j + 1} is not a number (${JSON.stringify(value)})`);
      out.data[i * cols + j] = value;
    }
  }
  return out;
}

/** Positive finite per-column scales from metadata, or ones. */
export function scalesFrom(std: Float64Array | undefined, length: number, use: boolean): Float64Array {
  const out = new Float64Array(length).fill(1);
  if (!use || !std || std.length !== length) return out;
  for (let j = 0; j < length; j++) if (std[j] > 0 && Number.isFinite(std[j])) out[j] = std[j];
  return out;
}

/** Per-output weights: non-negative, finite, not all zero; default ones. */
export function resolveWeights(weights: VectorLike | undefined, model: Model): Float64Array {
  const m = model.outputNames.length;
  if (weights === undefined) return new Float64Array(m).fill(1);
  if (weights.length !== m) throw new ShapeError(`weights have ${weights.length} values but the model has ${m} outputs (${model.outputNames.join(', ')})`);
  const out = Float64Array.from(weights);
  let any = false;
  for (let i = 0; i < m; i++) {
    checkNonNegative(out[i], `weight of output ${model.outputNames[i]}`);
    if (out[i] > 0) any = true;
  }
  if (!any) throw new InvalidArgumentError('weights are all zero: at least one output must count');
  return out;
}

/** Per-target tolerance: relativeTolerance·(1 + ‖scaled target‖), using band ends that are finite. */
export function targetTolerances(low: Float64Array, high: Float64Array, count: number, outputScale: Float64Array, relativeTolerance: number): Float64Array {
  const m = outputScale.length;
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    let sum = 0;
    for (let i = 0; i < m; i++) {
      const lo = low[k * m + i], hi = high[k * m + i];
      const value = Number.isFinite(lo) && Number.isFinite(hi) ? 0.5 * (lo + hi) : Number.isFinite(lo) ? lo : Number.isFinite(hi) ? hi : 0;
      const scaled = value * outputScale[i];
      sum += scaled * scaled;
    }
    out[k] = relativeTolerance * (1 + Math.sqrt(sum));
  }
  return out;
}

/** A problem restricted to some targets (rows), e.g. one start per target or a still-active subset. */
export function subsetProblem(problem: SolveProblem, rows: ArrayLike<number>): SolveProblem {
  const { m, n } = problem;
  const count = rows.length;
  const low = new Float64Array(count * m), high = new Float64Array(count * m), tolerance = new Float64Array(count);
  const reference = problem.penaltyReference ? new Float64Array(count * n) : null;
  for (let t = 0; t < count; t++) {
    const k = rows[t];
    low.set(problem.targetLow.subarray(k * m, (k + 1) * m), t * m);
    high.set(problem.targetHigh.subarray(k * m, (k + 1) * m), t * m);
    tolerance[t] = problem.tolerance[k];
    if (reference && problem.penaltyReference) reference.set(problem.penaltyReference.subarray(k * n, (k + 1) * n), t * n);
  }
  return { ...problem, count, targetLow: low, targetHigh: high, tolerance, penaltyReference: reference };
}
