// MlpModel against an independent ml-matrix evaluation of the spec (no folding), against central
// differences of its own forward pass, and for its shape errors.
import { Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { InversaError, NonFiniteError, ShapeError } from '../../src/core/errors.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { activationDerivative, activationValue } from '../../src/model/activations.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { ACTIVATIONS, type DenseLayer, type MlpSpec } from '../../src/model/mlp-spec.ts';
import { randomMlpSpec, randomPoints, type RandomSpecOptions } from './mlp-random-spec.ts';

const weightOf = (layer: DenseLayer) => new MlMatrix(Array.from({ length: layer.outputs }, (_, i) => Array.from(layer.weight.subarray(i * layer.inputs, (i + 1) * layer.inputs))));
const column = (values: ArrayLike<number>) => MlMatrix.columnVector(Array.from(values));

/** Direct evaluation of the documented order of operations, with explicit Jacobian products. */
function reference(spec: MlpSpec, x: number[]): { y: number[]; jacobian: MlMatrix } {
  const n = spec.inputNames.length;
  const parameter = spec.activationParameter;
  let s = column(x);
  let chain = MlMatrix.eye(n); // ∂(current vector)/∂x
  if (spec.inputScaling) {
    const { mean, std } = spec.inputScaling;
    s = column(x.map((v, k) => (v - mean[k]) / std[k]));
    chain = MlMatrix.diag(Array.from(std, (v) => 1 / v)).mmul(chain);
  }
  if (spec.inputProjection) {
    const P = weightOf(spec.inputProjection);
    s = P.mmul(s).add(column(spec.inputProjection.bias));
    chain = P.mmul(chain);
  }
  const inputChain = chain.clone(), scaled = s.clone();
  let h = s;
  const hiddenCount = spec.layers.length - 1;
  for (let l = 0; l < hiddenCount; l++) {
    const layer = spec.layers[l];
    const pre = weightOf(layer).mmul(h).add(column(layer.bias)).to1DArray();
    h = column(pre.map((v) => activationValue(spec.activation, v, parameter)));
    const D = MlMatrix.diag(pre.map((v) => activationDerivative(spec.activation, v, parameter)));
    chain = D.mmul(weightOf(layer)).mmul(chain);
  }
  if (spec.kind === 'resmlp' && spec.skip) {
    h = h.add(weightOf(spec.skip).mmul(scaled).add(column(spec.skip.bias)));
    chain = chain.add(weightOf(spec.skip).mmul(inputChain));
  }
  const out = spec.layers[hiddenCount];
  let z = weightOf(out).mmul(h).add(column(out.bias));
  chain = weightOf(out).mmul(chain);
  if (spec.outputProjection) {
    z = weightOf(spec.outputProjection).mmul(z).add(column(spec.outputProjection.bias));
    chain = weightOf(spec.outputProjection).mmul(chain);
  }
  if (spec.outputScaling) {
    const { mean, std } = spec.outputScaling;
    z = column(z.to1DArray().map((v, k) => v * std[k] + mean[k]));
    chain = MlMatrix.diag(Array.from(std)).mmul(chain);
  }
  return { y: z.to1DArray(), jacobian: chain };
}

function maxRelativeDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0, worst = 0;
  for (let k = 0; k < expected.length; k++) scale = Math.max(scale, Math.abs(expected[k]));
  for (let k = 0; k < expected.length; k++) worst = Math.max(worst, Math.abs(actual[k] - expected[k]) / (scale || 1));
  return worst;
}

