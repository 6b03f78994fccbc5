// WebAssembly SIMD (f32x4) kernels of the Float32 training path, built in code by wasm-encoding.ts.
// Every product the trainer needs is one shape: C[r, :] = bias + Σ_k A(r, k)·B[k, :], with B and C
// row-major and `cols` a multiple of 4; A is read through byte strides (rowStride, colStride) so the
// same kernel computes X·W, Δ·W and Xᵀ·Δ without transposing A. The inner loop broadcasts one
// A entry and multiply-adds it into 16 output columns (4 vectors), then 4 at a time for the rest.
// No fused multiply-add and a fixed summation order: results are bitwise reproducible.
import { BLOCK_EMPTY, encodeModule, OP, SIMD, signedLeb, simd, VALUE_TYPE, type WasmFunction } from './wasm-encoding.ts';

const { i32, v128 } = VALUE_TYPE;
const get = (index: number) => [OP.localGet, index];
const set = (index: number) => [OP.localSet, index];
const tee = (index: number) => [OP.localTee, index];
const constant = (value: number) => [OP.i32Const, ...signedLeb(value)];
const v128Load = (offset: number) => simd(SIMD.v128Load, { align: 2, offset });
const v128Store = (offset: number) => simd(SIMD.v128Store, { align: 2, offset });
const f32Load = [OP.f32Load, 2, 0];

/** gemm(a, rowStride, colStride, b, c, bias, rows, inner, cols): all byte addresses/strides except the three counts. */
function gemmFunction(): WasmFunction {
  // Parameters.
  const A = 0, ROW_STRIDE = 1, COL_STRIDE = 2, B = 3, C = 4, BIAS = 5, ROWS = 6, INNER = 7, COLS = 8;
  // Locals.
  const R = 9, COL = 10, K = 11, AP = 12, BP = 13, CP = 14, B_STRIDE = 15, A_ROW = 16;
  const ACC = [17, 18, 19, 20], AV = 21;
  const accumulate = (vectors: number) => [
    ...get(AP), ...f32Load, ...simd(SIMD.f32x4Splat), ...set(AV),
    ...Array.from({ length: vectors }, (_, v) => [
      ...get(ACC[v]), ...get(AV), ...get(BP), ...v128Load(16 * v), ...simd(SIMD.f32x4Mul), ...simd(SIMD.f32x4Add), ...set(ACC[v]),
    ]).flat(),
    ...get(AP), ...get(COL_STRIDE), OP.i32Add, ...set(AP),
    ...get(BP), ...get(B_STRIDE), OP.i32Add, ...set(BP),
  ];
  /** One column block of `vectors` vectors; loops while col + 16·vectors ≤ cols·4 bytes. */
  const columnBlock = (vectors: number) => [
    OP.block, BLOCK_EMPTY, OP.loop, BLOCK_EMPTY,
    ...get(COL), ...constant(16 * vectors), OP.i32Add, ...get(B_STRIDE), OP.i32GtU, OP.brIf, 1,
    ...Array.from({ length: vectors }, (_, v) => [...get(BIAS), ...get(COL), OP.i32Add, ...v128Load(16 * v), ...set(ACC[v])]).flat(),
    ...get(A_ROW), ...set(AP),
    ...get(B), ...get(COL), OP.i32Add, ...set(BP),
    ...get(INNER), ...set(K),
    OP.loop, BLOCK_EMPTY,
    ...accumulate(vectors),
    ...get(K), ...constant(1), OP.i32Sub, ...tee(K), OP.brIf, 0,
    OP.end,
    ...Array.from({ length: vectors }, (_, v) => [...get(CP), ...get(COL), OP.i32Add, ...get(ACC[v]), ...v128Store(16 * v)]).flat(),
    ...get(COL), ...constant(16 * vectors), OP.i32Add, ...set(COL),
    OP.br, 0,
    OP.end, OP.end,
  ];
  const body = [
    ...get(COLS), ...constant(2), OP.i32Shl, ...set(B_STRIDE),
    ...constant(0), ...set(R),
    OP.block, BLOCK_EMPTY, OP.loop, BLOCK_EMPTY,
    ...get(R), ...get(ROWS), OP.i32GeU, OP.brIf, 1,
    ...get(A), ...get(R), ...get(ROW_STRIDE), OP.i32Mul, OP.i32Add, ...set(A_ROW),
    ...get(C), ...get(R), ...get(B_STRIDE), OP.i32Mul, OP.i32Add, ...set(CP),
    ...constant(0), ...set(COL),
    ...columnBlock(4),
    ...columnBlock(1),
    ...get(R), ...constant(1), OP.i32Add, ...set(R),
    OP.br, 0,
    OP.end, OP.end,
  ];
  return { name: 'gemm', params: Array(9).fill(i32), results: [], locals: [[8, i32], [5, v128]], body };
}

