// Moore–Penrose pseudo-inverse and the quantities read off the same SVD: numerical rank, condition
// number, null space and its projector. Every cutoff is relative to σ_max (default max(m, n)·ε, as
// NumPy's pinv / matrix_rank). dampedPinv is the Levenberg–Marquardt / damped-least-squares inverse.
import { shapeText, SingularMatrixError, checkNonNegative } from '../core/index.ts';
import { Matrix, type MatrixLike } from './matrix.ts';
import { choleskyInPlace, choleskySolveInPlace } from './cholesky.ts';
import { completeOrthonormalRow, singularValues, svd, type SvdResult } from './svd.ts';
import { numericalRank } from './tolerance.ts';
import { resolveRtol } from './validate.ts';

export interface RtolOptions {
  /** Singular values ≤ rtol·σ_max count as zero. Default max(m, n)·ε. */
  rtol?: number;
}

/** Numerical rank of an SVD result under a relative cutoff (validated). */
export function svdRank(result: SvdResult, rows: number, cols: number, rtol?: number): number {
  return numericalRank(result.S, resolveRtol(rtol, rows, cols));
}

/**
 * V_r·diag(1/σ)·U_rᵀ (n×m) from the first `rank` singular triplets: the pseudo-inverse when rank is
 * the numerical rank. Shared by pinv, lstsq and the left/right inverses.
 */
export function pseudoInverseFromSvd(result: SvdResult, rank: number): Matrix {
  const { U, S, V } = result;
  const m = U.rows, n = V.rows, k = S.length;
  const out = new Matrix(n, m);
  for (let p = 0; p < rank; p++) {
    const inverseSigma = 1 / S[p];
    for (let i = 0; i < n; i++) {
      const vip = V.data[i * k + p] * inverseSigma;
      if (vip === 0) continue;
      const row = i * m;
      for (let j = 0; j < m; j++) out.data[row + j] += vip * U.data[j * k + p];
    }
  }
  return out;
}

/** Moore–Penrose pseudo-inverse A⁺ (n×m), singular values ≤ rtol·σ_max treated as zero. */
export function pinv(a: MatrixLike, options: RtolOptions = {}): Matrix {
  const matrix = Matrix.from(a, 'A');
  const result = svd(matrix);
  return pseudoInverseFromSvd(result, svdRank(result, matrix.rows, matrix.cols, options.rtol));
}

/**
 * Damped pseudo-inverse Aᵀ(AAᵀ + λ²I)⁻¹ = (AᵀA + λ²I)⁻¹Aᵀ (n×m), computed through the smaller of
 * the two Gram matrices and a Cholesky factorisation. λ ≥ 0 is the damping in the units of A's
 * singular values: each σ is inverted as σ/(σ² + λ²), so directions with σ ≪ λ are suppressed instead
 * of amplified. (Seed 002 writes (JᵀJ + λI)⁻¹Jᵀ: its λ is our λ².) λ = 0 gives the classical
 * right/left inverse and fails with SingularMatrixError when that does not exist.
 */
