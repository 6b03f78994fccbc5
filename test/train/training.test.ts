// End-to-end training on the built-in datasets, with the acceptance checks:
// forward test R² ≥ 0.99 on `arm` (smooth, noise-free), inverse re-simulation better with α > 0
// than with α = 0 at a fixed seed, same seed → bitwise identical weights, dropout off whenever the
// trained model is evaluated or differentiated. Sizes are kept small (a few seconds in total).
import { describe, expect, it } from 'vitest';
import { generateDataset, getDataset } from '../../src/data/datasets/index.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { float64Copy } from '../../src/train/precision.ts';
import { float32KernelsAvailable } from '../../src/linalg/gemm/wasm-float32.ts';
import { trainForward } from '../../src/train/forward.ts';
import { alphaAt, parseAlphaSchedule, trainInverse } from '../../src/train/inverse.ts';
import { trainModels } from '../../src/train/pipeline.ts';
import { prepareData, type TrainingTable } from '../../src/train/prepare.ts';

function table(name: string, rows: number, seed: number): TrainingTable {
  const generated = generateDataset(name, rows, seed);
  return { x: generated.inputs, y: generated.outputs, inputNames: generated.inputNames, outputNames: generated.outputNames };
}

const ARM = table('arm', 1500, 3);
const FAST = { epochs: 40, patience: 1000 };

describe('forward training', () => {
  const data = prepareData(ARM, { seed: 42 });
  const forward = trainForward(data, { ...FAST, seed: 42 });

  it('reaches test R² ≥ 0.99 on every output of arm', () => {
    for (const score of forward.test) expect(score.r2).toBeGreaterThanOrEqual(0.99);
  });

  it('its exported spec (standardization inside) reproduces the test scores through MlpModel', () => {
    const model = new MlpModel(forward.spec);
    const testRows = data.split.test;
    const x = new Matrix(testRows.length, 4);
    testRows.forEach((row, k) => x.data.set(ARM.x.data.subarray(row * 4, row * 4 + 4), k * 4));
    const y = model.forward(x);
    let squares = 0;
    testRows.forEach((row, k) => (squares += (y.data[k * 2] - ARM.y.data[row * 2]) ** 2));
    expect(Math.sqrt(squares / testRows.length)).toBeCloseTo(forward.test[0].rmse, 10);
  });

  it('keeps the weights of the best validation epoch', () => {
    const { history, bestEpoch, bestMonitor } = forward.loop;
    expect(bestMonitor).toBe(Math.min(...history.map((record) => record.monitor)));
    expect(history[bestEpoch - 1].monitor).toBe(bestMonitor);
  });

  it('stops early when the validation loss stops improving (patience)', () => {
    const result = trainForward(data, { epochs: 400, patience: 2, learningRate: 0.05, seed: 42, hidden: [8] });
    expect(result.loop.stoppedEarly).toBe(true);
    expect(result.loop.epochsRun).toBeLessThan(400);
    expect(result.loop.epochsRun - result.loop.bestEpoch).toBe(2);
  });
});

describe('reproducibility', () => {
  it('same seed and data → bitwise identical weights of both nets; another seed → different weights', () => {
    const options = { network: { epochs: 5, hidden: [16, 16] }, inverse: true, alpha: 0.3, seed: 7 } as const;
    const small = table('plant', 400, 1);
    const first = trainModels(small, options);
    const second = trainModels(table('plant', 400, 1), options);
    const bits = (values: Float64Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length * 2));
    expect(bits(second.forward.network.parameters)).toEqual(bits(first.forward.network.parameters));
    expect(bits(second.inverse!.network.parameters)).toEqual(bits(first.inverse!.network.parameters));
    expect(second.dataHash).toBe(first.dataHash);
    const other = trainModels(small, { ...options, seed: 8 });
    expect(other.forward.network.parameters).not.toEqual(first.forward.network.parameters);
  });

  it.skipIf(!float32KernelsAvailable())('in both precisions (float32 SIMD and float64); the two differ only by rounding', () => {
    const small = table('arm', 300, 4);
    const train = (precision: 'float32' | 'float64') => trainModels(small, { network: { epochs: 3, hidden: [16, 16], precision }, seed: 5 }).forward.network.parameters;
    const f32 = train('float32'), f64 = train('float64');
    expect(train('float32')).toEqual(f32);
    expect(train('float64')).toEqual(f64);
    expect(f32).not.toEqual(f64);
    let difference = 0;
    for (let k = 0; k < f32.length; k++) difference = Math.max(difference, Math.abs(f32[k] - f64[k]));
    expect(difference).toBeLessThan(1e-3);
  });

  it('with dropout too (the dropout stream is seeded)', () => {
    const small = table('arm', 300, 2);
    const run = () => trainModels(small, { network: { epochs: 3, hidden: [16], dropout: 0.2 }, seed: 3 }).forward.network.parameters;
    expect(run()).toEqual(run());
  });
});

