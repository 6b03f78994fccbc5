// Operators not covered by the PyTorch fixtures (Gelu both forms, Abs, Reciprocal, MatMul on a
// rank-3 input, live-live Mul/Div/Sub, broadcasting of an input-dependent value, Concat of a value
// with itself, Clip with attribute bounds, Pow with a vector exponent): forward against
// onnxruntime-node, Jacobians against central differences; plus Gemm's attributes (alpha, beta,
// transB, bias shapes) on narrow and wide outputs, which pick different product kernels.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { SUPPORTED_OPERATORS } from '../../src/onnx/ops/registry.ts';
import { erf } from '../../src/model/activations.ts';
import { attr, blockwiseRelativeError, buildModel, centralDifferences, fixtureReference, node, runtimeOutput } from './helpers.ts';

const CENTRAL_DIFFERENCE_TOLERANCE = 1e-7;
const FLOAT32_RUNTIME_TOLERANCE = 1e-6;
const FLOAT64_RUNTIME_TOLERANCE = 1e-13;
const ORT_GELU_TOLERANCE = 1e-5;

/** Random points, exactly representable in float32 (so onnxruntime sees the same x in a float32 graph). */
function points(rows: number, cols: number, seed: number, scale = 1.5): Matrix {
  const random = new Random(seed);
  const x = new Matrix(rows, cols);
  for (let k = 0; k < x.data.length; k++) x.data[k] = Math.fround(random.normal(0, scale));
  return x;
}

async function checkGraph(bytes: Uint8Array, x: Matrix, elementType: 'float32' | 'float64', runtimeTolerance?: number) {
  const model = await loadOnnxModel(bytes);
  const { y, jacobian } = model.forwardWithJacobian(x);
  const m = y.cols;
  {
    const tolerance = runtimeTolerance ?? (elementType === 'float32' ? FLOAT32_RUNTIME_TOLERANCE : FLOAT64_RUNTIME_TOLERANCE);
    expect(blockwiseRelativeError(runtimeOutput(bytes, x, elementType), y.data, m)).toBeLessThan(tolerance);
  }
  const differences = centralDifferences((p) => model.forward(p), x, m);
  expect(blockwiseRelativeError(differences, jacobian.data, m * x.cols)).toBeLessThan(CENTRAL_DIFFERENCE_TOLERANCE);
  return { model, y, jacobian };
}

