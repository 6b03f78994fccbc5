// Interval evaluation of one ONNX node (the rule behind OnnxProgram.outputBounds): given an interval
// [lo, hi] for each input tensor (constants have lo = hi), an outward-enclosing interval for each
// output. Sound by construction (see model/intervals.ts):
//   - Shape/Size and nodes whose inputs are all exact give their exact outputs;
//   - ops where every output element is a monotone function of ONE input element (shape ops, Cast,
//     Relu, Tanh, Sigmoid, Exp, Log, Sqrt, Clip, Neg, BatchNormalization, …) run on lo and on hi and
//     take the elementwise min/max;
//   - Add/Sub combine endpoints, Mul/Div take the min/max of the four endpoint products;
//   - Gemm/MatMul with a constant weight use centre ± |W|·radius plus a rounding margin;
//   - Abs, Reciprocal, Pow, Gelu, Mish, HardSwish, (P)LeakyRelu/Elu/Selu (monotone each side of 0)
//     are handled by their shape;
//   - ReduceSum/Mean/Max/Min/L2 and Sum/Mean/Max/Min rise with every input element (L2: with |x|),
//     plus a bound of the rounding of the sums;
//   - Softmax, LogSoftmax, Layer/Instance/GroupNormalization, Sin and Cos by onnx/interval-rules.ts;
//   - Mul of a value by itself is a square (≥ 0);
//   - anything else gives (−∞, ∞): loose, never wrong.
import { widenOutward } from '../model/index.ts';
import type { GraphNode } from './graph.ts';
import { layerNormalizationInterval, softmaxInterval, trigonometricInterval } from './interval-rules.ts';
import { groupLayout, instanceLayout, layerLayout } from './ops/normalization.ts';
import { softmaxGroups } from './ops/softmax.ts';
import { freshForwardContext, type OperatorRule } from './ops/types.ts';
import type { Tensor } from './tensor.ts';

export interface IntervalTensor {
  dims: readonly number[];
  lo: Float64Array;
  hi: Float64Array;
}

/** Each output element is a monotone (either direction) function of one input element, or rises with every input element (Max, Min, ReduceMax, ReduceMin). */
const ELEMENTWISE_MONOTONE = new Set([
  'Identity', 'Dropout', 'Cast', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Concat', 'Constant',
  'Relu', 'Tanh', 'Sigmoid', 'Softplus', 'Erf', 'Exp', 'Log', 'Sqrt', 'Clip', 'Neg', 'BatchNormalization',
  'HardSigmoid', 'Softsign', 'Celu', 'Floor', 'Ceil', 'Round', 'Sign', 'ReduceMax', 'ReduceMin', 'Max', 'Min',
  // Picking ops (constant indices, condition and sizes): every output element is one input element.
  'Gather', 'Slice', 'Transpose', 'Expand', 'Tile', 'Where',
]);
/** Sums: each output rises with every input element; the rounding of the sum needs a margin. */
const SUMS = new Set(['ReduceSum', 'ReduceMean', 'Sum', 'Mean']);
const EPSILON = Number.EPSILON;
const GELU_FLOOR = -0.1701;
/** Below every Mish value (minimum −0.30884341… at x = −1.192431…, by a 1e-7 scan), and a window around that x. */
const MISH_FLOOR = -0.3088435, MISH_MIN_LOW = -1.193, MISH_MIN_HIGH = -1.192;
/** HardSwish: minimum −3/8 at x = −3/2 (exact in float64). */
const HARD_SWISH_FLOOR = -0.375, HARD_SWISH_ARGMIN = -1.5;

function run(rule: OperatorRule, node: GraphNode, opset: number, inputs: (Tensor | undefined)[]): Tensor[] {
  return rule.forward(inputs, freshForwardContext(node, opset));
}

const lower = (value: IntervalTensor | undefined): Tensor | undefined => (value ? { dims: value.dims, data: value.lo } : undefined);
const upper = (value: IntervalTensor | undefined): Tensor | undefined => (value ? { dims: value.dims, data: value.hi } : undefined);
const constant = (value: Tensor): IntervalTensor => ({ dims: value.dims, lo: value.data, hi: value.data });
const isConstant = (value: IntervalTensor | undefined): boolean => !value || value.lo === value.hi || value.lo.every((v, e) => v === value.hi[e]);

/** Elementwise min/max of several same-shaped tensors, outward-rounded. */
function hull(candidates: Tensor[]): IntervalTensor {
  const size = candidates[0].data.length;
  const lo = new Float64Array(size).fill(Infinity), hi = new Float64Array(size).fill(-Infinity);
  for (const candidate of candidates) {
    const data = candidate.data;
    for (let e = 0; e < size; e++) {
      const v = data[e];
      if (Number.isNaN(v)) { lo[e] = -Infinity; hi[e] = Infinity; continue; }
      if (v < lo[e]) lo[e] = v;
      if (v > hi[e]) hi[e] = v;
    }
  }
  widenOutward(lo, hi);
  return { dims: candidates[0].dims, lo, hi };
}

