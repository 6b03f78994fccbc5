// Detects standardization baked into a graph, whatever shape the exporter gave it: from the graph
// input, the chain of per-column affine nodes with constant operands (Sub/Add/Mul/Div/Neg, constants
// computed by Reciprocal/Cast/… nodes included) across pass-through nodes (Cast, Identity, Reshape,
// Flatten, Squeeze/Unsqueeze, Dropout) is composed into one s = (x − mean)/std; the same backwards
// from the output gives y = z·std + mean. Scaling folded into the first/last Gemm is not separable:
// then nothing is reported (and nothing downstream depends on it: the solver scales by the box).
// The constants become ModelMeta inputMean/inputStd/outputMean/outputStd plus a human-readable note.
import type { GraphNode, OnnxGraph } from './graph.ts';
import { operatorRule } from './ops/registry.ts';
import { freshForwardContext } from './ops/types.ts';
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

/** Nodes that pass a value through unchanged per column (the affine chain may run across them). */
const PASS_THROUGH = new Set(['Cast', 'Identity', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Dropout']);
/** Elementwise affine nodes with one constant operand. */
const AFFINE = new Set(['Add', 'Sub', 'Mul', 'Div', 'Neg']);

/** Evaluates the constant part of a graph on demand (initializers, Constant nodes and nodes over constants). */
class Constants {
  private readonly cache = new Map<string, Tensor | null>();
  private readonly producers = new Map<string, GraphNode>();
  constructor(private readonly graph: OnnxGraph, private readonly inputName: string) {
    for (const node of graph.nodes) for (const output of node.outputs) if (output) this.producers.set(output, node);
  }

  value(name: string, depth = 0): Tensor | null {
    if (this.cache.has(name)) return this.cache.get(name)!;
    let result: Tensor | null = null;
    const initializer = this.graph.initializers.get(name);
    if (initializer) result = initializer;
    else if (name !== this.inputName && depth < 32) {
      const node = this.producers.get(name);
      const rule = node ? operatorRule(node.opType, node.domain) : undefined;
      if (node && rule) {
        const inputs = node.inputs.map((input) => (input ? this.value(input, depth + 1) : undefined));
        if (inputs.every((input) => input !== null)) {
          try {
            const outputs = rule.forward(inputs as (Tensor | undefined)[], freshForwardContext(node, this.graph.opset));
            result = outputs[node.outputs.indexOf(name)] ?? null;
          } catch { result = null; }
        }
      }
    }
    this.cache.set(name, result);
    return result;
  }

  /** The constant as one value per column (a scalar or a vector of `width` with unit dims elsewhere), or null. */
  vector(name: string, width: number): Float64Array | null {
    const value = this.value(name);
    if (!value) return null;
    const size = value.data.length;
    if (size === 1) return new Float64Array(width).fill(value.data[0]);
    if (size === width && value.dims.filter((d) => d !== 1).length === 1) return Float64Array.from(value.data);
    return null;
  }
}

/** The single consumer of a value, or null when it has zero or several (or it is a graph output). */
function soleConsumer(graph: OnnxGraph, value: string): GraphNode | null {
  if (graph.outputs.some((output) => output.name === value)) return null;
  const users = graph.nodes.filter((n) => n.inputs.includes(value));
  return users.length === 1 ? users[0] : null;
}

/**
 * Compose the per-column affine map of one node applied to `value` into v ↦ a·v + b (forward
 * direction: new = op(old)). Returns false when the node is not affine in `value` with a constant
 * other operand.
 */
function composeForward(node: GraphNode, value: string, constants: Constants, width: number, a: Float64Array, b: Float64Array): boolean {
  if (node.opType === 'Neg') {
    for (let j = 0; j < width; j++) { a[j] = -a[j]; b[j] = -b[j]; }
    return true;
  }
  if (node.inputs.length !== 2) return false;
  const first = node.inputs[0] === value;
  if (!first && node.inputs[1] !== value) return false;
  const c = constants.vector(node.inputs[first ? 1 : 0], width);
  if (!c || !c.every(Number.isFinite)) return false;
  switch (node.opType) {
    case 'Add': for (let j = 0; j < width; j++) b[j] += c[j]; return true;
    case 'Sub':
      if (first) for (let j = 0; j < width; j++) b[j] -= c[j];
      else for (let j = 0; j < width; j++) { a[j] = -a[j]; b[j] = c[j] - b[j]; }
      return true;
    case 'Mul': for (let j = 0; j < width; j++) { a[j] *= c[j]; b[j] *= c[j]; } return true;
    case 'Div':
      if (!first || c.some((v) => v === 0)) return false;
      for (let j = 0; j < width; j++) { a[j] /= c[j]; b[j] /= c[j]; }
      return true;
    default: return false;
  }
}

/**
 * Follow the affine chain from the graph input (through PASS_THROUGH nodes and AFFINE nodes with a
 * constant operand): s = a⊙x + b, i.e. (x − mean)/std with std = 1/|a|, mean = −b/a.
 */
function detectInput(graph: OnnxGraph, inputName: string, width: number, constants: Constants): DetectedScaling | undefined {
  const a = new Float64Array(width).fill(1), b = new Float64Array(width), nodes: string[] = [];
  let value = inputName, affine = 0;
  for (let node = soleConsumer(graph, value); node; node = soleConsumer(graph, value)) {
    if (PASS_THROUGH.has(node.opType) && node.inputs[0] === value) { /* unchanged per column */ }
    else if (AFFINE.has(node.opType) && composeForward(node, value, constants, width, a, b)) affine++;
    else break;
    nodes.push(node.name);
    value = node.outputs[0];
  }
  if (affine === 0 || a.some((v) => v === 0 || !Number.isFinite(v))) return undefined;
  return { mean: Float64Array.from(b, (v, j) => -v / a[j]), std: Float64Array.from(a, (v) => 1 / Math.abs(v)), nodes };
}

/**
 * Follow the affine chain backwards from the graph output: y = A⊙v + B for the value v where the
 * chain stops (the network's raw output z), so y = z·std + mean with std = |A|, mean = B.
 */
function detectOutput(graph: OnnxGraph, outputName: string, width: number, constants: Constants): DetectedScaling | undefined {
  const producer = (name: string) => graph.nodes.find((n) => n.outputs.includes(name)) ?? null;
  const A = new Float64Array(width).fill(1), B = new Float64Array(width), nodes: string[] = [];
  let value = outputName, affine = 0;
  for (let node = producer(value); node; node = producer(value)) {
    // The live operand: the one input that is not a constant.
    const live = node.inputs.filter((input) => input && constants.value(input) === null);
    if (live.length !== 1) break;
    const inner = live[0];
    if (value !== outputName && soleConsumer(graph, value) === null) break;
    if (PASS_THROUGH.has(node.opType) && node.inputs[0] === inner) { /* unchanged */ }
    else if (AFFINE.has(node.opType)) {
      // y = A·op(u) + B with op(u) = a·u + b  ⇒  y = (A·a)·u + (A·b + B).
      const a = new Float64Array(width).fill(1), b = new Float64Array(width);
      if (!composeForward(node, inner, constants, width, a, b)) break;
      for (let j = 0; j < width; j++) { B[j] += A[j] * b[j]; A[j] *= a[j]; }
      affine++;
    } else break;
    nodes.unshift(node.name);
    value = inner;
  }
  if (affine === 0 || A.some((v) => v === 0 || !Number.isFinite(v)) || !B.every(Number.isFinite)) return undefined;
  return { mean: B, std: A.map(Math.abs), nodes };
}

function vectorText(values: Float64Array): string {
  return `[${Array.from(values, (v) => Number(v.toPrecision(6))).join(', ')}]`;
}

/** Look for standardization at the input (n columns) and at the chosen output (m columns). */
export function detectStandardization(graph: OnnxGraph, inputName: string, n: number, outputName: string, m: number): DetectedStandardization {
  const constants = new Constants(graph, inputName);
  const input = detectInput(graph, inputName, n, constants);
  const output = detectOutput(graph, outputName, m, constants);
  const notes: string[] = [];
  if (input) notes.push(`input standardization in the graph (nodes ${input.nodes.join(', ')}): (x − mean)/std with mean ${vectorText(input.mean)}, std ${vectorText(input.std)}`);
  if (output) notes.push(`output standardization in the graph (nodes ${output.nodes.join(', ')}): y = z·std + mean with mean ${vectorText(output.mean)}, std ${vectorText(output.std)}`);
  return { input, output, notes };
}
