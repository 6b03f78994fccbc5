// The plain-MLP fast path of the ONNX interpreter (src/onnx/kernels/dense-chain.ts): which graphs
// take it, and that it gives the operator-by-operator interpreter's outputs and Jacobians (run on
// the JS kernels, where the fast path is off) to rounding — for the PyTorch fixtures (tanh MLP,
// resmlp with standardization), graphs written by exportMlpToOnnx (scalings, resmlp, several
// activations), and a hand-made MatMul+Add chain with every folded affine operator. The fixtures'
// PyTorch references are checked on the default (fast) path in fixtures.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { kernelBackend, setKernelBackend, wasmSimdAvailable } from '../../src/linalg/kernels/index.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import type { Activation } from '../../src/model/mlp-spec.ts';
import { OnnxProgram } from '../../src/onnx/interpret.ts';
import { denseChainSpec } from '../../src/onnx/kernels/dense-chain.ts';
import { readOnnxGraph } from '../../src/onnx/read.ts';
import { exportMlpToOnnx } from '../../src/onnx/write.ts';
import { randomMlpSpec } from '../model/mlp-random-spec.ts';
import { attr, blockwiseRelativeError, buildModel, fixtureBytes, node, runtimeOutput } from './helpers.ts';

/** Folding affine steps into the weights and another summation order change only rounding. */
const PATH_AGREEMENT_RTOL = 1e-11;
/** onnxruntime evaluates the float64 graph operator by operator: agreement to rounding. */
const RUNTIME_RTOL = 1e-12;

const initial = kernelBackend();
afterEach(() => { setKernelBackend(initial); });

function randomPoints(rows: number, cols: number, seed: number): Matrix {
  const random = new Random(seed);
  const x = new Matrix(rows, cols);
  for (let k = 0; k < x.data.length; k++) x.data[k] = random.normal(0, 1.2);
  return x;
}

/** y and J of `program` for x, in blocks of 256 rows (as OnnxModel calls it). */
function evaluate(program: OnnxProgram, x: Matrix): { y: Float64Array; jacobian: Float64Array } {
  const n = program.inputCount, m = program.outputCount;
  const y = new Float64Array(x.rows * m), jacobian = new Float64Array(x.rows * m * n);
  for (let start = 0; start < x.rows; start += 256) {
    const rows = Math.min(256, x.rows - start);
    program.run(x.data.subarray(start * n, (start + rows) * n), rows, y, start * m, jacobian, start * m * n);
  }
  return { y, jacobian };
}

/** The fast path (WASM backend) against the interpreter (JS backend) on the same program. */
function expectPathsAgree(bytes: Uint8Array, x: Matrix): void {
  const program = new OnnxProgram(readOnnxGraph(bytes, 'test graph'));
  setKernelBackend('wasm-simd');
  expect(program.usesDenseChain).toBe(true);
  const fast = evaluate(program, x);
  setKernelBackend('js');
  expect(program.usesDenseChain).toBe(false);
  const interpreted = evaluate(program, x);
  const m = program.outputCount, n = program.inputCount;
  expect(blockwiseRelativeError(fast.y, interpreted.y, m)).toBeLessThan(PATH_AGREEMENT_RTOL);
  expect(blockwiseRelativeError(fast.jacobian, interpreted.jacobian, m * n)).toBeLessThan(PATH_AGREEMENT_RTOL);
}

describe.skipIf(!wasmSimdAvailable())('plain-MLP fast path equals the interpreter', () => {
  for (const fixture of ['tanh_mlp_7x64x64x4', 'resmlp_blast_furnace']) {
    it(`${fixture} (PyTorch export), 600 points`, () => {
      expectPathsAgree(fixtureBytes(fixture), randomPoints(600, 7, 1));
    });
  }

  const exported: [string, Activation, boolean][] = [
    ['mlp', 'tanh', true], ['resmlp', 'relu', true], ['mlp', 'leaky-relu', false], ['mlp', 'sigmoid', true], ['resmlp', 'elu', false],
  ];
  for (const [kind, activation, scaling] of exported) {
    it(`exportMlpToOnnx: ${kind} ${activation}${scaling ? ' with input and output scaling' : ''} (float64)`, () => {
      const spec = randomMlpSpec({ kind: kind as 'mlp' | 'resmlp', activation, inputs: 5, hidden: [16, 12], outputs: 3, scaling, seed: 3 });
      const bytes = exportMlpToOnnx(spec, { float64: true });
      expectPathsAgree(bytes, randomPoints(300, 5, 2));
    });
  }

  it('MatMul + Add bias, c − x, x/c, x·c and scalar constants are folded; forward equals onnxruntime', () => {
    const random = new Random(6);
    const values = (count: number, offset = 0) => Array.from({ length: count }, () => offset + random.normal());
    const bytes = buildModel({
      n: 4, m: 2, float64: true,
      initializers: {
        mean: { dims: [4], values: values(4) }, std: { dims: [1, 4], values: values(4, 3) },
        w1: { dims: [4, 6], values: values(24) }, b1: { dims: [6], values: values(6) },
        w2: { dims: [6, 6], values: values(36) }, s2: { dims: [], values: [1.5] },
        w3: { dims: [2, 6], values: values(12) }, b3: { dims: [2], values: values(2) }, scale: { dims: [2], values: [2, -0.5] },
      },
      nodes: [
        node('Sub', ['mean', 'x'], ['centered']),
        node('Div', ['centered', 'std'], ['scaled']),
        node('MatMul', ['scaled', 'w1'], ['m1']),
        node('Add', ['m1', 'b1'], ['p1']),
        node('LeakyRelu', ['p1'], ['h1'], [attr.float('alpha', 0.1)]),
        node('MatMul', ['h1', 'w2'], ['m2']),
        node('Mul', ['s2', 'm2'], ['p2']),
        node('LeakyRelu', ['p2'], ['h2'], [attr.float('alpha', 0.1)]),
        node('Identity', ['h2'], ['i2']),
        node('Gemm', ['i2', 'w3', 'b3'], ['o'], [attr.int('transB', 1)]),
        node('Mul', ['o', 'scale'], ['y']),
      ],
    });
    const x = randomPoints(50, 4, 7);
    expectPathsAgree(bytes, x);
    setKernelBackend('wasm-simd');
    const { y } = evaluate(new OnnxProgram(readOnnxGraph(bytes, 'test graph')), x);
    expect(blockwiseRelativeError(y, runtimeOutput(bytes, x, 'float64'), 2)).toBeLessThan(RUNTIME_RTOL);
  });
});

