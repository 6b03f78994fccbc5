// The packed matrix product of gemm.ts (and tanh) as WebAssembly SIMD kernels (f64x2: two multiply-adds per
// instruction), about twice the speed of the scalar JavaScript loop. The module is assembled here
// from its instructions (no build step, no binary blob): one function
//   gemm(blocks, a, R, panels, panelCount, out)
// computing a 4-row block of out = A·B per outer step, with a 4×4 register block (8 f64x2
// accumulators). A is copied into wasm memory zero-padded to a multiple of 4 rows; out is written
// with a padded row stride of 4·panelCount and copied back. Falls back to the JavaScript kernel
// where WebAssembly SIMD is unavailable.
import { multiplyPacked, type PackedMatrix } from './gemm.ts';

// --- a tiny assembler -----------------------------------------------------------------------------
function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) { out.push(byte); return out; }
    out.push(byte | 0x80);
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...unsignedLeb(body.length), ...body];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...unsignedLeb(bytes.length), ...bytes];
}

const I32 = 0x7f, V128 = 0x7b;
const op = {
  get: (i: number) => [0x20, ...unsignedLeb(i)],
  set: (i: number) => [0x21, ...unsignedLeb(i)],
  const: (v: number) => [0x41, ...signedLeb(v)],
  add: [0x6a], mul: [0x6c], shl: [0x74], ltS: [0x48], geS: [0x4e],
  block: [0x02, 0x40], loop: [0x03, 0x40], end: [0x0b], br: (d: number) => [0x0c, d], brIf: (d: number) => [0x0d, d],
  v128Load: (offset: number) => [0xfd, 0x00, 0x03, ...unsignedLeb(offset)],
  v128Store: (offset: number) => [0xfd, 0x0b, 0x03, ...unsignedLeb(offset)],
  load64Splat: (offset: number) => [0xfd, 0x0a, 0x03, ...unsignedLeb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array(16).fill(0)],
  f64x2Add: [0xfd, 0xf0, 0x01],
  f64x2Sub: [0xfd, 0xf1, 0x01],
  f64x2Mul: [0xfd, 0xf2, 0x01],
  f64x2Div: [0xfd, 0xf3, 0x01],
  f64x2Min: [0xfd, 0xf4, 0x01],
  f64x2Abs: [0xfd, 0xec, 0x01],
  f64x2Lt: [0xfd, 0x49],
  f64x2Nearest: [0xfd, 0x94, 0x01],
  v128And: [0xfd, 0x4e],
  v128Or: [0xfd, 0x50],
  bitselect: [0xfd, 0x52],
  truncSatZero: [0xfd, 0xfc, 0x01],
  extendLow: [0xfd, 0xc7, 0x01],
  i64x2Shl: [0xfd, 0xcb, 0x01],
  i64x2Add: [0xfd, 0xce, 0x01],
  /** v128.const with the same f64 in both lanes. */
  f64x2Const: (value: number) => {
    const lanes = new Uint8Array(new Float64Array([value, value]).buffer);
    return [0xfd, 0x0c, ...lanes];
  },
  /** v128.const with the same i64 (given as a bigint) in both lanes. */
  i64x2Const: (value: bigint) => {
    const lanes = new Uint8Array(new BigInt64Array([value, value]).buffer);
    return [0xfd, 0x0c, ...lanes];
  },
};

// Parameters and locals of gemm.
const BLOCKS = 0, A = 1, R = 2, PANELS = 3, PANEL_COUNT = 4, OUT = 5;
const I = 6, P = 7, K = 8, A_ROW = 9, Q = 10, AK = 11, OP = 12, ROW_BYTES = 13, OUT_ROW_BYTES = 14;
const ACC = 15; // 8 accumulators: ACC + 2·row + half
const B01 = 23, B23 = 24, AV = 25;

