// A 2-D slice of the condition-number landscape (seed 001's "heatmap of fragile zones"): vary two
// chosen inputs over a grid within bounds, hold the others at a base point, and compute log10 of
// the (standardized) condition number of the Jacobian at every grid point, all in one batch.
import { InvalidArgumentError, ShapeError, checkInteger, assertFinite } from '../core/index.ts';
import { Matrix, spectrumBatch, defaultRtol } from '../linalg/index.ts';
import { type Model, standardizedJacobian } from '../model/index.ts';
import { resolveScaling, type ResolvedScaling } from './scaling.ts';

/** Grid points per axis by default (41 × 41 = 1,681 Jacobians). */
export const DEFAULT_SLICE_RESOLUTION = 41;
/** Largest grid per axis accepted (bounds the batch to 401² ≈ 160,000 Jacobians). */
export const MAX_SLICE_RESOLUTION = 401;

export interface SliceOptions {
  /** Grid points per axis: one number for both, or [along i, along j]. */
  resolution?: number | [number, number];
  /** Ranges of input i and input j: [[low_i, high_i], [low_j, high_j]]. Default: model.meta.bounds. */
  bounds?: [[number, number], [number, number]];
  /** Rank cutoff relative to σ_max (default max(m, n)·ε). */
  rtol?: number;
  /** Scales for standardized units; default: training std from model.meta if known, else raw units. */
  scaling?: ResolvedScaling;
}

export interface ConditionSlice {
  /** Indices and names of the two varied inputs (i along x, j along y). */
  inputs: [number, number];
  inputNames: [string, string];
  /** Grid coordinates of input i (length nx) and input j (length ny), increasing. */
  xs: Float64Array;
  ys: Float64Array;
  /** Row-major ny×nx: log10Cond[b * nx + a] is at (xs[a], ys[b]); +Infinity where rank-deficient. */
  log10Cond: Float64Array;
  /** Numerical rank at every grid point (same layout). */
  rank: Int32Array;
  /** The held-fixed point (its entries i and j are overwritten on the grid). */
  base: Float64Array;
  /** Which condition number: standardized (with its scaling) or raw. */
  basis: 'standardized' | 'raw';
  scalingDescription: string;
  /** Extremes of the finite log10 cond values and the count of singular grid points. */
  minLog10Cond: number;
  maxLog10Cond: number;
  singularCount: number;
  message: string;
}

function resolutionPair(resolution: number | [number, number] | undefined): [number, number] {
  const pair: [number, number] = Array.isArray(resolution) ? resolution : [resolution ?? DEFAULT_SLICE_RESOLUTION, resolution ?? DEFAULT_SLICE_RESOLUTION];
  for (const value of pair) checkInteger(value, 'slice resolution', 2, MAX_SLICE_RESOLUTION, 'points per axis');
  return pair;
}

/** Evenly spaced grid from low to high inclusive. */
export function gridAxis(low: number, high: number, count: number): Float64Array {
  const axis = new Float64Array(count);
  for (let a = 0; a < count; a++) axis[a] = a === count - 1 ? high : low + ((high - low) * a) / (count - 1);
  return axis;
}

