// A Model backed by an ONNX graph: exact Float64 interpretation (or, opt-in, the finite-difference
// fallback). Rows are processed in blocks of BLOCK_ROWS so the per-node buffers stay cache-sized
// and memory stays bounded for large batches.
import { MatrixBatch, Matrix } from '../linalg/index.ts';
import { assertFinite, NonFiniteError, ShapeError, shapeText } from '../core/index.ts';
import type { Bounds, Model, ModelMeta } from '../model/index.ts';
import type { Evaluator } from './evaluator.ts';
import type { OnnxGraph } from './graph.ts';

/** Rows per interpreter pass: the adjoint of a 64-wide layer is then 4·256·64·8 B = 512 KiB. */
export const BLOCK_ROWS = 256;

export class OnnxModel implements Model {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly meta: ModelMeta;
  /** Name of the graph output this model evaluates. */
  readonly outputName: string;
  /** The decoded graph, when loaded from one (certification reads the network's structure from it). */
  graph?: OnnxGraph;
  private readonly engine: Evaluator;

  constructor(engine: Evaluator, inputNames: string[], outputNames: string[], outputName: string, meta: ModelMeta) {
    this.engine = engine;
    this.inputNames = inputNames;
    this.outputNames = outputNames;
    this.outputName = outputName;
    this.meta = meta;
  }

  forward(x: Matrix): Matrix {
    return this.evaluate(x, false).y;
  }

  jacobian(x: Matrix): MatrixBatch {
    return this.evaluate(x, true).jacobian!;
  }

  forwardWithJacobian(x: Matrix): { y: Matrix; jacobian: MatrixBatch } {
    const { y, jacobian } = this.evaluate(x, true);
    return { y, jacobian: jacobian! };
  }

  /** Sound interval bounds of the outputs over the box; null for the approximate (finite-difference) engine. */
  outputBounds(lower: Float64Array, upper: Float64Array): Bounds | null {
    if (!this.engine.outputBounds || lower.length !== this.inputNames.length || upper.length !== this.inputNames.length) return null;
    return this.engine.outputBounds(lower, upper);
  }

  private evaluate(x: Matrix, withJacobian: boolean): { y: Matrix; jacobian?: MatrixBatch } {
    const n = this.inputNames.length, m = this.outputNames.length;
    if (!(x instanceof Matrix) || x.cols !== n) {
      throw new ShapeError(`x must be a Matrix of N×${n} (inputs ${this.inputNames.join(', ')}), got ${x instanceof Matrix ? shapeText(x.rows, x.cols) : typeof x}`);
    }
    assertFinite(x.data, 'x', n);
    const rows = x.rows;
    const y = new Matrix(rows, m);
    const jacobian = withJacobian ? new MatrixBatch(rows, m, n) : undefined;
    if (this.engine.approximate) {
      if (rows > 0) this.engine.run(x.data, rows, y.data, 0, jacobian?.data, 0, this.meta.inputStd);
    } else {
      for (let start = 0; start < rows; start += BLOCK_ROWS) {
        const count = Math.min(BLOCK_ROWS, rows - start);
        this.engine.run(x.data.subarray(start * n, (start + count) * n), count, y.data, start * m, jacobian?.data, start * m * n);
      }
    }
    checkOutputs(y, this.outputNames);
    return { y, jacobian };
  }
}

/** A NaN/Inf output (e.g. Log of a negative number inside the graph) is an error naming the point. */
function checkOutputs(y: Matrix, outputNames: readonly string[]): void {
  const data = y.data;
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      throw new NonFiniteError(
        `model output '${outputNames[k % y.cols]}' is ${data[k]} at point ${Math.floor(k / y.cols)} (an operator of the graph left its domain there, e.g. Log or Sqrt of a negative number)`);
    }
  }
}
