// Elementwise binary operators with numpy broadcasting (Add, Sub, Mul, Div): forward and the
// partial derivatives side by side. The common cases — equal shapes, a scalar, or a per-feature
// vector broadcast over the batch (bias, standardization) — run as plain loops without index maps;
// other broadcasts use a precomputed index map. Adjoints of a broadcast input are summed back.
import { OnnxFormatError } from '../errors.ts';
import type { GraphNode } from '../graph.ts';
import { broadcastDims, broadcastIndex, dimsText, sameDims, sizeOf, type Tensor } from '../tensor.ts';
import { requireInput, type BackwardContext, type OperatorRule } from './types.ts';

type BinaryKind = 'add' | 'sub' | 'mul' | 'div';

/**
 * How an input maps onto the output: 'same' (identical layout), 'cycle' (input element e % period:
 * a scalar or a trailing-dims vector repeated), or an explicit index per output element.
 */
type Broadcast = { kind: 'same' } | { kind: 'cycle'; period: number } | { kind: 'index'; index: Int32Array };

function broadcastOf(outDims: readonly number[], inDims: readonly number[]): Broadcast {
  if (sameDims(outDims, inDims)) return { kind: 'same' };
  const size = sizeOf(inDims);
  const trimmed = [...inDims];
  while (trimmed.length > 0 && trimmed[0] === 1) trimmed.shift();
  const tail = outDims.slice(outDims.length - trimmed.length);
  if (size === 1 || sameDims(tail, trimmed)) return { kind: 'cycle', period: size };
  return { kind: 'index', index: broadcastIndex(outDims, inDims) };
}

function sourceIndex(b: Broadcast, e: number): number {
  return b.kind === 'same' ? e : b.kind === 'cycle' ? e % b.period : b.index[e];
}

/** Output dims and the broadcast maps of both inputs (memoized per input shapes). */
function layout(node: GraphNode, a: Tensor, b: Tensor, memo: <T>(key: string, make: () => T) => T) {
  return memo(`${a.dims.join(',')}|${b.dims.join(',')}`, () => {
    const dims = broadcastDims(a.dims, b.dims);
    if (!dims) {
      throw new OnnxFormatError(`operator ${node.opType} (node '${node.name}'): shapes ${dimsText(a.dims)} and ${dimsText(b.dims)} do not broadcast`);
    }
    return { dims, size: sizeOf(dims), a: broadcastOf(dims, a.dims), b: broadcastOf(dims, b.dims) };
  });
}

function apply(kind: BinaryKind, x: number, z: number): number {
  switch (kind) {
    case 'add': return x + z;
    case 'sub': return x - z;
    case 'mul': return x * z;
    default: return x / z;
  }
}

function binaryOperator(kind: BinaryKind): OperatorRule {
  return {
    forward(inputs, context) {
      const a = requireInput(inputs, 0, context.node);
      const b = requireInput(inputs, 1, context.node);
      const plan = layout(context.node, a, b, context.memo);
      const y = context.buffer(0, plan.size);
      const A = a.data, B = b.data;
      if (plan.a.kind === 'same' && plan.b.kind === 'same') {
        for (let e = 0; e < plan.size; e++) y[e] = apply(kind, A[e], B[e]);
      } else if (plan.a.kind === 'same' && plan.b.kind === 'cycle') {
        // Row-vector broadcast: walk the output in rows of `period` (no modulo in the loop).
        const period = plan.b.period;
        for (let start = 0; start < plan.size; start += period) {
          for (let j = 0; j < period; j++) y[start + j] = apply(kind, A[start + j], B[j]);
        }
      } else {
        for (let e = 0; e < plan.size; e++) y[e] = apply(kind, A[sourceIndex(plan.a, e)], B[sourceIndex(plan.b, e)]);
      }
      return [{ dims: plan.dims, data: y }];
    },
    backward(context) {
      const a = context.inputs[0]!, b = context.inputs[1]!;
      const plan = layout(context.node, a, b, context.memo);
      return [0, 1].map((which) => (context.needs[which] ? inputAdjoint(kind, which, context, plan) : undefined));
    },
  };
}

/**
 * Adjoint of input `which`: adjoint[s, e] · ∂y[e]/∂input, summed over the output elements that the
 * input element was broadcast to.
 */
function inputAdjoint(
  kind: BinaryKind, which: number, context: BackwardContext,
  plan: { dims: number[]; size: number; a: Broadcast; b: Broadcast },
): Float64Array {
  const { seeds, outputAdjoint } = context;
  const self = context.inputs[which]!, other = context.inputs[1 - which]!;
  const selfMap = which === 0 ? plan.a : plan.b, otherMap = which === 0 ? plan.b : plan.a;
  const size = plan.size;
  // Addition passes the adjoint through unchanged when no broadcast is involved.
  if ((kind === 'add' || (kind === 'sub' && which === 0)) && selfMap.kind === 'same') return outputAdjoint;

  // Local derivative ∂y[e]/∂self for every output element.
  const derivative = context.scratch(which, size);
  const O = other.data, S = self.data, Y = context.outputs[0].data;
  for (let e = 0; e < size; e++) {
    switch (kind) {
      case 'add': derivative[e] = 1; break;
      case 'sub': derivative[e] = which === 0 ? 1 : -1; break;
      case 'mul': derivative[e] = O[sourceIndex(otherMap, e)]; break;
      // y = a/b: ∂y/∂a = 1/b (b is the other operand), ∂y/∂b = −y/b (b is this operand).
      default: derivative[e] = which === 0 ? 1 / O[sourceIndex(otherMap, e)] : -Y[e] / S[sourceIndex(selfMap, e)]; break;
    }
  }
  const selfSize = self.data.length;
  const target = context.buffer(which, seeds * selfSize);
  if (selfMap.kind === 'same') {
    for (let s = 0; s < seeds; s++) {
      const offset = s * size;
      for (let e = 0; e < size; e++) target[offset + e] = outputAdjoint[offset + e] * derivative[e];
    }
    return target;
  }
  target.fill(0);
  for (let s = 0; s < seeds; s++) {
    const outOffset = s * size, inOffset = s * selfSize;
    for (let e = 0; e < size; e++) target[inOffset + sourceIndex(selfMap, e)] += outputAdjoint[outOffset + e] * derivative[e];
  }
  return target;
}

export const Add: OperatorRule = binaryOperator('add');
export const Sub: OperatorRule = binaryOperator('sub');
export const Mul: OperatorRule = binaryOperator('mul');
export const Div: OperatorRule = binaryOperator('div');
