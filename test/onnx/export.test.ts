// ONNX export of inversa's MLPs: the file runs in onnxruntime-node, and importing it gives back the
// MlpModel's function, Jacobians, names and training statistics (round trip).
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { METADATA_KEYS } from '../../src/onnx/metadata.ts';
import { readOnnxGraph } from '../../src/onnx/read.ts';
import { exportMlpToOnnx } from '../../src/onnx/write.ts';
import { randomMlpSpec } from '../model/mlp-random-spec.ts';
import { blockwiseRelativeError, runtimeOutput } from './helpers.ts';

/** float64 export: the importer computes the same function as MlpModel up to rounding order. */
const ROUND_TRIP_TOLERANCE = 1e-12;
/** float32 export evaluated by onnxruntime in float32 vs MlpModel in float64. */
const FLOAT32_TOLERANCE = 1e-5;

function points(rows: number, cols: number, seed: number): Matrix {
  const random = new Random(seed);
  const x = new Matrix(rows, cols);
  for (let k = 0; k < x.data.length; k++) x.data[k] = Math.fround(random.normal(0, 1.2));
  return x;
}

describe('exportMlpToOnnx', () => {
  // Activation parameters exact in float32 (ONNX stores attributes as float32).
  const cases = [
    { kind: 'mlp' as const, activation: 'tanh' as const },
    { kind: 'resmlp' as const, activation: 'relu' as const },
    { kind: 'mlp' as const, activation: 'gelu' as const },
    { kind: 'mlp' as const, activation: 'leaky-relu' as const, activationParameter: 0.125 },
    { kind: 'mlp' as const, activation: 'elu' as const, activationParameter: 0.5 },
    { kind: 'mlp' as const, activation: 'softplus' as const },
    { kind: 'mlp' as const, activation: 'sigmoid' as const, inputProjection: 5, outputProjection: 3 },
  ];
  for (const options of cases) {
    it(`round trip: ${options.kind} ${options.activation}${options.inputProjection ? ' with projections' : ''}`, async () => {
      const spec = randomMlpSpec({ ...options, inputs: 7, outputs: 4, hidden: [12, 9], scaling: true, seed: 11 });
      const reference = new MlpModel(spec);
      const x = points(30, 7, 12);
      const expected = reference.forwardWithJacobian(x);

      const imported = await loadOnnxModel(exportMlpToOnnx(spec, { float64: true }), { source: 'exported.onnx' });
      const { y, jacobian } = imported.forwardWithJacobian(x);
      expect(blockwiseRelativeError(y.data, expected.y.data, 4)).toBeLessThan(ROUND_TRIP_TOLERANCE);
      expect(blockwiseRelativeError(jacobian.data, expected.jacobian.data, 28)).toBeLessThan(ROUND_TRIP_TOLERANCE);
      expect(imported.inputNames).toEqual(spec.inputNames);
      expect(imported.outputNames).toEqual(spec.outputNames);
      expect(Array.from(imported.meta.inputMean!)).toEqual(Array.from(spec.inputScaling!.mean));
      expect(Array.from(imported.meta.outputStd!)).toEqual(Array.from(spec.outputScaling!.std));

      // float32 (the default) runs in onnxruntime-node; Elu/Softplus/Erf have no float64 kernels there.
      const float32 = exportMlpToOnnx(spec);
      const runtime = runtimeOutput(float32, x, 'float32');
      expect(blockwiseRelativeError(runtime, expected.y.data, 4)).toBeLessThan(FLOAT32_TOLERANCE);
      if (!['elu', 'softplus', 'gelu'].includes(options.activation)) {
        const runtime64 = runtimeOutput(exportMlpToOnnx(spec, { float64: true }), x, 'float64');
        expect(blockwiseRelativeError(runtime64, expected.y.data, 4)).toBeLessThan(ROUND_TRIP_TOLERANCE);
      }
    });
  }

  it('writes names, units, bounds and statistics into metadata_props, plus user entries', async () => {
    const spec = randomMlpSpec({ inputs: 2, outputs: 1, hidden: [4], scaling: true, seed: 3 });
    spec.inputNames = ['angle', 'speed'];
    spec.outputNames = ['range'];
    spec.meta = { inputUnits: ['deg', 'm/s'], outputUnits: ['m'], bounds: { lower: Float64Array.of(0, 1), upper: Float64Array.of(90, 50) } };
    const bytes = exportMlpToOnnx(spec, { metadata: { 'inversa.note': 'test' }, opset: 20 });
    const graph = readOnnxGraph(bytes);
    expect(JSON.parse(graph.metadata[METADATA_KEYS.inputNames])).toEqual(['angle', 'speed']);
    expect(graph.metadata['inversa.note']).toBe('test');
    expect(graph.opset).toBe(20);
    const model = await loadOnnxModel(bytes);
    expect(model.inputNames).toEqual(['angle', 'speed']);
    expect(model.meta.inputUnits).toEqual(['deg', 'm/s']);
    expect(Array.from(model.meta.bounds!.upper)).toEqual([90, 50]);
    // The graph's own standardization is detected too (Sub/Div at the input, Mul/Add at the output).
    expect(model.meta.notes!.join('\n')).toMatch(/input standardization/);
    expect(model.meta.notes!.join('\n')).toMatch(/output standardization/);
  });

  it('rejects an invalid spec and opset', () => {
    const spec = randomMlpSpec({ seed: 1 });
    expect(() => exportMlpToOnnx(spec, { opset: 7 })).toThrow(/opset/);
    expect(() => exportMlpToOnnx({ ...spec, activation: 'swish' as never })).toThrow(/swish/);
  });
});
