// LU factorisation with partial (row) pivoting, P·A = L·U, and what rests on it: linear solves,
// the inverse, the determinant, and the adjugate (the seed-002 "Cramer" inverse adj(A)/det(A)).
import { ShapeError, shapeText, SingularMatrixError } from '../core/index.ts';
import { Matrix, toVector, type MatrixLike, type VectorLike } from './matrix.ts';
import { EPSILON } from './tolerance.ts';
import { assertSquare } from './validate.ts';

export interface LuResult {
  /** L (unit lower, below the diagonal) and U (on and above) packed in one n×n matrix. */
  lu: Matrix;
  /** Row i of L·U is row pivots[i] of A. */
  pivots: Int32Array;
  /** +1 or −1: the sign of the row permutation. */
  sign: number;
  /** First column whose pivot is numerically zero (≤ n·ε·max|A|), or −1 if the matrix is nonsingular. */
  singularColumn: number;
  /** Smallest |pivot| / max|A|: a cheap (under)estimate of how close A is to singular. */
  smallestPivotRatio: number;
}

/** Relative pivot tolerance n·ε: a pivot at or below n·ε·max|A| means singular to working precision. */
export function pivotTolerance(size: number): number {
  return size * EPSILON;
}

/** P·A = L·U with partial pivoting. Never throws for singular A: see singularColumn. */
export function lu(a: MatrixLike): LuResult {
  const matrix = Matrix.from(a, 'A');
  assertSquare(matrix, 'A', 'lu');
  const n = matrix.rows;
  const factor = matrix.clone();
  const data = factor.data;
  const pivots = new Int32Array(n);
  for (let i = 0; i < n; i++) pivots[i] = i;
  let largest = 0;
  for (let index = 0; index < data.length; index++) largest = Math.max(largest, Math.abs(data[index]));
  const threshold = pivotTolerance(n) * largest;
  let sign = 1, singularColumn = -1, smallestPivot = Infinity;
  for (let j = 0; j < n; j++) {
    let pivotRow = j, pivotMagnitude = Math.abs(data[j * n + j]);
    for (let i = j + 1; i < n; i++) {
      const magnitude = Math.abs(data[i * n + j]);
      if (magnitude > pivotMagnitude) {
        pivotMagnitude = magnitude;
        pivotRow = i;
      }
    }
    smallestPivot = Math.min(smallestPivot, pivotMagnitude);
    if (pivotRow !== j) {
      for (let k = 0; k < n; k++) {
        const swap = data[j * n + k];
        data[j * n + k] = data[pivotRow * n + k];
        data[pivotRow * n + k] = swap;
      }
      const swap = pivots[j];
      pivots[j] = pivots[pivotRow];
      pivots[pivotRow] = swap;
      sign = -sign;
    }
    if (pivotMagnitude <= threshold && singularColumn < 0) singularColumn = j;
    if (pivotMagnitude === 0) continue; // nothing to eliminate below an exact zero pivot
    const pivot = data[j * n + j];
    for (let i = j + 1; i < n; i++) {
      const multiplier = (data[i * n + j] /= pivot);
      if (multiplier === 0) continue;
      for (let k = j + 1; k < n; k++) data[i * n + k] -= multiplier * data[j * n + k];
    }
  }
  return { lu: factor, pivots, sign, singularColumn, smallestPivotRatio: largest > 0 ? smallestPivot / largest : 0 };
}

function throwIfSingular(result: LuResult, operation: string): void {
  if (result.singularColumn < 0) return;
  const n = result.lu.rows;
  const pivot = Math.abs(result.lu.data[result.singularColumn * n + result.singularColumn]);
  throw new SingularMatrixError(
    `${operation}: A (${shapeText(n, n)}) is singular to working precision: the pivot in column ${result.singularColumn} is ${pivot.toExponential(3)}, ` +
      `${result.smallestPivotRatio.toExponential(3)} of max|A| (tolerance ${n}·ε = ${pivotTolerance(n).toExponential(3)}). ` +
      `Use pinv or lstsq for a least-squares / minimum-norm answer.`,
  );
}

