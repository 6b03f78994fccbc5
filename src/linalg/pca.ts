// Principal component analysis through the SVD of the centred (and by default standardized) data.
// Standardizing matters: on raw units the components follow the variables with the largest spread
// and silently drop the small-spread ones (the reference blast-furnace project lost its O2 fraction
// and wind-rate directions that way). So the fit reports, per variable, how much of its variance the
// kept components lose, and warns by name when that is most of it.
import { InvalidArgumentError, ShapeError, shapeText } from '../core/index.ts';
import { Matrix, type MatrixLike } from './matrix.ts';
import { columnMeanAndStd } from './statistics.ts';
import { svd } from './svd.ts';
import { EPSILON } from './tolerance.ts';
import { assertCount } from './validate.ts';

/** A variable whose reconstruction loses more than this share of its variance is named in a warning. */
export const LOST_VARIANCE_WARNING = 0.5;
/** Unstandardized fits also blame scale when a lost variable's std is this many times below the largest std. */
export const SCALE_SPREAD_WARNING = 10;
/** A column whose std is ≤ this share of its mean magnitude (or exactly 0) counts as constant. */
const CONSTANT_RELATIVE_STD = 64 * EPSILON;

export interface PcaOptions {
  /** Number of components to keep (1..min(rows, cols)). Exclusive with varianceToKeep. */
  components?: number;
  /** Keep the fewest components whose explained-variance ratio sums to at least this (0, 1]. */
  varianceToKeep?: number;
  /** Divide each centred variable by its standard deviation before the SVD (default true). */
  standardize?: boolean;
  /** Variable names for messages (default x0, x1, …). */
  names?: readonly string[];
}

export interface Pca {
  /** Variable names (from options or x0…). */
  names: string[];
  /** Column means of the fit data (length n). */
  mean: Float64Array;
  /** Column standard deviations (N−1) used as scale when standardized, else 1 (length n). */
  scale: Float64Array;
  /** k×n: row c is component c (unit length, in the scaled space), sign fixed so its largest entry is positive. */
  components: Matrix;
  /** Variance (N−1) of the scores of each kept component (length k). */
  explainedVariance: Float64Array;
  /** Share of the total (scaled) variance each kept component explains (length k). */
  explainedVarianceRatio: Float64Array;
  /** Scores (N×k) of rows of x (N×n). */
  transform(x: MatrixLike): Matrix;
  /** Rows of x (N×n) reconstructed from scores (N×k). */
  inverseTransform(z: MatrixLike): Matrix;
  /**
   * Per variable: the share of its variance about the fit mean that the k-component reconstruction of
   * the rows of x loses, Σ_i (x_ij − x̂_ij)² / Σ_i (x_ij − mean_j)². 0 = kept exactly, 1 = lost entirely.
   */
  variableReconstructionError(x: MatrixLike): Float64Array;
  /** Plain-language warnings (constant variables, variables whose variance is mostly lost). */
  warnings: string[];
}

function componentCount(options: PcaOptions, ratios: Float64Array, available: number): number {
  const { components, varianceToKeep } = options;
  if (components !== undefined && varianceToKeep !== undefined) {
    throw new InvalidArgumentError(`fitPca: give either components or varianceToKeep, not both (got ${components} and ${varianceToKeep})`);
  }
  if (components !== undefined) {
    assertCount(components, 'fitPca: components', 1, available);
    return components;
  }
  if (varianceToKeep === undefined) return available;
  if (typeof varianceToKeep !== 'number' || !(varianceToKeep > 0 && varianceToKeep <= 1)) {
    throw new InvalidArgumentError(`fitPca: varianceToKeep must be a number in (0, 1], got ${varianceToKeep}`);
  }
  let cumulative = 0;
  for (let c = 0; c < available; c++) {
    cumulative += ratios[c];
    // A few ε of slack so varianceToKeep = 1 does not fail on rounding.
    if (cumulative >= varianceToKeep - available * EPSILON) return c + 1;
  }
  return available;
}

function checkColumns(x: MatrixLike, expected: number, name: string, what: string): Matrix {
  const matrix = Matrix.from(x, name);
  if (matrix.cols !== expected) {
    throw new ShapeError(`Pca.${what}: ${name} is ${shapeText(matrix.rows, matrix.cols)} but needs ${expected} columns`);
  }
  return matrix;
}