export function dampedPinv(a: MatrixLike, lambda: number): Matrix {
  const matrix = Matrix.from(a, 'A');
  checkNonNegative(lambda, 'dampedPinv: lambda', "the damping, in units of A's singular values");
  const { rows: m, cols: n, data } = matrix;
  const wide = m <= n;
  const size = wide ? m : n;
  const damping = lambda * lambda;
  // Gram G = A·Aᵀ (wide) or Aᵀ·A (tall), plus λ²I; only the lower triangle is needed.
  const gram = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      if (wide) for (let t = 0; t < n; t++) sum += data[i * n + t] * data[j * n + t];
      else for (let t = 0; t < m; t++) sum += data[t * n + i] * data[t * n + j];
      gram[i * size + j] = sum + (i === j ? damping : 0);
    }
  }
  const failedPivot = choleskyInPlace(gram, size);
  if (failedPivot >= 0) {
    throw new SingularMatrixError(
      `dampedPinv: A (${shapeText(m, n)}) with lambda = ${lambda} gives a ${wide ? 'A·Aᵀ' : 'Aᵀ·A'} + λ²I that is not numerically positive definite ` +
        `(pivot ${failedPivot}); A is rank-deficient, so use lambda > 0 or pinv`,
    );
  }
  if (wide) {
    // X = G⁻¹·A (m×n); the answer Aᵀ·G⁻¹ = Xᵀ because G is symmetric.
    const rhs = data.slice();
    choleskySolveInPlace(gram, size, rhs, n);
    return new Matrix(m, n, rhs).transpose();
  }
  // X = G⁻¹·Aᵀ (n×m) is the answer directly.
  const rhs = matrix.transpose().data;
  choleskySolveInPlace(gram, size, rhs, m);
  return new Matrix(n, m, rhs);
}

/** Numerical rank: the number of singular values above rtol·σ_max. */
export function rank(a: MatrixLike, options: RtolOptions = {}): number {
  const matrix = Matrix.from(a, 'A');
  return numericalRank(singularValues(matrix), resolveRtol(options.rtol, matrix.rows, matrix.cols));
}

/** 2-norm condition number σ_max/σ_min; Infinity when A is numerically rank-deficient (or zero). */
export function cond(a: MatrixLike, options: RtolOptions = {}): number {
  const matrix = Matrix.from(a, 'A');
  const values = singularValues(matrix);
  const k = values.length;
  return numericalRank(values, resolveRtol(options.rtol, matrix.rows, matrix.cols)) === k ? values[0] / values[k - 1] : Infinity;
}

/** Right singular vectors of the numerically nonzero singular values, as the rows of an r×n array. */
function rowSpaceBasis(matrix: Matrix, rtol: number | undefined): { basis: Float64Array; rank: number } {
  const result = svd(matrix);
  const r = svdRank(result, matrix.rows, matrix.cols, rtol);
  const n = matrix.cols, k = result.S.length;
  const basis = new Float64Array(n * n);
  for (let p = 0; p < r; p++) for (let i = 0; i < n; i++) basis[p * n + i] = result.V.data[i * k + p];
  return { basis, rank: r };
}

/**
 * Orthonormal basis of the numerical null space {x : A·x ≈ 0}, as the n−r columns of an n×(n−r)
 * matrix (n×0 when A has full column rank). It is the orthogonal complement of the right singular
 * vectors with σ > rtol·σ_max, completed by Gram–Schmidt (so it also covers the n − min(m, n)
 * directions a wide economy SVD does not return).
 */
export function nullSpace(a: MatrixLike, options: RtolOptions = {}): Matrix {
  const matrix = Matrix.from(a, 'A');
  const n = matrix.cols;
  const { basis, rank: r } = rowSpaceBasis(matrix, options.rtol);
  const valid = new Uint8Array(n).fill(1, 0, r);
  const scratch = new Float64Array(n);
  for (let p = r; p < n; p++) {
    completeOrthonormalRow(basis, n, n, valid, p, scratch);
    valid[p] = 1;
  }
  const out = new Matrix(n, n - r);
  for (let p = r; p < n; p++) for (let i = 0; i < n; i++) out.data[i * (n - r) + (p - r)] = basis[p * n + i];
  return out;
}

/** Orthogonal projector onto the numerical null space, I − V_r·V_rᵀ (n×n, symmetric, idempotent). */
export function nullSpaceProjector(a: MatrixLike, options: RtolOptions = {}): Matrix {
  const matrix = Matrix.from(a, 'A');
  const n = matrix.cols;
  const { basis, rank: r } = rowSpaceBasis(matrix, options.rtol);
  const out = Matrix.identity(n);
  for (let p = 0; p < r; p++) {
    const row = p * n;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[i * n + j] -= basis[row + i] * basis[row + j];
  }
  return out;
}