function kernelBody(): number[] {
  const code: number[] = [];
  const emit = (...parts: number[][]) => { for (const part of parts) code.push(...part); };
  emit(op.get(R), op.const(3), op.shl, op.set(ROW_BYTES));
  emit(op.get(PANEL_COUNT), op.const(5), op.shl, op.set(OUT_ROW_BYTES));
  emit(op.const(0), op.set(I));
  emit(op.block, op.loop);
  emit(op.get(I), op.get(BLOCKS), op.geS, op.brIf(1));
  // aRow = a + i·4·rowBytes; o = out + i·4·outRowBytes; q = panels; p = 0
  emit(op.get(A), op.get(I), op.get(ROW_BYTES), op.const(2), op.shl, op.mul, op.add, op.set(A_ROW));
  emit(op.get(PANELS), op.set(Q), op.const(0), op.set(P));
  emit(op.loop); // panels
  for (let acc = 0; acc < 8; acc++) emit(op.v128Zero, op.set(ACC + acc));
  emit(op.get(A_ROW), op.set(AK), op.const(0), op.set(K));
  emit(op.loop); // k
  emit(op.get(Q), op.v128Load(0), op.set(B01), op.get(Q), op.v128Load(16), op.set(B23));
  for (let row = 0; row < 4; row++) {
    emit(op.get(AK));
    if (row > 0) emit(op.get(ROW_BYTES), op.const(row), op.mul, op.add);
    emit(op.load64Splat(0), op.set(AV));
    for (let half = 0; half < 2; half++) {
      const acc = ACC + 2 * row + half;
      emit(op.get(acc), op.get(AV), op.get(half === 0 ? B01 : B23), op.f64x2Mul, op.f64x2Add, op.set(acc));
    }
  }
  emit(op.get(Q), op.const(32), op.add, op.set(Q));
  emit(op.get(AK), op.const(8), op.add, op.set(AK));
  emit(op.get(K), op.const(1), op.add, op.set(K));
  emit(op.get(K), op.get(R), op.ltS, op.brIf(0));
  emit(op.end); // k
  // op = out + i·4·outRowBytes + p·32; store the 4×4 block.
  emit(op.get(OUT), op.get(I), op.get(OUT_ROW_BYTES), op.const(2), op.shl, op.mul, op.add, op.get(P), op.const(5), op.shl, op.add, op.set(OP));
  for (let row = 0; row < 4; row++) {
    for (let half = 0; half < 2; half++) {
      emit(op.get(OP));
      if (row > 0) emit(op.get(OUT_ROW_BYTES), op.const(row), op.mul, op.add);
      emit(op.get(ACC + 2 * row + half), op.v128Store(16 * half));
    }
  }
  emit(op.get(P), op.const(1), op.add, op.set(P));
  emit(op.get(P), op.get(PANEL_COUNT), op.ltS, op.brIf(0));
  emit(op.end); // panels
  emit(op.get(I), op.const(1), op.add, op.set(I), op.br(0));
  emit(op.end, op.end); // rows loop, block
  emit(op.end); // function
  const locals = vector([[...unsignedLeb(9), I32], [...unsignedLeb(11), V128]]);
  const body = [...locals, ...code];
  return [...unsignedLeb(body.length), ...body];
}

// tanh over `pairs` f64x2 lanes (a multiple of TANH_UNROLL) in place at byte offset `pointer`:
//   |x| < 0.625: x + x·z·P(z)/Q(z), z = x² (Cephes' rational approximation, ~1 ulp);
//   otherwise:   1 − 2/(e^{2|x|} + 1), with e^y = 2^n · e^r, n = round(y/ln 2), |r| ≤ ln2/2, e^r by its
//                Taylor polynomial to r¹³ (truncation < 1e-17), 2^n built from the exponent bits;
//   the sign of x restored at the end. y is capped at 44 (tanh = 1 to double precision beyond ~19).
const TANH_SMALL = 0.625;
const TANH_P = [-9.64399179425052238628e-1, -9.92877231001918586564e1, -1.61468768441708447952e3];
const TANH_Q = [1.12811678491632931402e2, 2.23548839060100448583e3, 4.84406305325125486048e3];
const EXP_CAP = 44;
const LN2_HI = 6.93147180369123816490e-1, LN2_LO = 1.90821492927058770002e-10;
const TAYLOR_DEGREE = 13;

/** Pairs per loop iteration, computed interleaved stage by stage so their long dependency chains overlap. */
const TANH_UNROLL = 4;