/** Clamp lower ends at 0, in place, for results computed as ≥ 0 whatever the rounding (x·x, x^even, Σ of ≥ 0, ‖x‖). */
function nonNegative(result: IntervalTensor): IntervalTensor {
  for (let e = 0; e < result.lo.length; e++) if (result.lo[e] < 0) result.lo[e] = 0;
  return result;
}

function unbounded(dims: readonly number[]): IntervalTensor {
  let size = 1;
  for (const d of dims) size *= d;
  return { dims, lo: new Float64Array(size).fill(-Infinity), hi: new Float64Array(size).fill(Infinity) };
}

/** Outward intervals of the outputs of `node` (output 0, and every output of Split; others are unbounded). */
export function intervalOfNode(node: GraphNode, rule: OperatorRule, inputs: (IntervalTensor | undefined)[], opset: number): IntervalTensor[] {
  const op = node.opType;
  const fromLo = inputs.map(lower), fromHi = inputs.map(upper);
  // Shape/Size, or a node whose inputs are all constants (e.g. Gather of a Shape): its exact outputs.
  // (Only true constants, lo === hi by identity: a degenerate box may be evaluated by other kernels.)
  if (rule.shapeOnly || inputs.every((value) => !value || value.lo === value.hi)) return run(rule, node, opset, fromLo).map(constant);
  if (ELEMENTWISE_MONOTONE.has(op)) {
    // Secondary inputs (shape, axes, clip bounds, BatchNorm statistics) are constant: lo = hi.
    return [hull([run(rule, node, opset, fromLo)[0], run(rule, node, opset, fromHi)[0]])];
  }
  if (op === 'Split') {
    // Every output picks input elements: each output's hull, output by output.
    const least = run(rule, node, opset, fromLo), most = run(rule, node, opset, fromHi);
    return least.map((part, k) => hull([part, most[k]]));
  }
  if (SUMS.has(op)) return [sumInterval(node, rule, inputs, opset)];
  switch (op) {
    case 'Softmax':
    case 'LogSoftmax': return [softmaxInterval(inputs[0]!, softmaxGroups(inputs[0]!.dims, node, opset), op === 'LogSoftmax')];
    case 'LayerNormalization':
    case 'InstanceNormalization':
    case 'GroupNormalization': {
      const build = op === 'LayerNormalization' ? layerLayout : op === 'InstanceNormalization' ? instanceLayout : groupLayout;
      return [layerNormalizationInterval(inputs[0]!, build(lower(inputs[0])!, fromLo, node, opset))];
    }
    case 'Sin':
    case 'Cos': {
      const a = inputs[0]!;
      const lo = Float64Array.from(a.lo), hi = Float64Array.from(a.hi);
      trigonometricInterval(lo, hi, op === 'Cos');
      return [{ dims: a.dims, lo, hi }];
    }
    case 'ReduceL2': {
      // ‖x‖ rises with every |x_k|: evaluate at the smallest and the largest magnitudes.
      const a = inputs[0]!;
      const small = a.lo.map((v, e) => (v > 0 ? v : a.hi[e] < 0 ? -a.hi[e] : 0));
      const large = a.lo.map((v, e) => Math.max(Math.abs(v), Math.abs(a.hi[e])));
      const least = run(rule, node, opset, [{ dims: a.dims, data: small }, ...fromLo.slice(1)])[0];
      const most = run(rule, node, opset, [{ dims: a.dims, data: large }, ...fromLo.slice(1)])[0];
      const count = a.lo.length / Math.max(1, least.data.length);
      const result = hull([least, most]);
      widenOutward(result.lo, result.hi, (count + 4) * EPSILON);
      return [nonNegative(result)];
    }
    case 'Add': return [hull([run(rule, node, opset, [fromLo[0], fromLo[1]])[0], run(rule, node, opset, [fromHi[0], fromHi[1]])[0]])];
    case 'Sub': return [hull([run(rule, node, opset, [fromLo[0], fromHi[1]])[0], run(rule, node, opset, [fromHi[0], fromLo[1]])[0]])];
    case 'Mul':
    case 'Div': {
      if (op === 'Mul' && inputs[0] && inputs[0] === inputs[1]) {
        // x·x of one value: a square, ≥ 0, and 0 where the interval straddles 0.
        const result = hull([run(rule, node, opset, [fromLo[0], fromLo[0]])[0], run(rule, node, opset, [fromHi[0], fromHi[0]])[0]]);
        const a = inputs[0];
        for (let e = 0; e < result.lo.length; e++) if (a.lo[e] < 0 && a.hi[e] > 0) result.lo[e] = 0;
        return [nonNegative(result)];
      }
      if (op === 'Div' && inputs[1] && inputs[1].lo.some((v, e) => v <= 0 && inputs[1]!.hi[e] >= 0)) {
        return [unbounded(run(rule, node, opset, [fromLo[0], { dims: inputs[1].dims, data: new Float64Array(inputs[1].lo.length).fill(1) }])[0].dims)];
      }
      return [hull([
        run(rule, node, opset, [fromLo[0], fromLo[1]])[0], run(rule, node, opset, [fromLo[0], fromHi[1]])[0],
        run(rule, node, opset, [fromHi[0], fromLo[1]])[0], run(rule, node, opset, [fromHi[0], fromHi[1]])[0],
      ])];
    }
    case 'Gemm':
    case 'MatMul': return [linearInterval(node, rule, inputs, opset)];
    case 'LeakyRelu':
    case 'PRelu':
    case 'Elu':
    case 'Selu':
    case 'Gelu':
    case 'Mish':
    case 'HardSwish':
    case 'Abs': {
      const result = hull([run(rule, node, opset, fromLo)[0], run(rule, node, opset, fromHi)[0]]);
      const a = inputs[0]!;
      // Abs, LeakyRelu, PRelu, Elu and Selu are monotone on each side of 0 (either direction) and 0 at 0.
      const turnsAtZero = op === 'Abs' || op === 'LeakyRelu' || op === 'PRelu' || op === 'Elu' || op === 'Selu';
      for (let e = 0; e < result.lo.length; e++) {
        const straddles = a.lo[e] < 0 && a.hi[e] > 0;
        if (turnsAtZero && straddles) { result.lo[e] = Math.min(result.lo[e], 0); result.hi[e] = Math.max(result.hi[e], 0); }
        if (op === 'Gelu' && a.lo[e] <= -0.74 && a.hi[e] >= -0.76) result.lo[e] = Math.min(result.lo[e], GELU_FLOOR);
        if (op === 'Mish' && a.lo[e] <= MISH_MIN_HIGH && a.hi[e] >= MISH_MIN_LOW) result.lo[e] = Math.min(result.lo[e], MISH_FLOOR);
        if (op === 'HardSwish' && a.lo[e] <= HARD_SWISH_ARGMIN && a.hi[e] >= HARD_SWISH_ARGMIN) {
          result.lo[e] = Math.min(result.lo[e], HARD_SWISH_FLOOR * (1 + 4 * EPSILON));
        }
      }
      return [result];
    }
    case 'Reciprocal': {
      const result = hull([run(rule, node, opset, fromLo)[0], run(rule, node, opset, fromHi)[0]]);
      const a = inputs[0]!;
      for (let e = 0; e < result.lo.length; e++) if (a.lo[e] <= 0 && a.hi[e] >= 0) { result.lo[e] = -Infinity; result.hi[e] = Infinity; }
      return [result];
    }
    case 'Pow': {
      // Constant exponent p (the rule insists): monotone on x ≥ 0 and, for integer p, by parity.
      const exponent = inputs[1]!;
      const a = inputs[0]!;
      const result = hull([run(rule, node, opset, fromLo)[0], run(rule, node, opset, fromHi)[0]]);
      if (exponent.lo.length !== 1) return [unbounded(result.dims)];
      const p = exponent.lo[0];
      for (let e = 0; e < result.lo.length; e++) {
        const straddles = a.lo[e] < 0 && a.hi[e] > 0;
        if (!straddles) continue;
        if (Number.isInteger(p) && p > 0 && p % 2 === 0) result.lo[e] = Math.min(result.lo[e], 0);
        else if (!(Number.isInteger(p) && p > 0)) { result.lo[e] = -Infinity; result.hi[e] = Infinity; }
      }
      return [Number.isInteger(p) && p > 0 && p % 2 === 0 ? nonNegative(result) : result];
    }
    case 'ThresholdedRelu': {
      // x for x > α, else 0: rises for α ≥ 0; for α < 0 an interval across α also reaches (α, 0].
      const result = hull([run(rule, node, opset, fromLo)[0], run(rule, node, opset, fromHi)[0]]);
      const alpha = typeof node.attributes.get('alpha') === 'number' ? node.attributes.get('alpha') as number : 1;
      const a = inputs[0]!;
      for (let e = 0; e < result.lo.length; e++) {
        if (alpha < 0 && a.lo[e] <= alpha && a.hi[e] > alpha) { result.lo[e] = Math.min(result.lo[e], alpha); result.hi[e] = Math.max(result.hi[e], 0); }
      }
      return [result];
    }
    default: return run(rule, node, opset, fromLo).map((probe) => unbounded(probe.dims));
  }
}

