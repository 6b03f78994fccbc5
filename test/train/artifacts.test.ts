// Exported models: they load back through loadOnnxModel with names, units, bounds, standardization,
// seed and data hash; they compute what the trained MlpModel computes (to float32 rounding); they
// run in onnxruntime-node; the same seed writes byte-identical files; the report has loss curves.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/data/datasets/index.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { inspectOnnx } from '../../src/onnx/inspect.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { writeTrainingArtifacts } from '../../src/io/artifacts.ts';
import { trainModels } from '../../src/train/pipeline.ts';

/** Float32 weights: outputs agree with the float64 net to this fraction of the output scale. */
const FLOAT32_RELATIVE = 1e-4;

const generated = generateDataset('plant', 600, 2);
const table = {
  x: generated.inputs, y: generated.outputs, inputNames: generated.inputNames, outputNames: generated.outputNames,
  inputUnits: generated.units.inputs, outputUnits: generated.units.outputs, bounds: generated.bounds, source: 'dataset:plant',
};
const options = { network: { epochs: 4, hidden: [16, 16] }, inverse: true, alpha: 0.2, seed: 42 } as const;
const run = trainModels(table, options);
const directory = mkdtempSync(path.join(tmpdir(), 'inversa-train-'));
const written = writeTrainingArtifacts(run, directory);

describe('training artifacts', () => {
  it('writes forward.onnx, inverse.onnx and training-report.json and no temporary files', () => {
    expect(readdirSync(directory).sort()).toEqual(['forward.onnx', 'inverse.onnx', 'training-report.json']);
  });

  it('the forward model loads back with names, units, bounds, standardization, seed and data hash', async () => {
    const bytes = readFileSync(written.forward);
    const model = await loadOnnxModel(bytes, { source: 'forward.onnx' });
    expect(model.inputNames).toEqual(generated.inputNames);
    expect(model.outputNames).toEqual(generated.outputNames);
    expect(model.meta.outputUnits).toEqual(generated.units.outputs);
    expect(Array.from(model.meta.bounds!.lower)).toEqual([0, 0, 0, 21, 0, 1200, 150]);
    expect(Array.from(model.meta.inputMean!)).toEqual(Array.from(run.data.inputScaling.mean));
    const metadata = inspectOnnx(bytes).metadata;
    expect(metadata['inversa.seed']).toBe('42');
    expect(metadata['inversa.data_hash']).toBe(run.dataHash);
    expect(metadata['inversa.role']).toBe('forward');
    expect(JSON.parse(metadata['inversa.training']).hidden).toEqual([16, 16]);
  });

  it('loaded forward and inverse models compute what the trained nets compute (float32 weights)', async () => {
    for (const [file, spec] of [[written.forward, run.forward.spec], [written.inverse!, run.inverse!.spec]] as const) {
      const model = await loadOnnxModel(readFileSync(file));
      const reference = new MlpModel(spec);
      const n = spec.inputNames.length, m = spec.outputNames.length;
      const source = file === written.forward ? generated.inputs : generated.outputs;
      const x = new Matrix(10, n, source.data.slice(0, 10 * n));
      const ours = model.forward(x), expected = reference.forward(x);
      const scale = spec.outputScaling!.std;
      for (let k = 0; k < ours.data.length; k++) expect(Math.abs(ours.data[k] - expected.data[k])).toBeLessThan(FLOAT32_RELATIVE * scale[k % m] * 10);
    }
  });

  it('runs in onnxruntime-node with the same outputs', async () => {
    const bytes = readFileSync(written.forward);
    const session = await ort.InferenceSession.create(bytes);
    const x = generated.inputs.data.slice(0, 5 * 7);
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(x), [5, 7]) };
    const result = await session.run(feeds);
    const y = result[session.outputNames[0]].data as Float32Array;
    const expected = new MlpModel(run.forward.spec).forward(new Matrix(5, 7, x));
    for (let k = 0; k < 20; k++) expect(Math.abs(y[k] - expected.data[k])).toBeLessThan(FLOAT32_RELATIVE * run.forward.spec.outputScaling!.std[k % 4] * 10);
  });

  it('same seed and data → byte-identical model files', () => {
    const again = mkdtempSync(path.join(tmpdir(), 'inversa-train-again-'));
    const second = writeTrainingArtifacts(trainModels(table, options), again);
    expect(Buffer.compare(readFileSync(second.forward), readFileSync(written.forward))).toBe(0);
    expect(Buffer.compare(readFileSync(second.inverse!), readFileSync(written.inverse!))).toBe(0);
  });

  it('the JSON report has per-epoch loss curves, scores, seed and data hash', () => {
    const report = JSON.parse(readFileSync(written.report, 'utf8'));
    expect(report.kind).toBe('inversa-training-report');
    expect(report.seed).toBe(42);
    expect(report.data.hash).toBe(run.dataHash);
    expect(report.forward.curves.trainLoss).toHaveLength(4);
    expect(report.forward.curves.validationLoss).toHaveLength(4);
    expect(report.inverse.curves.alpha).toEqual([0.2, 0.2, 0.2, 0.2]);
    expect(report.inverse.test.resimulation.map((score: { name: string }) => score.name)).toEqual(generated.outputNames);
    expect(report.files).toEqual({ forward: 'forward.onnx', inverse: 'inverse.onnx' });
  });
});
