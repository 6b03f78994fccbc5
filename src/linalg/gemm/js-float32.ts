// The float32 training kernels (wasm-float32.ts) in plain JavaScript on a Float32Array memory, with
// the same contract and the same bits: every operation rounds to float32 where WebAssembly's f32x4
// does (Math.fround of the double result is the correctly rounded float32 result for ×, + of
// float32 operands), the same summation order and no fused multiply-add. The reference the WASM
// kernels are tested against, and the float32 backend where WebAssembly SIMD cannot run.
import type { Float32Kernels } from './wasm-float32.ts';

const FLOAT = 4;

/** Kernels over a fresh memory of `bytes` bytes (addresses as for the WebAssembly kernels). */
export function createFloat32KernelsJs(bytes: number): Float32Kernels {
  const buffer = new ArrayBuffer(Math.ceil(bytes / FLOAT) * FLOAT);
  const m = new Float32Array(buffer);
  const fround = Math.fround;
  return {
    memory: { buffer },
    /** C[r, :] = bias + Σ_k A(r, k)·B[k, :], A read through byte strides, `cols` a multiple of 4. */
    gemm(a, rowStride, colStride, b, c, bias, rows, inner, cols) {
      const aStep = colStride / FLOAT, bBase = b / FLOAT, biasBase = bias / FLOAT;
      for (let r = 0; r < rows; r++) {
        const aRow = (a + r * rowStride) / FLOAT, cRow = c / FLOAT + r * cols;
        for (let column = 0; column < cols; column++) {
          let sum = m[biasBase + column];
          for (let k = 0, ak = aRow, bk = bBase + column; k < inner; k++, ak += aStep, bk += cols) sum = fround(sum + fround(m[ak] * m[bk]));
          m[cRow + column] = sum;
        }
      }
    },
    /** dst = max(src, 0) (f32x4.max: NaN stays NaN, −0 becomes +0). */
    relu(source, destination, count) {
      for (let k = 0, from = source / FLOAT, to = destination / FLOAT; k < count; k++) m[to + k] = Math.max(m[from + k], 0);
    },
    /** gradient = pre > 0 ? gradient : +0. */
    reluBackward(preActivation, gradient, count) {
      for (let k = 0, pre = preActivation / FLOAT, g = gradient / FLOAT; k < count; k++) if (!(m[pre + k] > 0)) m[g + k] = 0;
    },
    /** dst += src. */
    addInto(source, destination, count) {
      for (let k = 0, from = source / FLOAT, to = destination / FLOAT; k < count; k++) m[to + k] = m[to + k] + m[from + k];
    },
  };
}
