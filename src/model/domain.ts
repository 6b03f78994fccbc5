// The one home of "where is this model valid?" — used by solve, analyze, the CLI and the web page.
// A Domain holds what is KNOWN, each piece with where it came from:
//   - the operating box stored with the model (metadata), the strongest evidence;
//   - training statistics (mean/std of x and y): from metadata, from the graph's detected scaling,
//     or from a training-data file;
//   - with training data, a density check: the mean distance of a point to its K_NEIGHBOURS nearest
//     training samples (standardized units) against a threshold from the data's own leave-one-out
//     distances (their DENSITY_QUANTILE quantile), so a point inside the box but in an empty corner
//     is still flagged.
// The training range of an input is the stored box, else mean ± TRAINING_RANGE_STDS·std. With none
// of these, membership is unknown: null, never a guessed "true".
import { Matrix } from '../linalg/index.ts';
import type { Bounds, Model } from './model.ts';

/** Without a stored box, the training range is mean ± this many training std (one rule everywhere). */
export const TRAINING_RANGE_STDS = 3;
/** Neighbours of the density check. */
export const K_NEIGHBOURS = 5;
/** A point is in a low-density region when its k-NN distance exceeds this quantile of the training data's own (leave-one-out) distances. */
export const DENSITY_QUANTILE = 0.99;

export type StatsOrigin = 'metadata' | 'graph-scaling' | 'training-data';
/** Which evidence a training-range verdict used. */
export type DomainBasis = 'operating-box' | 'mean-std' | 'none';

export interface Statistics {
  mean: Float64Array;
  std: Float64Array;
  origin: StatsOrigin;
}

export interface Domain {
  inputNames: readonly string[];
  outputNames: readonly string[];
  /** Operating box stored with the model (null when none). */
  box: Bounds | null;
  inputStats: Statistics | null;
  outputStats: Statistics | null;
  /** Range of each output seen in training (data min/max, else mean ± 3 std; null when unknown). */
  outputRange: { low: Float64Array; high: Float64Array; origin: string } | null;
  density: DensityCheck | null;
}

/** The domain a model carries (metadata and detected scaling), optionally with training data (x, and y when present). */
export function modelDomain(model: Model, data?: { x: Matrix; y?: Matrix }): Domain {
  const n = model.inputNames.length, m = model.outputNames.length, meta = model.meta;
  const box = meta?.bounds && meta.bounds.lower.length === n && meta.bounds.upper.length === n ? meta.bounds : null;
  let inputStats: Statistics | null = meta?.inputMean?.length === n && meta.inputStd?.length === n ? { mean: meta.inputMean, std: meta.inputStd, origin: meta.inputStatsOrigin ?? 'metadata' } : null;
  let outputStats: Statistics | null = meta?.outputMean?.length === m && meta.outputStd?.length === m ? { mean: meta.outputMean, std: meta.outputStd, origin: meta.outputStatsOrigin ?? 'metadata' } : null;
  let outputRange: Domain['outputRange'] = null;
  let density: DensityCheck | null = null;
  if (data && data.x.rows > 0) {
    // Data beats graph-detected statistics (which are only a guess of what the exporter meant).
    if (!inputStats || inputStats.origin === 'graph-scaling') inputStats = { ...columnStats(data.x), origin: 'training-data' };
    if (data.y && data.y.rows > 0) {
      if (!outputStats || outputStats.origin === 'graph-scaling') outputStats = { ...columnStats(data.y), origin: 'training-data' };
      const low = new Float64Array(m).fill(Infinity), high = new Float64Array(m).fill(-Infinity);
      for (let k = 0; k < data.y.rows; k++) for (let i = 0; i < m; i++) { const v = data.y.data[k * m + i]; if (v < low[i]) low[i] = v; if (v > high[i]) high[i] = v; }
      outputRange = { low, high, origin: 'the outputs\' minimum and maximum in the training data' };
    }
    if (data.x.rows > K_NEIGHBOURS) density = new DensityCheck(data.x, inputStats.std);
  }
  if (!outputRange && outputStats) {
    outputRange = {
      low: outputStats.mean.map((mean, i) => mean - TRAINING_RANGE_STDS * outputStats!.std[i]),
      high: outputStats.mean.map((mean, i) => mean + TRAINING_RANGE_STDS * outputStats!.std[i]),
      origin: `the outputs' training mean ± ${TRAINING_RANGE_STDS} std (${outputStats.origin})`,
    };
  }
  return { inputNames: model.inputNames, outputNames: model.outputNames, box, inputStats, outputStats, outputRange, density };
}

/** Per-input training range: the stored box, else mean ± sigmas·std; null when neither is known. */
export function trainingRange(domain: Domain, sigmas = TRAINING_RANGE_STDS): { low: Float64Array; high: Float64Array; basis: DomainBasis; text: string } | null {
  if (domain.box) return { low: domain.box.lower, high: domain.box.upper, basis: 'operating-box', text: 'the model\'s operating box' };
  const stats = domain.inputStats;
  if (!stats) return null;
  return {
    low: stats.mean.map((mean, j) => mean - sigmas * stats.std[j]),
    high: stats.mean.map((mean, j) => mean + sigmas * stats.std[j]),
    basis: 'mean-std',
    text: `the training mean ± ${sigmas} std (${stats.origin})`,
  };
}

