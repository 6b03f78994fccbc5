// `inspect`: what an ONNX file contains, without evaluating it — inputs and outputs with shapes,
// the operators with counts and whether the interpreter supports each, detected standardization,
// and the metadata_props. Works also on files inversa cannot load (it says why).
import { InversaError } from '../core/index.ts';
import { UnsupportedOperatorError } from './errors.ts';
import type { OnnxGraph } from './graph.ts';
import { OnnxProgram } from './interpret.ts';
import { METADATA_KEYS, metaFromMetadata } from './metadata.ts';
import { MAX_OPSET, MIN_OPSET } from './ops/registry.ts';
import { operatorBlockers, qualifiedOperator, type BlockingNode } from './support.ts';
import { readOnnxGraph } from './read.ts';
import { detectStandardization, type DetectedStandardization } from './standardization.ts';

export interface InspectedValue {
  name: string;
  elementType: string;
  /** Dims: numbers, symbolic names (e.g. 'batch'), or null when unknown. */
  shape: (number | string | null)[] | null;
}

export interface OnnxInspection {
  source: string;
  opset: number;
  irVersion: number;
  producer: string;
  inputs: InspectedValue[];
  outputs: InspectedValue[];
  /** Operators with counts; `supported` is false when the interpreter lacks the operator or the model's opset for it. */
  operators: { name: string; count: number; supported: boolean }[];
  /** Exactly the nodes that keep the model from loading with exact Jacobians, and why (empty when supported). */
  blockingNodes: BlockingNode[];
  /** Standardization baked into the graph (first output), as plain arrays. */
  standardization: {
    input?: { mean: number[]; std: number[]; nodes: string[] };
    output?: { mean: number[]; std: number[]; nodes: string[] };
    notes: string[];
  };
  metadata: Record<string, string>;
  /** What inversa knows about the model and what it does not (null entries: unknown). */
  known: Knowledge;
  /** True when inversa can evaluate the graph with exact Jacobians. */
  supported: boolean;
  /** Why not, when not supported (unsupported operators, input shape, ...). */
  problems: string[];
  status: 'supported' | 'unsupported';
  message: string;
}

export interface Knowledge {
  inputNames: string[] | null;
  outputNames: string[] | null;
  inputUnits: string[] | null;
  outputUnits: string[] | null;
  operatingBox: { lower: number[]; upper: number[] } | null;
  /** Where the training statistics come from, or null when unknown. */
  inputStats: 'metadata' | 'graph-scaling' | null;
  outputStats: 'metadata' | 'graph-scaling' | null;
  quantiles: boolean;
}

function knowledge(graph: OnnxGraph, n: number, m: number, detected: DetectedStandardization | null): Knowledge {
  const stored = metaFromMetadata(graph.metadata, n, m);
  const meta = stored.meta;
  return {
    inputNames: stored.inputNames ?? null,
    outputNames: stored.outputNames ?? null,
    inputUnits: meta.inputUnits ?? null,
    outputUnits: meta.outputUnits ?? null,
    operatingBox: meta.bounds ? { lower: Array.from(meta.bounds.lower), upper: Array.from(meta.bounds.upper) } : null,
    inputStats: meta.inputStd ? 'metadata' : detected?.input ? 'graph-scaling' : null,
    outputStats: meta.outputStd ? 'metadata' : detected?.output ? 'graph-scaling' : null,
    quantiles: METADATA_KEYS.inputQuantiles in graph.metadata,
  };
}

function plainScaling(scaling: DetectedStandardization['input']) {
  return scaling ? { mean: Array.from(scaling.mean), std: Array.from(scaling.std), nodes: scaling.nodes } : undefined;
}

export function inspectOnnx(bytes: Uint8Array, source = 'ONNX model'): OnnxInspection {
  const graph: OnnxGraph = readOnnxGraph(bytes, source);
  const counts = new Map<string, number>();
  for (const node of graph.nodes) {
    const key = qualifiedOperator(node);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const unusable = new Set(operatorBlockers(graph.nodes, graph.opset).map((b) => b.operator));
  const operators = [...counts].map(([name, count]) => ({ name, count, supported: !unusable.has(name) }));
  const problems: string[] = [];
  let blockingNodes: BlockingNode[] = [];
  let standardization: OnnxInspection['standardization'] = { notes: [] };
  // Before the graph is known to run, its output width is unknown: metadata that depends on it counts as unknown.
  let known: Knowledge = { inputNames: null, outputNames: null, inputUnits: null, outputUnits: null, operatingBox: null, inputStats: null, outputStats: null, quantiles: false };
  try {
    const program = new OnnxProgram(graph, { source });
    const detected = detectStandardization(graph, program.inputName, program.inputCount, program.outputName, program.outputCount);
    standardization = { input: plainScaling(detected.input), output: plainScaling(detected.output), notes: detected.notes };
    known = knowledge(graph, program.inputCount, program.outputCount, detected);
  } catch (error) {
    if (!(error instanceof InversaError)) throw error;
    problems.push(error.message);
    if (error instanceof UnsupportedOperatorError) blockingNodes = error.blocking;
  }
  const supported = problems.length === 0;
  const unsupported = operators.filter((o) => !o.supported).map((o) => o.name);
  return {
    source,
    opset: graph.opset,
    irVersion: graph.irVersion,
    producer: graph.producer,
    inputs: graph.inputs.map(({ name, elementType, shape }) => ({ name, elementType, shape })),
    outputs: graph.outputs.map(({ name, elementType, shape }) => ({ name, elementType, shape })),
    operators,
    blockingNodes,
    standardization,
    metadata: { ...graph.metadata },
    known,
    supported,
    problems,
    status: supported ? 'supported' : 'unsupported',
    message: supported
      ? `${source}: supported — inversa evaluates it in Float64 with exact Jacobians`
      : blockingNodes.length > 0
        ? `${source}: not supported exactly — blocked by ${blockingNodes.length} node${blockingNodes.length > 1 ? 's' : ''}: ${blockingNodes.map((b) => `'${b.node}' (${b.operator})`).join(', ')}` +
          `${unsupported.length > 0 ? ` (operators ${unsupported.join(', ')})` : ''}` +
          `${graph.opset < MIN_OPSET || graph.opset > MAX_OPSET ? `; inversa reads opsets ${MIN_OPSET}–${MAX_OPSET}, the model imports ${graph.opset}` : ''}` +
          '; approximate Jacobians are available with the finite-difference fallback'
        : `${source}: not supported: ${problems[0].replace(`${source}: `, '')}`,
  };
}
