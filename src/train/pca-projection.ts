// PCA of the standardized training inputs as a fixed affine map z = P·(s − mean) (P: k×n, rows =
// principal directions), the form the MlpSpec's inputProjection stores. Always fitted on
// STANDARDIZED inputs: the reference project ran PCA on raw units, where the large-variance columns
// (h2_temp, hbtemp) swamp O2 and wind and those directions were silently dropped.
// The directions come from linalg's fitPca (economy SVD of the centred rows, Xc = U·S·Vᵀ → P = first
// k rows of Vᵀ), whose sign convention (largest-magnitude entry positive) makes the same data give
// the same map bitwise, whatever the SVD's sign choices.
import { InvalidArgumentError, checkInteger, checkNumber } from '../core/index.ts';
import { type Matrix, fitPca } from '../linalg/index.ts';
import type { DenseLayer } from '../model/index.ts';

/** Relative slack so that e.g. --pca 1 does not fail on the rounding of the summed variance shares. */
const VARIANCE_TO_KEEP_SLACK = 1e-12;

export interface PcaOptions {
  /** Number of principal components to keep (1..inputs). */
  components?: number;
  /** Or: the smallest number of components whose share of the variance reaches this, in (0, 1]. */
  varianceToKeep?: number;
}

/** The projection plus what it keeps. */
export interface InputProjection extends DenseLayer {
  /** Share of the total (standardized) variance of every direction, all n of them, descending. */
  explainedVarianceRatio: number[];
  /** Share kept by the first `outputs` directions. */
  keptVarianceRatio: number;
}

/** Check PCA options against the number of inputs (before any work). */
export function checkPcaOptions(pca: PcaOptions, inputs: number): void {
  if (pca.components !== undefined && pca.varianceToKeep !== undefined) {
    throw new InvalidArgumentError('PCA: give either the number of components or the variance to keep, not both');
  }
  if (pca.components === undefined && pca.varianceToKeep === undefined) {
    throw new InvalidArgumentError('PCA: give the number of components (--pca K) or the variance to keep (--pca 0.95)');
  }
  if (pca.components !== undefined) {
    const note = `from 1 to the number of inputs (${inputs}): PCA can only keep as many directions as there are inputs`;
    checkInteger(pca.components, `--pca ${pca.components}: the number of PCA components`, 1, inputs, note);
  }
  if (pca.varianceToKeep !== undefined) checkNumber(pca.varianceToKeep, `--pca ${pca.varianceToKeep}: the share of variance to keep`, { min: 0, minOpen: true, max: 1 });
}

/**
 * Fit the projection on `standardized` training rows (N×n, N ≥ 2). The maths is linalg's fitPca on
 * the already standardized rows (no second scaling): every direction it can estimate, with its
 * sign convention; here only the choice of k (the CLI's --pca semantics) and the affine form
 * z = P·s + b with b = −P·mean.
 */
export function fitInputProjection(standardized: Matrix, options: PcaOptions): InputProjection {
  const { rows, cols: n } = standardized;
  checkPcaOptions(options, n);
  if (rows < 2) throw new InvalidArgumentError(`PCA needs at least 2 training rows, got ${rows}`);
  const pca = fitPca(standardized, { standardize: false });
  const directions = pca.explainedVarianceRatio.length; // min(rows, n): every direction is kept
  const ratios = Array.from(pca.explainedVarianceRatio);
  while (ratios.length < n) ratios.push(0);
  let k = options.components ?? 0;
  if (options.varianceToKeep !== undefined) {
    let cumulative = 0;
    k = 0;
    while (k < directions && cumulative < options.varianceToKeep * (1 - VARIANCE_TO_KEEP_SLACK)) cumulative += ratios[k++];
  }
  if (k > directions) {
    throw new InvalidArgumentError(`--pca ${k}: only ${directions} directions can be estimated from ${rows} training rows`);
  }
  const weight = pca.components.data.slice(0, k * n);
  const bias = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let offset = 0;
    for (let j = 0; j < n; j++) offset -= weight[i * n + j] * pca.mean[j];
    bias[i] = offset;
  }
  let kept = 0;
  for (let i = 0; i < k; i++) kept += ratios[i];
  return { inputs: n, outputs: k, weight, bias, explainedVarianceRatio: ratios, keptVarianceRatio: kept };
}

/** Apply the projection to every row of a standardized rows×n array; returns rows×k. */
export function projectRows(standardized: Float64Array, rows: number, projection: DenseLayer): Float64Array {
  const { inputs: n, outputs: k, weight, bias } = projection;
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < k; i++) {
      let sum = bias[i];
      for (let j = 0; j < n; j++) sum += weight[i * n + j] * standardized[r * n + j];
      out[r * k + i] = sum;
    }
  }
  return out;
}