/** Evidence behind inTrainingRange, in words: e.g. "operating-box + density (5-NN in training data)". */
export function domainBasis(domain: Domain): string {
  const range = trainingRange(domain);
  const parts = [range ? (range.basis === 'operating-box' ? 'operating-box' : `mean±${TRAINING_RANGE_STDS}std:${domain.inputStats!.origin}`) : null, domain.density ? `density:${K_NEIGHBOURS}-NN` : null].filter(Boolean);
  return parts.length ? parts.join('+') : 'none';
}

/** true/false when something is known about the training range (and density); null when nothing is. */
export function inTrainingRange(domain: Domain, x: Float64Array, offset = 0): boolean | null {
  const range = trainingRange(domain);
  if (!range && !domain.density) return null;
  if (range) {
    for (let j = 0; j < domain.inputNames.length; j++) {
      const lo = range.low[j], hi = range.high[j], value = x[offset + j];
      const slack = 1e-12 * Math.max(1, Math.abs(lo), Math.abs(hi));
      if (value < lo - slack || value > hi + slack) return false;
    }
  }
  if (domain.density && !domain.density.dense(x, offset)) return false;
  return true;
}

/** Targets (rows of count×m) with some output outside the outputs' training range: count and the first rows (0-based). */
export function targetsOutsideOutputRange(domain: Domain, low: Float64Array, high: Float64Array, count: number): { outside: number; rows: number[] } | null {
  const range = domain.outputRange;
  if (!range) return null;
  const m = domain.outputNames.length;
  let outside = 0;
  const rows: number[] = [];
  for (let k = 0; k < count; k++) {
    let out = false;
    // A band is outside when it does not meet the range at all.
    for (let i = 0; i < m; i++) if (low[k * m + i] > range.high[i] || high[k * m + i] < range.low[i]) out = true;
    if (out) { outside++; if (rows.length < 5) rows.push(k); }
  }
  return { outside, rows };
}

function columnStats(x: Matrix): { mean: Float64Array; std: Float64Array } {
  const { rows, cols, data } = x;
  const mean = new Float64Array(cols), std = new Float64Array(cols);
  for (let k = 0; k < rows; k++) for (let j = 0; j < cols; j++) mean[j] += data[k * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  for (let k = 0; k < rows; k++) for (let j = 0; j < cols; j++) std[j] += (data[k * cols + j] - mean[j]) ** 2;
  for (let j = 0; j < cols; j++) {
    const value = Math.sqrt(std[j] / rows);
    std[j] = value > 0 && Number.isFinite(value) ? value : 1;
  }
  return { mean, std };
}

/**
 * k-nearest-neighbour density in standardized units: dense(x) when the mean distance from x to its
 * K_NEIGHBOURS nearest training samples is at most the DENSITY_QUANTILE quantile of the same
 * distance for each training sample to the others (leave-one-out). Brute force: O(N) per query.
 */
export class DensityCheck {
  readonly threshold: number;
  readonly samples: number;
  private readonly points: Float64Array;
  private readonly scale: Float64Array;
  private readonly cols: number;
  private readonly nearest = new Float64Array(K_NEIGHBOURS);

  constructor(training: Matrix, std: Float64Array) {
    this.cols = training.cols;
    this.samples = training.rows;
    this.scale = Float64Array.from(std, (s) => (s > 0 && Number.isFinite(s) ? 1 / s : 1));
    this.points = new Float64Array(training.data.length);
    for (let k = 0; k < training.rows; k++) for (let j = 0; j < this.cols; j++) this.points[k * this.cols + j] = training.data[k * this.cols + j] * this.scale[j];
    const own = new Float64Array(training.rows);
    const z = new Float64Array(this.cols);
    for (let k = 0; k < training.rows; k++) {
      z.set(this.points.subarray(k * this.cols, (k + 1) * this.cols));
      own[k] = this.distance(z, k);
    }
    own.sort();
    this.threshold = own[Math.min(own.length - 1, Math.ceil(DENSITY_QUANTILE * own.length) - 1)];
  }

  /** Mean distance of x (raw units, at offset) to its nearest training samples. */
  distanceOf(x: Float64Array, offset = 0): number {
    const z = new Float64Array(this.cols);
    for (let j = 0; j < this.cols; j++) z[j] = x[offset + j] * this.scale[j];
    return this.distance(z, -1);
  }

  dense(x: Float64Array, offset = 0): boolean {
    return this.distanceOf(x, offset) <= this.threshold;
  }

  /** Mean distance of scaled z to its K nearest samples, skipping sample `skip`. */
  private distance(z: Float64Array, skip: number): number {
    const nearest = this.nearest.fill(Infinity), cols = this.cols, points = this.points;
    for (let k = 0; k < this.samples; k++) {
      if (k === skip) continue;
      let sum = 0;
      for (let j = 0; j < cols; j++) { const d = points[k * cols + j] - z[j]; sum += d * d; }
      if (sum < nearest[K_NEIGHBOURS - 1]) {
        let at = K_NEIGHBOURS - 1;
        while (at > 0 && nearest[at - 1] > sum) { nearest[at] = nearest[at - 1]; at--; }
        nearest[at] = sum;
      }
    }
    let total = 0, used = 0;
    for (const value of nearest) if (Number.isFinite(value)) { total += Math.sqrt(value); used++; }
    return used ? total / used : Infinity;
  }
}
