// Interval bounds must enclose f over the box: sampled points (and box corners) of every ONNX
// fixture and of MLPs of every activation lie inside them, and they are not trivially infinite.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { outputBounds } from '../../src/model/intervals.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { ACTIVATIONS } from '../../src/model/mlp-spec.ts';
import type { Model } from '../../src/model/model.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');

function checkEncloses(model: Model, lower: Float64Array, upper: Float64Array, seed: number): Float64Array {
  const bounds = outputBounds(model, { lower, upper });
  expect(bounds).not.toBeNull();
  const n = lower.length, m = model.outputNames.length, count = 400;
  const random = new Random(seed);
  const x = new Matrix(count, n);
  for (let k = 0; k < count; k++) {
    for (let j = 0; j < n; j++) {
      // A quarter of the points on the faces of the box, where the extremes of a monotone chain sit.
      const u = k % 4 === 0 ? (random.uniform() < 0.5 ? 0 : 1) : random.uniform();
      x.data[k * n + j] = lower[j] + u * (upper[j] - lower[j]);
    }
  }
  const y = model.forward(x);
  const width = new Float64Array(m);
  for (let k = 0; k < count; k++) {
    for (let i = 0; i < m; i++) {
      const v = y.data[k * m + i];
      expect(v).toBeGreaterThanOrEqual(bounds!.lower[i]);
      expect(v).toBeLessThanOrEqual(bounds!.upper[i]);
    }
  }
  for (let i = 0; i < m; i++) width[i] = bounds!.upper[i] - bounds!.lower[i];
  return width;
}

describe('sound output bounds over a box', () => {
  for (const file of ['tanh_mlp_7x64x64x4', 'op_zoo', 'batchnorm_mlp', 'resmlp_blast_furnace', 'float64_mixed_activations', 'handmade_ops', 'two_outputs']) {
    it(`encloses sampled outputs of ${file}.onnx`, async () => {
      const bytes = readFileSync(path.join(FIXTURES, `${file}.onnx`));
      const model = await loadOnnxModel(new Uint8Array(bytes), { source: file });
      const n = model.inputNames.length;
      const lower = new Float64Array(n).fill(-0.8), upper = new Float64Array(n).fill(0.6);
      const width = checkEncloses(model, lower, upper, 7);
      expect(width.some(Number.isFinite)).toBe(true);
    });
  }

  for (const activation of ACTIVATIONS) {
    it(`encloses an MLP with ${activation}`, () => {
      const random = new Random(3);
      const layer = (inputs: number, outputs: number) => ({
        inputs, outputs,
        weight: Float64Array.from({ length: inputs * outputs }, () => random.between(-1.5, 1.5)),
        bias: Float64Array.from({ length: outputs }, () => random.between(-0.5, 0.5)),
      });
      const model = new MlpModel({
        kind: 'mlp', inputNames: ['a', 'b', 'c'], outputNames: ['u', 'v'], activation,
        layers: [layer(3, 8), layer(8, 8), layer(8, 2)],
        inputScaling: { mean: Float64Array.of(10, 0, -3), std: Float64Array.of(5, 0.1, 2) },
      });
      const width = checkEncloses(model, Float64Array.of(0, -0.2, -6), Float64Array.of(20, 0.2, 0), 11);
      expect(width.every(Number.isFinite)).toBe(true);
    });
  }

  it('a thin box gives a thin bound around f(centre)', () => {
    const random = new Random(5);
    const model = new MlpModel({
      kind: 'mlp', inputNames: ['a', 'b'], outputNames: ['u'], activation: 'tanh',
      layers: [{ inputs: 2, outputs: 4, weight: Float64Array.from({ length: 8 }, () => random.between(-1, 1)), bias: new Float64Array(4) },
        { inputs: 4, outputs: 1, weight: Float64Array.of(1, -1, 0.5, 2), bias: new Float64Array(1) }],
    });
    const bounds = outputBounds(model, { lower: Float64Array.of(0.3, 0.3), upper: Float64Array.of(0.3 + 1e-9, 0.3 + 1e-9) })!;
    const y = model.forward(new Matrix(1, 2, Float64Array.of(0.3, 0.3))).data[0];
    expect(bounds.upper[0] - bounds.lower[0]).toBeLessThan(1e-7);
    expect(y).toBeGreaterThanOrEqual(bounds.lower[0]);
    expect(y).toBeLessThanOrEqual(bounds.upper[0]);
  });
});