function checkAgainstReference(options: RandomSpecOptions, count: number): void {
  const spec = randomMlpSpec(options);
  const model = new MlpModel(spec);
  const n = spec.inputNames.length, m = spec.outputNames.length;
  const x = new Matrix(count, n, randomPoints(spec, count, 7));
  const { y, jacobian } = model.forwardWithJacobian(x);
  const inputStd = spec.inputScaling?.std ?? new Float64Array(n).fill(1);
  const outputStd = spec.outputScaling?.std ?? new Float64Array(m).fill(1);
  expect(jacobian.count).toBe(count);
  expect([jacobian.rows, jacobian.cols]).toEqual([m, n]);
  for (let i = 0; i < count; i++) {
    const expected = reference(spec, Array.from(x.row(i)));
    expect(maxRelativeDifference(y.row(i), expected.y), `y at point ${i}`).toBeLessThan(1e-11);
    // Compare in standardized units, where entries are all of order one whatever the scalings.
    const unit = (values: ArrayLike<number>) => Array.from(values, (v, k) => v * inputStd[k % n] / outputStd[Math.floor(k / n)]);
    expect(maxRelativeDifference(unit(jacobian.view(i).data), unit(expected.jacobian.to1DArray())), `J at point ${i}`).toBeLessThan(1e-11);
  }
  // forward() and jacobian() alone give the same numbers as the combined call.
  expect(model.forward(x).data).toEqual(y.data);
  expect(model.jacobian(x).data).toEqual(jacobian.data);
}

describe('MlpModel: exact Jacobian against explicit ml-matrix products', () => {
  for (const activation of ACTIVATIONS) {
    it(`${activation}, dense mlp with scalings`, () => checkAgainstReference({ activation, scaling: true, seed: 11 }, 9));
    it(`${activation}, resmlp with skip`, () => checkAgainstReference({ activation, kind: 'resmlp', hidden: [12, 10], scaling: true, seed: 12 }, 6));
  }
  it('input and output projections (PCA-style), three hidden layers, odd batch size', () =>
    checkAgainstReference({ activation: 'gelu', hidden: [9, 7, 5], inputProjection: 4, outputProjection: 6, scaling: true, seed: 13 }, 131));
  it('custom LeakyReLU slope and ELU alpha', () => {
    checkAgainstReference({ activation: 'leaky-relu', activationParameter: 0.2, seed: 14 }, 5);
    checkAgainstReference({ activation: 'elu', activationParameter: 0.7, seed: 15 }, 5);
  });
  it('no hidden layers: an affine model with a constant Jacobian', () => checkAgainstReference({ hidden: [], scaling: true, seed: 16 }, 3));
  it('m > n (tall Jacobians) and a single point', () => checkAgainstReference({ inputs: 2, outputs: 5, hidden: [8], seed: 17 }, 1));
  it('the reference shape 7→64→64→4 resmlp over several blocks', () => checkAgainstReference({ kind: 'resmlp', hidden: [64, 64], activation: 'relu', scaling: true, seed: 18 }, 300));
});

describe('MlpModel: Jacobian against central differences of forward', () => {
  for (const activation of ACTIVATIONS.filter((a) => a !== 'relu' && a !== 'leaky-relu')) {
    it(activation, () => {
      const spec = randomMlpSpec({ activation, kind: 'resmlp', hidden: [10, 8], scaling: true, seed: 21 });
      const model = new MlpModel(spec);
      const n = spec.inputNames.length, m = spec.outputNames.length;
      const points = randomPoints(spec, 4, 5);
      const jacobian = model.jacobian(new Matrix(4, n, points.slice()));
      for (let i = 0; i < 4; i++) {
        const x = points.slice(i * n, (i + 1) * n);
        for (let j = 0; j < n; j++) {
          const h = 1e-6 * spec.inputScaling!.std[j];
          const plus = x.slice(), minus = x.slice();
          plus[j] += h; minus[j] -= h;
          const both = model.forward(new Matrix(2, n, Float64Array.from([...plus, ...minus])));
          for (let r = 0; r < m; r++) {
            const numeric = (both.get(0, r) - both.get(1, r)) / (2 * h);
            const exact = jacobian.data[(i * m + r) * n + j];
            const scale = spec.outputScaling!.std[r] / spec.inputScaling!.std[j];
            // Truncation O(h²) plus rounding of y (|y| may be dominated by the output mean) over 2h.
            const rounding = (64 * Number.EPSILON * Math.max(Math.abs(both.get(0, r)), Math.abs(both.get(1, r)))) / (2 * h);
            expect(Math.abs(exact - numeric), `∂y${r + 1}/∂x${j + 1} at point ${i}`).toBeLessThan(1e-7 * scale + rounding);
          }
        }
      }
    });
  }
});