describe('operators beyond the fixtures', () => {
  it('Gelu (opset 20), exact and tanh forms', async () => {
    for (const approximate of ['none', 'tanh']) {
      const bytes = buildModel({ n: 3, m: 3, opset: 20, nodes: [node('Gelu', ['x'], ['y'], [attr.string('approximate', approximate)])] });
      const x = points(30, 3, 1, 2);
      // onnxruntime's float32 Gelu kernel uses a fast erf approximation (~1e-6 relative); the exact
      // form is checked against erf below and erf against tabulated values.
      const { y } = await checkGraph(bytes, x, 'float32', ORT_GELU_TOLERANCE);
      // Theory: GELU(x) = x·Φ(x) = ½x(1 + erf(x/√2)).
      if (approximate === 'none') for (let k = 0; k < x.data.length; k++) expect(y.data[k]).toBeCloseTo(0.5 * x.data[k] * (1 + erf(x.data[k] / Math.SQRT2)), 14);
    }
  });

  it('Abs, Reciprocal, Neg, Exp, Log, Sqrt chained (float64)', async () => {
    const bytes = buildModel({
      n: 4, m: 4, float64: true,
      nodes: [
        node('Abs', ['x'], ['a']), node('Exp', ['a'], ['b']), node('Sqrt', ['b'], ['c']),
        node('Reciprocal', ['c'], ['d']), node('Neg', ['d'], ['e']), node('Add', ['e', 'a'], ['f']), node('Log', ['b'], ['g']),
        node('Mul', ['f', 'g'], ['y']),
      ],
    });
    await checkGraph(bytes, points(25, 4, 2), 'float64');
  });

  it('live × live Mul/Div/Sub with broadcasting of an input-dependent value', async () => {
    const bytes = buildModel({
      n: 3, m: 12, float64: true,
      initializers: { axes: { dims: [1], values: [2], int64: true }, c: { dims: [1, 4], values: [0.5, -1.25, 2, 3] }, shape: { dims: [2], values: [-1, 12], int64: true }, one: { dims: [], values: [1] } },
      nodes: [
        node('Unsqueeze', ['x', 'axes'], ['u']), // [b, 3, 1]: broadcast along the last axis below
        node('Mul', ['u', 'c'], ['p']), // [b, 3, 4]
        node('Mul', ['p', 'u'], ['q']), // live × live, u broadcast
        node('Mul', ['x', 'x'], ['sq']),
        node('Add', ['sq', 'one'], ['den']),
        node('Unsqueeze', ['den', 'axes'], ['den3']),
        node('Div', ['q', 'den3'], ['r']), // live / live, denominator broadcast
        node('Sub', ['r', 'p'], ['s']),
        node('Reshape', ['s', 'shape'], ['y']),
      ],
    });
    await checkGraph(bytes, points(20, 3, 3), 'float64');
  });

  it('MatMul on a rank-3 input, Concat of a value with itself, Squeeze/Flatten, Clip and Pow with a vector exponent', async () => {
    const random = new Random(4);
    const w = Array.from({ length: 3 * 5 }, () => random.normal());
    const bytes = buildModel({
      n: 3, m: 10, opset: 11,
      initializers: { w: { dims: [3, 5], values: w }, p: { dims: [5], values: [2, 3, 1, 0.5, 4] }, lo: { dims: [], values: [-0.75] }, hi: { dims: [], values: [1.5] } },
      nodes: [ // opset 11: axes as attributes
        node('Unsqueeze', ['x'], ['u'], [attr.ints('axes', [1])]), // [b, 1, 3]
        node('MatMul', ['u', 'w'], ['h']), // [b, 1, 5]
        node('Squeeze', ['h'], ['s'], [attr.ints('axes', [1])]), // [b, 5]
        node('Clip', ['s', 'lo', 'hi'], ['c']),
        node('Abs', ['c'], ['a']),
        node('Pow', ['a', 'p'], ['pw']),
        node('Concat', ['pw', 'c'], ['k'], [attr.int('axis', 1)]),
        node('Flatten', ['k'], ['y'], [attr.int('axis', 1)]),
      ],
    });
    const x = points(40, 3, 5, 0.6);
    await checkGraph(bytes, x, 'float32');
  });

  it('BatchNormalization on a [batch, C, 1] tensor', async () => {
    const bytes = buildModel({
      n: 3, m: 3, float64: true,
      initializers: {
        axes: { dims: [1], values: [2], int64: true }, scale: { dims: [3], values: [1.5, -0.5, 2] }, bias: { dims: [3], values: [0.1, 0.2, -0.3] },
        mean: { dims: [3], values: [0.3, -1, 2] }, variance: { dims: [3], values: [0.5, 2, 4] },
      },
      nodes: [
        node('Unsqueeze', ['x', 'axes'], ['u']),
        node('BatchNormalization', ['u', 'scale', 'bias', 'mean', 'variance'], ['b'], [attr.float('epsilon', 0.0625)]),
        node('Tanh', ['b'], ['t']),
        node('Flatten', ['t'], ['y']),
      ],
    });
    await checkGraph(bytes, points(20, 3, 6), 'float64');
  });

  it('the operator list of the issue is supported', () => {
    const required = ['Gemm', 'MatMul', 'Add', 'Sub', 'Mul', 'Div', 'Neg', 'Relu', 'LeakyRelu', 'Tanh', 'Sigmoid', 'Elu', 'Softplus', 'Erf', 'Gelu',
      'Exp', 'Log', 'Sqrt', 'Pow', 'Clip', 'Identity', 'Dropout', 'Constant', 'Cast', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Concat', 'BatchNormalization'];
    for (const op of required) expect(SUPPORTED_OPERATORS).toContain(op);
    // …and every one of them except Gelu/Abs/Reciprocal occurs in a PyTorch-referenced fixture.
    const covered = new Set(['tanh_mlp_7x64x64x4', 'resmlp_blast_furnace', 'batchnorm_mlp', 'two_outputs', 'float64_mixed_activations', 'op_zoo', 'handmade_ops']
      .flatMap((name) => Object.keys(fixtureReference(name).operators)));
    expect(required.filter((op) => !covered.has(op))).toEqual(['Gelu']);
  });
});

describe('erf', () => {
  it('matches tabulated values (Abramowitz & Stegun, 7.1) to 1e-15 relative', () => {
    const table: [number, number][] = [[0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527], [3.5, 0.9999992569016276]];
    for (const [x, value] of table) {
      expect(Math.abs(erf(x) - value) / value).toBeLessThan(1e-15);
      expect(erf(-x)).toBe(-erf(x));
    }
  });
});

describe('Gemm on the shared product kernels', () => {
  for (const cols of [3, 9]) {
    for (const transB of [0, 1]) {
      it(`alpha, beta, transB=${transB}, bias [1, C] then scalar, ${cols} output columns (${cols < 8 ? 'A·Bᵀ' : 'A·B'} kernel), float64 vs onnxruntime`, async () => {
        const random = new Random(20 + cols + transB);
        const inner = 5;
        const w = Array.from({ length: inner * cols }, () => random.normal());
        const bytes = buildModel({
          n: inner, m: cols, float64: true,
          initializers: {
            w: { dims: transB ? [cols, inner] : [inner, cols], values: w },
            c: { dims: [1, cols], values: Array.from({ length: cols }, () => random.normal()) },
            w2: { dims: [cols, cols], values: Array.from({ length: cols * cols }, () => random.normal()) },
            c2: { dims: [], values: [0.25] },
          },
          nodes: [
            node('Gemm', ['x', 'w', 'c'], ['h'], [attr.float('alpha', 0.5), attr.float('beta', 2), attr.int('transB', transB)]),
            node('Tanh', ['h'], ['t']),
            node('Gemm', ['t', 'w2', 'c2'], ['y'], [attr.float('beta', -3)]),
          ],
        });
        await checkGraph(bytes, points(300, inner, 30 + cols, 0.5), 'float64');
      });
    }
  }
});