/** An elementwise loop over `count` floats (multiple of 4), 4 at a time: body gets the byte offset in local 3. */
function elementwise(nameText: string, step: number[]): WasmFunction {
  // Parameters: first (0), second (1), count (2); local 3 = byte offset, local 4 = end.
  const OFFSET = 3, END = 4;
  return {
    name: nameText,
    params: [i32, i32, i32],
    results: [],
    locals: [[2, i32]],
    body: [
      ...get(2), ...constant(2), OP.i32Shl, ...set(END),
      ...constant(0), ...set(OFFSET),
      OP.block, BLOCK_EMPTY, OP.loop, BLOCK_EMPTY,
      ...get(OFFSET), ...get(END), OP.i32GeU, OP.brIf, 1,
      ...step,
      ...get(OFFSET), ...constant(16), OP.i32Add, ...set(OFFSET),
      OP.br, 0,
      OP.end, OP.end,
    ],
  };
}

const ZERO_VECTOR = [OP.f32Const, 0, 0, 0, 0, ...simd(SIMD.f32x4Splat)];

/** relu(src, dst, count): dst = max(src, 0). */
function reluFunction(): WasmFunction {
  return elementwise('relu', [
    ...get(1), ...get(3), OP.i32Add,
    ...get(0), ...get(3), OP.i32Add, ...v128Load(0), ...ZERO_VECTOR, ...simd(SIMD.f32x4Max),
    ...v128Store(0),
  ]);
}

/** reluBackward(pre, gradient, count): gradient = pre > 0 ? gradient : 0. */
function reluBackwardFunction(): WasmFunction {
  return elementwise('reluBackward', [
    ...get(1), ...get(3), OP.i32Add,
    ...get(1), ...get(3), OP.i32Add, ...v128Load(0),
    ...get(0), ...get(3), OP.i32Add, ...v128Load(0), ...ZERO_VECTOR, ...simd(SIMD.f32x4Gt),
    ...simd(SIMD.v128And),
    ...v128Store(0),
  ]);
}

/** addInto(src, dst, count): dst += src. */
function addIntoFunction(): WasmFunction {
  return elementwise('addInto', [
    ...get(1), ...get(3), OP.i32Add,
    ...get(1), ...get(3), OP.i32Add, ...v128Load(0),
    ...get(0), ...get(3), OP.i32Add, ...v128Load(0),
    ...simd(SIMD.f32x4Add),
    ...v128Store(0),
  ]);
}

export interface Float32Kernels {
  memory: WebAssembly.Memory;
  gemm(a: number, rowStride: number, colStride: number, b: number, c: number, bias: number, rows: number, inner: number, cols: number): void;
  relu(source: number, destination: number, count: number): void;
  reluBackward(preActivation: number, gradient: number, count: number): void;
  addInto(source: number, destination: number, count: number): void;
}

let moduleCache: WebAssembly.Module | null = null;

/** True when this JavaScript engine runs WebAssembly SIMD (Node ≥ 16, current browsers). */
export function float32KernelsAvailable(): boolean {
  if (available === null) {
    try {
      available = typeof WebAssembly === 'object' && WebAssembly.validate(kernelBytes());
    } catch {
      available = false;
    }
  }
  return available;
}
let available: boolean | null = null;

function kernelBytes(): Uint8Array<ArrayBuffer> {
  return encodeModule([gemmFunction(), reluFunction(), reluBackwardFunction(), addIntoFunction()], 1);
}

/** Instantiate the kernels over a fresh memory of `bytes` bytes (rounded up to 64 KiB pages). */
export function createFloat32Kernels(bytes: number): Float32Kernels {
  moduleCache ??= new WebAssembly.Module(kernelBytes());
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  const memory = new WebAssembly.Memory({ initial: pages });
  const instance = new WebAssembly.Instance(moduleCache, { env: { memory } });
  const exports = instance.exports as unknown as Omit<Float32Kernels, 'memory'>;
  return { memory, gemm: exports.gemm, relu: exports.relu, reluBackward: exports.reluBackward, addInto: exports.addInto };
}
