// Relative tolerances shared by the decompositions and solvers. Every cutoff in linalg is relative
// to the largest singular value (or largest entry), never an absolute number.

/** Machine epsilon of Float64 (distance from 1 to the next double), 2^-52 ≈ 2.22e-16. */
export const EPSILON = 2 ** -52;

/**
 * NumPy/LAPACK's default relative cutoff for "numerically zero" singular values of a rows×cols
 * matrix: σ ≤ max(rows, cols)·ε·σ_max counts as zero.
 */
export function defaultRtol(rows: number, cols: number): number {
  return Math.max(rows, cols) * EPSILON;
}

/**
 * Number of singular values above `rtol·σ_max`. `singularValues` must be sorted descending
 * (as every SVD in inversa returns them). An all-zero spectrum has rank 0.
 */
export function numericalRank(singularValues: ArrayLike<number>, rtol: number, offset = 0, count = singularValues.length - offset): number {
  if (count <= 0) return 0;
  const largest = singularValues[offset];
  if (!(largest > 0)) return 0;
  const cutoff = rtol * largest;
  let rank = 0;
  while (rank < count && singularValues[offset + rank] > cutoff) rank++;
  return rank;
}