/** Fit a PCA to the rows of x (N samples × n variables, N ≥ 2). */
export function fitPca(x: MatrixLike, options: PcaOptions = {}): Pca {
  const data = Matrix.from(x, 'x');
  const { rows, cols } = data;
  if (rows < 2) throw new ShapeError(`fitPca: x is ${shapeText(rows, cols)}; a variance needs at least 2 rows`);
  const names = options.names ? [...options.names] : Array.from({ length: cols }, (_, j) => `x${j}`);
  if (names.length !== cols) throw new ShapeError(`fitPca: names has ${names.length} entries but x has ${cols} columns`);
  const standardize = options.standardize ?? true;
  const warnings: string[] = [];

  const { mean, std } = columnMeanAndStd(data, 1);
  const scale = new Float64Array(cols).fill(1);
  for (let j = 0; j < cols; j++) {
    const constant = std[j] <= CONSTANT_RELATIVE_STD * Math.abs(mean[j]) || std[j] === 0;
    if (constant) warnings.push(`variable '${names[j]}' is constant (std ${std[j]}); it carries no variance and is reconstructed as its mean`);
    else if (standardize) scale[j] = std[j];
  }

  const centred = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) centred.data[i * cols + j] = (data.data[i * cols + j] - mean[j]) / scale[j];
  const { S, V } = svd(centred);
  const available = S.length;
  let totalSquares = 0;
  for (let c = 0; c < available; c++) totalSquares += S[c] * S[c];
  const allRatios = S.map((sigma) => (totalSquares > 0 ? (sigma * sigma) / totalSquares : 0));
  const k = componentCount(options, allRatios, available);

  const components = new Matrix(k, cols);
  for (let c = 0; c < k; c++) {
    // Sign convention: the entry of largest magnitude is positive (deterministic output).
    let largest = 0;
    for (let j = 0; j < cols; j++) if (Math.abs(V.data[j * available + c]) > Math.abs(largest)) largest = V.data[j * available + c];
    const sign = largest < 0 ? -1 : 1;
    for (let j = 0; j < cols; j++) components.data[c * cols + j] = sign * V.data[j * available + c];
  }
  const explainedVariance = S.slice(0, k).map((sigma) => (sigma * sigma) / (rows - 1));
  const explainedVarianceRatio = allRatios.slice(0, k);

  const transform = (input: MatrixLike): Matrix => {
    const matrix = checkColumns(input, cols, 'x', 'transform');
    const out = new Matrix(matrix.rows, k);
    for (let i = 0; i < matrix.rows; i++) {
      for (let j = 0; j < cols; j++) {
        const value = (matrix.data[i * cols + j] - mean[j]) / scale[j];
        for (let c = 0; c < k; c++) out.data[i * k + c] += value * components.data[c * cols + j];
      }
    }
    return out;
  };
  const inverseTransform = (scores: MatrixLike): Matrix => {
    const matrix = checkColumns(scores, k, 'z', 'inverseTransform');
    const out = new Matrix(matrix.rows, cols);
    for (let i = 0; i < matrix.rows; i++) {
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        for (let c = 0; c < k; c++) sum += matrix.data[i * k + c] * components.data[c * cols + j];
        out.data[i * cols + j] = mean[j] + scale[j] * sum;
      }
    }
    return out;
  };
  const variableReconstructionError = (input: MatrixLike): Float64Array => {
    const matrix = checkColumns(input, cols, 'x', 'variableReconstructionError');
    const reconstructed = inverseTransform(transform(matrix));
    const lost = new Float64Array(cols), spread = new Float64Array(cols);
    for (let i = 0; i < matrix.rows; i++) {
      for (let j = 0; j < cols; j++) {
        const value = matrix.data[i * cols + j];
        lost[j] += (value - reconstructed.data[i * cols + j]) ** 2;
        spread[j] += (value - mean[j]) ** 2;
      }
    }
    return lost.map((value, j) => (spread[j] > 0 ? value / spread[j] : 0));
  };

  const lostShares = variableReconstructionError(data);
  const largestStd = Math.max(...std);
  const lostNames: string[] = [];
  let blameScale = false;
  lostShares.forEach((share, j) => {
    if (share <= LOST_VARIANCE_WARNING) return;
    lostNames.push(`'${names[j]}' (${(100 * share).toFixed(0)}% of its variance lost, std ${std[j].toPrecision(3)})`);
    if (!standardize && std[j] * SCALE_SPREAD_WARNING < largestStd) blameScale = true;
  });
  if (lostNames.length > 0) {
    let warning = `${k} of ${cols} principal components do not represent ${lostNames.join(', ')}`;
    if (blameScale) {
      warning +=
        `: PCA was fit on unstandardized data, where the components follow the variables of largest spread (largest std ${largestStd.toPrecision(3)}), ` +
        'so small-spread variables are dropped regardless of their importance; fit with standardize: true';
    }
    warnings.push(warning);
  }

  return { names, mean, scale, components, explainedVariance, explainedVarianceRatio, transform, inverseTransform, variableReconstructionError, warnings };
}
