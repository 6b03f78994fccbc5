// Piecewise-linear activations with parameters: PRelu (constant slope broadcast onto x),
// HardSigmoid (max(0, min(1, αx + β))) and ThresholdedRelu (x where x > α, else 0). At a kink the
// derivative is the LEFT derivative (the piece just below the kink), the convention of every rule
// of the interpreter (docs/onnx-coverage.md): PRelu′(0) = slope, ThresholdedRelu′(α) = 0,
// HardSigmoid′ = α where αx+β enters (0, 1] from below.
import { OnnxFormatError } from '../errors.ts';
import { broadcastDims, broadcastIndex, dimsText, sameDims, type Tensor } from '../tensor.ts';
import { numberAttribute, requireInput, scaleBySeeds, type BackwardContext, type ForwardContext, type OperatorRule } from './types.ts';
import { unaryOperator } from './unary.ts';

/** The slope of each element of x (PRelu's slope broadcasts unidirectionally onto x). */
function slopes(x: Tensor, slope: Tensor, context: ForwardContext | BackwardContext): Float64Array {
  return context.memo(`slopes:${x.dims.join(',')}`, () => {
    const dims = broadcastDims(x.dims, slope.dims);
    if (!dims || !sameDims(dims, x.dims)) {
      throw new OnnxFormatError(`operator PRelu (node '${context.node.name}'): slope of shape ${dimsText(slope.dims)} does not broadcast onto ${dimsText(x.dims)}`);
    }
    const index = broadcastIndex(x.dims, slope.dims);
    return Float64Array.from(index, (i) => slope.data[i]);
  });
}

export const PRelu: OperatorRule = {
  constantInputs: [1],
  forward(inputs, context) {
    const x = requireInput(inputs, 0, context.node);
    const a = slopes(x, requireInput(inputs, 1, context.node), context);
    const X = x.data, y = context.buffer(0, X.length);
    for (let e = 0; e < X.length; e++) y[e] = X[e] > 0 ? X[e] : a[e] * X[e];
    return [{ dims: x.dims, data: y }];
  },
  backward(context) {
    if (!context.needs[0]) return [];
    const x = context.inputs[0]!, X = x.data;
    const a = slopes(x, context.inputs[1]!, context);
    const d = context.scratch(0, X.length);
    for (let e = 0; e < X.length; e++) d[e] = X[e] > 0 ? 1 : a[e];
    return [scaleBySeeds(context.outputAdjoint, d, context.seeds, context.buffer(0, context.seeds * X.length))];
  },
};

export const HardSigmoid: OperatorRule = unaryOperator(
  (x, y, node) => {
    const alpha = numberAttribute(node, 'alpha', 0.2), beta = numberAttribute(node, 'beta', 0.5);
    for (let e = 0; e < x.length; e++) y[e] = Math.max(0, Math.min(1, alpha * x[e] + beta));
  },
  (x, _y, d, node) => {
    const alpha = numberAttribute(node, 'alpha', 0.2), beta = numberAttribute(node, 'beta', 0.5);
    for (let e = 0; e < x.length; e++) {
      const v = alpha * x[e] + beta;
      // Just below x the linear piece is active iff v is in (0, 1] (α > 0) or [0, 1) (α < 0).
      const linear = alpha > 0 ? v > 0 && v <= 1 : alpha < 0 ? v >= 0 && v < 1 : false;
      d[e] = linear ? alpha : 0;
    }
  },
);

export const ThresholdedRelu: OperatorRule = unaryOperator(
  (x, y, node) => {
    const alpha = numberAttribute(node, 'alpha', 1);
    for (let e = 0; e < x.length; e++) y[e] = x[e] > alpha ? x[e] : 0;
  },
  (x, _y, d, node) => {
    const alpha = numberAttribute(node, 'alpha', 1);
    for (let e = 0; e < x.length; e++) d[e] = x[e] > alpha ? 1 : 0;
  },
);
