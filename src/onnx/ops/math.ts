// Elementwise mathematical functions (Neg, Abs, Exp, Log, Sqrt, Reciprocal, Sin, Cos), Pow with a
// constant exponent and Clip with constant bounds: forward and derivative side by side. At kinks
// (Abs at 0, Clip at its bounds) the derivative is the LEFT one, the interpreter's convention.
import { OnnxFormatError } from '../errors.ts';
import { broadcastDims, broadcastIndex, sameDims, sizeOf, type Tensor } from '../tensor.ts';
import { numberAttribute, requireInput, scaleBySeeds, type OperatorRule } from './types.ts';
import { unaryOperator } from './unary.ts';
import type { GraphNode } from '../graph.ts';

export const Neg: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = -x[e]; },
  (x, _y, d) => { d.fill(-1, 0, x.length); },
);

/** Abs: derivative sign(x), and −1 at 0 (left derivative; PyTorch reports 0 there). */
export const Abs: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = Math.abs(x[e]); },
  (x, _y, d) => { for (let e = 0; e < x.length; e++) d[e] = x[e] > 0 ? 1 : -1; },
);

export const Sin: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = Math.sin(x[e]); },
  (x, _y, d) => { for (let e = 0; e < x.length; e++) d[e] = Math.cos(x[e]); },
);

export const Cos: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = Math.cos(x[e]); },
  (x, _y, d) => { for (let e = 0; e < x.length; e++) d[e] = -Math.sin(x[e]); },
);

export const Exp: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = Math.exp(x[e]); },
  (_x, y, d) => { for (let e = 0; e < y.length; e++) d[e] = y[e]; },
);

export const Log: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = Math.log(x[e]); },
  (x, _y, d) => { for (let e = 0; e < x.length; e++) d[e] = 1 / x[e]; },
);

export const Sqrt: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = Math.sqrt(x[e]); },
  (_x, y, d) => { for (let e = 0; e < y.length; e++) d[e] = 0.5 / y[e]; },
);

export const Reciprocal: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = 1 / x[e]; },
  (_x, y, d) => { for (let e = 0; e < y.length; e++) d[e] = -y[e] * y[e]; },
);

/** Exponent of each element of the base (broadcast), as an array of the base's size. */
function exponentsFor(base: Tensor, exponent: Tensor, node: GraphNode): Float64Array | number {
  if (exponent.data.length === 1) return exponent.data[0];
  const dims = broadcastDims(base.dims, exponent.dims);
  if (!dims || !sameDims(dims, base.dims)) {
    throw new OnnxFormatError(`operator Pow (node '${node.name}'): exponent of shape [${exponent.dims.join(', ')}] does not broadcast onto the base [${base.dims.join(', ')}] without enlarging it`);
  }
  const index = broadcastIndex(base.dims, exponent.dims);
  const out = new Float64Array(sizeOf(base.dims));
  for (let e = 0; e < out.length; e++) out[e] = exponent.data[index[e]];
  return out;
}

/** Pow(base, exponent) with the exponent constant (a model parameter, not a function of x). */
export const Pow: OperatorRule = {
  constantInputs: [1],
  forward(inputs, context) {
    const base = requireInput(inputs, 0, context.node);
    const exponents = exponentsFor(base, requireInput(inputs, 1, context.node), context.node);
    const x = base.data, y = context.buffer(0, x.length);
    if (typeof exponents === 'number') {
      const p = exponents;
      if (p === 2) for (let e = 0; e < x.length; e++) y[e] = x[e] * x[e];
      else for (let e = 0; e < x.length; e++) y[e] = Math.pow(x[e], p);
    } else {
      for (let e = 0; e < x.length; e++) y[e] = Math.pow(x[e], exponents[e]);
    }
    return [{ dims: base.dims, data: y }];
  },
  backward(context) {
    if (!context.needs[0]) return [];
    const base = context.inputs[0]!;
    const exponents = exponentsFor(base, context.inputs[1]!, context.node);
    const x = base.data, d = context.scratch(0, x.length);
    for (let e = 0; e < x.length; e++) {
      const p = typeof exponents === 'number' ? exponents : exponents[e];
      d[e] = p === 0 ? 0 : p === 1 ? 1 : p === 2 ? 2 * x[e] : p * Math.pow(x[e], p - 1);
    }
    return [scaleBySeeds(context.outputAdjoint, d, context.seeds, context.buffer(0, context.seeds * x.length))];
  },
};

/** Bounds of Clip: inputs 1 and 2 (opset ≥ 11) or attributes min/max (older opsets). */
function clipBounds(inputs: readonly (Tensor | undefined)[], node: GraphNode): [number, number] {
  const lower = inputs[1] ? inputs[1].data[0] : numberAttribute(node, 'min', -Infinity);
  const upper = inputs[2] ? inputs[2].data[0] : numberAttribute(node, 'max', Infinity);
  return [lower, upper];
}

/** Clip: derivative 1 on (min, max] and 0 elsewhere — the left derivative (PyTorch's clamp reports 1 at min too). */
export const Clip: OperatorRule = {
  constantInputs: [1, 2],
  forward(inputs, context) {
    const input = requireInput(inputs, 0, context.node);
    const [lower, upper] = clipBounds(inputs, context.node);
    const x = input.data, y = context.buffer(0, x.length);
    for (let e = 0; e < x.length; e++) y[e] = x[e] < lower ? lower : x[e] > upper ? upper : x[e];
    return [{ dims: input.dims, data: y }];
  },
  backward(context) {
    if (!context.needs[0]) return [];
    const [lower, upper] = clipBounds(context.inputs, context.node);
    const x = context.inputs[0]!.data, d = context.scratch(0, x.length);
    for (let e = 0; e < x.length; e++) d[e] = x[e] > lower && x[e] <= upper ? 1 : 0;
    return [scaleBySeeds(context.outputAdjoint, d, context.seeds, context.buffer(0, context.seeds * x.length))];
  },
};
