// The one place where inversa's generated WebAssembly modules are compiled and instantiated, with
// one fallback rule for every kernel family (the Float64 products and tanh of this folder, used by
// MlpModel and the ONNX interpreter; the Float32 training kernels of src/train/float32):
// a module is used only if WebAssembly exists, its SIMD instructions validate, and compiling and
// instantiating succeed. Anything else — an engine without SIMD, synchronous compilation refused
// (a browser's main thread), a Content-Security-Policy without 'wasm-unsafe-eval' (compiling throws)
// — gives null, once; the caller then keeps its JavaScript path for good. Nothing is logged: the
// JS path computes the same results (to rounding), only slower.
// INVERSA_KERNELS=js in the environment turns WebAssembly off for all of them.

/**
 * WebAssembly's Module and Instance types where the compilation declares them (DOM or Node types),
 * `unknown` elsewhere: so the published declarations type-check in a consumer without either.
 */
type WasmModule = typeof globalThis extends { WebAssembly: { Module: abstract new (...args: never) => infer M } } ? M : unknown;
type WasmInstance = typeof globalThis extends { WebAssembly: { Instance: abstract new (...args: never) => infer I } } ? I : unknown;

/** True when the environment variable INVERSA_KERNELS is 'js' (read where `process` exists). */
export function wasmDisabledByEnvironment(): boolean {
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return environment?.INVERSA_KERNELS === 'js';
}

/** Compile generated module bytes, or null when WebAssembly (SIMD) cannot be used here. */
export function compileKernelModule(bytes: Uint8Array<ArrayBuffer>): WasmModule | null {
  if (wasmDisabledByEnvironment()) return null;
  try {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function' || typeof WebAssembly.Instance !== 'function') return null;
    if (!WebAssembly.validate(bytes)) return null; // no SIMD in this engine
    return new WebAssembly.Module(bytes);
  } catch {
    return null; // refused: CSP without 'wasm-unsafe-eval', main-thread size limit, …
  }
}

/** Instantiate a compiled module (its own memory), or null when the engine refuses. */
export function instantiateKernelModule(module: WasmModule | null): WasmInstance | null {
  if (!module) return null;
  try {
    return new WebAssembly.Instance(module, {});
  } catch {
    return null;
  }
}