function tanhBody(): number[] {
  const POINTER = 0, PAIRS = 1; // params
  const END = 2; // i32 local
  // v128 locals, 8 per interleaved pair: X, ABS, Z, SMALL, N, R, E, LARGE.
  const local = (pair: number, slot: number) => 3 + pair * 8 + slot;
  const [X, ABS, Z, SMALL, N, R, E, LARGE] = [0, 1, 2, 3, 4, 5, 6, 7];
  const code: number[] = [];
  const emit = (...parts: number[][]) => { for (const part of parts) code.push(...part); };
  const each = (stage: (pair: number) => number[][]) => { for (let pair = 0; pair < TANH_UNROLL; pair++) emit(...stage(pair)); };
  emit(op.get(POINTER), op.get(PAIRS), op.const(4), op.shl, op.add, op.set(END));
  emit(op.block, op.loop);
  emit(op.get(POINTER), op.get(END), op.geS, op.brIf(1));
  each((i) => [op.get(POINTER), op.v128Load(16 * i), op.set(local(i, X)), op.get(local(i, X)), op.f64x2Abs, op.set(local(i, ABS))]);
  // Small branch: |x| + |x|·z·P(z)/Q(z).
  each((i) => [op.get(local(i, ABS)), op.get(local(i, ABS)), op.f64x2Mul, op.set(local(i, Z))]);
  each((i) => {
    const z = op.get(local(i, Z));
    return [
      op.f64x2Const(TANH_P[0]), z, op.f64x2Mul, op.f64x2Const(TANH_P[1]), op.f64x2Add, z, op.f64x2Mul, op.f64x2Const(TANH_P[2]), op.f64x2Add,
      z, op.f64x2Const(TANH_Q[0]), op.f64x2Add, z, op.f64x2Mul, op.f64x2Const(TANH_Q[1]), op.f64x2Add, z, op.f64x2Mul, op.f64x2Const(TANH_Q[2]), op.f64x2Add,
      op.f64x2Div, z, op.f64x2Mul, op.get(local(i, ABS)), op.f64x2Mul, op.get(local(i, ABS)), op.f64x2Add, op.set(local(i, SMALL)),
    ];
  });
  // Large branch: y = min(2|x|, cap) (kept in R until reduced), n = round(y/ln 2), r = y − n·ln 2.
  each((i) => [op.get(local(i, ABS)), op.get(local(i, ABS)), op.f64x2Add, op.f64x2Const(EXP_CAP), op.f64x2Min, op.set(local(i, R))]);
  each((i) => [op.get(local(i, R)), op.f64x2Const(Math.LOG2E), op.f64x2Mul, op.f64x2Nearest, op.set(local(i, N))]);
  each((i) => [op.get(local(i, R)), op.get(local(i, N)), op.f64x2Const(LN2_HI), op.f64x2Mul, op.f64x2Sub, op.get(local(i, N)), op.f64x2Const(LN2_LO), op.f64x2Mul, op.f64x2Sub, op.set(local(i, R))]);
  let factorial = 1;
  const coefficients: number[] = [];
  for (let k = 0; k <= TAYLOR_DEGREE; k++) { if (k > 0) factorial *= k; coefficients.push(1 / factorial); }
  each((i) => [op.f64x2Const(coefficients[TAYLOR_DEGREE]), op.set(local(i, E))]);
  for (let k = TAYLOR_DEGREE - 1; k >= 0; k--) {
    each((i) => [op.get(local(i, E)), op.get(local(i, R)), op.f64x2Mul, op.f64x2Const(coefficients[k]), op.f64x2Add, op.set(local(i, E))]);
  }
  // e^y = e^r · 2^n with 2^n from its bits ((n + 1023) << 52); tanh = 1 − 2/(e^y + 1).
  each((i) => [op.get(local(i, E)), op.get(local(i, N)), op.truncSatZero, op.extendLow, op.i64x2Const(1023n), op.i64x2Add, op.const(52), op.i64x2Shl, op.f64x2Mul, op.set(local(i, E))]);
  each((i) => [op.f64x2Const(1), op.f64x2Const(2), op.get(local(i, E)), op.f64x2Const(1), op.f64x2Add, op.f64x2Div, op.f64x2Sub, op.set(local(i, LARGE))]);
  // Select by |x| < 0.625, restore the sign of x, store in place.
  each((i) => [
    op.get(POINTER),
    op.get(local(i, SMALL)), op.get(local(i, LARGE)), op.get(local(i, ABS)), op.f64x2Const(TANH_SMALL), op.f64x2Lt, op.bitselect,
    op.get(local(i, X)), op.i64x2Const(-0x8000000000000000n), op.v128And, op.v128Or,
    op.v128Store(16 * i),
  ]);
  emit(op.get(POINTER), op.const(16 * TANH_UNROLL), op.add, op.set(POINTER), op.br(0));
  emit(op.end, op.end, op.end);
  const locals = vector([[...unsignedLeb(1), I32], [...unsignedLeb(8 * TANH_UNROLL), V128]]);
  const body = [...locals, ...code];
  return [...unsignedLeb(body.length), ...body];
}

