// Bad input to the operator registry (issue 13): opsets outside a rule's range, unknown operators,
// a non-constant Where condition and unsupported attribute values are one-line errors naming the
// node, the operator and the supported range; `inspect` lists exactly the blocking nodes. And the
// one documented convention at kinks (left derivative; ties to the first element), checked at the
// kink points themselves.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { OnnxFormatError, UnsupportedOperatorError } from '../../src/onnx/errors.ts';
import { inspectOnnx } from '../../src/onnx/inspect.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { MAX_OPSET, MIN_OPSET } from '../../src/onnx/ops/registry.ts';
import { attr, buildModel, node } from './helpers.ts';

const tanhModel = (opset: number) => buildModel({ n: 2, m: 2, opset, nodes: [node('Tanh', ['x'], ['y'])] });

describe('opsets outside the supported range', () => {
  for (const opset of [0, 1, 6, 99]) {
    it(`opset ${opset}: an error naming the node, the operator and the range`, async () => {
      const error = await loadOnnxModel(tanhModel(opset), { source: 'm.onnx' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedOperatorError);
      const message = (error as Error).message;
      expect(message).toMatch(new RegExp(`Tanh \\(node 'Tanh_y'\\): supported for opsets ${MIN_OPSET}–${MAX_OPSET}`));
      expect(message).toMatch(opset === 0 ? /imports no ai\.onnx opset/ : new RegExp(`imports opset ${opset}`));
      expect(message.split('\n')).toHaveLength(1);
      const inspection = inspectOnnx(tanhModel(opset), 'm.onnx');
      expect(inspection.status).toBe('unsupported');
      expect(inspection.blockingNodes).toEqual([{ node: 'Tanh_y', operator: 'Tanh', reason: expect.stringMatching(/opsets 7–22/) }]);
      expect(inspection.message).toMatch(new RegExp(`inversa reads opsets ${MIN_OPSET}–${MAX_OPSET}, the model imports ${opset}`));
    });
  }

  it('the edges of the range load', async () => {
    for (const opset of [MIN_OPSET, MAX_OPSET]) expect((await loadOnnxModel(tanhModel(opset))).outputNames).toHaveLength(2);
  });

  it('an operator newer than the model opset (Mish at 17, LayerNormalization at 16) names its own range', async () => {
    const mish = buildModel({ n: 2, m: 2, opset: 17, nodes: [node('Mish', ['x'], ['y'])] });
    await expect(loadOnnxModel(mish)).rejects.toThrow(/Mish \(node 'Mish_y'\): supported for opsets 18–22, the model imports opset 17/);
    const layerNorm = buildModel({ n: 2, m: 2, opset: 16, nodes: [node('LayerNormalization', ['x'], ['y'])] });
    await expect(loadOnnxModel(layerNorm)).rejects.toThrow(/LayerNormalization .*opsets 17–22/);
  });
});

describe('unknown operators and unsupported arguments', () => {
  it('inspect lists exactly the blocking nodes, not the supported ones', () => {
    const bytes = buildModel({
      n: 2, m: 2, nodes: [node('Tanh', ['x'], ['a']), node('Atan', ['a'], ['b']), node('Sigmoid', ['b'], ['c']), node('Asin', ['c'], ['y'])],
    });
    const inspection = inspectOnnx(bytes, 'two.onnx');
    expect(inspection.blockingNodes.map((b) => [b.node, b.operator, b.reason])).toEqual([
      ['Atan_b', 'Atan', 'operator not supported'], ['Asin_y', 'Asin', 'operator not supported']]);
    expect(inspection.message).toMatch(/blocked by 2 nodes: 'Atan_b' \(Atan\), 'Asin_y' \(Asin\)/);
    expect(inspection.operators.filter((o) => !o.supported).map((o) => o.name)).toEqual(['Atan', 'Asin']);
  });

  it('refuses a Where whose condition depends on the input values (Cast to bool, Greater)', async () => {
    for (const condition of [node('Cast', ['x'], ['c'], [attr.int('to', 9)]), node('Greater', ['x', 'zero'], ['c'])]) {
      const bytes = buildModel({
        n: 2, m: 2, float64: true, initializers: { zero: { dims: [], values: [0] } },
        nodes: [condition, node('Neg', ['x'], ['n']), node('Where', ['c', 'x', 'n'], ['y'])],
      });
      const error = await loadOnnxModel(bytes, { source: 'where.onnx' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedOperatorError);
      expect((error as Error).message).toMatch(/Where \(node 'Where_y'\): input #0 \('c'\) depends on the values of the model input; supported only constant/);
      expect(inspectOnnx(bytes, 'where.onnx').blockingNodes.map((b) => b.node)).toEqual(['Where_y']);
    }
  });

  it('a Where condition computed from shapes is fine', async () => {
    // condition = (Shape(x)[1] == 2), broadcast: every element takes x.
    const bytes = buildModel({
      n: 2, m: 2, float64: true, initializers: { two: { dims: [], values: [2], int64: true }, one: { dims: [], values: [1], int64: true } },
      nodes: [node('Shape', ['x'], ['s']), node('Gather', ['s', 'one'], ['w']), node('Equal', ['w', 'two'], ['c']),
        node('Neg', ['x'], ['n']), node('Where', ['c', 'x', 'n'], ['y'])],
    });
    const model = await loadOnnxModel(bytes);
    expect(Array.from(model.jacobian(Matrix.fromArray([[0.5, -1]])).data)).toEqual([1, 0, 0, 1]);
  });

  it('unsupported attribute values name the node and what is allowed', async () => {
    const reduce18 = buildModel({ n: 2, m: 1, opset: 18, nodes: [node('ReduceMean', ['x'], ['y'], [attr.ints('axes', [1])])] });
    await expect(loadOnnxModel(reduce18)).rejects.toThrow(OnnxFormatError);
    await expect(loadOnnxModel(reduce18)).rejects.toThrow(/ReduceMean \(node 'ReduceMean_y'\): attribute 'axes' is not allowed at opset 18; from opset 18 the axes are input #1/);
    const reduce13 = buildModel({
      n: 2, m: 1, opset: 13, initializers: { axes: { dims: [1], values: [1], int64: true } },
      nodes: [node('ReduceMean', ['x', 'axes'], ['y'])],
    });
    await expect(loadOnnxModel(reduce13)).rejects.toThrow(/an axes input needs opset ≥ 18 \(the model imports 13\)/);
    const perm = buildModel({ n: 2, m: 2, nodes: [node('Transpose', ['x'], ['y'], [attr.ints('perm', [0, 0])])] });
    await expect(loadOnnxModel(perm)).rejects.toThrow(/Transpose \(node 'Transpose_y'\): perm \[0, 0\] is not a permutation/);
    const gelu = buildModel({ n: 2, m: 2, opset: 20, nodes: [node('Gelu', ['x'], ['y'], [attr.string('approximate', 'cubic')])] });
    await expect(loadOnnxModel(gelu)).rejects.toThrow(/approximate='cubic'/);
  });

  it('refuses a used LayerNormalization statistics output (only output #0 is differentiated)', async () => {
    const bytes = buildModel({
      n: 3, m: 1, nodes: [node('LayerNormalization', ['x'], ['z', 'mean'], []), node('Identity', ['mean'], ['y'])],
    });
    await expect(loadOnnxModel(bytes)).rejects.toThrow(/LayerNormalization \(node 'LayerNormalization_z'\): output #1 \('mean'\) is used/);
  });
});

describe('the convention at kinks: left derivative; ties go to the first element', () => {
  /** dy/dx of a one-input, one-output graph at the given points, in float64. */
  async function derivatives(nodes: ReturnType<typeof node>[], points: number[], opset = 17, initializers = {}): Promise<number[]> {
    const model = await loadOnnxModel(buildModel({ n: 1, m: 1, float64: true, opset, nodes, initializers }));
    return Array.from(model.jacobian(Matrix.fromArray(points.map((p) => [p]))).data);
  }

  it('Relu, LeakyRelu, Abs, PRelu, ThresholdedRelu, HardSwish, HardSigmoid, Clip at their kinks', async () => {
    expect(await derivatives([node('Relu', ['x'], ['y'])], [0, -1e-300, 1e-300])).toEqual([0, 0, 1]);
    expect(await derivatives([node('LeakyRelu', ['x'], ['y'], [attr.float('alpha', 0.25)])], [0])).toEqual([0.25]);
    expect(await derivatives([node('Abs', ['x'], ['y'])], [0, 2, -2])).toEqual([-1, 1, -1]);
    expect(await derivatives([node('PRelu', ['x', 'a'], ['y'])], [0], 17, { a: { dims: [1], values: [0.5] } })).toEqual([0.5]);
    expect(await derivatives([node('ThresholdedRelu', ['x'], ['y'], [attr.float('alpha', 0.5)])], [0.5, 0.75])).toEqual([0, 1]);
    expect(await derivatives([node('HardSwish', ['x'], ['y'])], [-3, 3, 0])).toEqual([0, 1.5, 0.5]);
    expect(await derivatives([node('HardSigmoid', ['x'], ['y'], [attr.float('alpha', 0.5), attr.float('beta', 0.5)])], [-1, 1, 0])).toEqual([0, 0.5, 0.5]);
    expect(await derivatives([node('Clip', ['x', 'lo', 'hi'], ['y'])], [-1, 1, 0], 17,
      { lo: { dims: [], values: [-1] }, hi: { dims: [], values: [1] } })).toEqual([0, 1, 1]);
  });

  it('Max/Min and ReduceMax/ReduceMin ties: the first element takes the whole derivative', async () => {
    const model = await loadOnnxModel(buildModel({ n: 2, m: 3, float64: true, opset: 17, nodes: [
      node('Slice', ['x', 's0', 'e1', 'ax'], ['a']), node('Slice', ['x', 's1', 'e2', 'ax'], ['b']),
      node('Max', ['b', 'a'], ['mx']), node('Min', ['a', 'b'], ['mn']), node('ReduceMax', ['x'], ['r'], [attr.ints('axes', [1])]),
      node('Concat', ['mx', 'mn', 'r'], ['y'], [attr.int('axis', 1)])],
      initializers: { s0: { dims: [1], values: [0], int64: true }, e1: { dims: [1], values: [1], int64: true }, s1: { dims: [1], values: [1], int64: true },
        e2: { dims: [1], values: [2], int64: true }, ax: { dims: [1], values: [1], int64: true } } }));
    // At x = (1, 1) every extremum is a tie: Max(b, a) → b = x1; Min(a, b) → a = x0; ReduceMax → x0.
    expect(Array.from(model.jacobian(Matrix.fromArray([[1, 1]])).data)).toEqual([0, 1, 1, 0, 1, 0]);
    expect(Array.from(model.jacobian(Matrix.fromArray([[2, 1]])).data)).toEqual([1, 0, 0, 1, 1, 0]);
  });

  it('Floor, Ceil, Round, Sign: zero derivative, also at the jumps; Round is half to even', async () => {
    for (const op of ['Floor', 'Ceil', 'Round', 'Sign']) expect(await derivatives([node(op, ['x'], ['y'])], [0, 0.5, 1.3])).toEqual([0, 0, 0]);
    const round = await loadOnnxModel(buildModel({ n: 1, m: 1, float64: true, nodes: [node('Round', ['x'], ['y'])] }));
    expect(Array.from(round.forward(Matrix.fromArray([[0.5], [1.5], [2.5], [-2.5], [-0.4]])).data)).toEqual([0, 2, 2, -2, -0]);
  });
});

describe('attribute parsing per opset', () => {
  const x = Matrix.fromArray([[0.3, -1.2, 0.8, 2.1, -0.4, 0.05], [1.5, 0.2, -0.7, -2, 0.9, 0.6]]);
  const int64 = (values: number[]) => ({ dims: [values.length], values, int64: true });
  async function evaluate(opset: number, nodes: ReturnType<typeof node>[], m: number, initializers = {}) {
    const model = await loadOnnxModel(buildModel({ n: 6, m, float64: true, opset, nodes, initializers }));
    return model.forwardWithJacobian(x);
  }
  const same = (a: { y: Matrix; jacobian: { data: Float64Array } }, b: { y: Matrix; jacobian: { data: Float64Array } }) => {
    expect(Array.from(a.y.data)).toEqual(Array.from(b.y.data));
    expect(Array.from(a.jacobian.data)).toEqual(Array.from(b.jacobian.data));
  };

  it('Softmax before opset 13 normalizes the flattened trailing axes; from 13 one axis', async () => {
    const old = await evaluate(11, [node('Reshape', ['x', 'shape'], ['r']), node('Softmax', ['r'], ['s'], [attr.int('axis', 1)]), node('Flatten', ['s'], ['y'])], 6,
      { shape: int64([-1, 2, 3]) });
    const modern = await evaluate(13, [node('Softmax', ['x'], ['y'])], 6);
    same(old, modern);
    const perAxis = await evaluate(13, [node('Reshape', ['x', 'shape'], ['r']), node('Softmax', ['r'], ['s'], [attr.int('axis', 1)]), node('Flatten', ['s'], ['y'])], 6,
      { shape: int64([-1, 2, 3]) });
    // Opset 13 normalizes over the axis of length 2: pairs (x0, x3) sum to one.
    expect(perAxis.y.get(0, 0) + perAxis.y.get(0, 3)).toBeCloseTo(1, 15);
  });

  it('Split: attribute split (< 13), input split (13–17), num_outputs (≥ 18) give the same parts', async () => {
    const tail = [node('Concat', ['c', 'a'], ['y'], [attr.int('axis', 1)])];
    const attribute = await evaluate(11, [node('Split', ['x'], ['a', 'b', 'c'], [attr.int('axis', 1), attr.ints('split', [2, 2, 2])]), ...tail], 4);
    const input = await evaluate(13, [node('Split', ['x', 'sizes'], ['a', 'b', 'c'], [attr.int('axis', 1)]), ...tail], 4, { sizes: int64([2, 2, 2]) });
    const count = await evaluate(18, [node('Split', ['x'], ['a', 'b', 'c'], [attr.int('axis', 1), attr.int('num_outputs', 3)]), ...tail], 4);
    same(attribute, input);
    same(attribute, count);
    expect(Array.from(attribute.y.data.subarray(0, 4))).toEqual([-0.4, 0.05, 0.3, -1.2]);
  });

  it('Slice: attributes (< 10) and inputs (≥ 10, with steps); ReduceSum: attribute axes (< 13) and input (≥ 13)', async () => {
    const attribute = await evaluate(9, [node('Slice', ['x'], ['y'], [attr.ints('starts', [1]), attr.ints('ends', [4]), attr.ints('axes', [1])])], 3);
    const input = await evaluate(13, [node('Slice', ['x', 'starts', 'ends', 'axes', 'steps'], ['y'])], 3,
      { starts: int64([1]), ends: int64([4]), axes: int64([1]), steps: int64([1]) });
    same(attribute, input);
    const reversed = await evaluate(13, [node('Slice', ['x', 'starts', 'ends', 'axes', 'steps'], ['y'])], 3,
      { starts: int64([-1]), ends: int64([-1e18]), axes: int64([1]), steps: int64([-2]) });
    expect(Array.from(reversed.y.data.subarray(0, 3))).toEqual([0.05, 2.1, -1.2]);
    const sum11 = await evaluate(11, [node('Reshape', ['x', 'shape'], ['r']), node('ReduceSum', ['r'], ['y'], [attr.ints('axes', [2]), attr.int('keepdims', 0)])], 2,
      { shape: int64([-1, 2, 3]) });
    const sum13 = await evaluate(13, [node('Reshape', ['x', 'shape'], ['r']), node('ReduceSum', ['r', 'axes'], ['y'], [attr.int('keepdims', 0)])], 2,
      { shape: int64([-1, 2, 3]), axes: int64([2]) });
    same(sum11, sum13);
    expect(sum13.y.get(0, 1)).toBeCloseTo(2.1 - 0.4 + 0.05, 15);
  });
});

describe('one error names every blocking node', () => {
  it('an unknown operator and a non-constant Where condition in the same graph are both named', async () => {
    const bytes = buildModel({
      n: 2, m: 2, float64: true,
      nodes: [node('Atan', ['x'], ['a']), node('Cast', ['x'], ['c'], [attr.int('to', 9)]), node('Where', ['c', 'a', 'x'], ['y'])],
    });
    const error = await loadOnnxModel(bytes, { source: 'both.onnx' }).catch((e: unknown) => e);
    expect((error as UnsupportedOperatorError).blocking.map((b) => b.node)).toEqual(['Atan_a', 'Where_y']);
    expect(inspectOnnx(bytes, 'both.onnx').blockingNodes.map((b) => `${b.node} ${b.operator}`)).toEqual(['Atan_a Atan', 'Where_y Where']);
  });
});
