// MlpSpec.layerNorms: hidden layers with a layer normalization before the activation. The exact
// Jacobian equals central differences of the forward pass (an independent check of the reverse
// step r(I − 11ᵀ/w − x̂x̂ᵀ/w)·γ), the WebAssembly and JS backends agree to rounding (odd widths
// exercise the scalar tails of the SIMD kernel), and bad layerNorms are one-line errors.
import { afterEach, describe, expect, it } from 'vitest';
import { kernelBackend, setKernelBackend, wasmSimdAvailable } from '../../src/linalg/gemm/index.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import type { Activation, MlpSpec } from '../../src/model/mlp-spec.ts';
import { randomMlpSpec, randomPoints } from './mlp-random-spec.ts';

/** Two backends differ only in summation order (and mean = Σ·(1/w) vs Σ/w); scaled inputs span e^±4. */
const BACKEND_RTOL = 1e-12;
/** Central differences with h = 1e-5 in standardized units: truncation O(h²) plus rounding O(ε/h). */
const DIFFERENCE_RTOL = 1e-7;

const initial = kernelBackend();
afterEach(() => { setKernelBackend(initial); });

function withNorms(activation: Activation, hidden: number[], seed: number): MlpSpec {
  const spec = randomMlpSpec({ inputs: 5, hidden, outputs: 3, activation, scaling: true, seed });
  const random = new Random(seed + 100);
  spec.layerNorms = hidden.map((width, l) => (l === 1 && hidden.length > 2 ? null : {
    scale: Float64Array.from({ length: width }, () => 1 + random.normal(0, 0.3)),
    bias: Float64Array.from({ length: width }, () => random.normal(0, 0.3)),
    epsilon: 1e-5,
  }));
  return spec;
}

function maxRelative(actual: Float64Array, expected: Float64Array): number {
  const scale = expected.reduce((largest, v) => Math.max(largest, Math.abs(v)), 0);
  return actual.reduce((worst, v, k) => Math.max(worst, Math.abs(v - expected[k]) / scale), 0);
}

describe('MlpModel with layer normalization', () => {
  for (const [activation, hidden] of [['tanh', [9, 7, 8]], ['sigmoid', [16, 12]], ['identity', [6]]] as [Activation, number[]][]) {
    it(`${activation} ${hidden.join('→')}: Jacobian equals central differences; backends agree`, () => {
      const spec = withNorms(activation, hidden, 3);
      const model = new MlpModel(spec);
      const x = new Matrix(40, 5, randomPoints(spec, 40, 2));
      setKernelBackend('js');
      const js = model.forwardWithJacobian(x);
      const std = spec.inputScaling!.std, h = 1e-5;
      const differences = new Float64Array(js.jacobian.data.length);
      for (let j = 0; j < 5; j++) {
        const up = new Matrix(40, 5, x.data.slice()), down = new Matrix(40, 5, x.data.slice());
        for (let p = 0; p < 40; p++) { up.data[p * 5 + j] += h * std[j]; down.data[p * 5 + j] -= h * std[j]; }
        const yUp = model.forward(up).data, yDown = model.forward(down).data;
        for (let p = 0; p < 40; p++) for (let r = 0; r < 3; r++) differences[p * 15 + r * 5 + j] = (yUp[p * 3 + r] - yDown[p * 3 + r]) / (2 * h * std[j]);
      }
      expect(maxRelative(js.jacobian.data, differences)).toBeLessThan(DIFFERENCE_RTOL);
      if (!wasmSimdAvailable()) return;
      setKernelBackend('wasm-simd');
      const wasm = model.forwardWithJacobian(x);
      expect(maxRelative(wasm.y.data, js.y.data)).toBeLessThan(BACKEND_RTOL);
      expect(maxRelative(wasm.jacobian.data, js.jacobian.data)).toBeLessThan(BACKEND_RTOL);
    });
  }

  it('a layer normalization with γ = 1, β = 0 makes every hidden row mean 0, variance 1/(1 + ε/var)', () => {
    const spec = randomMlpSpec({ inputs: 3, hidden: [8], outputs: 8, activation: 'identity', seed: 5 });
    spec.layers[1] = { inputs: 8, outputs: 8, weight: Float64Array.from({ length: 64 }, (_, k) => (k % 9 === 0 ? 1 : 0)), bias: new Float64Array(8) };
    spec.layerNorms = [{ scale: new Float64Array(8).fill(1), bias: new Float64Array(8), epsilon: 0 }];
    const y = new MlpModel(spec).forward(new Matrix(4, 3, randomPoints(spec, 4, 1))).data;
    for (let p = 0; p < 4; p++) {
      const row = y.subarray(p * 8, p * 8 + 8);
      const mean = row.reduce((a, b) => a + b, 0) / 8;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / 8;
      expect(Math.abs(mean)).toBeLessThan(1e-15 * 8);
      expect(variance).toBeCloseTo(1, 14);
    }
  });

  it('outputBounds enclose the outputs at random points of the box and at its corners', () => {
    for (const activation of ['tanh', 'relu', 'identity'] as Activation[]) {
      const spec = withNorms(activation, [9, 7, 8], 6);
      const model = new MlpModel(spec);
      const mean = spec.inputScaling!.mean, std = spec.inputScaling!.std;
      const lower = mean.map((m, k) => m - 3 * std[k]), upper = mean.map((m, k) => m + 3 * std[k]);
      const bounds = model.outputBounds(lower, upper);
      const random = new Random(9);
      const x = new Matrix(500, 5);
      for (let p = 0; p < 500; p++) {
        for (let k = 0; k < 5; k++) x.data[p * 5 + k] = p < 32 ? ((p >> k) & 1 ? upper[k] : lower[k]) : lower[k] + random.uniform() * (upper[k] - lower[k]);
      }
      const y = model.forward(x).data;
      for (let p = 0; p < 500; p++) {
        for (let r = 0; r < 3; r++) {
          expect(y[p * 3 + r]).toBeGreaterThanOrEqual(bounds.lower[r]);
          expect(y[p * 3 + r]).toBeLessThanOrEqual(bounds.upper[r]);
        }
      }
    }
  });

  it('bad layerNorms are one-line errors naming the entry', () => {
    const spec = withNorms('tanh', [6, 4], 1);
    expect(() => new MlpModel({ ...spec, layerNorms: [null] })).toThrow(/layerNorms has 1 entries, expected one per hidden layer \(2/);
    expect(() => new MlpModel({ ...spec, layerNorms: [null, { scale: new Float64Array(3), bias: new Float64Array(4), epsilon: 0 }] })).toThrow(/layerNorms\[1\]\.scale has 3 entries, expected 4/);
    expect(() => new MlpModel({ ...spec, layerNorms: [null, { scale: new Float64Array(4), bias: new Float64Array(4), epsilon: -1 }] })).toThrow(/layerNorms\[1\]\.epsilon is -1/);
  });
});
