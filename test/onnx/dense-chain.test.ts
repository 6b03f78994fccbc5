// The plain-MLP fast path of the ONNX interpreter (src/onnx/dense-chain.ts): which graphs
// take it, and that it gives the operator-by-operator interpreter's outputs and Jacobians (run on
// the JS kernels, where the fast path is off) to rounding — for the PyTorch fixtures (tanh MLP,
// resmlp with standardization), graphs written by exportMlpToOnnx (scalings, resmlp, several
// activations), and a hand-made MatMul+Add chain with every folded affine operator. The fixtures'
// PyTorch references are checked on the default (fast) path in fixtures.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kernelBackend, setKernelBackend, wasmSimdAvailable } from '../../src/linalg/gemm/index.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import type { Activation } from '../../src/model/mlp-spec.ts';
import { OnnxProgram } from '../../src/onnx/interpret.ts';
import { denseChainSpec } from '../../src/onnx/dense-chain.ts';
import { readOnnxGraph } from '../../src/onnx/read.ts';
import { exportMlpToOnnx } from '../../src/onnx/write.ts';
import { randomMlpSpec } from '../model/mlp-random-spec.ts';
import { attr, blockwiseRelativeError, buildModel, FIXTURES, fixtureBytes, node, runtimeOutput } from './helpers.ts';

const COVERAGE = join(FIXTURES, 'coverage');

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

/** The LayerNorm fast path computes x̂, 1/σ and the projection once per row: rounding-level agreement. */
const LAYER_NORM_RTOL = 1e-13;

/** Fast path against interpreter, to `rtol` relative per block; returns the program's dense-chain use on WASM. */
function expectLayerNormPathsAgree(bytes: Uint8Array, x: Matrix, rtol = LAYER_NORM_RTOL): void {
  const program = new OnnxProgram(readOnnxGraph(bytes, 'test graph'));
  setKernelBackend('wasm-simd');
  expect(program.usesDenseChain).toBe(true);
  const fast = evaluate(program, x);
  setKernelBackend('js');
  const interpreted = evaluate(program, x);
  const m = program.outputCount, n = program.inputCount;
  expect(blockwiseRelativeError(fast.y, interpreted.y, m)).toBeLessThan(rtol);
  expect(blockwiseRelativeError(fast.jacobian, interpreted.jacobian, m * n)).toBeLessThan(rtol);
}

/** A tanh MLP n→w→w→m with a layer normalization after each hidden Gemm: the opset-17 node or the opset-13 form torch writes. */
function layerNormMlp(form: 'node' | 'decomposed', widths: number[], seed: number): Uint8Array {
  const random = new Random(seed);
  const values = (count: number, mean = 0, spread = 1) => Array.from({ length: count }, () => mean + random.normal(0, spread));
  const initializers: Record<string, { dims: number[]; values: number[] }> = { two: { dims: [], values: [2] }, eps: { dims: [], values: [Math.fround(1e-5)] } }; // ε as the float attribute of LayerNormalization stores it
  const nodes = [];
  let value = 'x';
  for (let k = 1; k < widths.length; k++) {
    const inputs = widths[k - 1], outputs = widths[k];
    initializers[`w${k}`] = { dims: [outputs, inputs], values: values(inputs * outputs, 0, 1.5 / Math.sqrt(inputs)) };
    initializers[`b${k}`] = { dims: [outputs], values: values(outputs, 0, 0.3) };
    const last = k === widths.length - 1;
    nodes.push(node('Gemm', [value, `w${k}`, `b${k}`], [last ? 'y' : `g${k}`], [attr.int('transB', 1)]));
    if (last) break;
    initializers[`s${k}`] = { dims: [outputs], values: values(outputs, 1, 0.2) };
    initializers[`o${k}`] = { dims: [outputs], values: values(outputs, 0, 0.2) };
    if (form === 'node') {
      nodes.push(node('LayerNormalization', [`g${k}`, `s${k}`, `o${k}`], [`n${k}`], [attr.float('epsilon', 1e-5)]));
    } else {
      const axes = [attr.ints('axes', [-1])];
      nodes.push(
        node('ReduceMean', [`g${k}`], [`mu${k}`], axes), node('Sub', [`g${k}`, `mu${k}`], [`c${k}`]),
        node('Pow', [`c${k}`, 'two'], [`sq${k}`]), node('ReduceMean', [`sq${k}`], [`var${k}`], axes),
        node('Add', [`var${k}`, 'eps'], [`ve${k}`]), node('Sqrt', [`ve${k}`], [`sd${k}`]), node('Div', [`c${k}`, `sd${k}`], [`hat${k}`]),
        node('Mul', [`hat${k}`, `s${k}`], [`scaled${k}`]), node('Add', [`scaled${k}`, `o${k}`], [`n${k}`]),
      );
    }
    nodes.push(node('Tanh', [`n${k}`], [`h${k}`]));
    value = `h${k}`;
  }
  return buildModel({ n: widths[0], m: widths[widths.length - 1], float64: true, opset: form === 'node' ? 17 : 13, initializers, nodes });
}

