// Dense kernels of the trainer over row-major Float64Arrays. Every product the trainer needs
// (layer forward, gradient to the layer input, gradient to the weights) is written as ONE shape,
// C = A·Bᵀ (+ bias), so that both operands are read contiguously in the inner loop; the callers
// transpose small operands first (O(rows·cols), negligible next to the O(rows·cols·inner) product).
// The main loop computes a 2×4 block of C at a time (8 accumulators, 6 loads per 8 multiply-adds).

/**
 * C[r, c] = Σ_k A[r, k]·B[c, k] + (bias ? bias[c] : 0)
 * A is rows×inner, B is cols×inner, C is rows×cols (all row-major). Allocates nothing.
 */
export function multiplyTransposed(
  a: Float64Array, rows: number, inner: number,
  b: Float64Array, cols: number,
  c: Float64Array, bias: Float64Array | null,
): void {
  const rowPairs = rows & ~1;
  const colQuads = cols & ~3;
  for (let r = 0; r < rowPairs; r += 2) {
    const a0 = r * inner, a1 = a0 + inner;
    const c0 = r * cols, c1 = c0 + cols;
    for (let q = 0; q < colQuads; q += 4) {
      const b0 = q * inner, b1 = b0 + inner, b2 = b1 + inner, b3 = b2 + inner;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let k = 0; k < inner; k++) {
        const x0 = a[a0 + k], x1 = a[a1 + k];
        const w0 = b[b0 + k], w1 = b[b1 + k], w2 = b[b2 + k], w3 = b[b3 + k];
        s00 += x0 * w0; s01 += x0 * w1; s02 += x0 * w2; s03 += x0 * w3;
        s10 += x1 * w0; s11 += x1 * w1; s12 += x1 * w2; s13 += x1 * w3;
      }
      if (bias !== null) {
        const g0 = bias[q], g1 = bias[q + 1], g2 = bias[q + 2], g3 = bias[q + 3];
        s00 += g0; s01 += g1; s02 += g2; s03 += g3;
        s10 += g0; s11 += g1; s12 += g2; s13 += g3;
      }
      c[c0 + q] = s00; c[c0 + q + 1] = s01; c[c0 + q + 2] = s02; c[c0 + q + 3] = s03;
      c[c1 + q] = s10; c[c1 + q + 1] = s11; c[c1 + q + 2] = s12; c[c1 + q + 3] = s13;
    }
    for (let q = colQuads; q < cols; q++) {
      const b0 = q * inner;
      let s0 = 0, s1 = 0;
      for (let k = 0; k < inner; k++) {
        const w = b[b0 + k];
        s0 += a[a0 + k] * w;
        s1 += a[a1 + k] * w;
      }
      const g = bias !== null ? bias[q] : 0;
      c[c0 + q] = s0 + g;
      c[c1 + q] = s1 + g;
    }
  }
  for (let r = rowPairs; r < rows; r++) {
    const a0 = r * inner, c0 = r * cols;
    for (let q = 0; q < cols; q++) {
      const b0 = q * inner;
      let s = 0;
      for (let k = 0; k < inner; k++) s += a[a0 + k] * b[b0 + k];
      c[c0 + q] = s + (bias !== null ? bias[q] : 0);
    }
  }
}

/** out (cols×rows) = transpose of a (rows×cols). */
export function transposeInto(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const offset = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[offset + c];
  }
}

/** out[c] = Σ_r a[r, c] (column sums of a rows×cols matrix): the bias gradient. */
export function columnSums(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let c = 0; c < cols; c++) out[c] = 0;
  for (let r = 0; r < rows; r++) {
    const offset = r * cols;
    for (let c = 0; c < cols; c++) out[c] += a[offset + c];
  }
}