/** log10 cond over a grid of inputs i and j with the others held at `base`. */
export function conditionSlice(model: Model, base: Float64Array, i: number, j: number, options: SliceOptions = {}): ConditionSlice {
  const n = model.inputNames.length, m = model.outputNames.length;
  if (!(base instanceof Float64Array) || base.length !== n) throw new ShapeError(`base point has ${base?.length ?? 0} entries but the model has ${n} inputs (${model.inputNames.join(', ')})`);
  assertFinite(base, 'base point');
  for (const [index, label] of [[i, 'first'], [j, 'second']] as const) {
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new InvalidArgumentError(`slice ${label} input index ${index} is outside 0..${n - 1}`);
  }
  if (i === j) throw new InvalidArgumentError(`slice needs two different inputs, got '${model.inputNames[i]}' twice`);
  const [nx, ny] = resolutionPair(options.resolution);
  const bounds = options.bounds ?? boundsFromMeta(model, i, j);
  for (const [index, [low, high]] of [[i, bounds[0]], [j, bounds[1]]] as const) {
    if (!Number.isFinite(low) || !Number.isFinite(high) || !(high > low)) {
      throw new InvalidArgumentError(`slice bounds of '${model.inputNames[index]}' must be finite with low < high, got [${low}, ${high}]`);
    }
  }
  const rtol = options.rtol ?? defaultRtol(m, n);
  const scaling = options.scaling ?? defaultScaling(model);
  const xs = gridAxis(bounds[0][0], bounds[0][1], nx), ys = gridAxis(bounds[1][0], bounds[1][1], ny);

  const grid = new Matrix(nx * ny, n);
  for (let b = 0; b < ny; b++) {
    for (let a = 0; a < nx; a++) {
      const offset = (b * nx + a) * n;
      grid.data.set(base, offset);
      grid.data[offset + i] = xs[a];
      grid.data[offset + j] = ys[b];
    }
  }
  let jacobian = model.jacobian(grid);
  if (scaling) jacobian = standardizedJacobian(jacobian, scaling.inputStd, scaling.outputStd, jacobian);
  const spectrum = spectrumBatch(jacobian, { rtol });
  const log10Cond = spectrum.cond.map(Math.log10);
  let minLog10Cond = Infinity, maxLog10Cond = -Infinity, singularCount = 0;
  for (const value of log10Cond) {
    if (value === Infinity) { singularCount++; continue; }
    if (value < minLog10Cond) minLog10Cond = value;
    if (value > maxLog10Cond) maxLog10Cond = value;
  }
  const names: [string, string] = [model.inputNames[i], model.inputNames[j]];
  const basis = scaling ? 'standardized' : 'raw';
  const message = `log10 ${basis} cond over ${names[0]} ∈ [${bounds[0][0]}, ${bounds[0][1]}] × ${names[1]} ∈ [${bounds[1][0]}, ${bounds[1][1]}] (${nx}×${ny} grid, other inputs at the base point): ` +
    (singularCount === nx * ny ? 'singular everywhere' : `from ${minLog10Cond.toFixed(2)} to ${maxLog10Cond.toFixed(2)}`) +
    (singularCount > 0 && singularCount < nx * ny ? `, singular at ${singularCount} grid points` : '') + '.';
  return {
    inputs: [i, j], inputNames: names, xs, ys, log10Cond, rank: spectrum.rank, base: Float64Array.from(base), basis,
    scalingDescription: scaling ? scaling.description : 'raw units (no training std known)',
    minLog10Cond, maxLog10Cond, singularCount, message,
  };
}

/** Bounds of inputs i and j from model.meta.bounds, else a clear error. */
function boundsFromMeta(model: Model, i: number, j: number): [[number, number], [number, number]] {
  const bounds = model.meta?.bounds;
  if (!bounds) {
    throw new InvalidArgumentError(`slice over '${model.inputNames[i]}' and '${model.inputNames[j]}' needs bounds: the model has none in its metadata, so pass bounds: [[low, high], [low, high]]`);
  }
  return [[bounds.lower[i], bounds.upper[i]], [bounds.lower[j], bounds.upper[j]]];
}

/** Training-std scaling when the model knows it for x and y, else null (raw units). */
function defaultScaling(model: Model): ResolvedScaling | null {
  try {
    return resolveScaling(model, 'auto');
  } catch {
    return null;
  }
}

/** Parse "x3,x5" (names or 1-based positions) into two input indices. */
export function parseSliceInputs(text: string, inputNames: readonly string[]): [number, number] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length !== 2 || parts.some((part) => part === '')) {
    throw new InvalidArgumentError(`--slice: expected two input names separated by a comma (e.g. ${inputNames.slice(0, 2).join(',')}), got "${text}"`);
  }
  const indices = parts.map((part) => {
    const byName = inputNames.indexOf(part);
    if (byName >= 0) return byName;
    if (/^\d+$/.test(part) && Number(part) >= 1 && Number(part) <= inputNames.length) return Number(part) - 1;
    throw new InvalidArgumentError(`--slice: '${part}' is not an input of the model; inputs are ${inputNames.join(', ')} (or 1..${inputNames.length} by position)`);
  });
  if (indices[0] === indices[1]) throw new InvalidArgumentError(`--slice: needs two different inputs, got '${parts[0]}' and '${parts[1]}'`);
  return [indices[0], indices[1]];
}
