// Best rank-r approximation by the truncated SVD (Eckart–Young): A_r = Σ_{k≤r} σ_k·u_k·v_kᵀ, with
// ‖A − A_r‖_F = sqrt(Σ_{k>r} σ_k²) known in advance from the singular values alone (seed 003). So
// the rank needed for a target error can be chosen before building anything.
import { InvalidArgumentError, checkProbability } from '../core/index.ts';
import { Matrix, norm2, type MatrixLike } from './matrix.ts';
import { svd } from './svd.ts';
import { assertCount } from './validate.ts';

export interface LowRankResult {
  /** A_r, the best rank-r approximation in the Frobenius and 2-norms (m×n). */
  approximation: Matrix;
  /** The rank r used. */
  rank: number;
  /** ‖A − A_r‖_F = sqrt(Σ_{k>r} σ_k²) (Eckart–Young), from the singular values. */
  error: number;
  /** error / ‖A‖_F (0 for the zero matrix). */
  relativeError: number;
  /** All singular values of A, descending. */
  singularValues: Float64Array;
}

/** Best rank-r approximation of A and its Eckart–Young error; 0 ≤ r ≤ min(m, n). */
export function lowRank(a: MatrixLike, r: number): LowRankResult {
  const matrix = Matrix.from(a, 'A');
  const { rows, cols } = matrix;
  const k = Math.min(rows, cols);
  assertCount(r, 'lowRank: rank r', 0, k);
  const { U, S, V } = svd(matrix);
  const approximation = new Matrix(rows, cols);
  for (let p = 0; p < r; p++) {
    for (let i = 0; i < rows; i++) {
      const scaled = U.data[i * k + p] * S[p];
      if (scaled === 0) continue;
      for (let j = 0; j < cols; j++) approximation.data[i * cols + j] += scaled * V.data[j * k + p];
    }
  }
  const error = norm2(S.subarray(r));
  const total = norm2(S);
  return { approximation, rank: r, error, relativeError: total > 0 ? error / total : 0, singularValues: S };
}

/**
 * Smallest rank r whose truncation error satisfies sqrt(Σ_{k>r} σ_k²) ≤ relativeError·sqrt(Σ σ_k²).
 * `singularValues` must be finite, ≥ 0 and descending (as every SVD here returns them).
 */
export function rankForRelativeError(singularValues: ArrayLike<number>, relativeError: number): number {
  checkProbability(relativeError, 'rankForRelativeError: relativeError');
  const count = singularValues.length;
  for (let p = 0; p < count; p++) {
    const value = singularValues[p];
    if (!Number.isFinite(value) || value < 0 || (p > 0 && value > singularValues[p - 1])) {
      throw new InvalidArgumentError(
        `rankForRelativeError: singularValues must be finite, ≥ 0 and descending; entry ${p} is ${value}${p > 0 ? ` after ${singularValues[p - 1]}` : ''}`,
      );
    }
  }
  if (count === 0 || singularValues[0] === 0) return 0;
  // Work with (σ/σ_max)² so nothing overflows; accumulate the tail from the smallest value up.
  const largest = singularValues[0];
  let total = 0;
  for (let p = 0; p < count; p++) total += (singularValues[p] / largest) ** 2;
  const allowed = relativeError * relativeError * total;
  let tail = 0, r = count;
  while (r > 0) {
    const next = tail + (singularValues[r - 1] / largest) ** 2;
    if (next > allowed) break;
    tail = next;
    r--;
  }
  return r;
}
