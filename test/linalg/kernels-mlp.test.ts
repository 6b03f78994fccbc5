// MlpModel on the WASM SIMD kernels against the same model on the forced JS fallback, and the WASM
// path's Jacobian against central differences of its own forward (so a shared mistake in both
// backends would still be caught). The model tests in test/model run on the default backend.
import { afterEach, describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { kernelBackend, setKernelBackend, wasmSimdAvailable } from '../../src/linalg/gemm/index.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import type { Activation } from '../../src/model/mlp-spec.ts';
import { randomMlpSpec, randomPoints, type RandomSpecOptions } from '../model/mlp-random-spec.ts';

/** The backends agree to rounding: far tighter than any Jacobian error, far looser than ε. */
const BACKEND_RTOL = 1e-12;
/**
 * With input scaling folded into the first layer (W/std, b − W·mean/std), pre-activations come from
 * a sum with cancellation of ~mean/std (up to ~10³ for the random scalings), so rounding differences
 * of the summation order grow by that factor in the activation derivatives; still 10⁹× below a bug.
 */
const FOLDED_SCALING_RTOL = 1e-10;
/** Central differences with step h·(1 + |x|) have error O(h²) + O(ε/h): about 1e-10 relative at h = 1e-5. */
const CENTRAL_DIFFERENCE_STEP = 1e-5;
const CENTRAL_DIFFERENCE_RTOL = 1e-7;

const initial = kernelBackend();
afterEach(() => { setKernelBackend(initial); });

function maxRelative(actual: Float64Array, expected: Float64Array, perPoint: number): number {
  let worst = 0;
  for (let start = 0; start < expected.length; start += perPoint) {
    let scale = 0;
    for (let k = start; k < start + perPoint; k++) scale = Math.max(scale, Math.abs(expected[k]));
    for (let k = start; k < start + perPoint; k++) worst = Math.max(worst, Math.abs(actual[k] - expected[k]) / (scale || 1));
  }
  return worst;
}

function bothBackends(options: RandomSpecOptions, count: number) {
  const spec = randomMlpSpec(options);
  const model = new MlpModel(spec);
  const x = new Matrix(count, spec.inputNames.length, randomPoints(spec, count, 5));
  setKernelBackend('wasm-simd');
  const wasm = model.forwardWithJacobian(x);
  const wasmForwardOnly = model.forward(x);
  setKernelBackend('js');
  const js = model.forwardWithJacobian(x);
  return { model, x, wasm, wasmForwardOnly, js, n: spec.inputNames.length, m: spec.outputNames.length };
}

const ACTIVATIONS: Activation[] = ['tanh', 'relu', 'leaky-relu', 'sigmoid', 'elu', 'softplus', 'gelu', 'identity'];

describe.skipIf(!wasmSimdAvailable())('MlpModel: WASM SIMD path equals the JS fallback', () => {
  for (const activation of ACTIVATIONS) {
    for (const scaling of [false, true]) {
      it(`${activation}, 7→64→64→4${scaling ? ' with scalings' : ''}, 300 points (several blocks, a partial last one)`, () => {
        const { wasm, wasmForwardOnly, js, n, m } = bothBackends({ activation, hidden: [64, 64], scaling, seed: 50 }, 300);
        const tolerance = scaling ? FOLDED_SCALING_RTOL : BACKEND_RTOL;
        expect(maxRelative(wasm.y.data, js.y.data, m)).toBeLessThan(tolerance);
        expect(maxRelative(wasm.jacobian.data, js.jacobian.data, m * n)).toBeLessThan(tolerance);
        expect(Array.from(wasmForwardOnly.data)).toEqual(Array.from(wasm.y.data));
      });
    }
  }

  const shapes: [string, RandomSpecOptions, number][] = [
    ['resmlp with skip', { kind: 'resmlp', hidden: [12, 10], scaling: true, seed: 51 }, 129],
    ['input and output projections, three hidden layers of odd widths', { hidden: [9, 5, 11], inputProjection: 3, outputProjection: 6, inputs: 5, outputs: 2, scaling: true, seed: 52 }, 257],
    ['one hidden layer, one input, one output, one point', { inputs: 1, outputs: 1, hidden: [3], seed: 53 }, 1],
    ['tall Jacobians (m > n), narrow layers', { inputs: 2, outputs: 9, hidden: [1, 7], seed: 54 }, 128],
    ['no hidden layers (affine)', { hidden: [], scaling: true, seed: 55 }, 5],
    ['wide layers (130) around the block size', { hidden: [130], seed: 56 }, 127],
  ];
  for (const [label, options, count] of shapes) {
    it(label, () => {
      const { wasm, js, n, m } = bothBackends(options, count);
      const tolerance = options.scaling ? FOLDED_SCALING_RTOL : BACKEND_RTOL;
      expect(maxRelative(wasm.y.data, js.y.data, m)).toBeLessThan(tolerance);
      expect(maxRelative(wasm.jacobian.data, js.jacobian.data, m * n)).toBeLessThan(tolerance);
    });
  }

  it('zero points give empty results on the WASM path', () => {
    setKernelBackend('wasm-simd');
    const model = new MlpModel(randomMlpSpec({ seed: 57 }));
    const result = model.forwardWithJacobian(new Matrix(0, 7));
    expect(result.y.rows).toBe(0);
    expect(result.jacobian.count).toBe(0);
  });

  it('two models alternating on the shared heap keep their own weights', () => {
    setKernelBackend('wasm-simd');
    const first = new MlpModel(randomMlpSpec({ seed: 58 })), second = new MlpModel(randomMlpSpec({ seed: 59 }));
    const x = new Matrix(3, 7, randomPoints(randomMlpSpec({ seed: 58 }), 3));
    const a1 = first.forward(x).data.slice(), b1 = second.forward(x).data.slice();
    const a2 = first.forward(x).data, b2 = second.forward(x).data;
    expect(Array.from(a2)).toEqual(Array.from(a1));
    expect(Array.from(b2)).toEqual(Array.from(b1));
    expect(a1[0]).not.toBe(b1[0]);
  });

  it('the WASM Jacobian of the 7→64→64→4 tanh model matches central differences of its forward', () => {
    setKernelBackend('wasm-simd');
    const spec = randomMlpSpec({ hidden: [64, 64], seed: 60 });
    const model = new MlpModel(spec);
    const count = 4, n = 7, m = 4;
    const x = new Matrix(count, n, randomPoints(spec, count, 61));
    const jacobian = model.jacobian(x).data;
    const numeric = new Float64Array(count * m * n);
    for (let j = 0; j < n; j++) {
      const plus = new Matrix(count, n, x.data.slice()), minus = new Matrix(count, n, x.data.slice());
      const steps = new Float64Array(count);
      for (let p = 0; p < count; p++) {
        steps[p] = CENTRAL_DIFFERENCE_STEP * (1 + Math.abs(x.data[p * n + j]));
        plus.data[p * n + j] += steps[p];
        minus.data[p * n + j] -= steps[p];
      }
      const yPlus = model.forward(plus).data, yMinus = model.forward(minus).data;
      for (let p = 0; p < count; p++) for (let r = 0; r < m; r++) numeric[p * m * n + r * n + j] = (yPlus[p * m + r] - yMinus[p * m + r]) / (2 * steps[p]);
    }
    expect(maxRelative(jacobian, numeric, m * n)).toBeLessThan(CENTRAL_DIFFERENCE_RTOL);
  });
});
