// The contract of one operator: a Float64 forward pass and, next to it, its vector-Jacobian product.
// Adjoints carry a leading "seed" axis: the adjoint of a value with dims d is `seeds` consecutive
// blocks of size(d), one per output component being differentiated, so a single backward sweep
// yields all m rows of every Jacobian for all N points at once.
import type { AttributeValue, GraphNode } from '../graph.ts';
import { OnnxFormatError } from '../errors.ts';
import type { Tensor } from '../tensor.ts';

export interface ForwardContext {
  readonly node: GraphNode;
  /** The model's ai.onnx opset version (attribute meanings and defaults depend on it). */
  readonly opset: number;
  /** A reusable array of `size` entries for output `index` (contents undefined; overwrite all of it). */
  buffer(index: number, size: number): Float64Array;
  /** A value computed once per node and `key` and kept (e.g. packed constant weights, broadcast maps). */
  memo<T>(key: string, make: () => T): T;
}

/**
 * A throwaway forward context for running one rule outside a compiled program (constant folding,
 * interval bounds, the MILP encoder): fresh output buffers and a memo of its own per call, so the
 * outputs never alias anything else.
 */
export function freshForwardContext(node: GraphNode, opset: number): ForwardContext {
  const memos = new Map<string, unknown>();
  return {
    node,
    opset,
    buffer: (_index, size) => new Float64Array(size),
    memo: <T>(key: string, make: () => T): T => {
      if (!memos.has(key)) memos.set(key, make());
      return memos.get(key) as T;
    },
  };
}

export interface BackwardContext {
  readonly node: GraphNode;
  readonly opset: number;
  /** Forward values of the inputs (undefined for omitted optional inputs). */
  readonly inputs: readonly (Tensor | undefined)[];
  /** Forward values of the outputs. */
  readonly outputs: readonly Tensor[];
  /** Adjoint of output 0: `seeds` blocks of size(outputs[0]) (empty when only other outputs have one). */
  readonly outputAdjoint: Float64Array;
  /** Adjoint of every output (undefined where nothing downstream depends on it). */
  readonly outputAdjoints: readonly (Float64Array | undefined)[];
  readonly seeds: number;
  /** needs[i]: input i depends on the graph input, so its adjoint is wanted. */
  readonly needs: readonly boolean[];
  /** A reusable array of `size` entries for the adjoint of input `index` (contents undefined). */
  buffer(index: number, size: number): Float64Array;
  /** A reusable scratch array (contents undefined), keyed per node by `slot`. */
  scratch(slot: number, size: number): Float64Array;
  /** Shared with ForwardContext.memo of the same node. */
  memo<T>(key: string, make: () => T): T;
}

export interface OperatorRule {
  forward(inputs: readonly (Tensor | undefined)[], context: ForwardContext): Tensor[];
  /**
   * Adjoints of the inputs (seeds × size(input)), undefined where not needed or identically zero.
   * A rule without `backward` has outputs that do not depend differentiably on its inputs
   * (e.g. Shape); the interpreter treats them as constants.
   */
  backward?(context: BackwardContext): (Float64Array | undefined)[];
  /**
   * Inputs that must not depend on the values of the graph input, e.g. Pow's exponent. A value
   * computed from the input's shape only (Shape → Gather → Concat …) is allowed.
   */
  constantInputs?: readonly number[];
  /** Outputs depend only on the shapes of the inputs, never their values (Shape, Size). */
  shapeOnly?: boolean;
  /** Outputs that carry a derivative (default: output 0 only; 'all' for Split). */
  differentiableOutputs?: readonly number[] | 'all';
  /** Outputs that are constant whatever the input (e.g. Dropout's all-ones mask); usable downstream. */
  constantOutputs?: readonly number[];
}

export function attribute(node: GraphNode, name: string): AttributeValue | undefined {
  return node.attributes.get(name);
}

export function numberAttribute(node: GraphNode, name: string, fallback: number): number {
  const value = node.attributes.get(name);
  return typeof value === 'number' ? value : fallback;
}

export function stringAttribute(node: GraphNode, name: string, fallback: string): string {
  const value = node.attributes.get(name);
  return typeof value === 'string' ? value : fallback;
}

export function intsAttribute(node: GraphNode, name: string): number[] | undefined {
  const value = node.attributes.get(name);
  return Array.isArray(value) ? (value as number[]) : undefined;
}

export function requireInput(inputs: readonly (Tensor | undefined)[], index: number, node: GraphNode): Tensor {
  const value = inputs[index];
  if (!value) throw new OnnxFormatError(`operator ${node.opType} (node '${node.name}') is missing its input #${index}`);
  return value;
}

/** target[s, e] = adjoint[s, e] · derivative[e] for every seed s (elementwise chain rule). */
export function scaleBySeeds(adjoint: Float64Array, derivative: Float64Array, seeds: number, target: Float64Array): Float64Array {
  const size = derivative.length;
  for (let s = 0; s < seeds; s++) {
    const offset = s * size;
    for (let e = 0; e < size; e++) target[offset + e] = adjoint[offset + e] * derivative[e];
  }
  return target;
}

/** Normalize a possibly negative axis for a tensor of `rank`, with a clear error when out of range. */
export function normalizeAxis(axis: number, rank: number, node: GraphNode): number {
  const normalized = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(normalized) || normalized < 0 || normalized >= rank) {
    throw new OnnxFormatError(`operator ${node.opType} (node '${node.name}'): axis ${axis} is outside a rank-${rank} tensor`);
  }
  return normalized;
}