describe('MlpModel: metadata and validation', () => {
  it('meta carries the scalings as training mean/std, spec.meta on top', () => {
    const spec = randomMlpSpec({ scaling: true });
    spec.meta = { outputUnits: ['°C', 'K', 't/h', 'K'], source: 'test' };
    const model = new MlpModel(spec);
    expect(Array.from(model.meta.inputMean!)).toEqual(Array.from(spec.inputScaling!.mean));
    expect(Array.from(model.meta.outputStd!)).toEqual(Array.from(spec.outputScaling!.std));
    expect(model.meta.outputUnits).toEqual(['°C', 'K', 't/h', 'K']);
    expect(model.meta.source).toBe('test');
    expect(model.meta.approximateJacobian).toBe(false);
  });

  it('a layer whose inputs do not match the previous width is named in the error', () => {
    const spec = randomMlpSpec({ hidden: [8, 6] });
    spec.layers[1] = { ...spec.layers[1], inputs: 5, weight: new Float64Array(5 * 6) };
    expect(() => new MlpModel(spec)).toThrow(ShapeError);
    expect(() => new MlpModel(spec)).toThrow(/layers\[1\] \(hidden layer 2\) takes 5 inputs but layers\[0\] \(hidden layer 1\) gives 8/);
  });

  it('weight length, output count, skip shape and scaling errors are typed and specific', () => {
    const badWeight = randomMlpSpec();
    badWeight.layers[0] = { ...badWeight.layers[0], weight: new Float64Array(3) };
    expect(() => new MlpModel(badWeight)).toThrow(/layers\[0\] \(hidden layer 1\)\.weight has 3 entries, expected outputs×inputs = 16×7/);
    const badOutputs = randomMlpSpec();
    badOutputs.outputNames = ['a', 'b'];
    expect(() => new MlpModel(badOutputs)).toThrow(/ends with 4 values but has 2 outputNames/);
    const badSkip = randomMlpSpec({ kind: 'resmlp' });
    badSkip.skip = randomMlpSpec({ hidden: [3] }).layers[0];
    expect(() => new MlpModel(badSkip)).toThrow(/skip is 3×7 but must map the 7 .* inputs to the last hidden width 16/);
    const badStd = randomMlpSpec({ scaling: true });
    badStd.inputScaling!.std[2] = 0;
    expect(() => new MlpModel(badStd)).toThrow(/inputScaling\.std\[2\] is 0/);
    const nanWeight = randomMlpSpec();
    nanWeight.layers[2].weight[5] = NaN;
    expect(() => new MlpModel(nanWeight)).toThrow(NonFiniteError);
  });

  it('rejects points with the wrong column count or NaN, naming the sizes and the entry', () => {
    const model = new MlpModel(randomMlpSpec());
    expect(() => model.forward(new Matrix(3, 6))).toThrow(/x is 3×6 but the model takes 7 inputs/);
    const x = new Matrix(2, 7);
    x.set(1, 4, NaN);
    expect(() => model.jacobian(x)).toThrow(/row 1, column 4/);
    expect(() => model.jacobian(x)).toThrow(InversaError);
  });

  it('overflowing weights give a clear error, not silent Infinity', () => {
    const spec = randomMlpSpec({ activation: 'identity', hidden: [4] });
    spec.layers[0].weight.fill(1e300);
    const model = new MlpModel(spec);
    expect(() => model.forward(new Matrix(1, 7, new Float64Array(7).fill(1e10)))).toThrow(/not finite/);
  });

  it('zero points give empty results', () => {
    const model = new MlpModel(randomMlpSpec());
    expect(model.forward(new Matrix(0, 7)).rows).toBe(0);
    expect(model.jacobian(new Matrix(0, 7)).count).toBe(0);
  });
});
