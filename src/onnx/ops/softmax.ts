// Softmax and LogSoftmax. From opset 13 they act along one axis (default −1); before, the input is
// viewed as a matrix [prod(dims[:axis]), prod(dims[axis:])] (default axis 1) and rows are normalized.
// Both reduce to "normalize groups of `length` elements spaced `inner` apart". Shifted by the
// group maximum, so exp never overflows. Derivatives: softmax dx = y ⊙ (g − Σ g·y);
// log-softmax dx = g − softmax ⊙ Σ g.
import type { GraphNode } from '../graph.ts';
import { sizeOf, type Tensor } from '../tensor.ts';
import { normalizeAxis, numberAttribute, type BackwardContext, type ForwardContext, type OperatorRule } from './types.ts';

/** Softmax groups: `outer`·`inner` groups of `length` elements spaced `inner` apart. */
export interface Groups { outer: number; length: number; inner: number }

function groupsOf(x: Tensor, context: ForwardContext | BackwardContext): Groups {
  return softmaxGroups(x.dims, context.node, context.opset);
}

/** The groups a Softmax/LogSoftmax node normalizes, for an input of shape `dims` (also used by onnx/intervals.ts). */
export function softmaxGroups(dims: readonly number[], node: GraphNode, opset: number): Groups {
  const axis = normalizeAxis(numberAttribute(node, 'axis', opset >= 13 ? -1 : 1), dims.length, node);
  if (opset >= 13) return { outer: sizeOf(dims.slice(0, axis)), length: dims[axis], inner: sizeOf(dims.slice(axis + 1)) };
  return { outer: sizeOf(dims.slice(0, axis)), length: sizeOf(dims.slice(axis)), inner: 1 };
}

function softmaxOperator(log: boolean): OperatorRule {
  return {
    forward(inputs, context) {
      const x = inputs[0]!;
      const { outer, length, inner } = groupsOf(x, context);
      const X = x.data, y = context.buffer(0, X.length);
      for (let o = 0; o < outer; o++) {
        for (let r = 0; r < inner; r++) {
          const base = o * length * inner + r;
          let largest = -Infinity;
          for (let k = 0; k < length; k++) largest = Math.max(largest, X[base + k * inner]);
          let sum = 0;
          for (let k = 0; k < length; k++) sum += Math.exp(X[base + k * inner] - largest);
          const logSum = Math.log(sum);
          for (let k = 0; k < length; k++) {
            const e = base + k * inner;
            y[e] = log ? X[e] - largest - logSum : Math.exp(X[e] - largest) / sum;
          }
        }
      }
      return [{ dims: x.dims, data: y }];
    },
    backward(context) {
      if (!context.needs[0]) return [];
      const x = context.inputs[0]!, Y = context.outputs[0].data, size = Y.length;
      const { outer, length, inner } = groupsOf(x, context);
      const G = context.outputAdjoint, seeds = context.seeds;
      const target = context.buffer(0, seeds * size);
      for (let s = 0; s < seeds; s++) {
        const off = s * size;
        for (let o = 0; o < outer; o++) {
          for (let r = 0; r < inner; r++) {
            const base = o * length * inner + r;
            let dot = 0;
            for (let k = 0; k < length; k++) {
              const e = base + k * inner;
              dot += log ? G[off + e] : G[off + e] * Y[e];
            }
            for (let k = 0; k < length; k++) {
              const e = base + k * inner;
              target[off + e] = log ? G[off + e] - Math.exp(Y[e]) * dot : Y[e] * (G[off + e] - dot);
            }
          }
        }
      }
      return [target];
    },
  };
}

export const Softmax: OperatorRule = softmaxOperator(false);
export const LogSoftmax: OperatorRule = softmaxOperator(true);
