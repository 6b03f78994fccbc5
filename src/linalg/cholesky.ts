// Cholesky factorisation G = L·Lᵀ of a symmetric positive-definite matrix, in place on a row-major
// Float64Array, plus the matching solve. Small and allocation-free so solvers (damped pseudo-inverse,
// Gauss–Newton normal equations) can reuse it on their own buffers.
import { SingularMatrixError } from './errors.ts';
import { Matrix, type MatrixLike } from './matrix.ts';
import { EPSILON } from './tolerance.ts';
import { assertSquare } from './validate.ts';

/**
 * Factor the size×size SPD matrix at data[offset] in place: its lower triangle becomes L
 * (the strict upper triangle is zeroed). Only the lower triangle of the input is read.
 * Returns −1 on success, otherwise the index of the first pivot that is not positive relative to
 * size·ε·max diagonal (the matrix is then not numerically positive definite; data is partly overwritten).
 */
export function choleskyInPlace(data: Float64Array, size: number, offset = 0): number {
  let largestDiagonal = 0;
  for (let i = 0; i < size; i++) largestDiagonal = Math.max(largestDiagonal, Math.abs(data[offset + i * size + i]));
  const threshold = size * EPSILON * largestDiagonal;
  for (let j = 0; j < size; j++) {
    const jRow = offset + j * size;
    let diagonal = data[jRow + j];
    for (let k = 0; k < j; k++) diagonal -= data[jRow + k] * data[jRow + k];
    if (!(diagonal > threshold)) return j;
    const pivot = Math.sqrt(diagonal);
    data[jRow + j] = pivot;
    for (let i = j + 1; i < size; i++) {
      const iRow = offset + i * size;
      let sum = data[iRow + j];
      for (let k = 0; k < j; k++) sum -= data[iRow + k] * data[jRow + k];
      data[iRow + j] = sum / pivot;
    }
    for (let k = j + 1; k < size; k++) data[jRow + k] = 0;
  }
  return -1;
}

/**
 * Solve (L·Lᵀ)·X = B in place for B (size×columns, row-major at rhs[rhsOffset]) given the factor
 * from choleskyInPlace.
 */
export function choleskySolveInPlace(factor: Float64Array, size: number, rhs: Float64Array, columns = 1, factorOffset = 0, rhsOffset = 0): void {
  for (let c = 0; c < columns; c++) {
    // Forward: L·z = b.
    for (let i = 0; i < size; i++) {
      let sum = rhs[rhsOffset + i * columns + c];
      const iRow = factorOffset + i * size;
      for (let k = 0; k < i; k++) sum -= factor[iRow + k] * rhs[rhsOffset + k * columns + c];
      rhs[rhsOffset + i * columns + c] = sum / factor[iRow + i];
    }
    // Backward: Lᵀ·x = z.
    for (let i = size - 1; i >= 0; i--) {
      let sum = rhs[rhsOffset + i * columns + c];
      for (let k = i + 1; k < size; k++) sum -= factor[factorOffset + k * size + i] * rhs[rhsOffset + k * columns + c];
      rhs[rhsOffset + i * columns + c] = sum / factor[factorOffset + i * size + i];
    }
  }
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
