// ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceL2 over a set of axes. The axes come from the
// attribute `axes` before the opset in which they became input #1 (ReduceSum: 13, the others: 18)
// and from that input afterwards; `keepdims` (default 1) and, with axes as an input,
// `noop_with_empty_axes` (default 0: no axes means all axes). Every input element maps to one
// output element (a map built once per shape); the derivatives are 1 (Sum), 1/count (Mean),
// x/y (L2; 0 where y = 0) and, for Max/Min, 1 at the FIRST element attaining the extremum (ties:
// the lowest flat index takes the whole adjoint — the documented convention of docs/onnx-coverage.md).
import { OnnxFormatError } from '../errors.ts';
import type { GraphNode } from '../graph.ts';
import { sizeOf, stridesOf, type Tensor } from '../tensor.ts';
import { intsAttribute, normalizeAxis, numberAttribute, type BackwardContext, type ForwardContext, type OperatorRule } from './types.ts';

type ReduceKind = 'sum' | 'mean' | 'max' | 'min' | 'l2';

/** Opset from which each reduction takes its axes as input #1 instead of the `axes` attribute. */
export const AXES_INPUT_SINCE: Record<ReduceKind, number> = { sum: 13, mean: 18, max: 18, min: 18, l2: 18 };

interface ReducePlan {
  dims: number[];
  outSize: number;
  /** Output element of each input element. */
  target: Int32Array;
  /** Input elements per output element. */
  count: number;
}

function reducedAxes(kind: ReduceKind, x: Tensor, inputs: readonly (Tensor | undefined)[], node: GraphNode, opset: number): number[] | 'identity' {
  const rank = x.dims.length;
  let axes: number[] | undefined;
  if (opset >= AXES_INPUT_SINCE[kind]) {
    if (node.attributes.has('axes')) {
      throw new OnnxFormatError(`operator ${node.opType} (node '${node.name}'): attribute 'axes' is not allowed at opset ${opset}; from opset ${AXES_INPUT_SINCE[kind]} the axes are input #1`);
    }
    axes = inputs[1] && inputs[1].data.length > 0 ? Array.from(inputs[1].data) : undefined;
    if (!axes && numberAttribute(node, 'noop_with_empty_axes', 0) !== 0) return 'identity';
  } else {
    if (inputs[1]) {
      throw new OnnxFormatError(`operator ${node.opType} (node '${node.name}'): an axes input needs opset ≥ ${AXES_INPUT_SINCE[kind]} (the model imports ${opset}); before that axes are an attribute`);
    }
    axes = intsAttribute(node, 'axes');
  }
  const all = Array.from({ length: rank }, (_, k) => k);
  return axes ? [...new Set(axes.map((a) => normalizeAxis(a, rank, node)))] : all;
}

function reducePlan(kind: ReduceKind, x: Tensor, inputs: readonly (Tensor | undefined)[], context: ForwardContext | BackwardContext): ReducePlan {
  const key = `reduce:${x.dims.join(',')}|${inputs[1] ? Array.from(inputs[1].data).join(',') : ''}`;
  return context.memo(key, () => {
    const { node, opset } = context;
    const axes = reducedAxes(kind, x, inputs, node, opset);
    const rank = x.dims.length, size = x.data.length;
    if (axes === 'identity') return { dims: [...x.dims], outSize: size, target: Int32Array.from({ length: size }, (_, e) => e), count: 1 };
    const reduced = new Set(axes);
    const keptDims = x.dims.map((d, k) => (reduced.has(k) ? 1 : d));
    const keepdims = numberAttribute(node, 'keepdims', 1) !== 0;
    const dims = keepdims ? keptDims : x.dims.filter((_, k) => !reduced.has(k));
    const outStrides = stridesOf(keptDims);
    const target = new Int32Array(size);
    const counter = new Array<number>(rank).fill(0);
    for (let e = 0; e < size; e++) {
      let t = 0;
      for (let k = 0; k < rank; k++) if (!reduced.has(k)) t += counter[k] * outStrides[k];
      target[e] = t;
      for (let k = rank - 1; k >= 0; k--) {
        if (++counter[k] < x.dims[k]) break;
        counter[k] = 0;
      }
    }
    return { dims, outSize: sizeOf(keptDims), target, count: size / Math.max(1, sizeOf(keptDims)) };
  });
}

function reduceOperator(kind: ReduceKind): OperatorRule {
  return {
    constantInputs: [1],
    forward(inputs, context) {
      const x = inputs[0]!;
      const plan = reducePlan(kind, x, inputs, context);
      const y = context.buffer(0, plan.outSize);
      const X = x.data, target = plan.target;
      y.fill(kind === 'max' ? -Infinity : kind === 'min' ? Infinity : 0);
      for (let e = 0; e < X.length; e++) {
        const t = target[e], v = X[e];
        switch (kind) {
          case 'max': if (v > y[t] || Number.isNaN(v)) y[t] = v; break;
          case 'min': if (v < y[t] || Number.isNaN(v)) y[t] = v; break;
          case 'l2': y[t] += v * v; break;
          default: y[t] += v;
        }
      }
      if (kind === 'mean') for (let t = 0; t < y.length; t++) y[t] /= plan.count;
      if (kind === 'l2') for (let t = 0; t < y.length; t++) y[t] = Math.sqrt(y[t]);
      return [{ dims: plan.dims, data: y }];
    },
    backward(context) {
      if (!context.needs[0]) return [];
      const x = context.inputs[0]!;
      const plan = reducePlan(kind, x, context.inputs, context);
      const X = x.data, Y = context.outputs[0].data, target = plan.target, size = X.length, outSize = plan.outSize;
      // Local derivative ∂y[target[e]]/∂x[e].
      const d = context.scratch(0, size);
      if (kind === 'sum') d.fill(1);
      else if (kind === 'mean') d.fill(1 / plan.count);
      else if (kind === 'l2') for (let e = 0; e < size; e++) d[e] = Y[target[e]] === 0 ? 0 : X[e] / Y[target[e]];
      else {
        // First element attaining the extremum takes the derivative 1.
        const taken = context.scratch(1, outSize).fill(0);
        for (let e = 0; e < size; e++) {
          const t = target[e];
          if (taken[t] === 0 && X[e] === Y[t]) { d[e] = 1; taken[t] = 1; } else d[e] = 0;
        }
      }
      const seeds = context.seeds, G = context.outputAdjoint;
      const result = context.buffer(0, seeds * size);
      for (let s = 0; s < seeds; s++) {
        const from = s * outSize, to = s * size;
        for (let e = 0; e < size; e++) result[to + e] = G[from + target[e]] * d[e];
      }
      return [result];
    },
  };
}

export const ReduceSum: OperatorRule = reduceOperator('sum');
export const ReduceMean: OperatorRule = reduceOperator('mean');
export const ReduceMax: OperatorRule = reduceOperator('max');
export const ReduceMin: OperatorRule = reduceOperator('min');
export const ReduceL2: OperatorRule = reduceOperator('l2');
