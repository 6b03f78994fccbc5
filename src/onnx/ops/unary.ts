// Builder for elementwise one-input operators: the forward loop and the local derivative loop are
// given side by side; the chain rule over all seeds is shared (scaleBySeeds).
import type { GraphNode } from '../graph.ts';
import type { OperatorRule } from './types.ts';
import { requireInput, scaleBySeeds } from './types.ts';

/** y[e] = f(x[e]) for every element. */
export type UnaryForward = (x: Float64Array, y: Float64Array, node: GraphNode) => void;
/** d[e] = dy/dx at element e, given x and the forward output y. */
export type UnaryDerivative = (x: Float64Array, y: Float64Array, d: Float64Array, node: GraphNode) => void;

export function unaryOperator(forward: UnaryForward, derivative: UnaryDerivative, constantInputs?: number[]): OperatorRule {
  return {
    constantInputs,
    forward(inputs, context) {
      const x = requireInput(inputs, 0, context.node);
      const y = context.buffer(0, x.data.length);
      forward(x.data, y, context.node);
      return [{ dims: x.dims, data: y }];
    },
    backward(context) {
      if (!context.needs[0]) return [];
      const x = context.inputs[0]!.data;
      const y = context.outputs[0].data;
      const d = context.scratch(0, x.length);
      derivative(x, y, d, context.node);
      return [scaleBySeeds(context.outputAdjoint, d, context.seeds, context.buffer(0, context.seeds * x.length))];
    },
  };
}
