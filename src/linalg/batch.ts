// A batch of `count` equal-shape matrices stored back to back in one row-major Float64Array:
// matrix k occupies data[k*rows*cols, (k+1)*rows*cols). Used for thousands of Jacobians at once.
import { assertFinite, ShapeError } from '../core/index.ts';
import { Matrix, type MatrixLike } from './matrix.ts';

export class MatrixBatch {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  constructor(count: number, rows: number, cols: number, data?: Float64Array) {
    if (![count, rows, cols].every((v) => Number.isInteger(v) && v >= 0)) {
      throw new ShapeError(`batch shape must be non-negative integers, got ${count} of ${rows}×${cols}`);
    }
    const size = count * rows * cols;
    if (data && data.length !== size) {
      throw new ShapeError(`batch data has ${data.length} entries, expected ${count}·${rows}·${cols} = ${size}`);
    }
    this.count = count;
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(size);
  }

  /** Entries per matrix. */
  get stride(): number {
    return this.rows * this.cols;
  }

  /** Stack matrices of one shape (Matrix or number[][]) into a batch. */
  static fromMatrices(matrices: readonly MatrixLike[], name = 'matrices'): MatrixBatch {
    if (matrices.length === 0) throw new ShapeError(`${name} is empty (no matrices)`);
    const first = Matrix.from(matrices[0], `${name}[0]`);
    const batch = new MatrixBatch(matrices.length, first.rows, first.cols);
    matrices.forEach((value, k) => {
      const matrix = Matrix.from(value, `${name}[${k}]`);
      if (matrix.rows !== first.rows || matrix.cols !== first.cols) {
        throw new ShapeError(`${name}[${k}] is ${matrix.rows}×${matrix.cols} but ${name}[0] is ${first.rows}×${first.cols}`);
      }
      batch.data.set(matrix.data, k * batch.stride);
    });
    return batch;
  }

  /** Matrix k as a copy. */
  matrix(k: number): Matrix {
    if (!Number.isInteger(k) || k < 0 || k >= this.count) throw new ShapeError(`matrix index ${k} outside 0..${this.count - 1}`);
    return new Matrix(this.rows, this.cols, this.data.slice(k * this.stride, (k + 1) * this.stride));
  }

  /** Matrix k as a view that shares storage with the batch (no copy). */
  view(k: number): Matrix {
    return new Matrix(this.rows, this.cols, this.data.subarray(k * this.stride, (k + 1) * this.stride));
  }

  /** Throw NonFiniteError naming the matrix and entry of the first NaN/Inf. */
  assertFinite(name = 'batch'): void {
    for (let k = 0; k < this.count; k++) assertFinite(this.data.subarray(k * this.stride, (k + 1) * this.stride), `${name}[${k}]`, this.cols);
  }

  toArray(): number[][][] {
    return Array.from({ length: this.count }, (_, k) => this.view(k).toArray());
  }
}
