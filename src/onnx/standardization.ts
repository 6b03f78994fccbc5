// Detects standardization baked into a graph (as the reference project exports its models):
// at the input  s = (x − mean) / std   as Sub then Div (or Mul by 1/std), or x·a + b as Mul then Add;
// at the output y = z · std + mean      as Mul then Add (or Sub of −mean).
// The constants become ModelMeta inputMean/inputStd/outputMean/outputStd plus a human-readable note.
import type { GraphNode, OnnxGraph } from './graph.ts';
import type { Tensor } from './tensor.ts';

export interface DetectedScaling {
  mean: Float64Array;
  std: Float64Array;
  /** Names of the graph nodes that implement it. */
  nodes: string[];
}

export interface DetectedStandardization {
  input?: DetectedScaling;
  output?: DetectedScaling;
  notes: string[];
}

/** Constant values of a node input (initializer or Constant node), broadcast to `width`, or null. */
function constantVector(graph: OnnxGraph, name: string, width: number): Float64Array | null {
  let value: Tensor | undefined = graph.initializers.get(name);
  if (!value) {
    const producer = graph.nodes.find((n) => n.opType === 'Constant' && n.outputs[0] === name);
    const attribute = producer?.attributes.get('value');
    if (attribute && typeof attribute === 'object' && 'dims' in attribute) value = attribute;
  }
  if (!value) return null;
  const size = value.data.length;
  const trailing = value.dims.filter((d) => d !== 1);
  if (size === 1) return new Float64Array(width).fill(value.data[0]);
  if (size === width && trailing.length === 1) return Float64Array.from(value.data);
  return null;
}

/** The single consumer of a value, or null when it has zero or several. */
function soleConsumer(graph: OnnxGraph, value: string): GraphNode | null {
  const users = graph.nodes.filter((n) => n.inputs.includes(value));
  return users.length === 1 ? users[0] : null;
}

/** The constant operand of a binary node whose other operand is `value` (as first operand), or null. */
function constantOperand(graph: OnnxGraph, node: GraphNode | null, ops: string[], value: string, width: number): Float64Array | null {
  if (!node || !ops.includes(node.opType) || node.inputs.length !== 2 || node.inputs[0] !== value) return null;
  return constantVector(graph, node.inputs[1], width);
}

function detectInput(graph: OnnxGraph, inputName: string, width: number): DetectedScaling | undefined {
  let value = inputName;
  const mean = new Float64Array(width), std = new Float64Array(width).fill(1), nodes: string[] = [];
  let node = soleConsumer(graph, value);
  // Optional centering: Sub(mean) or Add(−mean).
  const sub = constantOperand(graph, node, ['Sub', 'Add'], value, width);
  if (sub && node) {
    for (let j = 0; j < width; j++) mean[j] = node.opType === 'Sub' ? sub[j] : -sub[j];
    nodes.push(node.name);
    value = node.outputs[0];
    node = soleConsumer(graph, value);
  }
  // Optional scaling: Div(std) or Mul(1/std).
  const scale = constantOperand(graph, node, ['Div', 'Mul'], value, width);
  if (scale && node && scale.every((v) => v !== 0 && Number.isFinite(v))) {
    for (let j = 0; j < width; j++) std[j] = node.opType === 'Div' ? scale[j] : 1 / scale[j];
    nodes.push(node.name);
    value = node.outputs[0];
    // x·a + b after a leading Mul: s = (x − mean)/std with mean = −b·std.
    if (!sub) {
      const next = soleConsumer(graph, value);
      const shift = constantOperand(graph, next, ['Add', 'Sub'], value, width);
      if (shift && next) {
        for (let j = 0; j < width; j++) mean[j] = -(next.opType === 'Add' ? shift[j] : -shift[j]) * std[j];
        nodes.push(next.name);
      }
    }
  }
  if (nodes.length === 0) return undefined;
  return { mean, std: std.map(Math.abs), nodes };
}

function detectOutput(graph: OnnxGraph, outputName: string, width: number): DetectedScaling | undefined {
  const producer = (name: string) => graph.nodes.find((n) => n.outputs.includes(name)) ?? null;
  const mean = new Float64Array(width), std = new Float64Array(width).fill(1), nodes: string[] = [];
  let node = producer(outputName);
  let value = outputName;
  // Optional final shift: Add(mean) or Sub(−mean), with the other operand being the previous value.
  if (node && (node.opType === 'Add' || node.opType === 'Sub') && node.inputs.length === 2) {
    const shift = constantVector(graph, node.inputs[1], width);
    if (shift && soleConsumer(graph, node.inputs[0]) === node) {
      for (let j = 0; j < width; j++) mean[j] = node.opType === 'Add' ? shift[j] : -shift[j];
      nodes.unshift(node.name);
      value = node.inputs[0];
      node = producer(value);
    }
  }
  // Optional scale before it: Mul(std). (A final Div is a plain rescaling, not reported.)
  if (node && node.opType === 'Mul' && node.inputs.length === 2) {
    const scale = constantVector(graph, node.inputs[1], width);
    if (scale && scale.every((v) => v > 0 && Number.isFinite(v)) && soleConsumer(graph, node.inputs[0]) === node) {
      for (let j = 0; j < width; j++) std[j] = scale[j];
      nodes.unshift(node.name);
    }
  }
  if (nodes.length === 0 || std.some((v) => v <= 0)) return undefined;
  return { mean, std, nodes };
}

function vectorText(values: Float64Array): string {
  return `[${Array.from(values, (v) => Number(v.toPrecision(6))).join(', ')}]`;
}

/** Look for standardization at the input (n columns) and at the chosen output (m columns). */
export function detectStandardization(graph: OnnxGraph, inputName: string, n: number, outputName: string, m: number): DetectedStandardization {
  const input = detectInput(graph, inputName, n);
  const output = detectOutput(graph, outputName, m);
  const notes: string[] = [];
  if (input) notes.push(`input standardization in the graph (nodes ${input.nodes.join(', ')}): (x − mean)/std with mean ${vectorText(input.mean)}, std ${vectorText(input.std)}`);
  if (output) notes.push(`output standardization in the graph (nodes ${output.nodes.join(', ')}): y = z·std + mean with mean ${vectorText(output.mean)}, std ${vectorText(output.std)}`);
  return { input, output, notes };
}
