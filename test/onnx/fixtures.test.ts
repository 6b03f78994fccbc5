// The PyTorch fixtures: forward values and exact Jacobians against PyTorch float64 autograd
// (test/fixtures/*.json, made by make_fixtures.py), against onnxruntime-node, and against central
// differences; embedded standardization; choice between several outputs.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { OnnxFormatError } from '../../src/onnx/errors.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { blockwiseRelativeError, centralDifferences, fixtureBytes, fixtureReference, flatten, relativeError, runtimeOutput } from './helpers.ts';

/** PyTorch float64 autograd vs our Float64 interpreter: both exact up to rounding. */
const JACOBIAN_TOLERANCE = 1e-10;
/** Forward vs PyTorch float64 (same weights, both in double). */
const FORWARD_TOLERANCE = 1e-10;
/** Forward vs onnxruntime computing the float32 graph in float32. */
const FLOAT32_RUNTIME_TOLERANCE = 1e-6;
/** Central differences (step 1e-6) agree with exact derivatives to about h² + ε/h. */
const CENTRAL_DIFFERENCE_TOLERANCE = 1e-6;

const FIXTURES = ['tanh_mlp_7x64x64x4', 'resmlp_blast_furnace', 'batchnorm_mlp', 'two_outputs', 'float64_mixed_activations', 'op_zoo', 'handmade_ops'];

describe('ONNX fixtures against PyTorch float64 autograd', () => {
  for (const name of FIXTURES) {
    const reference = fixtureReference(name);
    for (const output of reference.outputNames) {
      it(`${name} (${output}): outputs and Jacobians`, async () => {
        const model = await loadOnnxModel(fixtureBytes(name), { output, source: name });
        const x = Matrix.fromArray(reference.points);
        const m = reference.outputs[output][0].length, n = x.cols;
        expect(model.inputNames.length).toBe(n);
        expect(model.outputNames.length).toBe(m);
        expect(model.meta.approximateJacobian).toBe(false);
        const { y, jacobian } = model.forwardWithJacobian(x);
        expect(jacobian.count).toBe(x.rows);
        expect([jacobian.rows, jacobian.cols]).toEqual([m, n]);
        expect(blockwiseRelativeError(y.data, flatten(reference.outputs[output]), m)).toBeLessThan(FORWARD_TOLERANCE);
        expect(blockwiseRelativeError(jacobian.data, flatten(reference.jacobians[output]), m * n)).toBeLessThan(JACOBIAN_TOLERANCE);
        // jacobian() alone and forward() alone agree with the combined call.
        expect(Array.from(model.jacobian(x).data)).toEqual(Array.from(jacobian.data));
        expect(Array.from(model.forward(x).data)).toEqual(Array.from(y.data));
        // Central differences of our own forward pass.
        const differences = centralDifferences((points) => model.forward(points), x, m);
        expect(blockwiseRelativeError(differences, jacobian.data, m * n)).toBeLessThan(CENTRAL_DIFFERENCE_TOLERANCE);
      });

      // onnxruntime's CPU provider has no float64 Elu/Softplus kernels: that fixture is checked
      // against PyTorch only.
      it.skipIf(name === 'float64_mixed_activations')(`${name} (${output}): forward equals onnxruntime-node`, async () => {
        const bytes = fixtureBytes(name);
        const model = await loadOnnxModel(bytes, { output });
        const x = Matrix.fromArray(reference.points);
        const ours = model.forward(x);
        const runtime = runtimeOutput(bytes, x, reference.elementType, output);
        const m = ours.cols;
        const tolerance = reference.elementType === 'float32' ? FLOAT32_RUNTIME_TOLERANCE : FORWARD_TOLERANCE;
        expect(blockwiseRelativeError(runtime, ours.data, m)).toBeLessThan(tolerance);
      });
    }
  }

  it('evaluates large batches in blocks and with a dynamic batch size (1, 257, 600 rows)', async () => {
    const reference = fixtureReference('tanh_mlp_7x64x64x4');
    const model = await loadOnnxModel(fixtureBytes('tanh_mlp_7x64x64x4'));
    const expected = flatten(reference.jacobians.output1);
    for (const rows of [1, 257, 600]) {
      const x = new Matrix(rows, 7);
      for (let i = 0; i < rows; i++) x.data.set(reference.points[i % 20], i * 7);
      const jacobian = model.jacobian(x);
      for (const i of [0, rows - 1]) {
        const block = jacobian.data.subarray(i * 28, (i + 1) * 28);
        expect(relativeError(block, expected.subarray((i % 20) * 28, (i % 20 + 1) * 28))).toBeLessThan(JACOBIAN_TOLERANCE);
      }
    }
  });

  it('detects the standardization baked into the residual MLP as metadata', async () => {
    const reference = fixtureReference('resmlp_blast_furnace');
    const model = await loadOnnxModel(fixtureBytes('resmlp_blast_furnace'));
    const expected = reference.standardization!;
    // The graph holds float32 constants: equal to the project's values to float32 precision.
    expect(relativeError(model.meta.inputMean!, expected.inputMean)).toBeLessThan(1e-6);
    expect(relativeError(model.meta.inputStd!, expected.inputStd)).toBeLessThan(1e-6);
    expect(relativeError(model.meta.outputMean!, expected.outputMean)).toBeLessThan(1e-6);
    expect(relativeError(model.meta.outputStd!, expected.outputStd)).toBeLessThan(1e-6);
    expect(model.meta.notes!.join('\n')).toMatch(/input standardization.*\/Sub, \/Div/);
    expect(model.meta.notes!.join('\n')).toMatch(/output standardization.*\/Mul, \/Add_1/);
    // No false positives on a plain MLP.
    const plain = await loadOnnxModel(fixtureBytes('tanh_mlp_7x64x64x4'));
    expect(plain.meta.inputStd).toBeUndefined();
    expect(plain.meta.outputStd).toBeUndefined();
  });

  it('uses the first output by default and refuses an unknown output name', async () => {
    const bytes = fixtureBytes('two_outputs');
    const first = await loadOnnxModel(bytes);
    expect(first.outputName).toBe('output1');
    expect(first.outputNames).toHaveLength(3);
    const second = await loadOnnxModel(bytes, { output: 'output2' });
    expect(second.outputNames).toHaveLength(2);
    await expect(loadOnnxModel(bytes, { output: 'output3' })).rejects.toThrow(OnnxFormatError);
    await expect(loadOnnxModel(bytes, { output: 'output3' })).rejects.toThrow(/'output1', 'output2'/);
  });
});