function moduleBytes(): Uint8Array {
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([[0x60, ...vector(new Array(6).fill([I32])), 0x00], [0x60, ...vector([[I32], [I32]]), 0x00]])),
    ...section(3, vector([[0x00], [0x01]])),
    ...section(5, vector([[0x00, ...unsignedLeb(1)]])),
    ...section(7, vector([[...name('gemm'), 0x00, 0x00], [...name('tanh'), 0x00, 0x01], [...name('memory'), 0x02, 0x00]])),
    ...section(10, vector([kernelBody(), tanhBody()])),
  ];
  return new Uint8Array(bytes);
}

// --- the JavaScript side --------------------------------------------------------------------------
interface Kernel {
  memory: WebAssembly.Memory;
  gemm: (blocks: number, a: number, r: number, panels: number, panelCount: number, out: number) => void;
  tanh: (pointer: number, pairs: number) => void;
}

let kernel: Kernel | null | undefined;

function instantiate(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes() as BufferSource));
    kernel = { memory: instance.exports.memory as WebAssembly.Memory, gemm: instance.exports.gemm as Kernel['gemm'], tanh: instance.exports.tanh as Kernel['tanh'] };
  } catch {
    kernel = null; // no WebAssembly SIMD here
  }
  return kernel;
}

const PAGE_BYTES = 65536;
/** Below this many multiply-adds the copies cost more than the SIMD saves. */
const MIN_WORK = 4096;

/** Same contract as multiplyPacked (out[M×C] = A·B, overwriting), using WebAssembly SIMD when available. */
export function multiplyPackedFast(M: number, A: Float64Array, aOffset: number, B: PackedMatrix, out: Float64Array, outOffset: number): void {
  const k = M * B.rows * B.cols >= MIN_WORK ? instantiate() : null;
  if (!k) { multiplyPacked(M, A, aOffset, B, out, outOffset); return; }
  const R = B.rows, C = B.cols, panelCount = Math.ceil(C / 4), paddedCols = panelCount * 4;
  const blocks = Math.ceil(M / 4), paddedRows = blocks * 4;
  const panelBytes = B.panels.length * 8, aBytes = paddedRows * R * 8, outBytes = paddedRows * paddedCols * 8;
  const needed = panelBytes + aBytes + outBytes;
  if (k.memory.buffer.byteLength < needed) k.memory.grow(Math.ceil((needed - k.memory.buffer.byteLength) / PAGE_BYTES));
  const heap = new Float64Array(k.memory.buffer);
  const panels = 0, a = panelBytes, result = panelBytes + aBytes;
  heap.set(B.panels, panels / 8);
  heap.set(A.subarray(aOffset, aOffset + M * R), a / 8);
  heap.fill(0, a / 8 + M * R, a / 8 + paddedRows * R);
  k.gemm(blocks, a, R, panels, panelCount, result);
  const base = result / 8;
  if (paddedCols === C) {
    out.set(heap.subarray(base, base + M * C), outOffset);
  } else {
    for (let i = 0; i < M; i++) {
      const from = base + i * paddedCols, to = outOffset + i * C;
      for (let j = 0; j < C; j++) out[to + j] = heap[from + j];
    }
  }
}

/** y[e] = tanh(x[e]) for e < count, by the SIMD kernel when available (else Math.tanh). */
export function tanhFast(x: Float64Array, y: Float64Array, count: number): void {
  const k = count >= 64 ? instantiate() : null;
  if (!k) { for (let e = 0; e < count; e++) y[e] = Math.tanh(x[e]); return; }
  const pairs = Math.ceil(count / (2 * TANH_UNROLL)) * TANH_UNROLL;
  if (k.memory.buffer.byteLength < pairs * 16) k.memory.grow(Math.ceil((pairs * 16 - k.memory.buffer.byteLength) / PAGE_BYTES));
  const heap = new Float64Array(k.memory.buffer, 0, pairs * 2);
  heap.set(x.subarray(0, count));
  heap.fill(0, count);
  k.tanh(0, pairs);
  y.set(heap.subarray(0, count));
}

/** Whether the SIMD kernel is in use (for tests and benchmarks). */
export function wasmKernelAvailable(): boolean {
  return instantiate() !== null;
}
