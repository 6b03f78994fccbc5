// Interval bounds must enclose f over the box: sampled points (and box corners) of every ONNX
// fixture and of MLPs of every activation lie inside them, and they are not trivially infinite.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { outputBounds } from '../../src/model/intervals.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { ACTIVATIONS } from '../../src/model/mlp-spec.ts';
import type { Model } from '../../src/model/model.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { solve } from '../../src/solve/solve.ts';

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

// Every operator-coverage fixture (PyTorch exports, opsets 13–21, float32 and float64): the bound
// encloses 400 sampled outputs (a quarter on the faces) of a wide and of a narrow box, and is finite.
describe('sound, finite output bounds on every operator-coverage fixture', () => {
  const directory = path.join(FIXTURES, 'coverage');
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.onnx')).sort()) {
    it(`encloses sampled outputs of coverage/${file}`, async () => {
      const model = await loadOnnxModel(new Uint8Array(readFileSync(path.join(directory, file))), { source: file });
      const n = model.inputNames.length;
      const wide = checkEncloses(model, new Float64Array(n).fill(-1.5), new Float64Array(n).fill(1.2), 17);
      const centre = Float64Array.from({ length: n }, (_, j) => 0.3 - 0.2 * j);
      const narrow = checkEncloses(model, centre.map((v) => v - 1e-6), centre.map((v) => v + 1e-6), 19);
      expect(Array.from(wide).every(Number.isFinite), `wide widths ${Array.from(wide)}`).toBe(true);
      expect(Array.from(narrow).every(Number.isFinite), `narrow widths ${Array.from(narrow)}`).toBe(true);
    });
  }
});

// The point of these bounds: on LayerNorm / Softmax / GroupNorm graphs a target outside the sound range is
// PROVEN unreachable (before the rules of onnx/interval-rules.ts these graphs had (−∞, ∞) bounds and
// such targets came back "not-reached"), while reachable targets still converge.
describe('unreachable targets on normalization and softmax graphs', () => {
  const graphs = ['layer_norm.f64.op17', 'layer_norm.f32.op13', 'layer_norm_opset17.f64.op17', 'softmax.f64.op13', 'log_softmax.f32.op17', 'group_norm.f64.op17'];
  for (const name of graphs) {
    it(`coverage/${name}.onnx: a far target is infeasible-within-bounds, a reachable one converges`, async () => {
      const model = await loadOnnxModel(new Uint8Array(readFileSync(path.join(FIXTURES, 'coverage', `${name}.onnx`))), { source: name });
      const n = model.inputNames.length, m = model.outputNames.length;
      const lower = new Float64Array(n).fill(-1.5), upper = new Float64Array(n).fill(1.5);
      const bounds = outputBounds(model, { lower, upper })!;
      expect(Array.from(bounds.lower).every(Number.isFinite) && Array.from(bounds.upper).every(Number.isFinite)).toBe(true);
      const random = new Random(23);
      const truth = new Matrix(1, n, Float64Array.from({ length: n }, () => random.between(-1.5, 1.5)));
      const reachable = model.forward(truth);
      // Far: output 0 beyond its upper bound by the bound's width; the other outputs reachable values.
      const far = Float64Array.from(reachable.data);
      far[0] = bounds.upper[0] + (bounds.upper[0] - bounds.lower[0]) + 1;
      const report = solve(model, new Matrix(2, m, Float64Array.from([...far, ...reachable.data])), { lower, upper, seed: 3 });
      expect(report.results[0].status).toBe('infeasible-within-bounds');
      expect(report.results[0].message).toMatch(/proven/);
      expect(report.results[1].status, report.results[1].message).toBe('converged');
      // Not vacuous near a point either: a box of width 2e-6 gives outputs of width < 1e-3 (measured ≤ 4e-5).
      const narrow = outputBounds(model, { lower: truth.data.map((v) => v - 1e-6), upper: truth.data.map((v) => v + 1e-6) })!;
      for (let i = 0; i < m; i++) {
        expect(narrow.upper[i] - narrow.lower[i]).toBeLessThan(1e-3);
        expect(reachable.data[i]).toBeGreaterThanOrEqual(narrow.lower[i]);
        expect(reachable.data[i]).toBeLessThanOrEqual(narrow.upper[i]);
      }
    });
  }
});