/**
 * ReduceSum/ReduceMean and Sum/Mean: the sums at the lower and upper ends, widened by a bound of
 * the rounding of a float64 sum of `count` terms, (count + 2)·ε·Σ|x| (Mean: of the mean of |x|).
 */
function sumInterval(node: GraphNode, rule: OperatorRule, inputs: (IntervalTensor | undefined)[], opset: number): IntervalTensor {
  const reduce = node.opType.startsWith('Reduce');
  // Reductions: input 0 is the data, input 1 (opset ≥ 13/18) the constant axes; Sum/Mean: all inputs are data.
  const data = reduce ? [inputs[0]] : inputs;
  const withData = (pick: (t: IntervalTensor, e: number) => number): (Tensor | undefined)[] => {
    const values = data.map((t) => (t ? { dims: t.dims, data: t.lo.map((_, e) => pick(t, e)) } : undefined));
    return reduce ? [values[0], lower(inputs[1])] : values;
  };
  const least = run(rule, node, opset, withData((t, e) => t.lo[e]))[0];
  const most = run(rule, node, opset, withData((t, e) => t.hi[e]))[0];
  const magnitude = run(rule, node, opset, withData((t, e) => Math.max(Math.abs(t.lo[e]), Math.abs(t.hi[e]))))[0];
  const count = reduce ? inputs[0]!.lo.length / Math.max(1, least.data.length) : data.length;
  const lo = new Float64Array(least.data.length), hi = new Float64Array(least.data.length);
  for (let e = 0; e < lo.length; e++) {
    const margin = (count + 2) * EPSILON * magnitude.data[e] + Number.MIN_VALUE;
    lo[e] = least.data[e] - margin;
    hi[e] = most.data[e] + margin;
  }
  widenOutward(lo, hi);
  // A float64 sum of terms ≥ 0 is ≥ 0 (keeps Sqrt(ReduceSum(x·x)) bounded).
  const result = { dims: least.dims, lo, hi };
  return data.every((t) => !t || t.lo.every((v) => v >= 0)) ? nonNegative(result) : result;
}

