// The training network's backward pass against central differences of its own loss (theory: the
// gradient of a smooth function), its forward pass against MlpModel evaluating the exported spec
// (an independent implementation of the documented MlpSpec order), and dropout being off at eval.
import { Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { Adam } from '../../src/train/adam.ts';
import { columnSums, multiplyTransposedJs, ProductMode } from '../../src/linalg/gemm/index.ts';
import { meanSquaredErrorGradient } from '../../src/train/loss.ts';
import { type NetworkArchitecture, TrainingNetwork } from '../../src/train/network.ts';

/** Central-difference step and the agreement asked of an analytic gradient (relative to its norm). */
const STEP = 1e-6;
const GRADIENT_RTOL = 1e-6;

function randomArray(length: number, random: Random): Float64Array {
  return Float64Array.from({ length }, () => random.normal());
}

function loss(network: TrainingNetwork, x: Float64Array, y: Float64Array, batch: number): number {
  const out = network.forward(x, batch, false);
  let sum = 0;
  for (let k = 0; k < out.length; k++) sum += (out[k] - y[k]) ** 2;
  return sum / out.length;
}

const architectures: NetworkArchitecture[] = [
  { kind: 'mlp', inputs: 3, hidden: [5, 4], outputs: 2, activation: 'tanh' },
  { kind: 'resmlp', inputs: 4, hidden: [6, 5], outputs: 3, activation: 'tanh' },
  { kind: 'resmlp', inputs: 3, hidden: [7], outputs: 2, activation: 'tanh' },
  { kind: 'mlp', inputs: 5, hidden: [6, 6, 4], outputs: 3, activation: 'relu' },
  { kind: 'resmlp', inputs: 7, hidden: [9, 9], outputs: 4, activation: 'relu' },
];

describe('TrainingNetwork backward pass', () => {
  for (const architecture of architectures) {
    it(`matches central differences for ${architecture.kind} ${architecture.inputs}→${architecture.hidden.join('→')}→${architecture.outputs} ${architecture.activation}`, () => {
      const random = new Random(7);
      const batch = 5;
      const network = new TrainingNetwork(architecture, batch);
      network.initialize(random);
      const x = randomArray(batch * architecture.inputs, random);
      const y = randomArray(batch * architecture.outputs, random);
      const out = network.forward(x, batch, false);
      const outputGradient = new Float64Array(out.length);
      meanSquaredErrorGradient(out, y, out.length, outputGradient);
      const inputGradient = network.backward(outputGradient, { inputGradient: true })!.slice();
      const parameterGradient = network.gradients.slice();

      const numeric = new Float64Array(parameterGradient.length);
      for (let k = 0; k < numeric.length; k++) {
        const saved = network.parameters[k];
        network.parameters[k] = saved + STEP;
        const plus = loss(network, x, y, batch);
        network.parameters[k] = saved - STEP;
        const minus = loss(network, x, y, batch);
        network.parameters[k] = saved;
        numeric[k] = (plus - minus) / (2 * STEP);
      }
      expectClose(parameterGradient, numeric);

      const numericInput = new Float64Array(inputGradient.length);
      for (let k = 0; k < numericInput.length; k++) {
        const saved = x[k];
        x[k] = saved + STEP;
        const plus = loss(network, x, y, batch);
        x[k] = saved - STEP;
        const minus = loss(network, x, y, batch);
        x[k] = saved;
        numericInput[k] = (plus - minus) / (2 * STEP);
      }
      expectClose(inputGradient, numericInput);
    });
  }

  it('leaves the parameter gradient untouched when parameterGradients is false (frozen net)', () => {
    const network = new TrainingNetwork(architectures[1], 4);
    network.initialize(new Random(1));
    network.gradients.fill(3);
    const out = network.forward(randomArray(16, new Random(2)), 4, false);
    network.backward(new Float64Array(out.length).fill(1), { inputGradient: true, parameterGradients: false });
    expect(network.gradients.every((value) => value === 3)).toBe(true);
  });
});

function expectClose(analytic: Float64Array, numeric: Float64Array): void {
  let difference = 0, scale = 0;
  for (let k = 0; k < analytic.length; k++) {
    difference = Math.max(difference, Math.abs(analytic[k] - numeric[k]));
    scale = Math.max(scale, Math.abs(numeric[k]));
  }
  expect(scale).toBeGreaterThan(0);
  expect(difference / scale).toBeLessThan(GRADIENT_RTOL);
}

describe('TrainingNetwork forward pass and exported layers', () => {
  it('agrees with MlpModel evaluating the exported dense layers', () => {
    for (const architecture of architectures) {
      const random = new Random(11);
      const network = new TrainingNetwork(architecture, 8);
      network.initialize(random);
      const x = randomArray(8 * architecture.inputs, random);
      const ours = network.predict(x, 8);
      const { layers, skip } = network.denseLayers();
      const model = new MlpModel({
        kind: architecture.kind,
        inputNames: Array.from({ length: architecture.inputs }, (_, j) => `x${j}`),
        outputNames: Array.from({ length: architecture.outputs }, (_, j) => `y${j}`),
        layers,
        activation: architecture.activation,
        ...(skip ? { skip } : {}),
      });
      const reference = model.forward(new Matrix(8, architecture.inputs, x));
      for (let k = 0; k < ours.length; k++) expect(ours[k]).toBeCloseTo(reference.data[k], 12);
    }
  });

  it('initializes like torch.nn.Linear: every weight and bias within ±1/√fan_in', () => {
    const network = new TrainingNetwork({ kind: 'resmlp', inputs: 7, hidden: [64, 64], outputs: 4, activation: 'relu' }, 4);
    network.initialize(new Random(3));
    const { layers, skip } = network.denseLayers();
    for (const layer of [...layers, skip!]) {
      const bound = 1 / Math.sqrt(layer.inputs);
      const all = [...layer.weight, ...layer.bias];
      expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(bound);
      // Uniform on [−b, b] has standard deviation b/√3; 64+ draws land within 25 % of it.
      const rms = Math.sqrt(all.reduce((sum, v) => sum + v * v, 0) / all.length);
      expect(rms / (bound / Math.sqrt(3))).toBeGreaterThan(0.75);
      expect(rms / (bound / Math.sqrt(3))).toBeLessThan(1.25);
    }
  });
});

describe('dropout', () => {
  const architecture: NetworkArchitecture = { kind: 'resmlp', inputs: 3, hidden: [32, 32], outputs: 2, activation: 'tanh', dropout: 0.5 };

  it('is applied in training mode only; evaluation is deterministic and equals the network without dropout', () => {
    const network = new TrainingNetwork(architecture, 4);
    network.initialize(new Random(5));
    const plain = new TrainingNetwork({ ...architecture, dropout: 0 }, 4);
    plain.parameters.set(network.parameters);
    const x = randomArray(12, new Random(6));
    const evaluation = network.forward(x, 4, false).slice();
    const training = network.forward(x, 4, true, new Random(9)).slice();
    expect(Array.from(network.forward(x, 4, false))).toEqual(Array.from(evaluation));
    expect(Array.from(plain.forward(x, 4, false))).toEqual(Array.from(evaluation));
    expect(training.some((value, k) => value !== evaluation[k])).toBe(true);
  });

  it('backpropagates through the same mask it applied (central differences with the mask fixed)', () => {
    const network = new TrainingNetwork(architecture, 3);
    network.initialize(new Random(8));
    const x = randomArray(9, new Random(1));
    const y = randomArray(6, new Random(2));
    const out = network.forward(x, 3, true, new Random(4)).slice();
    const gradient = new Float64Array(out.length);
    meanSquaredErrorGradient(out, y, out.length, gradient);
    network.backward(gradient);
    const analytic = network.gradients.slice();
    // Re-drawing with the same seed reproduces the mask, so the loss is a smooth function of the weights.
    const lossAt = () => {
      const value = network.forward(x, 3, true, new Random(4));
      let sum = 0;
      for (let k = 0; k < value.length; k++) sum += (value[k] - y[k]) ** 2;
      return sum / value.length;
    };
    const numeric = new Float64Array(analytic.length);
    for (let k = 0; k < numeric.length; k++) {
      const saved = network.parameters[k];
      network.parameters[k] = saved + STEP;
      const plus = lossAt();
      network.parameters[k] = saved - STEP;
      const minus = lossAt();
      network.parameters[k] = saved;
      numeric[k] = (plus - minus) / (2 * STEP);
    }
    expectClose(analytic, numeric);
  });
});

describe('kernels', () => {
  it('multiplyTransposedJs (the training products) computes A·Bᵀ + bias like ml-matrix, for odd and even shapes', () => {
    const random = new Random(12);
    for (const [rows, inner, cols] of [[1, 1, 1], [2, 3, 4], [5, 7, 9], [64, 7, 64], [3, 64, 4]]) {
      const a = randomArray(rows * inner, random), b = randomArray(cols * inner, random), bias = randomArray(cols, random);
      const c = new Float64Array(rows * cols);
      multiplyTransposedJs({ data: a, offset: 0, stride: inner }, { data: b, offset: 0, stride: inner }, { data: c, offset: 0, stride: cols }, rows, inner, cols, ProductMode.Bias, bias, 0);
      const A = new MlMatrix(rows, inner), B = new MlMatrix(cols, inner);
      for (let i = 0; i < rows; i++) for (let k = 0; k < inner; k++) A.set(i, k, a[i * inner + k]);
      for (let j = 0; j < cols; j++) for (let k = 0; k < inner; k++) B.set(j, k, b[j * inner + k]);
      const reference = A.mmul(B.transpose());
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) expect(c[i * cols + j]).toBeCloseTo(reference.get(i, j) + bias[j], 12);
    }
  });

  it('columnSums sums each column', () => {
    const out = new Float64Array(3);
    columnSums(Float64Array.from([1, 2, 3, 10, 20, 30]), 2, 3, out);
    expect(Array.from(out)).toEqual([11, 22, 33]);
  });
});

