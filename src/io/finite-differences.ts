// The opt-in fallback for graphs with operators the interpreter cannot differentiate: evaluate a
// float64 copy of the graph with onnxruntime-node and take central differences,
//   ∂y/∂x_j ≈ (f(x + h_j e_j) − f(x − h_j e_j)) / (2 h_j),   h_j = 1e-6 · σ_j,
// with σ_j the input's training std when known, else the std of the points (truncation error
// O(h²) ≈ 1e-12·σ², rounding error ≈ 1e-16/1e-6 = 1e-10 relative). Every model built on it is
// marked approximateJacobian, and reports must say so. All 2n shifted copies of a block of points
// go through the runtime in one call.
import { OnnxFormatError, type Evaluator, float64Copy } from '../onnx/index.ts';
import { createSyncSession, type SyncSession } from './onnx-runtime.ts';

/** Step relative to the input's scale σ. */
export const FINITE_DIFFERENCE_RELATIVE_STEP = 1e-6;
/** Points per runtime call (each becomes 2n+1 rows). */
const BLOCK_POINTS = 1024;

export class FiniteDifferenceEvaluator implements Evaluator {
  readonly approximate = true;
  readonly inputCount: number;
  readonly outputCount: number;
  private readonly session: SyncSession;
  private readonly outputName: string;

  constructor(bytes: Uint8Array, inputCount: number, outputName: string, source: string) {
    let widened: Uint8Array;
    try {
      widened = float64Copy(bytes);
    } catch (error) {
      throw new OnnxFormatError(`${source}: cannot make a float64 copy for finite differences (${(error as Error).message})`);
    }
    this.session = createSyncSession(widened);
    this.inputCount = inputCount;
    this.outputName = outputName;
    const probe = this.evaluate(new Float64Array(2 * inputCount), 2);
    if (probe.dims.length === 0 || probe.dims[0] !== 2) {
      throw new OnnxFormatError(`${source}: output '${outputName}' has shape [${probe.dims.join(', ')}] for 2 input rows; inversa needs [batch, m]`);
    }
    this.outputCount = probe.dims.length === 2 ? probe.dims[1] : 1;
  }

  private evaluate(x: Float64Array, rows: number): { data: Float64Array; dims: number[] } {
    return this.session.run(x, rows, this.inputCount, 'float64', [this.outputName]).get(this.outputName)!;
  }

  run(x: Float64Array, rows: number, y: Float64Array, yOffset: number, jacobian?: Float64Array, jacobianOffset = 0, scale?: Float64Array): void {
    const n = this.inputCount, m = this.outputCount;
    if (!jacobian) {
      y.set(this.evaluate(x, rows).data.subarray(0, rows * m), yOffset);
      return;
    }
    const steps = stepsFor(x, rows, n, scale);
    for (let start = 0; start < rows; start += BLOCK_POINTS) {
      const count = Math.min(BLOCK_POINTS, rows - start);
      // Rows: the points, then for each j the points shifted by +h_j, then by −h_j.
      const shifted = new Float64Array((2 * n + 1) * count * n);
      const block = x.subarray(start * n, (start + count) * n);
      for (let copy = 0; copy < 2 * n + 1; copy++) shifted.set(block, copy * count * n);
      for (let j = 0; j < n; j++) {
        const plus = (1 + j) * count * n, minus = (1 + n + j) * count * n;
        for (let i = 0; i < count; i++) {
          shifted[plus + i * n + j] += steps[j];
          shifted[minus + i * n + j] -= steps[j];
        }
      }
      const out = this.evaluate(shifted, (2 * n + 1) * count).data;
      y.set(out.subarray(0, count * m), yOffset + start * m);
      for (let j = 0; j < n; j++) {
        const plus = (1 + j) * count * m, minus = (1 + n + j) * count * m;
        // The actual step (x + h) − (x − h) as represented, not 2h, removes one rounding error.
        for (let i = 0; i < count; i++) {
          const width = shifted[(1 + j) * count * n + i * n + j] - shifted[(1 + n + j) * count * n + i * n + j];
          for (let s = 0; s < m; s++) {
            jacobian[jacobianOffset + (start + i) * m * n + s * n + j] = (out[plus + i * m + s] - out[minus + i * m + s]) / width;
          }
        }
      }
    }
  }
}

/** h_j = 1e-6·σ_j; σ_j from `scale`, else the std of column j of x, else max(1, mean |x_j|). */
export function stepsFor(x: Float64Array, rows: number, n: number, scale?: Float64Array): Float64Array {
  const steps = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let sigma = scale?.[j] ?? 0;
    if (!(sigma > 0)) {
      let sum = 0, sumSquares = 0, sumAbs = 0;
      for (let i = 0; i < rows; i++) { const v = x[i * n + j]; sum += v; sumSquares += v * v; sumAbs += Math.abs(v); }
      const mean = sum / rows;
      const variance = rows > 1 ? Math.max(0, (sumSquares - rows * mean * mean) / (rows - 1)) : 0;
      sigma = Math.sqrt(variance) > 0 ? Math.sqrt(variance) : Math.max(1, sumAbs / rows);
    }
    steps[j] = FINITE_DIFFERENCE_RELATIVE_STEP * sigma;
  }
  return steps;
}
