// Row-major dense Float64 matrix: the one matrix type of inversa. Small and explicit on purpose;
// hot loops index `data` directly (entry (i, j) is data[i * cols + j]).
import { assertFinite, ShapeError, shapeText } from '../core/index.ts';

/** Anything a public function accepts as a matrix. */
export type MatrixLike = Matrix | readonly (readonly number[])[];
/** Anything a public function accepts as a vector. */
export type VectorLike = Float64Array | readonly number[];

export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError(`matrix shape must be non-negative integers, got ${rows}×${cols}`);
    }
    if (data && data.length !== rows * cols) {
      throw new ShapeError(`matrix data has ${data.length} entries, expected ${rows}×${cols} = ${rows * cols}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(rows * cols);
  }

  /** Copy a plain number[][] (checked: rectangular, non-empty, finite) into a Matrix. */
  static fromArray(array: readonly (readonly number[])[], name = 'matrix'): Matrix {
    if (!Array.isArray(array) || array.length === 0) throw new ShapeError(`${name} is empty (0 rows)`);
    const rows = array.length;
    const cols = array[0]?.length ?? 0;
    if (cols === 0) throw new ShapeError(`${name} is empty (row 0 has no columns)`);
    const out = new Matrix(rows, cols);
    for (let i = 0; i < rows; i++) {
      const row = array[i];
      if (!row || row.length !== cols) {
        throw new ShapeError(`${name} is ragged: row 0 has ${cols} columns but row ${i} has ${row?.length ?? 0}`);
      }
      for (let j = 0; j < cols; j++) out.data[i * cols + j] = row[j];
    }
    assertFinite(out.data, name, cols);
    return out;
  }

  /** Accept a Matrix or number[][]; validates shape and finiteness. Matrices are not copied. */
  static from(value: MatrixLike, name = 'matrix'): Matrix {
    if (value instanceof Matrix) {
      if (value.rows === 0 || value.cols === 0) throw new ShapeError(`${name} is empty (${shapeText(value.rows, value.cols)})`);
      assertFinite(value.data, name, value.cols);
      return value;
    }
    return Matrix.fromArray(value, name);
  }

  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  static identity(size: number): Matrix {
    const out = new Matrix(size, size);
    for (let i = 0; i < size; i++) out.data[i * size + i] = 1;
    return out;
  }

  static diagonal(values: VectorLike): Matrix {
    const size = values.length;
    const out = new Matrix(size, size);
    for (let i = 0; i < size; i++) out.data[i * size + i] = values[i];
    return out;
  }

  /** A 1×n row or n×1 column from a vector. */
  static column(values: VectorLike): Matrix {
    return new Matrix(values.length, 1, Float64Array.from(values));
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j];
  }

  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }

  /** Row i as a copy. */
  row(i: number): Float64Array {
    return this.data.slice(i * this.cols, (i + 1) * this.cols);
  }

  /** Column j as a copy. */
  column(j: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j];
    return out;
  }

  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  transpose(): Matrix {
    const { rows, cols, data } = this;
    const out = new Matrix(cols, rows);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.data[j * rows + i] = data[i * cols + j];
    return out;
  }

  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }
}

/** Validate a vector argument: non-empty, finite, optionally of a given length. Returns a Float64Array (copy for arrays). */
export function toVector(value: VectorLike, name = 'vector', length?: number): Float64Array {
  const out = value instanceof Float64Array ? value : Float64Array.from(value);
  if (out.length === 0) throw new ShapeError(`${name} is empty`);
  if (length !== undefined && out.length !== length) {
    throw new ShapeError(`${name} has length ${out.length}, expected ${length}`);
  }
  assertFinite(out, name);
  return out;
}

/** C = A·B. */
export function multiply(a: MatrixLike, b: MatrixLike): Matrix {
  const left = Matrix.from(a, 'A');
  const right = Matrix.from(b, 'B');
  if (left.cols !== right.rows) {
    throw new ShapeError(`cannot multiply A (${shapeText(left.rows, left.cols)}) by B (${shapeText(right.rows, right.cols)}): inner dimensions differ`);
  }
  const { rows, cols: inner } = left;
  const cols = right.cols;
  const out = new Matrix(rows, cols);
  const A = left.data, B = right.data, C = out.data;
  // i-k-j order: streams rows of B, cache friendly for row-major storage.
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < inner; k++) {
      const aik = A[i * inner + k];
      if (aik === 0) continue;
      const bOffset = k * cols, cOffset = i * cols;
      for (let j = 0; j < cols; j++) C[cOffset + j] += aik * B[bOffset + j];
    }
  }
  return out;
}

/** y = A·x. */
export function multiplyVector(a: MatrixLike, x: VectorLike): Float64Array {
  const matrix = Matrix.from(a, 'A');
  const vector = toVector(x, 'x', matrix.cols);
  const out = new Float64Array(matrix.rows);
  const A = matrix.data, n = matrix.cols;
  for (let i = 0; i < matrix.rows; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += A[i * n + j] * vector[j];
    out[i] = sum;
  }
  return out;
}

/** Frobenius norm, scaled to avoid overflow. */
export function frobeniusNorm(a: MatrixLike): number {
  return norm2(Matrix.from(a).data);
}

/** Euclidean norm of a vector, computed without overflow/underflow (like LAPACK's dnrm2). */
export function norm2(values: ArrayLike<number>): number {
  let scale = 0, sumSquares = 1;
  for (let k = 0; k < values.length; k++) {
    const value = Math.abs(values[k]);
    if (value === 0) continue;
    if (scale < value) {
      sumSquares = 1 + sumSquares * (scale / value) ** 2;
      scale = value;
    } else {
      sumSquares += (value / scale) ** 2;
    }
  }
  return scale * Math.sqrt(sumSquares);
}
