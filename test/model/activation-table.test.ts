// Every implementation of an activation agrees with THE activation table (src/model/activations.ts)
// on a grid: the array loops (applyActivation, activationBackward), the ONNX operators (value and
// derivative), MlpModel on its JS and WebAssembly backends, the WebAssembly tanh kernel and its JS
// fallback (src/linalg/gemm), the float32 WebAssembly ReLU kernels, and both training networks
// (float64 and float32) through a 1→1→1 network with unit weights, whose output is act(x) and whose
// input gradient is act'(x). Exact where the same formula runs; the WASM tanh within 2 ulps (its
// own fdlibm-style instruction sequence); float32 paths equal the float32 rounding of the table.
import { afterEach, describe, expect, it } from 'vitest';
import { kernelBackend, setKernelBackend, tanh as tanhKernel, wasmSimdAvailable, type KernelBackend } from '../../src/linalg/gemm/index.ts';
import { createFloat32Kernels, float32KernelsAvailable } from '../../src/linalg/gemm/wasm-float32.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import {
  ACTIVATION_TABLE, activationBackward, activationDerivative, activationParameterOrDefault, activationValue, applyActivation, type TableActivation,
} from '../../src/model/activations.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { ACTIVATIONS, type Activation, type MlpSpec } from '../../src/model/mlp-spec.ts';
import type { AttributeValue, GraphNode } from '../../src/onnx/graph.ts';
import * as onnxActivations from '../../src/onnx/ops/activations.ts';
import type { OperatorRule } from '../../src/onnx/ops/types.ts';
import { TrainingNetwork } from '../../src/train/network.ts';

/** −30…30 in steps of 0.37, the kinks and their neighbours, tiny and large magnitudes. */
const GRID = Float64Array.from([
  ...Array.from({ length: 163 }, (_, k) => -30 + 0.37 * k),
  0, -0, 1e-300, -1e-300, 1e-8, -1e-8, 3, -3, 3 + 1e-12, -3 - 1e-12, 0.5, -0.75, 19.1, -19.1, 40, -40, 350, -350,
]);

/** |a − b| in units of the last place of b (0 when both are equal, including both ±0). */
function ulps(a: number, b: number): number {
  if (Object.is(a, b) || a === b) return 0;
  const spacing = Math.max(Math.abs(b) * Number.EPSILON, Number.MIN_VALUE);
  return Math.abs(a - b) / spacing;
}

function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, maxUlps = 0): void {
  for (let k = 0; k < expected.length; k++) {
    const error = ulps(actual[k], expected[k]);
    if (!(error <= maxUlps)) expect.fail(`${what} at x = ${GRID[k]}: ${actual[k]} vs the table's ${expected[k]} (${error.toFixed(1)} ulps)`);
  }
}

/** The table's values and derivatives of an activation over the grid. */
function table(activation: TableActivation, first: number, second = 0): { value: Float64Array; derivative: Float64Array } {
  const entry = ACTIVATION_TABLE[activation];
  return { value: GRID.map((x) => entry.value(x, first, second)), derivative: GRID.map((x) => entry.derivative(x, first, second)) };
}

const PARAMETERS: Partial<Record<Activation, number>> = { 'leaky-relu': 0.07, elu: 1.3 };

describe('the activation table', () => {
  it('has a value and a derivative for every MLP activation and agrees with its point helpers', () => {
    for (const activation of ACTIVATIONS) {
      const parameter = activationParameterOrDefault(activation, PARAMETERS[activation]);
      const { value, derivative } = table(activation, parameter);
      expectSame(GRID.map((x) => activationValue(activation, x, parameter)), value, `${activation} activationValue`);
      expectSame(GRID.map((x) => activationDerivative(activation, x, parameter)), derivative, `${activation} activationDerivative`);
    }
  });

  it('derivatives agree with central differences of the values (the table is self-consistent)', () => {
    for (const activation of Object.keys(ACTIVATION_TABLE) as TableActivation[]) {
      const entry = ACTIVATION_TABLE[activation], first = activation === 'leaky-relu' ? 0.07 : activation === 'selu' ? 1.6732632423543772 : 1.3, second = 1.0507009873554805;
      for (const x of [-2.3, -0.71, 0.42, 1.9]) {
        const h = 1e-6 * Math.max(1, Math.abs(x));
        const difference = (entry.value(x + h, first, second) - entry.value(x - h, first, second)) / (2 * h);
        expect(entry.derivative(x, first, second), `${activation} at ${x}`).toBeCloseTo(difference, 7);
      }
    }
  });

  it('applyActivation and activationBackward loop over the table exactly (float64 and float32 storage)', () => {
    for (const activation of ACTIVATIONS) {
      const parameter = activationParameterOrDefault(activation, PARAMETERS[activation]);
      const { value, derivative } = table(activation, parameter);
      const values = new Float64Array(GRID.length), derivatives = new Float64Array(GRID.length);
      applyActivation(activation, GRID, values, derivatives, parameter);
      expectSame(values, value, `${activation} applyActivation value`);
      expectSame(derivatives, derivative, `${activation} applyActivation derivative`);
      const inPlace = Float64Array.from(GRID);
      applyActivation(activation, inPlace, inPlace, null, parameter);
      expectSame(inPlace, value, `${activation} applyActivation in place`);
      for (const withValue of [false, true]) {
        const gradient = new Float64Array(GRID.length).fill(1);
        activationBackward(activation, GRID, withValue ? values : null, gradient, parameter, GRID.length);
        expectSame(gradient, derivative.map((d) => (d === 0 ? 0 : d)), `${activation} activationBackward (${withValue ? 'from the value' : 'from x'})`);
      }
      // Float32 storage (the float32 training backend): the float32 rounding of the table at the float32 input.
      const grid32 = Float32Array.from(GRID), values32 = new Float32Array(GRID.length);
      applyActivation(activation, grid32, values32, null, parameter);
      const entry = ACTIVATION_TABLE[activation];
      expectSame(values32, Array.from(grid32, (x) => Math.fround(entry.value(x, parameter, 0))), `${activation} applyActivation float32`);
    }
  });
});

