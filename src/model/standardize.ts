// Standardized units: x and y divided by their (training) standard deviations. Condition numbers
// depend on units; in raw units a model of 0–1500 °C and 0–40 % inputs looks ill-conditioned just
// from the mix of scales (the reference project reported a median of ~7,800 raw vs ~8 standardized).
import { MatrixBatch, Matrix } from '../linalg/index.ts';
import { assertFinite, InvalidArgumentError, ShapeError } from '../core/index.ts';

/** Check a scale vector: right length, finite, strictly positive. */
export function checkScale(scale: Float64Array, name: string, length: number): void {
  if (!(scale instanceof Float64Array) || scale.length !== length) {
    throw new ShapeError(`${name} has ${scale?.length ?? 0} entries, expected ${length} (one per column)`);
  }
  assertFinite(scale, name);
  scale.forEach((value, k) => {
    if (!(value > 0)) throw new InvalidArgumentError(`${name}[${k}] is ${value}; a scale (standard deviation) must be positive`);
  });
}

/** (x − mean) / std, row by row. */
export function standardize(x: Matrix, mean: Float64Array, std: Float64Array): Matrix {
  checkScale(std, 'std', x.cols);
  if (mean.length !== x.cols) throw new ShapeError(`mean has ${mean.length} entries, expected ${x.cols}`);
  const out = new Matrix(x.rows, x.cols);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) out.data[i * x.cols + j] = (x.data[i * x.cols + j] - mean[j]) / std[j];
  }
  return out;
}

/** z · std + mean, row by row (inverse of standardize). */
export function unstandardize(z: Matrix, mean: Float64Array, std: Float64Array): Matrix {
  checkScale(std, 'std', z.cols);
  if (mean.length !== z.cols) throw new ShapeError(`mean has ${mean.length} entries, expected ${z.cols}`);
  const out = new Matrix(z.rows, z.cols);
  for (let i = 0; i < z.rows; i++) {
    for (let j = 0; j < z.cols; j++) out.data[i * z.cols + j] = z.data[i * z.cols + j] * std[j] + mean[j];
  }
  return out;
}

/**
 * Jacobians in standardized units: diag(1/yStd) · J · diag(xStd) for every matrix of the batch.
 * (If x = xStd ⊙ u and y = yStd ⊙ v then ∂v/∂u is exactly this.) Writes into `out` when given.
 */
export function standardizedJacobian(jacobian: MatrixBatch, xStd: Float64Array, yStd: Float64Array, out?: MatrixBatch): MatrixBatch {
  const { count, rows, cols } = jacobian;
  checkScale(xStd, 'xStd', cols);
  checkScale(yStd, 'yStd', rows);
  const result = out ?? new MatrixBatch(count, rows, cols);
  if (result.count !== count || result.rows !== rows || result.cols !== cols) {
    throw new ShapeError(`out is ${result.count} of ${result.rows}×${result.cols}, expected ${count} of ${rows}×${cols}`);
  }
  const source = jacobian.data, target = result.data;
  const inverseY = new Float64Array(rows);
  for (let i = 0; i < rows; i++) inverseY[i] = 1 / yStd[i];
  for (let k = 0; k < count; k++) {
    const base = k * rows * cols;
    for (let i = 0; i < rows; i++) {
      const rowBase = base + i * cols, factor = inverseY[i];
      for (let j = 0; j < cols; j++) target[rowBase + j] = source[rowBase + j] * factor * xStd[j];
    }
  }
  return result;
}

/**
 * Column standard deviations (population, divide by N) of a matrix, for standardizing by the
 * points themselves when no training statistics are known. Columns with zero spread get 1
 * (listed in `constantColumns`) so that they leave the Jacobian unscaled instead of dividing by 0.
 */
export function columnStd(x: Matrix): { std: Float64Array; mean: Float64Array; constantColumns: number[] } {
  const accumulator = new ColumnMoments(x.cols);
  accumulator.add(x);
  return accumulator.result();
}

/** Mean and sum of squared deviations of one chunk of rows. */
export interface ChunkMoments {
  rows: number;
  mean: Float64Array;
  squares: Float64Array;
}

/** Streaming column mean and std (Welford / Chan merge), for points that arrive in chunks. */
export class ColumnMoments {
  readonly cols: number;
  count = 0;
  private readonly mean: Float64Array;
  private readonly sumSquares: Float64Array;

  constructor(cols: number) {
    this.cols = cols;
    this.mean = new Float64Array(cols);
    this.sumSquares = new Float64Array(cols);
  }

  add(x: Matrix): void {
    if (x.cols !== this.cols) throw new ShapeError(`chunk has ${x.cols} columns, expected ${this.cols}`);
    if (x.rows === 0) return;
    this.combine(ColumnMoments.ofChunk(x));
  }

  /** One chunk's own mean and sum of squared deviations (what `add` combines; sharded runs store it). */
  static ofChunk(x: Matrix): ChunkMoments {
    const chunkMean = new Float64Array(x.cols), chunkSquares = new Float64Array(x.cols);
    for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) chunkMean[j] += x.data[i * x.cols + j];
    for (let j = 0; j < x.cols; j++) chunkMean[j] /= x.rows;
    for (let i = 0; i < x.rows; i++) {
      for (let j = 0; j < x.cols; j++) {
        const d = x.data[i * x.cols + j] - chunkMean[j];
        chunkSquares[j] += d * d;
      }
    }
    return { rows: x.rows, mean: chunkMean, squares: chunkSquares };
  }

  /** Combine a chunk's moments (Chan et al.); chunks combined in the same order give the same bits. */
  combine(chunk: ChunkMoments): void {
    if (chunk.rows === 0) return;
    const total = this.count + chunk.rows;
    for (let j = 0; j < this.cols; j++) {
      const delta = chunk.mean[j] - this.mean[j];
      this.sumSquares[j] += chunk.squares[j] + (delta * delta * this.count * chunk.rows) / total;
      this.mean[j] += (delta * chunk.rows) / total;
    }
    this.count = total;
  }

  result(): { std: Float64Array; mean: Float64Array; constantColumns: number[] } {
    const std = new Float64Array(this.cols);
    const constantColumns: number[] = [];
    for (let j = 0; j < this.cols; j++) {
      const value = this.count > 0 ? Math.sqrt(this.sumSquares[j] / this.count) : 0;
      // Spread below this fraction of |mean| is rounding noise, not variation.
      const noise = Number.EPSILON * 16 * Math.abs(this.mean[j]);
      if (value > noise && value > 0) std[j] = value;
      else { std[j] = 1; constantColumns.push(j); }
    }
    return { std, mean: Float64Array.from(this.mean), constantColumns };
  }
}