describe('graphs that are not a plain MLP chain keep the interpreter', () => {
  const chainOf = (bytes: Uint8Array) => {
    const program = new OnnxProgram(readOnnxGraph(bytes, 'test graph'));
    return program.usesDenseChain;
  };
  const weights = (rows: number, cols: number, seed: number) => {
    const random = new Random(seed);
    return { dims: [rows, cols], values: Array.from({ length: rows * cols }, () => random.normal()) };
  };

  it('branches, other operators and mixed activations are refused', () => {
    expect(chainOf(fixtureBytes('op_zoo'))).toBe(false);
    expect(chainOf(fixtureBytes('batchnorm_mlp'))).toBe(false);
    const mixed = buildModel({
      n: 3, m: 2, initializers: { w1: weights(3, 4, 1), w2: weights(4, 4, 2), w3: weights(4, 2, 3) },
      nodes: [
        node('MatMul', ['x', 'w1'], ['a']), node('Tanh', ['a'], ['b']),
        node('MatMul', ['b', 'w2'], ['c']), node('Relu', ['c'], ['d']),
        node('MatMul', ['d', 'w3'], ['y']),
      ],
    });
    expect(chainOf(mixed)).toBe(false);
    const squared = buildModel({
      n: 3, m: 2, initializers: { w1: weights(3, 4, 1), w3: weights(4, 2, 3) },
      nodes: [node('MatMul', ['x', 'w1'], ['a']), node('Tanh', ['a'], ['b']), node('Mul', ['b', 'b'], ['c']), node('MatMul', ['c', 'w3'], ['y'])],
    });
    expect(chainOf(squared)).toBe(false);
    const endsInActivation = buildModel({
      n: 3, m: 2, initializers: { w1: weights(3, 4, 1), w3: weights(4, 2, 3) },
      nodes: [node('MatMul', ['x', 'w1'], ['a']), node('Tanh', ['a'], ['b']), node('MatMul', ['b', 'w3'], ['c']), node('Tanh', ['c'], ['y'])],
    });
    expect(chainOf(endsInActivation)).toBe(false);
  });

  it('denseChainSpec reads a two-layer chain as the MlpSpec with W = Bᵀ and the bias', () => {
    const w1 = weights(3, 4, 1), w2 = weights(4, 2, 2);
    const bytes = buildModel({
      n: 3, m: 2, float64: true, initializers: { w1, w2, b2: { dims: [2], values: [0.5, -1] } },
      nodes: [node('MatMul', ['x', 'w1'], ['a']), node('Tanh', ['a'], ['b']), node('Gemm', ['b', 'w2', 'b2'], ['y'], [attr.float('alpha', 2)])],
    });
    const graph = readOnnxGraph(bytes, 'test graph');
    const constants = [undefined, graph.initializers.get('w1'), undefined, undefined, graph.initializers.get('w2'), graph.initializers.get('b2'), undefined];
    const spec = denseChainSpec({
      nodes: [
        { node: graph.nodes[0], inputSlots: [0, 1], outputSlots: [2] },
        { node: graph.nodes[1], inputSlots: [2], outputSlots: [3] },
        { node: graph.nodes[2], inputSlots: [3, 4, 5], outputSlots: [6] },
      ],
      constants, inputSlot: 0, outputSlot: 6, inputCount: 3, outputCount: 2,
    });
    expect(spec).not.toBeNull();
    expect(spec!.activation).toBe('tanh');
    expect(spec!.layers.map((l) => [l.outputs, l.inputs])).toEqual([[4, 3], [2, 4]]);
    // W1[o][i] = w1[i][o]; W2 = 2·w2ᵀ; b2 as given.
    expect(spec!.layers[0].weight[1 * 3 + 2]).toBe(w1.values[2 * 4 + 1]);
    expect(spec!.layers[1].weight[1 * 4 + 3]).toBeCloseTo(2 * w2.values[3 * 2 + 1], 6);
    expect(Array.from(spec!.layers[1].bias)).toEqual([0.5, -1]);
  });
});
