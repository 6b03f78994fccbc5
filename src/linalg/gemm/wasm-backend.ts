// The WebAssembly SIMD kernels, instantiated once (synchronously) from the bytes that
// wasm-module.ts generates, plus the heap they work in. Null wherever wasm-runtime.ts says
// WebAssembly cannot be used (no SIMD, compilation refused by the engine or a Content-Security-
// Policy, INVERSA_KERNELS=js), so callers fall back to the JS kernels.
//
// Heap: one linear memory shared by every caller. A caller asks `reserve(bytes)` for the room it
// needs, lays its operands out from address 0, calls the kernels with byte addresses and copies its
// results out before returning. JavaScript is single-threaded and no kernel calls back into user
// code, so callers cannot interleave. The memory only grows (to the largest request seen: callers
// work in bounded blocks), and growing replaces the ArrayBuffer, so views must be taken after
// `reserve`.
import { InvalidArgumentError } from '../../core/index.ts';
import { buildKernelModule } from './wasm-module.ts';
import { compileKernelModule, instantiateKernelModule } from './wasm-runtime.ts';

const PAGE_BYTES = 65536;
/** Largest heap a caller may reserve (bytes); kernels work in blocks well below this. */
export const MAX_HEAP_BYTES = 1 << 30;

/** Raw kernels: addresses in bytes (multiples of 8), strides in elements. See wasm-module.ts. */
export interface WasmKernelFunctions {
  multiply(a: number, b: number, c: number, rows: number, inner: number, cols: number, lda: number, ldb: number, ldc: number, mode: number, bias: number, groupRows?: number): void;
  multiplyTransposed(a: number, b: number, c: number, rows: number, inner: number, cols: number, lda: number, ldb: number, ldc: number, mode: number, bias: number): void;
  scaleRowGroups(source: number, sourceGroupStride: number, scale: number, target: number, groups: number, groupRows: number, cols: number): void;
  tanh(input: number, value: number, derivative: number, count: number, withDerivative: number): void;
  layerNormBackward(g: number, normalized: number, invStd: number, points: number, groupRows: number, width: number, inverseWidth: number): void;
}

export interface WasmKernels extends WasmKernelFunctions {
  /** Make the heap at least `bytes` long and return a Float64Array over all of it (valid until the next reserve). */
  reserve(bytes: number): Float64Array;
  /**
   * Mark the heap as laid out by `owner`; true when `owner` was also the previous claimant, so data
   * it left there (e.g. a model's weights) is still intact and need not be copied again.
   */
  claim(owner: object): boolean;
}

function instantiate(): WasmKernels | null {
  const instance = instantiateKernelModule(compileKernelModule(buildKernelModule()));
  if (!instance) return null;
  const exports = instance.exports as unknown as WasmKernelFunctions & { memory: WebAssembly.Memory };
  const memory = exports.memory;
  let view = new Float64Array(memory.buffer);
  let lastOwner: object | null = null;
  return {
    multiply: exports.multiply,
    multiplyTransposed: exports.multiplyTransposed,
    scaleRowGroups: exports.scaleRowGroups,
    tanh: exports.tanh,
    layerNormBackward: exports.layerNormBackward,
    reserve(bytes: number): Float64Array {
      if (!(bytes <= MAX_HEAP_BYTES)) {
        throw new InvalidArgumentError(`kernel heap request of ${bytes} bytes exceeds the limit of ${MAX_HEAP_BYTES} bytes; work in smaller blocks`);
      }
      const current = memory.buffer.byteLength;
      if (bytes > current) memory.grow(Math.ceil((bytes - current) / PAGE_BYTES));
      if (view.buffer !== memory.buffer) view = new Float64Array(memory.buffer);
      return view;
    },
    claim(owner: object): boolean {
      const intact = owner === lastOwner;
      lastOwner = owner;
      return intact;
    },
  };
}

/** The instance, or null without WebAssembly SIMD; built at module load, once. */
export const wasmKernels: WasmKernels | null = instantiate();