/** Gemm/MatMul with exactly one input depending on x: centre ± |W|·radius, plus a bound of the rounding of the sums. */
function linearInterval(node: GraphNode, rule: OperatorRule, inputs: (IntervalTensor | undefined)[], opset: number): IntervalTensor {
  const a = inputs[0]!, b = inputs[1]!, c = inputs[2];
  const liveA = !isConstant(a), liveB = !isConstant(b);
  const absolute = (t: IntervalTensor): Tensor => ({ dims: t.dims, data: t.lo.map(Math.abs) });
  if (liveA && liveB) return unbounded(run(rule, node, opset, [lower(a), lower(b), lower(c)])[0].dims);
  const live = liveA ? a : b;
  const centre = new Float64Array(live.lo.length), radius = new Float64Array(live.lo.length), size = new Float64Array(live.lo.length);
  for (let e = 0; e < centre.length; e++) {
    const lo = live.lo[e], hi = live.hi[e];
    if (Number.isFinite(lo) && Number.isFinite(hi)) { centre[e] = 0.5 * lo + 0.5 * hi; radius[e] = 0.5 * hi - 0.5 * lo; }
    else { centre[e] = 0; radius[e] = Infinity; }
    size[e] = Math.max(Math.abs(lo), Math.abs(hi));
  }
  const asTensor = (data: Float64Array): Tensor => ({ dims: live.dims, data });
  const constantSide = liveA ? b : a;
  const pair = (x: Tensor, w: Tensor): (Tensor | undefined)[] => (liveA ? [x, w] : [w, x]);
  const middle = run(rule, node, opset, [...pair(asTensor(centre), lower(constantSide)!), lower(c)])[0];
  const spread = run(rule, node, opset, [...pair(asTensor(radius), absolute(constantSide))])[0];
  const magnitude = run(rule, node, opset, [...pair(asTensor(size), absolute(constantSide)), c ? absolute(c) : undefined])[0];
  const inner = Math.max(1, ...a.dims, ...b.dims);
  const rounding = (inner + 2) * EPSILON;
  const lo = new Float64Array(middle.data.length), hi = new Float64Array(middle.data.length);
  for (let e = 0; e < lo.length; e++) {
    const r = Math.abs(spread.data[e]), margin = rounding * Math.abs(magnitude.data[e]) + Number.MIN_VALUE;
    if (!Number.isFinite(r) || Number.isNaN(r) || !Number.isFinite(middle.data[e])) { lo[e] = -Infinity; hi[e] = Infinity; continue; }
    lo[e] = middle.data[e] - r - margin;
    hi[e] = middle.data[e] + r + margin;
  }
  widenOutward(lo, hi, 4 * EPSILON);
  return { dims: middle.dims, lo, hi };
}

export { constant as constantInterval };