describe('inverse training', () => {
  const data = prepareData(ARM, { seed: 42 });
  const forward = trainForward(data, { ...FAST, seed: 42 });
  const reference = getDataset('arm').model();
  const inverseAt = (alpha: number) => trainInverse(data, forward, { alpha, epochs: 20, seed: 42, referenceModel: reference });
  const plain = inverseAt(0);
  const consistent = inverseAt(0.5);

  it('re-simulation error ‖F(I(y)) − y‖ on the test split improves with α = 0.5 over α = 0 (same seed)', () => {
    expect(consistent.test.resimulationError).toBeLessThan(plain.test.resimulationError);
    // …also through the true arm kinematics, not only through the trained F.
    expect(consistent.test.referenceResimulationError!).toBeLessThan(plain.test.referenceResimulationError!);
  });

  it('reports x-space scores per input and re-simulation scores per output', () => {
    expect(consistent.test.x.map((score) => score.name)).toEqual(['x1', 'x2', 'x3', 'x4']);
    expect(consistent.test.resimulation.map((score) => score.name)).toEqual(['y1', 'y2']);
    expect(consistent.spec.inputNames).toEqual(['y1', 'y2']);
    expect(consistent.spec.outputNames).toEqual(['x1', 'x2', 'x3', 'x4']);
  });

  it('linear α schedule: α decays from its start to 0 at epoch E and is recorded per epoch', () => {
    const schedule = parseAlphaSchedule('linear:4');
    // α·max(0, 1 − (epoch − 1)/E): 0.2, 0.15, 0.1, 0.05, then 0 from epoch E + 1 (0-based epoch E, as in the reference).
    [0.2, 0.15, 0.1, 0.05, 0, 0].forEach((expected, k) => expect(alphaAt(0.2, schedule, [1, 2, 3, 4, 5, 9][k])).toBeCloseTo(expected, 15));
    expect(alphaAt(0.2, schedule, 5)).toBe(0);
    const result = trainInverse(data, forward, { alpha: 0.2, alphaSchedule: schedule, epochs: 6, seed: 1 });
    expect(result.loop.history.map((record) => record.alpha)).toEqual([1, 2, 3, 4, 5, 6].map((epoch) => alphaAt(0.2, schedule, epoch)));
  });
});

describe('PCA inputs', () => {
  it('trains the forward net on K components of the standardized inputs; the spec carries the projection', () => {
    const plant = table('plant', 800, 4);
    const run = trainModels(plant, { pca: { components: 4 }, network: { epochs: 15, hidden: [32, 32] }, inverse: true, alpha: 0.2, seed: 42 });
    expect(run.data.featureCount).toBe(4);
    expect(run.forward.spec.inputProjection?.outputs).toBe(4);
    expect(run.forward.spec.inputProjection?.inputs).toBe(7);
    // The model takes raw 7-D inputs; its forward pass equals the training network fed projected features.
    const model = new MlpModel(run.forward.spec);
    const viaModel = model.forward(new Matrix(3, 7, plant.x.data.slice(0, 21)));
    const viaNetwork = float64Copy(run.forward.network).predict(run.data.features.slice(0, 12), 3);
    for (let k = 0; k < 12; k++) {
      const j = k % 4;
      expect(viaModel.data[k]).toBeCloseTo(viaNetwork[k] * run.data.outputScaling.std[j] + run.data.outputScaling.mean[j], 8);
    }
    // The inverse still maps y (4) → x (7).
    expect(run.inverse!.spec.outputNames).toHaveLength(7);
  });
});

describe('the trained model differentiates with dropout off', () => {
  it('Jacobian of a net trained with dropout equals central differences of its (deterministic) forward pass', () => {
    const run = trainModels(table('arm', 300, 5), { network: { epochs: 3, hidden: [16, 16], dropout: 0.3, activation: 'tanh' }, seed: 1 });
    const model = new MlpModel(run.forward.spec);
    const x = new Matrix(1, 4, Float64Array.from([0.1, -0.2, 0.3, 0.05]));
    const first = model.forward(x).data.slice();
    expect(Array.from(model.forward(x).data)).toEqual(Array.from(first));
    const jacobian = model.jacobian(x);
    const step = 1e-6;
    for (let j = 0; j < 4; j++) {
      const plus = x.clone(), minus = x.clone();
      plus.data[j] += step;
      minus.data[j] -= step;
      const yPlus = model.forward(plus).data, yMinus = model.forward(minus).data;
      for (let i = 0; i < 2; i++) expect(jacobian.data[i * 4 + j]).toBeCloseTo((yPlus[i] - yMinus[i]) / (2 * step), 6);
    }
  });
});
