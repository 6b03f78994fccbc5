// Hand-made graphs for the affine-chain detection: Identity, Squeeze/Unsqueeze, Sub(c, x), Neg, a
// constant computed by Reciprocal/Cast nodes, and an output tail y = (−z)·(−std) + mean — plus a
// chain interrupted by a second consumer (then nothing is claimed).
import { describe, expect, it } from 'vitest';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { attr, buildModel, node } from './helpers.ts';

const MEAN = [10, -2], STD = [4, 0.5];

describe('affine-chain scaling detection', () => {
  it('composes (x − mean)/std through Identity, Unsqueeze/Squeeze, Sub(c, x), Neg and Reciprocal(std)', async () => {
    const bytes = buildModel({
      n: 2, m: 2, float64: true, opset: 13,
      initializers: {
        mean: { dims: [2], values: MEAN }, std: { dims: [2], values: STD }, axes: { dims: [1], values: [1], int64: true },
        w: { dims: [2, 2], values: [1, 0.5, -0.3, 1] }, ystd: { dims: [2], values: [-3, -7] }, ymean: { dims: [2], values: [100, 5] },
      },
      nodes: [
        node('Identity', ['x'], ['i']),
        node('Unsqueeze', ['i', 'axes'], ['u']),
        node('Sub', ['mean', 'u'], ['d']),            // mean − x
        node('Neg', ['d'], ['e']),                     // x − mean
        node('Reciprocal', ['std'], ['r']),            // a constant made by a node
        node('Mul', ['e', 'r'], ['s']),                // (x − mean)/std
        node('Squeeze', ['s', 'axes'], ['q']),
        node('MatMul', ['q', 'w'], ['h']),
        node('Tanh', ['h'], ['z']),
        node('Neg', ['z'], ['nz']),
        node('Mul', ['nz', 'ystd'], ['sz']),          // (−z)·(−std) = z·std
        node('Add', ['sz', 'ymean'], ['y']),
      ],
    });
    const model = await loadOnnxModel(bytes);
    expect(Array.from(model.meta.inputMean!)).toEqual(MEAN);
    expect(Array.from(model.meta.inputStd!)).toEqual(STD);
    expect(Array.from(model.meta.outputStd!)).toEqual([3, 7]);
    expect(Array.from(model.meta.outputMean!)).toEqual([100, 5]);
    expect(model.meta.inputStatsOrigin).toBe('graph-scaling');
  });

  it('claims nothing when the input also feeds another node, or when the first node is not affine', async () => {
    const branched = buildModel({
      n: 2, m: 2, float64: true,
      initializers: { mean: { dims: [2], values: MEAN }, w: { dims: [2, 2], values: [1, 0, 0, 1] } },
      nodes: [node('Sub', ['x', 'mean'], ['d']), node('MatMul', ['x', 'w'], ['h']), node('Add', ['d', 'h'], ['y'])],
    });
    expect((await loadOnnxModel(branched)).meta.inputStd).toBeUndefined();
    const gemmFirst = buildModel({
      n: 2, m: 2, float64: true,
      initializers: { w: { dims: [2, 2], values: [1, 0, 0, 1] }, c: { dims: [2], values: [1, 1] } },
      nodes: [node('Gemm', ['x', 'w', 'c'], ['h'], [attr.int('transB', 1)]), node('Tanh', ['h'], ['y'])],
    });
    const model = await loadOnnxModel(gemmFirst);
    expect(model.meta.inputStd).toBeUndefined();
    expect(model.meta.outputStd).toBeUndefined();
  });
});