describe('Adam', () => {
  it('first step moves each parameter by lr·g/(|g| + ε) (bias-corrected moments equal g and g²)', () => {
    const parameters = Float64Array.from([1, -2, 0.5]);
    const gradients = Float64Array.from([0.3, -4, 1e-3]);
    new Adam(3, { learningRate: 0.01 }).step(parameters, gradients);
    const expected = [1, -2, 0.5].map((p, k) => p - (0.01 * gradients[k]) / (Math.abs(gradients[k]) + 1e-8));
    for (let k = 0; k < 3; k++) expect(parameters[k]).toBeCloseTo(expected[k], 14);
  });

  it('second step follows the PyTorch update rule', () => {
    const lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    const p = Float64Array.from([2]);
    const adam = new Adam(1, { learningRate: lr });
    const g1 = 0.5, g2 = -0.25;
    adam.step(p, Float64Array.from([g1]));
    adam.step(p, Float64Array.from([g2]));
    let m = (1 - b1) * g1, v = (1 - b2) * g1 * g1;
    let expected = 2 - (lr * (m / (1 - b1))) / (Math.sqrt(v / (1 - b2)) + eps);
    m = b1 * m + (1 - b1) * g2;
    v = b2 * v + (1 - b2) * g2 * g2;
    expected -= (lr * (m / (1 - b1 ** 2))) / (Math.sqrt(v / (1 - b2 ** 2)) + eps);
    expect(p[0]).toBeCloseTo(expected, 14);
  });

  it('minimizes a quadratic', () => {
    const target = Float64Array.from([3, -1, 0.5]);
    const p = new Float64Array(3);
    const g = new Float64Array(3);
    const adam = new Adam(3, { learningRate: 0.05 });
    for (let step = 0; step < 2000; step++) {
      for (let k = 0; k < 3; k++) g[k] = 2 * (p[k] - target[k]);
      adam.step(p, g);
    }
    for (let k = 0; k < 3; k++) expect(p[k]).toBeCloseTo(target[k], 3);
  });

  it('rejects a non-positive learning rate, naming --lr', () => {
    expect(() => new Adam(1, { learningRate: 0 })).toThrow(/--lr/);
  });
});
