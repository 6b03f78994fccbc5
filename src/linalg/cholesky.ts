// Cholesky factorisation G = L·Lᵀ of a symmetric positive-definite matrix, in place on a row-major
// Float64Array, plus the matching solve. Small and allocation-free so solvers (damped pseudo-inverse,
// Gauss–Newton normal equations) can reuse it on their own buffers.
import { SingularMatrixError } from '../core/index.ts';
import { Matrix, type MatrixLike } from './matrix.ts';
import { EPSILON } from './tolerance.ts';
import { assertSquare } from './validate.ts';

/**
 * The one Cholesky kernel: L with L·Lᵀ = G + shift·I for the size×size symmetric matrix G at
 * source[sourceOffset] (only its lower triangle is read), written to the lower triangle of
 * factor[factorOffset] (may be the same storage as the source; the strict upper triangle is left
 * as it was) and 1/L_ii to inverseDiagonal (divisions are the slow part of a small Cholesky; the
 * solve multiplies by them). Returns −1 on success, otherwise the index of the first pivot that is
 * not above size·ε·max|diagonal of G + shift·I| (not numerically positive definite; the outputs are
 * then partly written).
 */
export function choleskyFactor(
  source: Float64Array, sourceOffset: number, size: number, shift: number,
  factor: Float64Array, factorOffset: number, inverseDiagonal: Float64Array,
): number {
  let largestDiagonal = 0;
  for (let i = 0; i < size; i++) largestDiagonal = Math.max(largestDiagonal, Math.abs(source[sourceOffset + i * size + i] + shift));
  const threshold = size * EPSILON * largestDiagonal;
  for (let i = 0; i < size; i++) {
    const sRow = sourceOffset + i * size, fRow = factorOffset + i * size;
    for (let j = 0; j <= i; j++) {
      let sum = source[sRow + j];
      if (i === j) sum += shift;
      const jRow = factorOffset + j * size;
      for (let k = 0; k < j; k++) sum -= factor[fRow + k] * factor[jRow + k];
      if (i === j) {
        if (!(sum > threshold)) return i;
        const pivot = Math.sqrt(sum);
        factor[fRow + i] = pivot;
        inverseDiagonal[i] = 1 / pivot;
      } else factor[fRow + j] = sum * inverseDiagonal[j];
    }
  }
  return -1;
}

/**
 * out = (L·Lᵀ)⁻¹·b for b of length size at rhs[rhsOffset] (stride rhsStride, likewise out),
 * with L and 1/L_ii from choleskyFactor; `scratch` (≥ size) holds the forward substitution, so out
 * may be the same storage as rhs.
 */
export function choleskySolve(
  factor: Float64Array, factorOffset: number, size: number, inverseDiagonal: Float64Array,
  rhs: Float64Array, rhsOffset: number, out: Float64Array, outOffset: number, scratch: Float64Array,
  rhsStride = 1, outStride = 1,
): void {
  // Forward: L·z = b.
  for (let i = 0; i < size; i++) {
    let sum = rhs[rhsOffset + i * rhsStride];
    const iRow = factorOffset + i * size;
    for (let k = 0; k < i; k++) sum -= factor[iRow + k] * scratch[k];
    scratch[i] = sum * inverseDiagonal[i];
  }
  // Backward: Lᵀ·x = z.
  for (let i = size - 1; i >= 0; i--) {
    let sum = scratch[i];
    for (let k = i + 1; k < size; k++) sum -= factor[factorOffset + k * size + i] * out[outOffset + k * outStride];
    out[outOffset + i * outStride] = sum * inverseDiagonal[i];
  }
}

/**
 * Factor the size×size SPD matrix at data[offset] in place: its lower triangle becomes L
 * (the strict upper triangle is zeroed). Only the lower triangle of the input is read.
 * Returns −1 on success, otherwise the index of the first pivot that is not positive relative to
 * size·ε·max diagonal (the matrix is then not numerically positive definite; data is partly overwritten).
 */
export function choleskyInPlace(data: Float64Array, size: number, offset = 0): number {
  const failed = choleskyFactor(data, offset, size, 0, data, offset, new Float64Array(size));
  if (failed < 0) for (let i = 0; i < size; i++) for (let k = i + 1; k < size; k++) data[offset + i * size + k] = 0;
  return failed;
}

/**
 * Solve (L·Lᵀ)·X = B in place for B (size×columns, row-major at rhs[rhsOffset]) given the factor
 * from choleskyInPlace.
 */
export function choleskySolveInPlace(factor: Float64Array, size: number, rhs: Float64Array, columns = 1, factorOffset = 0, rhsOffset = 0): void {
  const inverseDiagonal = new Float64Array(size), scratch = new Float64Array(size);
  for (let i = 0; i < size; i++) inverseDiagonal[i] = 1 / factor[factorOffset + i * size + i];
  for (let c = 0; c < columns; c++) choleskySolve(factor, factorOffset, size, inverseDiagonal, rhs, rhsOffset + c, rhs, rhsOffset + c, scratch, columns, columns);
}

/** Lower-triangular L with A = L·Lᵀ (A symmetric positive definite; its lower triangle is used). */
export function cholesky(a: MatrixLike): Matrix {
  const matrix = Matrix.from(a, 'A');
  assertSquare(matrix, 'A', 'cholesky');
  const factor = matrix.clone();
  const failed = choleskyInPlace(factor.data, factor.rows);
  if (failed >= 0) {
    throw new SingularMatrixError(
      `cholesky: A (${matrix.rows}×${matrix.cols}) is not numerically positive definite: pivot ${failed} is not above ${matrix.rows}·ε·max|diagonal|`,
    );
  }
  return factor;
}