describe.skipIf(!wasmSimdAvailable())('LayerNorm MLPs take the fast path and equal the interpreter', () => {
  for (const precision of ['f64', 'f32']) {
    for (const opset of [13, 17]) {
      it(`PyTorch nn.LayerNorm between two Linear layers (${precision}, opset ${opset}), 400 points`, () => {
        expectLayerNormPathsAgree(readFileSync(join(COVERAGE, `layer_norm.${precision}.op${opset}.onnx`)), randomPoints(400, 4, 3));
      });
    }
  }
  it('hand-made LayerNormalization with γ and β (opset 17), 400 points', () => {
    expectLayerNormPathsAgree(readFileSync(join(COVERAGE, 'layer_norm_opset17.f64.op17.onnx')), randomPoints(400, 4, 4));
  });
  for (const form of ['node', 'decomposed'] as const) {
    it(`tanh 7→64→64→4 with a layer normalization after each hidden layer (${form === 'node' ? 'LayerNormalization, opset 17' : 'ReduceMean/Sub/Pow/Sqrt/Div, opset 13'}), 700 points`, () => {
      expectLayerNormPathsAgree(layerNormMlp(form, [7, 64, 64, 4], 21), randomPoints(700, 7, 5));
    });
  }
  it('the opset-13 form reads as the same MlpSpec as the LayerNormalization node', () => {
    const fromNode = new OnnxProgram(readOnnxGraph(layerNormMlp('node', [3, 5, 2], 8), 'a'));
    const fromParts = new OnnxProgram(readOnnxGraph(layerNormMlp('decomposed', [3, 5, 2], 8), 'b'));
    setKernelBackend('wasm-simd');
    expect(fromNode.usesDenseChain).toBe(true);
    expect(fromParts.usesDenseChain).toBe(true);
    const x = randomPoints(20, 3, 9);
    const a = evaluate(fromNode, x), b = evaluate(fromParts, x);
    expect(blockwiseRelativeError(b.jacobian, a.jacobian, 6)).toBeLessThan(LAYER_NORM_RTOL);
  });
  it('exportMlpToOnnx writes layerNorms as LayerNormalization; the spec, the export and the interpreter agree', () => {
    const spec = randomMlpSpec({ activation: 'sigmoid', inputs: 5, hidden: [16, 12], outputs: 3, scaling: true, seed: 4 });
    const random = new Random(12);
    spec.layerNorms = [null, { scale: Float64Array.from({ length: 12 }, () => 1 + random.normal(0, 0.3)), bias: Float64Array.from({ length: 12 }, () => random.normal(0, 0.3)), epsilon: 0.25 }];
    const bytes = exportMlpToOnnx(spec, { float64: true });
    expectLayerNormPathsAgree(bytes, randomPoints(300, 5, 2), 1e-12);
    expect(() => exportMlpToOnnx(spec, { opset: 13 })).toThrow(/LayerNormalization.*opset ≥ 17/);
  });
});

describe('LayerNorm graphs that are not a plain chain keep the interpreter', () => {
  it('a normalization whose centred value is read elsewhere, or one after the output layer', () => {
    const decomposed = layerNormMlp('decomposed', [3, 4, 2], 1);
    const graph = readOnnxGraph(decomposed, 'x');
    expect(new OnnxProgram(graph).usesDenseChain).toBe(kernelBackend() === 'wasm-simd');
    // Read the centred value c1 once more: y = Gemm(...) + ReduceMean(c1) is a branch.
    const branched = buildModel({
      n: 3, m: 1, float64: true, opset: 13,
      initializers: { w1: { dims: [4, 3], values: Array.from({ length: 12 }, (_, k) => Math.sin(k + 1)) }, w2: { dims: [1, 4], values: [0.5, -1, 0.25, 2] }, two: { dims: [], values: [2] }, eps: { dims: [], values: [1e-5] } },
      nodes: [
        node('Gemm', ['x', 'w1'], ['g'], [attr.int('transB', 1)]),
        node('ReduceMean', ['g'], ['mu'], [attr.ints('axes', [-1])]), node('Sub', ['g', 'mu'], ['c']),
        node('Pow', ['c', 'two'], ['sq']), node('ReduceMean', ['sq'], ['v'], [attr.ints('axes', [-1])]),
        node('Add', ['v', 'eps'], ['ve']), node('Sqrt', ['ve'], ['sd']), node('Div', ['c', 'sd'], ['hat']),
        node('Tanh', ['hat'], ['h']), node('Gemm', ['h', 'w2'], ['o'], [attr.int('transB', 1)]),
        node('ReduceMean', ['c'], ['extra'], [attr.ints('axes', [-1])]), node('Add', ['o', 'extra'], ['y']),
      ],
    });
    expect(new OnnxProgram(readOnnxGraph(branched, 'branched')).usesDenseChain).toBe(false);
    const normalizedOutput = buildModel({
      n: 3, m: 2, float64: true,
      initializers: { w1: { dims: [4, 3], values: Array.from({ length: 12 }, (_, k) => Math.cos(k)) }, w2: { dims: [2, 4], values: [1, 2, 3, 4, 5, 6, 7, 8] }, s: { dims: [2], values: [1, 2] } },
      nodes: [
        node('Gemm', ['x', 'w1'], ['g'], [attr.int('transB', 1)]), node('Tanh', ['g'], ['h']),
        node('Gemm', ['h', 'w2'], ['o'], [attr.int('transB', 1)]), node('LayerNormalization', ['o', 's'], ['y']),
      ],
    });
    expect(new OnnxProgram(readOnnxGraph(normalizedOutput, 'output norm')).usesDenseChain).toBe(false);
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