describe('the ONNX activation operators', () => {
  const node = (opType: string, attributes: Record<string, AttributeValue> = {}): GraphNode => ({ opType, domain: '', name: opType, inputs: ['x'], outputs: ['y'], attributes: new Map(Object.entries(attributes)) });

  /** y and dy/dx of a unary rule on the grid (one seed of ones). */
  function run(rule: OperatorRule, graphNode: GraphNode): { value: Float64Array; derivative: Float64Array } {
    const buffers = new Map<string, Float64Array>();
    const buffer = (key: string, size: number) => { const existing = buffers.get(key); if (existing && existing.length === size) return existing; const made = new Float64Array(size); buffers.set(key, made); return made; };
    const x = { dims: [GRID.length], data: Float64Array.from(GRID) };
    const [y] = rule.forward([x], { node: graphNode, opset: 20, buffer: (i, size) => buffer(`f${i}`, size), memo: (_k, make) => make() });
    const value = Float64Array.from(y.data);
    const [adjoint] = rule.backward!({
      node: graphNode, opset: 20, inputs: [x], outputs: [y], outputAdjoint: new Float64Array(GRID.length).fill(1), outputAdjoints: [], seeds: 1, needs: [true],
      buffer: (i, size) => buffer(`b${i}`, size), scratch: (i, size) => buffer(`s${i}`, size), memo: (_k, make) => make(),
    });
    return { value, derivative: Float64Array.from(adjoint!) };
  }

  const cases: [keyof typeof onnxActivations, TableActivation, Record<string, AttributeValue>, number, number][] = [
    ['Relu', 'relu', {}, 0, 0],
    ['LeakyRelu', 'leaky-relu', { alpha: 0.07 }, 0.07, 0],
    ['Sigmoid', 'sigmoid', {}, 0, 0],
    ['Elu', 'elu', { alpha: 1.3 }, 1.3, 0],
    ['Softplus', 'softplus', {}, 0, 0],
    ['Erf', 'erf', {}, 0, 0],
    ['Gelu', 'gelu', {}, 0, 0],
    ['Gelu', 'gelu-tanh', { approximate: 'tanh' }, 0, 0],
    ['Selu', 'selu', { alpha: 1.5, gamma: 1.2 }, 1.5, 1.2],
    ['Celu', 'celu', { alpha: 0.8 }, 0.8, 0],
    ['HardSwish', 'hard-swish', {}, 0, 0],
    ['Mish', 'mish', {}, 0, 0],
    ['Softsign', 'softsign', {}, 0, 0],
  ];
  for (const [op, activation, attributes, first, second] of cases) {
    it(`${op}${attributes.approximate ? ` (approximate=${String(attributes.approximate)})` : ''} computes the table's ${activation}`, () => {
      const { value, derivative } = run(onnxActivations[op], node(op, attributes));
      const expected = table(activation, first, second);
      // Sigmoid's derivative comes from its value: σ(1 − σ), the table's derivativeFromValue.
      const expectedDerivative = activation === 'sigmoid' ? expected.value.map((s) => ACTIVATION_TABLE.sigmoid.derivativeFromValue!(s)) : expected.derivative;
      expectSame(value, expected.value, `${op} value`);
      expectSame(derivative, expectedDerivative, `${op} derivative`);
    });
  }

  it('Tanh (the shared tanh kernel) is within 2 ulps of the table, its derivative 1 − y² of its value', () => {
    const { value, derivative } = run(onnxActivations.Tanh, node('Tanh'));
    const expected = table('tanh', 0);
    expectSame(value, expected.value, 'Tanh value', 2);
    expectSame(derivative, Array.from(value, (y) => ACTIVATION_TABLE.tanh.derivativeFromValue!(y)), 'Tanh derivative');
  });
});

