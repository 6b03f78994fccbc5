// WebAssembly SIMD (f32x4) kernels of the Float32 training path, generated with the shared encoder
// (src/linalg/gemm/wasm-encoder.ts) and compiled through the shared runtime (wasm-runtime.ts),
// so they fall back exactly like the Float64 kernels: where WebAssembly SIMD cannot be used,
// `float32KernelsAvailable()` is false and training runs in float64 (src/train/precision.ts).
// Every product the trainer needs is one shape: C[r, :] = bias + Σ_k A(r, k)·B[k, :], with B and C
// row-major and `cols` a multiple of 4; A is read through byte strides (rowStride, colStride) so the
// same kernel computes X·W, Δ·W and Xᵀ·Δ without transposing A. The inner loop broadcasts one
// A entry and multiply-adds it into 16 output columns (4 vectors), then 4 at a time for the rest.
// No fused multiply-add and a fixed summation order: results are bitwise reproducible.
import { InvalidArgumentError } from '../../core/index.ts';
import { kernelBackend } from './index.ts';
import { CodeBuilder, encodeModule, I32, V128, whileLoop, type FunctionDefinition, type Local } from './wasm-encoder.ts';
import { compileKernelModule, instantiateKernelModule } from './wasm-runtime.ts';

const PAGE_BYTES = 65536;
/** Alignment hint of the vector loads and stores (4 bytes; the hint never changes results). */
const FLOAT_ALIGN_LOG2 = 2;
/** Output vectors per step of the wide column block of gemm (16 columns). */
const WIDE_VECTORS = 4;

/** gemm(a, rowStride, colStride, b, c, bias, rows, inner, cols): all byte addresses/strides except the three counts. */
function gemmFunction(): FunctionDefinition {
  const parameters = [I32, I32, I32, I32, I32, I32, I32, I32, I32] as const;
  const code = new CodeBuilder(parameters.length);
  const [a, rowStride, colStride, b, c, bias, rows, inner, cols] = parameters.map((_, index) => index);
  const r = code.local(I32), column = code.local(I32), k = code.local(I32), aPointer = code.local(I32);
  const bPointer = code.local(I32), cRow = code.local(I32), bStride = code.local(I32), aRow = code.local(I32);
  const accumulators: Local[] = Array.from({ length: WIDE_VECTORS }, () => code.local(V128));
  const aSplat = code.local(V128);

  /** One k step: broadcast A(r, k) and add it times B's row k into `vectors` accumulators. */
  const accumulate = (vectors: number): void => {
    code.get(aPointer).f32Load().f32x4Splat().set(aSplat);
    for (let v = 0; v < vectors; v++) {
      code.get(accumulators[v]).get(aSplat).get(bPointer).v128Load(16 * v, FLOAT_ALIGN_LOG2).f32x4Mul().f32x4Add().set(accumulators[v]);
    }
    code.get(aPointer).get(colStride).i32Add().set(aPointer);
    code.get(bPointer).get(bStride).i32Add().set(bPointer);
  };
  /** Column blocks of `vectors` vectors while column + 16·vectors ≤ cols·4 bytes. */
  const columnBlock = (vectors: number): void => {
    whileLoop(code, () => code.get(column).i32(16 * vectors).i32Add().get(bStride).i32GtU(), () => {
      for (let v = 0; v < vectors; v++) code.get(bias).get(column).i32Add().v128Load(16 * v, FLOAT_ALIGN_LOG2).set(accumulators[v]);
      code.get(aRow).set(aPointer);
      code.get(b).get(column).i32Add().set(bPointer);
      code.get(inner).set(k);
      code.loop(); // do … while (--k): inner ≥ 1
      accumulate(vectors);
      code.get(k).i32(1).i32Sub().tee(k).brIf(0);
      code.end();
      for (let v = 0; v < vectors; v++) code.get(cRow).get(column).i32Add().get(accumulators[v]).v128Store(16 * v, FLOAT_ALIGN_LOG2);
      code.get(column).i32(16 * vectors).i32Add().set(column);
    });
  };

  code.get(cols).i32(2).i32Shl().set(bStride);
  code.i32(0).set(r);
  whileLoop(code, () => code.get(r).get(rows).i32GeU(), () => {
    code.get(a).get(r).get(rowStride).i32Mul().i32Add().set(aRow);
    code.get(c).get(r).get(bStride).i32Mul().i32Add().set(cRow);
    code.i32(0).set(column);
    columnBlock(WIDE_VECTORS);
    columnBlock(1);
    code.get(r).i32(1).i32Add().set(r);
  });
  return { name: 'gemm', parameters: [...parameters], results: [], code };
}

/**
 * An elementwise function (first, second, count) over `count` floats (a multiple of 4), 4 at a
 * time; `step` gets the builder and the byte offset local.
 */