/** Solve L·U·x = P·b in place on a column-major-free row-major right-hand side (n×columns). */
function solveFactored(factorization: LuResult, rhs: Float64Array, columns: number): Float64Array {
  const { lu: factor, pivots } = factorization;
  const n = factor.rows, data = factor.data;
  const out = new Float64Array(n * columns);
  for (let i = 0; i < n; i++) for (let c = 0; c < columns; c++) out[i * columns + c] = rhs[pivots[i] * columns + c];
  for (let c = 0; c < columns; c++) {
    for (let i = 1; i < n; i++) {
      let sum = out[i * columns + c];
      for (let k = 0; k < i; k++) sum -= data[i * n + k] * out[k * columns + c];
      out[i * columns + c] = sum;
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = out[i * columns + c];
      for (let k = i + 1; k < n; k++) sum -= data[i * n + k] * out[k * columns + c];
      out[i * columns + c] = sum / data[i * n + i];
    }
  }
  return out;
}

/** Solve A·x = b for square nonsingular A (b a vector → Float64Array; b a matrix → Matrix, one column per system). */
export function solve(a: MatrixLike, b: VectorLike): Float64Array;
export function solve(a: MatrixLike, b: MatrixLike): Matrix;
export function solve(a: MatrixLike, b: VectorLike | MatrixLike): Float64Array | Matrix {
  const matrix = Matrix.from(a, 'A');
  assertSquare(matrix, 'A', 'solve');
  const n = matrix.rows;
  const isMatrix = b instanceof Matrix || (Array.isArray(b) && Array.isArray(b[0]));
  const rhs = isMatrix ? Matrix.from(b as MatrixLike, 'b') : null;
  if (rhs && rhs.rows !== n) {
    throw new ShapeError(`solve: b (${shapeText(rhs.rows, rhs.cols)}) must have ${n} rows to match A (${shapeText(n, n)})`);
  }
  const vector = rhs ? null : toVector(b as VectorLike, 'b', n);
  const factorization = lu(matrix);
  throwIfSingular(factorization, 'solve');
  if (rhs) return new Matrix(n, rhs.cols, solveFactored(factorization, rhs.data, rhs.cols));
  return solveFactored(factorization, vector as Float64Array, 1);
}

/** A⁻¹ by LU with partial pivoting. Singular A → SingularMatrixError naming the column and the relative pivot size. */
export function inverse(a: MatrixLike): Matrix {
  const matrix = Matrix.from(a, 'A');
  assertSquare(matrix, 'A', 'inverse');
  const factorization = lu(matrix);
  throwIfSingular(factorization, 'inverse');
  const n = matrix.rows;
  return new Matrix(n, n, solveFactored(factorization, Matrix.identity(n).data, n));
}

/** det(A) = sign·∏ U_ii (0 for an exactly singular matrix; no error for singular A). */
export function determinant(a: MatrixLike): number {
  const factorization = lu(a);
  const n = factorization.lu.rows;
  let product = factorization.sign;
  for (let i = 0; i < n; i++) product *= factorization.lu.data[i * n + i];
  return product;
}

/**
 * Adjugate adj(A) = Cᵀ, C_ij = (−1)^(i+j)·det(minor_ij): the classical (Cramer) route, A⁻¹ = adj(A)/det(A)
 * as in seed 002. Defined for singular A too. O(n⁵): meant for small matrices and teaching.
 */
export function adjugate(a: MatrixLike): Matrix {
  const matrix = Matrix.from(a, 'A');
  assertSquare(matrix, 'A', 'adjugate');
  const n = matrix.rows;
  const out = new Matrix(n, n);
  if (n === 1) {
    out.data[0] = 1;
    return out;
  }
  const minor = new Matrix(n - 1, n - 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // Minor without row i and column j.
      let index = 0;
      for (let r = 0; r < n; r++) {
        if (r === i) continue;
        for (let c = 0; c < n; c++) if (c !== j) minor.data[index++] = matrix.data[r * n + c];
      }
      out.data[j * n + i] = ((i + j) % 2 === 0 ? 1 : -1) * determinant(minor);
    }
  }
  return out;
}