describe('the kernels against the table', () => {
  let initial: KernelBackend = kernelBackend();
  afterEach(() => { setKernelBackend(initial); });
  const backends: KernelBackend[] = wasmSimdAvailable() ? ['js', 'wasm-simd'] : ['js'];

  for (const backend of backends) {
    it(`the tanh kernel (${backend}) is within 2 ulps of the table, its derivative 1 − value² exactly`, () => {
      initial = kernelBackend();
      setKernelBackend(backend);
      const value = new Float64Array(GRID.length), derivative = new Float64Array(GRID.length);
      tanhKernel(GRID, value, derivative, GRID.length);
      expectSame(value, table('tanh', 0).value, `tanh kernel (${backend})`, backend === 'js' ? 0 : 2);
      expectSame(derivative, Array.from(value, (t) => ACTIVATION_TABLE.tanh.derivativeFromValue!(t)), `tanh kernel derivative (${backend})`);
      // And within 4 ulps of the table's derivative at x (1 − t² amplifies the ulps of t where t² ≈ 1 only in absolute terms).
      const expected = table('tanh', 0).derivative;
      for (let k = 0; k < GRID.length; k++) expect(Math.abs(derivative[k] - expected[k])).toBeLessThanOrEqual(4 * Number.EPSILON);
    });

    it(`MlpModel (${backend} backend) evaluates act(x) and act'(x) of the table for every activation`, () => {
      initial = kernelBackend();
      setKernelBackend(backend);
      for (const activation of ACTIVATIONS) {
        const parameter = activationParameterOrDefault(activation, PARAMETERS[activation]);
        const unit = { inputs: 1, outputs: 1, weight: Float64Array.of(1), bias: Float64Array.of(0) };
        const spec: MlpSpec = { kind: 'mlp', inputNames: ['x'], outputNames: ['y'], layers: [unit, unit], activation, activationParameter: parameter };
        const finite = GRID.filter((x) => Math.abs(x) <= 40);
        const { y, jacobian } = new MlpModel(spec).forwardWithJacobian(new Matrix(finite.length, 1, Float64Array.from(finite)));
        const entry = ACTIVATION_TABLE[activation];
        const tolerance = activation === 'tanh' && backend === 'wasm-simd' ? 2 : 0;
        for (let k = 0; k < finite.length; k++) {
          expect(ulps(y.data[k], entry.value(finite[k], parameter, 0)), `${activation} value at ${finite[k]} (${backend})`).toBeLessThanOrEqual(tolerance);
          const expectedDerivative = entry.derivativeFromValue ? entry.derivativeFromValue(y.data[k]) : entry.derivative(finite[k], parameter, 0);
          expect(ulps(jacobian.data[k], expectedDerivative), `${activation} derivative at ${finite[k]} (${backend})`).toBeLessThanOrEqual(0);
        }
      }
    });
  }

  it.skipIf(!float32KernelsAvailable())('the float32 WebAssembly relu and reluBackward kernels are the table\'s relu and relu\' in float32', () => {
    const kernels = createFloat32Kernels(1 << 16);
    const memory = new Float32Array(kernels.memory.buffer);
    const count = Math.ceil(GRID.length / 4) * 4, source = 64, target = source + 4 * count, gradient = target + 4 * count;
    memory.fill(0, source / 4, gradient / 4 + count);
    memory.set(Float32Array.from(GRID), source / 4);
    memory.fill(1, gradient / 4, gradient / 4 + count);
    kernels.relu(source, target, count);
    kernels.reluBackward(source, gradient, count);
    const grid32 = Float32Array.from(GRID);
    expectSame(memory.subarray(target / 4, target / 4 + GRID.length), Array.from(grid32, (x) => Math.fround(ACTIVATION_TABLE.relu.value(x, 0, 0))), 'float32 relu kernel');
    expectSame(memory.subarray(gradient / 4, gradient / 4 + GRID.length), Array.from(grid32, (x) => ACTIVATION_TABLE.relu.derivative(x, 0, 0)), 'float32 reluBackward kernel');
  });
});

describe('the training networks against the table (1→1→1, unit weights: output act(x), input gradient act\'(x))', () => {
  const precisions = float32KernelsAvailable() ? (['float64', 'float32'] as const) : (['float64'] as const);
  for (const precision of precisions) {
    for (const activation of ['relu', 'tanh'] as const) {
      it(`${precision} ${activation}`, () => {
        const batch = GRID.length;
        const network = new TrainingNetwork({ kind: 'mlp', inputs: 1, hidden: [1], outputs: 1, activation }, batch, precision);
        network.parameters.set([1, 0, 1, 0]);
        const output = Float64Array.from(network.forward(GRID, batch));
        const inputGradient = Float64Array.from(network.backward(new Float64Array(batch).fill(1), { inputGradient: true })!);
        const entry = ACTIVATION_TABLE[activation];
        const round = precision === 'float32' ? Math.fround : (x: number) => x;
        const x = GRID.map(round);
        const value = x.map((v) => round(entry.value(v, 0, 0)));
        const derivative = value.map((y, k) => round(activation === 'tanh' ? entry.derivativeFromValue!(y) : entry.derivative(x[k], 0, 0)));
        expectSame(output, value, `${precision} ${activation} forward`);
        expectSame(inputGradient, derivative, `${precision} ${activation} input gradient`);
      });
    }
  }
});
