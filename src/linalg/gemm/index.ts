// Dense Float64 product kernels for model, ONNX and training code: C ⟵ A·B and C ⟵ A·Bᵀ on
// row-major Float64Arrays (with offsets and row strides), in one of two backends chosen once at load:
//   'wasm-simd'  WebAssembly SIMD (f64x2), generated in-repo (wasm-module.ts), ~4–5× the JS speed;
//   'js'         register-blocked plain JavaScript (js-backend.ts), when WebAssembly SIMD is missing.
// Both give the exact products up to rounding (no FMA; only the summation order differs, so results
// agree to ~1e-15 relative). The choice is made once, by wasm-runtime.ts, for every WebAssembly
// kernel of inversa (these, and the Float32 training kernels): WebAssembly SIMD that is missing or
// refused (compile/instantiate throws, e.g. under a Content-Security-Policy without
// 'wasm-unsafe-eval') means 'js'. Set INVERSA_KERNELS=js in the environment to force the fallback
// (WebAssembly is then never compiled); tests switch with `setKernelBackend`.
//
// Usage (the operands stay where they are; the WASM backend copies them through its heap in row
// blocks of bounded size, which costs O(rows·(inner + cols)) against the O(rows·inner·cols) product):
//   multiply(a, b, c, rows, inner, cols)                  // c = a·b,  a rows×inner, b inner×cols
//   multiplyTransposed(a, b, c, rows, inner, cols)        // c = a·bᵀ, b cols×inner (e.g. Gemm transB, nn.Linear)
//   multiply(a, b, c, rows, inner, cols, { accumulate: true })     // c += a·b
//   multiplyTransposed(x, w, y, n, in, out, { bias })              // y = x·wᵀ + bias (bias added to every row)
//   options.aOffset / bOffset / cOffset and lda / ldb / ldc for sub-matrices of larger arrays.
//   tanh(x, value, derivative, count)                     // value = tanh x, derivative = 1 − value² (or null)
// Callers that keep whole chains resident in the WASM heap (MlpModel) use `activeWasmKernels()`:
// raw functions on byte addresses plus `reserve`, documented in wasm-backend.ts and wasm-module.ts.
import { InvalidArgumentError, ShapeError } from '../../core/index.ts';
import { multiplyJs, multiplyTransposedJs, ProductMode, type Strided } from './js-backend.ts';
import { wasmKernels, type WasmKernels } from './wasm-backend.ts';
import { wasmDisabledByEnvironment } from './wasm-runtime.ts';

export { ProductMode, columnSums, multiplyJs, multiplyTransposedJs, transposeInto, type Strided } from './js-backend.ts';
export type { WasmKernels } from './wasm-backend.ts';

export type KernelBackend = 'wasm-simd' | 'js';

export interface ProductOptions {
  /** Index of entry (0, 0) of each operand in its array; default 0. */
  aOffset?: number;
  bOffset?: number;
  cOffset?: number;
  /** Row strides in elements; default dense (A: inner, B: cols for multiply / inner for multiplyTransposed, C: cols). */
  lda?: number;
  ldb?: number;
  ldc?: number;
  /** C += product instead of C = product. */
  accumulate?: boolean;
  /** C = bias + product, bias (length cols, or from biasOffset) added to every row. Not with accumulate. */
  bias?: Float64Array;
  biasOffset?: number;
}

/** Backend chosen at load: WASM SIMD when the engine has it (and accepts it), unless INVERSA_KERNELS=js. */
function initialBackend(): KernelBackend {
  return wasmKernels && !wasmDisabledByEnvironment() ? 'wasm-simd' : 'js';
}

let backend: KernelBackend = initialBackend();

/** The backend in use. */
export function kernelBackend(): KernelBackend {
  return backend;
}

/** Whether WebAssembly SIMD kernels could be instantiated in this engine. */
export function wasmSimdAvailable(): boolean {
  return wasmKernels !== null;
}

/** Switch backend (tests and benchmarks compare both); returns the previous one. */
export function setKernelBackend(next: KernelBackend): KernelBackend {
  if (next !== 'js' && next !== 'wasm-simd') throw new InvalidArgumentError(`kernel backend '${next as string}' is unknown; accepted: 'wasm-simd', 'js'`);
  if (next === 'wasm-simd' && !wasmKernels) throw new InvalidArgumentError("kernel backend 'wasm-simd' is not available here (no WebAssembly SIMD, compilation refused, or INVERSA_KERNELS=js); use 'js'");
  const previous = backend;
  backend = next;
  return previous;
}

