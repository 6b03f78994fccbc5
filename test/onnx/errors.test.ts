// Bad input to the importer: corrupt/truncated bytes, an image-shaped input, an unsupported operator
// (and the opt-in finite-difference fallback), non-constant operands where constants are required,
// and bad points.
import { describe, expect, it } from 'vitest';
import { NonFiniteError, ShapeError } from '../../src/core/errors.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { OnnxFormatError, UnsupportedOperatorError } from '../../src/onnx/errors.ts';
import { loadOnnxModel } from '../../src/io/model-file.ts';
import { Random } from '../../src/linalg/random.ts';
import { blockwiseRelativeError, buildModel, fixtureBytes, fixtureReference, flatten, node } from './helpers.ts';

/** Central differences in float64 with step 1e-6·σ: error ≈ h²·f''' + ε·|f|/h, far below this. */
const FALLBACK_TOLERANCE = 1e-6;

describe('corrupt and unusable ONNX files', () => {
  it('rejects empty, truncated and garbage bytes with OnnxFormatError', async () => {
    const bytes = fixtureBytes('tanh_mlp_7x64x64x4');
    await expect(loadOnnxModel(new Uint8Array(0))).rejects.toThrow(OnnxFormatError);
    for (const length of [1, 10, 100, 1000, bytes.length - 7]) {
      await expect(loadOnnxModel(bytes.subarray(0, length), { source: 'cut.onnx' })).rejects.toThrow(OnnxFormatError);
    }
    const garbage = new Uint8Array(500);
    const random = new Random(3);
    for (let k = 0; k < garbage.length; k++) garbage[k] = Math.floor(random.uniform() * 256);
    await expect(loadOnnxModel(garbage, { source: 'noise.onnx' })).rejects.toThrow(/noise\.onnx/);
    await expect(loadOnnxModel(new TextEncoder().encode('x,y\n1,2\n'))).rejects.toThrow(OnnxFormatError);
  });

  it('refuses an image-shaped input [batch, 2, 3] with a message naming the shape', async () => {
    const load = loadOnnxModel(fixtureBytes('image_input'), { source: 'image_input.onnx' });
    await expect(load).rejects.toThrow(OnnxFormatError);
    await expect(loadOnnxModel(fixtureBytes('image_input'))).rejects.toThrow(/\[batch, 2, 3\].*\[batch, n\]/);
  });

  it('refuses a graph with two inputs', async () => {
    const bytes = buildModel({ n: 2, m: 2, nodes: [node('Add', ['x', 'z'], ['y'])] });
    // Add a second input by editing the graph through the builder: reuse 'x' shape for 'z'.
    const { onnx } = await import('../../src/onnx/proto.ts');
    const model = onnx.ModelProto.decode(bytes);
    const inputs = model.graph?.input ?? [];
    model.graph!.input = [...inputs, onnx.ValueInfoProto.create({ ...inputs[0], name: 'z' })];
    await expect(loadOnnxModel(onnx.ModelProto.encode(model).finish())).rejects.toThrow(/2 inputs/);
  });

  it('refuses a graph whose rows depend on each other (reshape across the batch axis)', async () => {
    // Flatten the whole batch into one row and multiply by a full matrix: rows mix.
    const bytes = buildModel({
      n: 2, m: 4, float64: true,
      initializers: { flat: { dims: [2], values: [1, 4], int64: true }, w: { dims: [4, 4], values: [1, 2, 0, 1, 0, 1, 3, 0, 2, 0, 1, 1, 1, 1, 0, 2] } },
      nodes: [node('Reshape', ['x', 'flat'], ['r']), node('MatMul', ['r', 'w'], ['y'])],
    });
    await expect(loadOnnxModel(bytes, { source: 'mixing.onnx' })).rejects.toThrow(/shape \[1, 4\] for 2 input rows/);
    // Keeps the [N, m] shape but mixes rows: view [N, 2] as [2, N], scale the two view rows differently, view back.
    const sneaky = buildModel({
      n: 2, m: 2, float64: true,
      initializers: { wide: { dims: [2], values: [2, -1], int64: true }, back: { dims: [2], values: [-1, 2], int64: true }, scale: { dims: [2, 1], values: [2, 3] } },
      nodes: [node('Reshape', ['x', 'wide'], ['v']), node('Mul', ['v', 'scale'], ['s']), node('Reshape', ['s', 'back'], ['y'])],
    });
    await expect(loadOnnxModel(sneaky, { source: 'sneaky.onnx' })).rejects.toThrow(/sneaky\.onnx: output row 0 depends on other rows/);
  });
});

