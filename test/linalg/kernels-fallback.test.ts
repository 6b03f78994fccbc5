// The one WASM/JS fallback of every kernel family (src/linalg/gemm/wasm-runtime.ts): when
// compiling WebAssembly throws (as under a Content-Security-Policy without 'wasm-unsafe-eval'),
// when instantiating throws, or when WebAssembly is missing altogether, the modules load without
// error, choose 'js' once, and give correct results: products and tanh against their definitions,
// the ONNX fixture's Jacobians against PyTorch's, MlpModel against the same model on the normal
// backend, and training in float64. Each case stubs the global before importing the modules anew.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Products of a few terms agree with the plain sum to rounding. */
const PRODUCT_RTOL = 1e-14;
/** The fixture's reference Jacobians come from PyTorch (float64) at its points. */
const FIXTURE_RTOL = 1e-10;

const FIXTURE = fileURLToPath(new URL('../fixtures/tanh_mlp_7x64x64x4', import.meta.url));
const realWebAssembly = globalThis.WebAssembly;

/** A WebAssembly namespace whose `member` constructor throws what a CSP-refused compile throws. */
function refusing(member: 'Module' | 'Instance'): typeof WebAssembly {
  const stub = Object.create(realWebAssembly) as Record<string, unknown>;
  stub[member] = function refused(): never {
    throw new realWebAssembly.CompileError("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source of script");
  };
  return stub as unknown as typeof WebAssembly;
}

const failures: [string, () => unknown][] = [
  ['compiling throws (CSP without wasm-unsafe-eval)', () => refusing('Module')],
  ['instantiating throws', () => refusing('Instance')],
  ['WebAssembly is missing', () => undefined],
];

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe.each(failures)('when %s', (_label, stub) => {
  async function freshModules() {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', stub());
    const kernels = await import('../../src/linalg/gemm/index.ts');
    const engine = await import('../../src/train/precision.ts');
    const float32 = await import('../../src/linalg/gemm/wasm-float32.ts');
    const onnx = await import('../../src/onnx/load.ts');
    const { Matrix } = await import('../../src/linalg/matrix.ts');
    return { kernels, engine, float32, onnx, Matrix };
  }

  it('the Float64 kernels choose JS once and multiply, multiplyTransposed and tanh are exact', async () => {
    const { kernels } = await freshModules();
    expect(kernels.kernelBackend()).toBe('js');
    expect(kernels.wasmSimdAvailable()).toBe(false);
    expect(kernels.activeWasmKernels()).toBeNull();
    expect(() => kernels.setKernelBackend('wasm-simd')).toThrow(/not available/);
    // [[1, 2, 3], [4, 5, 6]] · [[1, 0], [0, 1], [1, 1]] + bias [10, 20]
    const a = Float64Array.from([1, 2, 3, 4, 5, 6]), b = Float64Array.from([1, 0, 0, 1, 1, 1]);
    const c = new Float64Array(4);
    kernels.multiply(a, b, c, 2, 3, 2, { bias: Float64Array.from([10, 20]) });
    expect(Array.from(c)).toEqual([14, 25, 20, 31]);
    // A·Aᵀ = [[14, 32], [32, 77]]
    kernels.multiplyTransposed(a, a, c, 2, 3, 2);
    expect(Array.from(c)).toEqual([14, 32, 32, 77]);
    const x = Float64Array.from([-3, -0.5, 0, 0.25, 2, 40]);
    const value = new Float64Array(6), derivative = new Float64Array(6);
    kernels.tanh(x, value, derivative, 6);
    for (let k = 0; k < 6; k++) {
      expect(value[k]).toBe(Math.tanh(x[k]));
      expect(Math.abs(derivative[k] - 1 / Math.cosh(x[k]) ** 2)).toBeLessThan(PRODUCT_RTOL);
    }
  });

  it('an ONNX MLP gives PyTorch\'s Jacobians on the interpreter (no fast path without WASM)', async () => {
    const { onnx, Matrix } = await freshModules();
    const reference = JSON.parse(readFileSync(`${FIXTURE}.json`, 'utf8')) as { points: number[][]; jacobians: Record<string, number[][][]> };
    const model = await onnx.loadOnnxModel(new Uint8Array(readFileSync(`${FIXTURE}.onnx`)));
    const jacobian = model.jacobian(Matrix.fromArray(reference.points)).data;
    const expected = Float64Array.from(Object.values(reference.jacobians)[0].flat(2));
    const scale = expected.reduce((largest, v) => Math.max(largest, Math.abs(v)), 0);
    const error = expected.reduce((worst, v, k) => Math.max(worst, Math.abs(jacobian[k] - v)), 0);
    expect(error / scale).toBeLessThan(FIXTURE_RTOL);
  });

  it('training falls back to float64: default precision, and a float32 request gets the float64 network', async () => {
    const { engine, float32 } = await freshModules();
    expect(float32.float32KernelsAvailable()).toBe(false);
    expect(engine.defaultPrecision()).toBe('float64');
    const network = engine.createTrainingNetwork({ kind: 'mlp', inputs: 2, hidden: [3], outputs: 1, activation: 'relu' }, 4, 'float32');
    expect(network.precision).toBe('float64');
    expect(() => float32.createFloat32Kernels(1024)).toThrow(/not usable here/);
  });

  it('a trained model records the precision that ran, not the one requested', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', stub());
    const { prepareData } = await import('../../src/train/prepare.ts');
    const { trainForward } = await import('../../src/train/forward.ts');
    const { Matrix } = await import('../../src/linalg/matrix.ts');
    const x = new Matrix(40, 1, Float64Array.from({ length: 40 }, (_, k) => k / 39));
    const y = new Matrix(40, 1, Float64Array.from(x.data, (value) => 2 * value + 1));
    const data = prepareData({ x, y, inputNames: ['x'], outputNames: ['y'] }, { seed: 1 });
    const result = trainForward(data, { precision: 'float32', epochs: 2, hidden: [3], seed: 1 });
    expect(result.network.precision).toBe('float64');
    expect(result.options.precision).toBe('float64');
  });
});

describe('with WebAssembly SIMD usable (the modules as loaded normally)', () => {
  it('both kernel families are on unless INVERSA_KERNELS=js', async () => {
    vi.resetModules();
    const kernels = await import('../../src/linalg/gemm/index.ts');
    const float32 = await import('../../src/linalg/gemm/wasm-float32.ts');
    const wanted = process.env.INVERSA_KERNELS !== 'js';
    expect(kernels.kernelBackend()).toBe(wanted ? 'wasm-simd' : 'js');
    expect(float32.float32KernelsAvailable()).toBe(wanted);
  });
});
