// Equal, Greater, Less, GreaterOrEqual, LessOrEqual and Not: boolean outputs (1/0) with numpy
// broadcasting. They carry no derivative. The exporter uses them on shapes (e.g. Expand's −1 dims:
// Where(Equal(shape, −1), …)), which is supported; a comparison of the input's VALUES feeding a
// Where condition is refused by the interpreter (Where needs a condition that does not depend on
// the input's values).
import { OnnxFormatError } from '../errors.ts';
import { broadcastDims, broadcastIndex, dimsText, sizeOf } from '../tensor.ts';
import { requireInput, type OperatorRule } from './types.ts';

function comparison(test: (a: number, b: number) => boolean): OperatorRule {
  return {
    forward(inputs, context) {
      const { node } = context;
      const a = requireInput(inputs, 0, node), b = requireInput(inputs, 1, node);
      const plan = context.memo(`compare:${a.dims.join(',')}|${b.dims.join(',')}`, () => {
        const dims = broadcastDims(a.dims, b.dims);
        if (!dims) throw new OnnxFormatError(`operator ${node.opType} (node '${node.name}'): shapes ${dimsText(a.dims)} and ${dimsText(b.dims)} do not broadcast`);
        return { dims, a: broadcastIndex(dims, a.dims), b: broadcastIndex(dims, b.dims) };
      });
      const y = context.buffer(0, sizeOf(plan.dims));
      for (let e = 0; e < y.length; e++) y[e] = test(a.data[plan.a[e]], b.data[plan.b[e]]) ? 1 : 0;
      return [{ dims: plan.dims, data: y }];
    },
  };
}

export const Equal: OperatorRule = comparison((a, b) => a === b);
export const Greater: OperatorRule = comparison((a, b) => a > b);
export const Less: OperatorRule = comparison((a, b) => a < b);
export const GreaterOrEqual: OperatorRule = comparison((a, b) => a >= b);
export const LessOrEqual: OperatorRule = comparison((a, b) => a <= b);

export const Not: OperatorRule = {
  forward(inputs, context) {
    const x = requireInput(inputs, 0, context.node);
    const y = context.buffer(0, x.data.length);
    for (let e = 0; e < y.length; e++) y[e] = x.data[e] === 0 ? 1 : 0;
    return [{ dims: x.dims, data: y }];
  },
};