describe('unsupported operators', () => {
  it('names the operator and the node (CumSum)', async () => {
    const error = await loadOnnxModel(fixtureBytes('cumsum_unsupported'), { source: 'cumsum_unsupported.onnx' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedOperatorError);
    expect((error as UnsupportedOperatorError).operators).toEqual(['CumSum']);
    expect((error as Error).message).toMatch(/CumSum \(node '\/CumSum'\)/);
    expect((error as Error).message).toMatch(/finite-differences/);
  });

  it('with the fallback: approximate Jacobians close to PyTorch, marked approximate', async () => {
    const reference = fixtureReference('cumsum_unsupported');
    const model = await loadOnnxModel(fixtureBytes('cumsum_unsupported'), { fallback: 'finite-differences', source: 'cumsum_unsupported.onnx' });
    expect(model.meta.approximateJacobian).toBe(true);
    expect(model.meta.notes!.join('\n')).toMatch(/APPROXIMATE.*CumSum/);
    const x = Matrix.fromArray(reference.points);
    const { y, jacobian } = model.forwardWithJacobian(x);
    // The float64 copy evaluates the float32 weights in double: as exact as PyTorch's float64 copy.
    expect(blockwiseRelativeError(y.data, flatten(reference.outputs.output1), 2)).toBeLessThan(1e-12);
    expect(blockwiseRelativeError(jacobian.data, flatten(reference.jacobians.output1), 6)).toBeLessThan(FALLBACK_TOLERANCE);
    // The fallback is opt-in only: supported graphs stay exact even when it is requested.
    const exact = await loadOnnxModel(fixtureBytes('tanh_mlp_7x64x64x4'), { fallback: 'finite-differences' });
    expect(exact.meta.approximateJacobian).toBe(false);
  });

  it('refuses a Pow whose exponent depends on the input, naming Pow', async () => {
    const bytes = buildModel({ n: 2, m: 2, nodes: [node('Pow', ['x', 'x'], ['y'])] });
    await expect(loadOnnxModel(bytes)).rejects.toThrow(UnsupportedOperatorError);
    await expect(loadOnnxModel(bytes)).rejects.toThrow(/Pow .*input #1/);
  });
});

describe('bad points', () => {
  it('rejects a wrong column count and NaN inputs, and names non-finite outputs', async () => {
    const model = await loadOnnxModel(fixtureBytes('tanh_mlp_7x64x64x4'));
    expect(() => model.forward(new Matrix(3, 6))).toThrow(ShapeError);
    expect(() => model.forward(new Matrix(3, 6))).toThrow(/N×7/);
    const x = new Matrix(2, 7);
    x.set(1, 3, NaN);
    expect(() => model.jacobian(x)).toThrow(/row 1, column 3/);
    const log = await loadOnnxModel(buildModel({ n: 2, m: 2, nodes: [node('Log', ['x'], ['y'])], float64: true }));
    expect(() => log.forward(Matrix.fromArray([[1, 2], [3, -1]]))).toThrow(NonFiniteError);
    expect(() => log.forward(Matrix.fromArray([[1, 2], [3, -1]]))).toThrow(/'y1'.*point 1/);
  });
});
