// Entry points for loading a forward model: ONNX bytes → OnnxModel (exact Jacobians by the Float64
// interpreter, or — opt-in, for unsupported operators — central differences through onnxruntime-node),
// with names, units, bounds and standardization filled into the model's meta.
import type { Model, ModelMeta } from '../model/model.ts';
import { InvalidArgumentError } from '../linalg/errors.ts';
import { UnsupportedOperatorError } from './errors.ts';
import type { Evaluator } from './evaluator.ts';
import { OnnxProgram } from './interpret.ts';
import { metaFromMetadata } from './metadata.ts';
import { OnnxModel } from './model.ts';
import { readOnnxGraph } from './read.ts';
import { detectStandardization } from './standardization.ts';
import type { OnnxGraph } from './graph.ts';

export interface LoadOptions {
  /** Graph output to use when the model has several (default: the first). */
  output?: string;
  /** 'finite-differences': when operators are unsupported, use onnxruntime-node and central differences. */
  fallback?: 'finite-differences';
  /** File name, shown in messages and in meta.source. */
  source?: string;
}

export async function loadOnnxModel(bytes: Uint8Array, options: LoadOptions = {}): Promise<OnnxModel> {
  if (options.fallback !== undefined && options.fallback !== 'finite-differences') {
    throw new InvalidArgumentError(`fallback must be 'finite-differences' or absent, got '${String(options.fallback)}'`);
  }
  const source = options.source ?? 'ONNX model';
  const graph = readOnnxGraph(bytes, source);
  let engine: Evaluator & { inputName?: string };
  let outputName: string;
  const notes: string[] = [];
  try {
    const program = new OnnxProgram(graph, { output: options.output, source });
    engine = { inputCount: program.inputCount, outputCount: program.outputCount, approximate: false, run: program.run.bind(program) };
    outputName = program.outputName;
  } catch (error) {
    if (!(error instanceof UnsupportedOperatorError) || options.fallback !== 'finite-differences') throw error;
    const { FiniteDifferenceEvaluator } = await import('./finite-differences.ts');
    outputName = options.output ?? graph.outputs[0].name;
    const inputCount = Number(graph.inputs[0]?.shape?.[1]);
    engine = new FiniteDifferenceEvaluator(bytes, inputCount, outputName, source);
    notes.push(`APPROXIMATE Jacobians: ${error.message.replace(/\.? Load with fallback.*$/, '')}; using central differences on a float64 copy of the graph (onnxruntime-node, step 1e-6·σ)`);
  }
  return buildModel(graph, engine, outputName, source, notes);
}

function buildModel(graph: OnnxGraph, engine: Evaluator, outputName: string, source: string, notes: string[]): OnnxModel {
  const n = engine.inputCount, m = engine.outputCount;
  const stored = metaFromMetadata(graph.metadata, n, m);
  const inputNames = stored.inputNames ?? Array.from({ length: n }, (_, j) => `x${j}`);
  const outputNames = stored.outputNames ?? Array.from({ length: m }, (_, j) => `y${j}`);
  const detected = detectStandardization(graph, graph.inputs[0].name, n, outputName, m);
  const meta: ModelMeta = { source: `onnx:${source}`, approximateJacobian: engine.approximate, ...stored.meta };
  if (!meta.inputStd && detected.input) { meta.inputMean = detected.input.mean; meta.inputStd = detected.input.std; }
  if (!meta.outputStd && detected.output) { meta.outputMean = detected.output.mean; meta.outputStd = detected.output.std; }
  meta.notes = [...notes, ...detected.notes];
  if (graph.outputs.length > 1) meta.notes.push(`graph has ${graph.outputs.length} outputs (${graph.outputs.map((o) => o.name).join(', ')}); using '${outputName}'`);
  const model = new OnnxModel(engine, inputNames, outputNames, outputName, meta);
  model.graph = graph;
  return model;
}

/** Load a model file by extension (ONNX today). */
export async function loadModelFile(path: string, options: LoadOptions = {}): Promise<Model> {
  const { readFile } = await import('node:fs/promises');
  const lower = path.toLowerCase();
  if (!lower.endsWith('.onnx')) {
    throw new InvalidArgumentError(`model file '${path}' is not an .onnx file; inversa loads ONNX models (export from PyTorch with torch.onnx.export)`);
  }
  const bytes = await readFile(path);
  const name = path.split(/[\\/]/).pop() ?? path;
  return loadOnnxModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { ...options, source: options.source ?? name });
}