function elementwise(name: string, step: (code: CodeBuilder, first: Local, second: Local, offset: Local) => void): FunctionDefinition {
  const parameters = [I32, I32, I32] as const;
  const code = new CodeBuilder(parameters.length);
  const first = 0, second = 1, count = 2;
  const offset = code.local(I32), end = code.local(I32);
  code.get(count).i32(2).i32Shl().set(end);
  code.i32(0).set(offset);
  whileLoop(code, () => code.get(offset).get(end).i32GeU(), () => {
    step(code, first, second, offset);
    code.get(offset).i32(16).i32Add().set(offset);
  });
  return { name, parameters: [...parameters], results: [], code };
}

/** relu(src, dst, count): dst = max(src, 0). */
function reluFunction(): FunctionDefinition {
  return elementwise('relu', (code, source, destination, offset) => {
    code.get(destination).get(offset).i32Add();
    code.get(source).get(offset).i32Add().v128Load(0, FLOAT_ALIGN_LOG2).f32(0).f32x4Splat().f32x4Max();
    code.v128Store(0, FLOAT_ALIGN_LOG2);
  });
}

/** reluBackward(pre, gradient, count): gradient = pre > 0 ? gradient : 0. */
function reluBackwardFunction(): FunctionDefinition {
  return elementwise('reluBackward', (code, pre, gradient, offset) => {
    code.get(gradient).get(offset).i32Add();
    code.get(gradient).get(offset).i32Add().v128Load(0, FLOAT_ALIGN_LOG2);
    code.get(pre).get(offset).i32Add().v128Load(0, FLOAT_ALIGN_LOG2).f32(0).f32x4Splat().f32x4Gt();
    code.v128And();
    code.v128Store(0, FLOAT_ALIGN_LOG2);
  });
}

/** addInto(src, dst, count): dst += src. */
function addIntoFunction(): FunctionDefinition {
  return elementwise('addInto', (code, source, destination, offset) => {
    code.get(destination).get(offset).i32Add();
    code.get(destination).get(offset).i32Add().v128Load(0, FLOAT_ALIGN_LOG2);
    code.get(source).get(offset).i32Add().v128Load(0, FLOAT_ALIGN_LOG2);
    code.f32x4Add();
    code.v128Store(0, FLOAT_ALIGN_LOG2);
  });
}

/** The float32 kernels on byte addresses of their memory (the JS twin: js-float32.ts, same bits). */
export interface Float32Kernels {
  /** The kernels' memory (a WebAssembly.Memory, or any holder of an ArrayBuffer for the JS twin). */
  memory: { readonly buffer: ArrayBufferLike };
  gemm(a: number, rowStride: number, colStride: number, b: number, c: number, bias: number, rows: number, inner: number, cols: number): void;
  relu(source: number, destination: number, count: number): void;
  reluBackward(preActivation: number, gradient: number, count: number): void;
  addInto(source: number, destination: number, count: number): void;
}

/** The module bytes: deterministic, so building them on first use is as good as embedding them. */
export function float32KernelModule(): Uint8Array<ArrayBuffer> {
  return encodeModule([gemmFunction(), reluFunction(), reluBackwardFunction(), addIntoFunction()], 1);
}

/** Compiled once on first use; null when WebAssembly SIMD cannot be used here (see wasm-runtime.ts). */
let compiled: WebAssembly.Module | null | undefined;

function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const module = compileKernelModule(float32KernelModule());
    // Instantiating can be refused even when compiling is not: try once, keep the answer.
    compiled = module && instantiateKernelModule(module) ? module : null;
  }
  return compiled;
}

/**
 * True when the Float32 SIMD kernels can run: WebAssembly SIMD compiles and instantiates here and
 * the kernel backend (src/linalg/gemm) is 'wasm-simd', so INVERSA_KERNELS=js and
 * setKernelBackend('js') turn training to float64 as they turn the Float64 kernels to JS.
 */
export function float32KernelsAvailable(): boolean {
  return kernelBackend() === 'wasm-simd' && compiledModule() !== null;
}

/** Instantiate the kernels with a fresh memory of at least `bytes` bytes (64 KiB pages). */
export function createFloat32Kernels(bytes: number): Float32Kernels {
  const instance = instantiateKernelModule(compiledModule());
  if (!instance) throw new InvalidArgumentError("the Float32 training kernels need WebAssembly SIMD, which is not usable here; train with precision 'float64'");
  const exports = instance.exports as unknown as Omit<Float32Kernels, 'memory'> & { memory: WebAssembly.Memory };
  const memory = exports.memory;
  const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
  const current = memory.buffer.byteLength / PAGE_BYTES;
  if (pages > current) memory.grow(pages - current);
  return { memory, gemm: exports.gemm, relu: exports.relu, reluBackward: exports.reluBackward, addInto: exports.addInto };
}