/** The raw WASM kernels when they are the active backend, else null (use the JS kernels). */
export function activeWasmKernels(): WasmKernels | null {
  return backend === 'wasm-simd' ? wasmKernels : null;
}

/** Bytes of operands the WASM path copies per row block (bounded heap). */
const BLOCK_BYTES = 8 << 20;

interface Resolved {
  a: Strided;
  b: Strided;
  c: Strided;
  mode: ProductMode;
  bias: Float64Array | null;
  biasOffset: number;
}

function checkDimension(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) throw new ShapeError(`${name} must be a non-negative integer, got ${value}`);
}

/** Validate shapes against array lengths; every message names the operand and sizes. */
function resolve(
  operation: string, a: Float64Array, b: Float64Array, c: Float64Array, rows: number, inner: number, cols: number,
  transposed: boolean, options: ProductOptions,
): Resolved {
  checkDimension(rows, `${operation}: rows`);
  checkDimension(inner, `${operation}: inner`);
  checkDimension(cols, `${operation}: cols`);
  const aOffset = options.aOffset ?? 0, bOffset = options.bOffset ?? 0, cOffset = options.cOffset ?? 0;
  const lda = options.lda ?? inner, ldb = options.ldb ?? (transposed ? inner : cols), ldc = options.ldc ?? cols;
  const bRows = transposed ? cols : inner, bCols = transposed ? inner : cols;
  const need = (array: Float64Array, name: string, offset: number, stride: number, count: number, width: number, minimumStride: number): void => {
    checkDimension(offset, `${operation}: ${name} offset`);
    if (!Number.isInteger(stride) || stride < minimumStride) throw new ShapeError(`${operation}: ${name} row stride ${stride} is below its width ${minimumStride}`);
    const end = count === 0 || width === 0 ? offset : offset + (count - 1) * stride + width;
    if (!(array instanceof Float64Array) || end > array.length) {
      throw new ShapeError(`${operation}: ${name} needs ${count}×${width} entries from offset ${offset} with row stride ${stride} (up to index ${end}) but has ${array?.length ?? 0}`);
    }
  };
  need(a, 'A', aOffset, lda, rows, inner, inner);
  need(b, transposed ? 'B (cols×inner)' : 'B (inner×cols)', bOffset, ldb, bRows, bCols, bCols);
  need(c, 'C', cOffset, ldc, rows, cols, cols);
  if (options.bias && options.accumulate) throw new InvalidArgumentError(`${operation}: give either bias or accumulate, not both`);
  const biasOffset = options.biasOffset ?? 0;
  if (options.bias && (!(options.bias instanceof Float64Array) || options.bias.length < biasOffset + cols)) {
    throw new ShapeError(`${operation}: bias needs ${cols} entries from offset ${biasOffset} but has ${options.bias.length}`);
  }
  const mode = options.bias ? ProductMode.Bias : options.accumulate ? ProductMode.Accumulate : ProductMode.Overwrite;
  return {
    a: { data: a, offset: aOffset, stride: lda },
    b: { data: b, offset: bOffset, stride: ldb },
    c: { data: c, offset: cOffset, stride: ldc },
    mode, bias: options.bias ?? null, biasOffset,
  };
}

/** Copy `count` rows of `width` from a strided operand into the dense heap region at `target`. */
function packRows(heap: Float64Array, target: number, source: Strided, firstRow: number, count: number, width: number): void {
  if (source.stride === width) {
    const start = source.offset + firstRow * width;
    heap.set(source.data.subarray(start, start + count * width), target);
    return;
  }
  for (let r = 0; r < count; r++) {
    const start = source.offset + (firstRow + r) * source.stride;
    heap.set(source.data.subarray(start, start + width), target + r * width);
  }
}

function unpackRows(heap: Float64Array, source: number, target: Strided, firstRow: number, count: number, width: number): void {
  if (target.stride === width) {
    target.data.set(heap.subarray(source, source + count * width), target.offset + firstRow * width);
    return;
  }
  for (let r = 0; r < count; r++) {
    const start = target.offset + (firstRow + r) * target.stride;
    target.data.set(heap.subarray(source + r * width, source + (r + 1) * width), start);
  }
}

