// Loading a forward model from ONNX bytes → OnnxModel (exact Jacobians by the Float64 interpreter, or —
// opt-in, for unsupported operators — central differences through onnxruntime-node), with names,
// units, bounds and standardization filled into the model's meta. Runs anywhere (browser included):
// the finite-difference engine is node-only and is handed in by src/io/model-file.ts, the Node entry.
import { type ModelMeta, markPortable } from '../model/index.ts';
import { InvalidArgumentError } from '../core/index.ts';
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

/** Builds the approximate engine of the finite-difference fallback (node-only: src/io/model-file.ts). */
export type FallbackEngineFactory = (bytes: Uint8Array, inputCount: number, outputName: string, source: string) => Promise<Evaluator>;

/** ONNX bytes → model. Here (and in the browser build) without the finite-difference fallback. */
export async function loadOnnxModel(bytes: Uint8Array, options: LoadOptions = {}): Promise<OnnxModel> {
  return loadOnnxModelWith(bytes, options);
}

/** ONNX bytes → model, with `fallbackEngine` for graphs the interpreter cannot differentiate. */
export async function loadOnnxModelWith(bytes: Uint8Array, options: LoadOptions = {}, fallbackEngine?: FallbackEngineFactory): Promise<OnnxModel> {
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
    engine = { inputCount: program.inputCount, outputCount: program.outputCount, approximate: false, run: program.run.bind(program), outputBounds: program.outputBounds.bind(program) };
    outputName = program.outputName;
  } catch (error) {
    if (!(error instanceof UnsupportedOperatorError) || options.fallback !== 'finite-differences') throw error;
    if (!fallbackEngine) {
      throw new UnsupportedOperatorError(`${error.message.replace(/\.? Load with fallback.*$/, '')}; the finite-difference fallback needs Node.js and onnxruntime-node (this build has no fallback)`, error.operators);
    }
    outputName = options.output ?? graph.outputs[0].name;
    const inputCount = Number(graph.inputs[0]?.shape?.[1]);
    engine = await fallbackEngine(bytes, inputCount, outputName, source);
    notes.push(`APPROXIMATE Jacobians: ${error.message.replace(/\.? Load with fallback.*$/, '')}; using central differences on a float64 copy of the graph (onnxruntime-node, step 1e-6·σ)`);
  }
  const model = buildModel(graph, engine, outputName, source, notes);
  // Worker threads rebuild the model from its bytes (a private copy: the caller may reuse its buffer).
  markPortable(model, { kind: 'onnx', bytes: bytes.slice(), output: options.output, fallback: options.fallback, source: options.source });
  return model;
}

function buildModel(graph: OnnxGraph, engine: Evaluator, outputName: string, source: string, notes: string[]): OnnxModel {
  const n = engine.inputCount, m = engine.outputCount;
  const stored = metaFromMetadata(graph.metadata, n, m);
  const inputNames = stored.inputNames ?? Array.from({ length: n }, (_, j) => `x${j}`);
  const outputNames = stored.outputNames ?? Array.from({ length: m }, (_, j) => `y${j}`);
  const detected = detectStandardization(graph, graph.inputs[0].name, n, outputName, m);
  const meta: ModelMeta = { source: `onnx:${source}`, approximateJacobian: engine.approximate, ...stored.meta };
  if (!meta.inputStd && detected.input) { meta.inputMean = detected.input.mean; meta.inputStd = detected.input.std; meta.inputStatsOrigin = 'graph-scaling'; }
  if (!meta.outputStd && detected.output) { meta.outputMean = detected.output.mean; meta.outputStd = detected.output.std; meta.outputStatsOrigin = 'graph-scaling'; }
  meta.notes = [...notes, ...detected.notes];
  if (graph.outputs.length > 1) meta.notes.push(`graph has ${graph.outputs.length} outputs (${graph.outputs.map((o) => o.name).join(', ')}); using '${outputName}'`);
  const model = new OnnxModel(engine, inputNames, outputNames, outputName, meta);
  model.graph = graph;
  return model;
}
