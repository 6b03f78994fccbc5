// Pure JavaScript dense Float64 kernels with the same contract as the WebAssembly ones
// (wasm-module.ts): the fallback when WebAssembly SIMD is unavailable, and the reference the WASM
// kernels are tested against. Register-blocked 4 rows × 2 columns (8 independent accumulators),
// about 2 G multiply-adds/s in V8; edges fall back to plain dot products.

/** How the product lands in C: overwrite, add to C, or add to a bias row vector. */
export const ProductMode = { Overwrite: 0, Accumulate: 1, Bias: 2 } as const;
export type ProductMode = (typeof ProductMode)[keyof typeof ProductMode];

/** Row-major operand views: data, offset of entry (0,0), row stride (leading dimension). */
export interface Strided {
  data: Float64Array;
  offset: number;
  stride: number;
}

function store(C: Float64Array, index: number, sum: number, mode: ProductMode, bias: Float64Array | null, biasIndex: number): void {
  if (mode === ProductMode.Overwrite) C[index] = sum;
  else if (mode === ProductMode.Accumulate) C[index] += sum;
  else C[index] = (bias as Float64Array)[biasIndex] + sum;
}

/**
 * Store a 4×2 tile of sums at C[q…] (row stride ldc): one branch on the mode per tile (not per
 * entry), the same arithmetic as store().
 */
function storeTile(
  c: Float64Array, q: number, ldc: number, mode: ProductMode, bias: Float64Array | null, bj: number,
  s00: number, s01: number, s10: number, s11: number, s20: number, s21: number, s30: number, s31: number,
): void {
  const q1 = q + ldc, q2 = q1 + ldc, q3 = q2 + ldc;
  if (mode === ProductMode.Overwrite) {
    c[q] = s00; c[q + 1] = s01; c[q1] = s10; c[q1 + 1] = s11; c[q2] = s20; c[q2 + 1] = s21; c[q3] = s30; c[q3 + 1] = s31;
  } else if (mode === ProductMode.Accumulate) {
    c[q] += s00; c[q + 1] += s01; c[q1] += s10; c[q1 + 1] += s11; c[q2] += s20; c[q2 + 1] += s21; c[q3] += s30; c[q3 + 1] += s31;
  } else {
    const g0 = (bias as Float64Array)[bj], g1 = (bias as Float64Array)[bj + 1];
    c[q] = g0 + s00; c[q + 1] = g1 + s01; c[q1] = g0 + s10; c[q1 + 1] = g1 + s11; c[q2] = g0 + s20; c[q2 + 1] = g1 + s21; c[q3] = g0 + s30; c[q3 + 1] = g1 + s31;
  }
}

/**
 * C ⟵ A·M for M(k, j) = m[mOffset + k·kStep + j·jStep], inner×cols: M = B (kStep = B's stride,
 * jStep = 1) or M = Bᵀ (kStep = 1, jStep = B's stride). One register-blocked kernel for both.
 */
function multiplyStrided(
  A: Strided, m: Float64Array, mOffset: number, kStep: number, jStep: number, C: Strided, rows: number, inner: number, cols: number,
  mode: ProductMode, bias: Float64Array | null, biasOffset: number,
): void {
  const a = A.data, c = C.data, lda = A.stride, ldc = C.stride;
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const a0 = A.offset + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    const c0 = C.offset + i * ldc;
    let j = 0;
    for (; j + 1 < cols; j += 2) {
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      let mk = mOffset + j * jStep;
      for (let k = 0; k < inner; k++, mk += kStep) {
        const y0 = m[mk], y1 = m[mk + jStep];
        let v = a[a0 + k]; s00 += v * y0; s01 += v * y1;
        v = a[a1 + k]; s10 += v * y0; s11 += v * y1;
        v = a[a2 + k]; s20 += v * y0; s21 += v * y1;
        v = a[a3 + k]; s30 += v * y0; s31 += v * y1;
      }
      storeTile(c, c0 + j, ldc, mode, bias, biasOffset + j, s00, s01, s10, s11, s20, s21, s30, s31);
    }
    for (; j < cols; j++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let mk = mOffset + j * jStep;
      for (let k = 0; k < inner; k++, mk += kStep) {
        const w = m[mk];
        s0 += a[a0 + k] * w; s1 += a[a1 + k] * w; s2 += a[a2 + k] * w; s3 += a[a3 + k] * w;
      }
      const q = c0 + j, bj = biasOffset + j;
      store(c, q, s0, mode, bias, bj); store(c, q + ldc, s1, mode, bias, bj);
      store(c, q + 2 * ldc, s2, mode, bias, bj); store(c, q + 3 * ldc, s3, mode, bias, bj);
    }
  }
  for (; i < rows; i++) {
    const a0 = A.offset + i * lda, c0 = C.offset + i * ldc;
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      let mk = mOffset + j * jStep;
      for (let k = 0; k < inner; k++, mk += kStep) sum += a[a0 + k] * m[mk];
      store(c, c0 + j, sum, mode, bias, biasOffset + j);
    }
  }
}

/**
 * C ⟵ A·B: A rows×inner, B inner×cols, C rows×cols, each row-major with its own stride.
 * `bias` (length ≥ biasOffset + cols) is used when mode is Bias.
 */
export function multiplyJs(
  A: Strided, B: Strided, C: Strided, rows: number, inner: number, cols: number,
  mode: ProductMode = ProductMode.Overwrite, bias: Float64Array | null = null, biasOffset = 0,
): void {
  multiplyStrided(A, B.data, B.offset, B.stride, 1, C, rows, inner, cols, mode, bias, biasOffset);
}

/**
 * C ⟵ A·Bᵀ: A rows×inner, B cols×inner (both read along contiguous rows), C rows×cols.
 * `bias` (length ≥ biasOffset + cols) is used when mode is Bias.
 */
export function multiplyTransposedJs(
  A: Strided, B: Strided, C: Strided, rows: number, inner: number, cols: number,
  mode: ProductMode = ProductMode.Overwrite, bias: Float64Array | null = null, biasOffset = 0,
): void {
  multiplyStrided(A, B.data, B.offset, 1, B.stride, C, rows, inner, cols, mode, bias, biasOffset);
}

/** out (cols×rows) = transpose of a (rows×cols). */
export function transposeInto(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const offset = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[offset + c];
  }
}

/** out[c] = Σ_r a[r, c] (column sums of a rows×cols matrix, rows in order): e.g. a bias gradient. */
export function columnSums(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let c = 0; c < cols; c++) out[c] = 0;
  for (let r = 0; r < rows; r++) {
    const offset = r * cols;
    for (let c = 0; c < cols; c++) out[c] += a[offset + c];
  }
}
