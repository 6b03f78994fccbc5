// The one home of descriptive statistics (PCA, training, analysis, the benchmark score, the labs, the
// ONNX annotations and the benchmarks use these): mean, median, standard deviation and quantiles of a
// vector, and the column means and standard deviations of a row-major matrix
// (two passes — mean first, then squared deviations — which is more accurate than one pass of sums
// and sums of squares). Empty input gives NaN, as 0/0 does; callers that can be empty check first.
import type { Matrix } from './matrix.ts';

/** Arithmetic mean of the values (NaN when there are none). */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** Median of the values: the middle one, or the mean of the two middle ones (NaN when there are none). */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
}

/** Standard deviation, squared deviations divided by max(1, n − deltaDegreesOfFreedom) (0: population, 1: sample). */
export function std(values: ArrayLike<number>, deltaDegreesOfFreedom: 0 | 1 = 0): number {
  const center = mean(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - center) ** 2;
  return values.length === 0 ? NaN : Math.sqrt(sum / Math.max(1, values.length - deltaDegreesOfFreedom));
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of values already sorted ascending, "linear" interpolation between ranks
 * as NumPy's default. +Infinity sorts last; an interpolation that touches it gives Infinity. NaN when empty.
 */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = q * (sorted.length - 1);
  const below = Math.floor(rank), above = Math.ceil(rank);
  const low = sorted[below], high = sorted[above];
  if (below === above || low === high) return low;
  if (high === Infinity) return rank === below ? low : Infinity;
  return low + (high - low) * (rank - below);
}

/** The q-quantile of unsorted values (sorts a copy; see sortedQuantile). */
export function quantile(values: ArrayLike<number>, q: number): number {
  return sortedQuantile(Float64Array.from(values).sort(), q);
}

/**
 * Mean and standard deviation of every column of x. The squared deviations are divided by
 * max(1, rows − deltaDegreesOfFreedom): 0 gives the population std (as scikit-learn's
 * StandardScaler), 1 the sample std (as NumPy's ddof=1).
 */
export function columnMeanAndStd(x: Matrix, deltaDegreesOfFreedom: 0 | 1): { mean: Float64Array; std: Float64Array } {
  const { rows, cols, data } = x;
  const mean = new Float64Array(cols), std = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const deviation = data[i * cols + j] - mean[j];
      std[j] += deviation * deviation;
    }
  }
  const divisor = Math.max(1, rows - deltaDegreesOfFreedom);
  for (let j = 0; j < cols; j++) std[j] = Math.sqrt(std[j] / divisor);
  return { mean, std };
}