/** Run a product through the WASM heap: B and the bias once, A and C in row blocks. */
function viaWasm(kernels: WasmKernels, transposed: boolean, p: Resolved, rows: number, inner: number, cols: number): void {
  const bRows = transposed ? cols : inner, bCols = transposed ? inner : cols;
  const bSize = bRows * bCols, biasSize = p.bias ? cols : 0;
  const rowSize = inner + cols;
  const blockRows = Math.max(1, Math.min(rows, Math.floor(BLOCK_BYTES / 8 / Math.max(rowSize, 1))));
  const bAt = 0, biasAt = bSize, aAt = biasAt + biasSize, cAt = aAt + blockRows * inner;
  kernels.claim(viaWasm);
  const heap = kernels.reserve(8 * (cAt + blockRows * cols));
  packRows(heap, bAt, p.b, 0, bRows, bCols);
  if (p.bias) heap.set(p.bias.subarray(p.biasOffset, p.biasOffset + cols), biasAt);
  const product = transposed ? kernels.multiplyTransposed : kernels.multiply;
  for (let first = 0; first < rows; first += blockRows) {
    const count = Math.min(blockRows, rows - first);
    packRows(heap, aAt, p.a, first, count, inner);
    if (p.mode === ProductMode.Accumulate) packRows(heap, cAt, p.c, first, count, cols);
    product(8 * aAt, 8 * bAt, 8 * cAt, count, inner, cols, inner, bCols, cols, p.mode, 8 * biasAt);
    unpackRows(heap, cAt, p.c, first, count, cols);
  }
}

/** C ⟵ A·B (A rows×inner, B inner×cols, C rows×cols; see ProductOptions). */
export function multiply(a: Float64Array, b: Float64Array, c: Float64Array, rows: number, inner: number, cols: number, options: ProductOptions = {}): void {
  const p = resolve('multiply', a, b, c, rows, inner, cols, false, options);
  if (rows === 0 || cols === 0) return;
  const kernels = activeWasmKernels();
  if (kernels) viaWasm(kernels, false, p, rows, inner, cols);
  else multiplyJs(p.a, p.b, p.c, rows, inner, cols, p.mode, p.bias, p.biasOffset);
}

/** C ⟵ A·Bᵀ (A rows×inner, B cols×inner, C rows×cols; see ProductOptions). */
export function multiplyTransposed(a: Float64Array, b: Float64Array, c: Float64Array, rows: number, inner: number, cols: number, options: ProductOptions = {}): void {
  const p = resolve('multiplyTransposed', a, b, c, rows, inner, cols, true, options);
  if (rows === 0 || cols === 0) return;
  const kernels = activeWasmKernels();
  if (kernels) viaWasm(kernels, true, p, rows, inner, cols);
  else multiplyTransposedJs(p.a, p.b, p.c, rows, inner, cols, p.mode, p.bias, p.biasOffset);
}

/**
 * value[k] = tanh(x[k]) for k < count and, unless `derivative` is null, derivative[k] = 1 − value[k]²
 * (the convention of every tanh derivative in inversa). `value` may be `x`. The WASM kernel agrees
 * with Math.tanh to an ulp (mostly bitwise: the same fdlibm formulas); the JS path is Math.tanh.
 */
export function tanh(x: Float64Array, value: Float64Array, derivative: Float64Array | null, count: number): void {
  checkDimension(count, 'tanh: count');
  for (const [array, name] of [[x, 'x'], [value, 'value'], [derivative, 'derivative']] as const) {
    if (array !== null && (!(array instanceof Float64Array) || array.length < count)) {
      throw new ShapeError(`tanh: ${name} needs ${count} entries but has ${array?.length ?? 0}`);
    }
  }
  const kernels = activeWasmKernels();
  if (!kernels) {
    if (derivative) for (let k = 0; k < count; k++) { const t = Math.tanh(x[k]); value[k] = t; derivative[k] = 1 - t * t; }
    else for (let k = 0; k < count; k++) value[k] = Math.tanh(x[k]);
    return;
  }
  // Through the heap in blocks: values at 0 (in place), derivatives after them.
  const block = Math.min(count, BLOCK_BYTES / 8 / 2);
  kernels.claim(tanh);
  const heap = kernels.reserve(8 * 2 * block);
  for (let first = 0; first < count; first += block) {
    const size = Math.min(block, count - first);
    heap.set(x.subarray(first, first + size), 0);
    kernels.tanh(0, 0, 8 * block, size, derivative ? 1 : 0);
    value.set(heap.subarray(0, size), first);
    if (derivative) derivative.set(heap.subarray(block, block + size), first);
  }
}
