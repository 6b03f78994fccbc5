// Operators that pick or repeat elements without arithmetic — Transpose, Slice, Split, Gather (with
// constant indices), Expand, Tile — and Where with a constant condition. All are exact: the
// derivative of a picked element is 1 at its source, so reverse mode scatters (and adds) the adjoint
// back. Index arguments (starts, indices, repeats, shape, condition) must not depend on the values
// of the model input; they may be computed from shapes.
import { OnnxFormatError } from '../errors.ts';
import type { GraphNode } from '../graph.ts';
import { broadcastDims, broadcastIndex, dimsText, sizeOf, stridesOf, type Tensor } from '../tensor.ts';
import { affineIndexMap, gather, indexMapOperator, scatterAdd, type IndexMap } from './index-map.ts';
import { intsAttribute, normalizeAxis, numberAttribute, requireInput, type OperatorRule } from './types.ts';

function formatError(node: GraphNode, what: string): OnnxFormatError {
  return new OnnxFormatError(`operator ${node.opType} (node '${node.name}'): ${what}`);
}

/** Transpose by `perm` (default: reverse the axes). */
export const Transpose: OperatorRule = indexMapOperator((x, _inputs, { node }) => {
  const rank = x.dims.length;
  const perm = intsAttribute(node, 'perm') ?? Array.from({ length: rank }, (_, k) => rank - 1 - k);
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, k) => p !== k)) {
    throw formatError(node, `perm [${perm.join(', ')}] is not a permutation of the ${rank} axes of ${dimsText(x.dims)}`);
  }
  const strides = stridesOf(x.dims);
  return affineIndexMap(perm.map((p) => x.dims[p]), perm.map((p) => strides[p]), (_axis, i) => i);
}, []);

/** Start and element count of one sliced axis, clamped as the ONNX spec says (opset ≥ 10 semantics). */
function sliceRange(start: number, end: number, step: number, dim: number): [number, number] {
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  if (step > 0) {
    start = Math.min(Math.max(start, 0), dim);
    end = Math.min(Math.max(end, 0), dim);
  } else {
    start = Math.min(Math.max(start, 0), dim - 1);
    end = Math.min(Math.max(end, -1), dim - 1);
  }
  return [start, Math.max(0, Math.ceil((end - start) / step))];
}

/** Slice: starts/ends/axes/steps from inputs 1–4 (opset ≥ 10) or the attributes starts/ends/axes (opset < 10). */
export const Slice: OperatorRule = indexMapOperator((x, inputs, { node, opset }) => {
  const rank = x.dims.length;
  const values = (k: number, attribute: string): number[] | undefined =>
    opset >= 10 ? (inputs[k] ? Array.from(inputs[k]!.data) : undefined) : intsAttribute(node, attribute);
  const starts = values(1, 'starts'), ends = values(2, 'ends');
  if (!starts || !ends || starts.length !== ends.length) throw formatError(node, 'needs starts and ends of equal length');
  const axes = values(3, 'axes') ?? starts.map((_, k) => k);
  const steps = (opset >= 10 ? values(4, 'steps') : undefined) ?? starts.map(() => 1);
  if (axes.length !== starts.length || steps.length !== starts.length) throw formatError(node, 'starts, ends, axes and steps differ in length');
  const first = new Array<number>(rank).fill(0), step = new Array<number>(rank).fill(1), dims = [...x.dims];
  axes.forEach((raw, k) => {
    const axis = normalizeAxis(raw, rank, node);
    if (steps[k] === 0) throw formatError(node, 'a step is 0');
    [first[axis], dims[axis]] = sliceRange(starts[k], ends[k], steps[k], x.dims[axis]);
    step[axis] = steps[k];
  });
  return affineIndexMap(dims, stridesOf(x.dims), (axis, i) => first[axis] + i * step[axis]);
}, [1, 2, 3, 4]);

/** Gather along `axis` with constant indices (negative ones count from the end). */
export const Gather: OperatorRule = indexMapOperator((x, inputs, { node }) => {
  const indices = requireInput(inputs, 1, node);
  const rank = x.dims.length;
  const axis = normalizeAxis(numberAttribute(node, 'axis', 0), rank, node);
  const dim = x.dims[axis], outer = sizeOf(x.dims.slice(0, axis)), inner = sizeOf(x.dims.slice(axis + 1));
  const picks = Array.from(indices.data, (i) => {
    const index = i < 0 ? i + dim : i;
    if (!Number.isInteger(index) || index < 0 || index >= dim) throw formatError(node, `index ${i} is outside axis ${axis} of ${dimsText(x.dims)}`);
    return index;
  });
  const dims = [...x.dims.slice(0, axis), ...indices.dims, ...x.dims.slice(axis + 1)];
  const index = new Int32Array(sizeOf(dims));
  let e = 0;
  for (let o = 0; o < outer; o++) for (const p of picks) for (let r = 0; r < inner; r++) index[e++] = (o * dim + p) * inner + r;
  return { dims, index };
}, [1]);

/** Expand to a constant shape (numpy broadcasting in both directions). */
export const Expand: OperatorRule = indexMapOperator((x, inputs, { node }) => {
  const shape = Array.from(requireInput(inputs, 1, node).data);
  const dims = broadcastDims(x.dims, shape);
  if (!dims) throw formatError(node, `${dimsText(x.dims)} does not broadcast to ${dimsText(shape)}`);
  return { dims, index: broadcastIndex(dims, x.dims) };
}, [1]);

/** Tile by constant repeats (one per axis). */
export const Tile: OperatorRule = indexMapOperator((x, inputs, { node }) => {
  const repeats = Array.from(requireInput(inputs, 1, node).data);
  if (repeats.length !== x.dims.length || repeats.some((r) => !Number.isInteger(r) || r < 0)) {
    throw formatError(node, `repeats [${repeats.join(', ')}] do not fit ${dimsText(x.dims)}`);
  }
  return affineIndexMap(x.dims.map((d, k) => d * repeats[k]), stridesOf(x.dims), (axis, i) => i % x.dims[axis]);
}, [1]);

/**
 * Part sizes of Split: input 1 (opset ≥ 13), attribute `split` (opset < 13), else equal parts — for
 * opset ≥ 18 `num_outputs` parts of ⌈dim/num_outputs⌉ with a smaller last one.
 */
function splitSizes(x: Tensor, inputs: readonly (Tensor | undefined)[], node: GraphNode, opset: number, axis: number): number[] {
  const dim = x.dims[axis];
  const given = opset >= 13 ? (inputs[1] ? Array.from(inputs[1].data) : undefined) : intsAttribute(node, 'split');
  const parts = node.outputs.length;
  let sizes: number[];
  if (given) sizes = given;
  else {
    const count = opset >= 18 ? numberAttribute(node, 'num_outputs', parts) : parts;
    const chunk = opset >= 18 ? Math.ceil(dim / count) : dim / count;
    if (!Number.isInteger(chunk)) throw formatError(node, `axis ${axis} of ${dimsText(x.dims)} does not split into ${count} equal parts`);
    sizes = Array.from({ length: count }, (_, k) => Math.max(0, Math.min(chunk, dim - k * chunk)));
  }
  if (sizes.length !== parts || sizes.reduce((a, b) => a + b, 0) !== dim || sizes.some((s) => s < 0)) {
    throw formatError(node, `split sizes [${sizes.join(', ')}] do not cover axis ${axis} of ${dimsText(x.dims)} with ${parts} outputs`);
  }
  return sizes;
}

function splitMaps(x: Tensor, inputs: readonly (Tensor | undefined)[], node: GraphNode, opset: number): IndexMap[] {
  const axis = normalizeAxis(numberAttribute(node, 'axis', 0), x.dims.length, node);
  const sizes = splitSizes(x, inputs, node, opset, axis);
  let offset = 0;
  return sizes.map((size) => {
    const start = offset;
    offset += size;
    const dims = [...x.dims];
    dims[axis] = size;
    return affineIndexMap(dims, stridesOf(x.dims), (a, i) => (a === axis ? start + i : i));
  });
}

/** Split along `axis` into the node's outputs; every output carries a derivative. */
export const Split: OperatorRule = {
  constantInputs: [1],
  differentiableOutputs: 'all',
  forward(inputs, context) {
    const x = requireInput(inputs, 0, context.node);
    const key = `${x.dims.join(',')}|${inputs[1] ? Array.from(inputs[1].data).join(',') : ''}`;
    const maps = context.memo(`split:${key}`, () => splitMaps(x, inputs, context.node, context.opset));
    return maps.map((map, k) => gather(x, map, context.buffer(k, map.index.length)));
  },
  backward(context) {
    if (!context.needs[0]) return [];
    const x = context.inputs[0]!, size = x.data.length, seeds = context.seeds;
    const key = `${x.dims.join(',')}|${context.inputs[1] ? Array.from(context.inputs[1].data).join(',') : ''}`;
    const maps = context.memo(`split:${key}`, () => splitMaps(x, context.inputs, context.node, context.opset));
    const target = context.buffer(0, seeds * size).fill(0);
    maps.forEach((map, k) => {
      const adjoint = context.outputAdjoints[k];
      if (!adjoint) return;
      const part = scatterAdd(adjoint, map, size, seeds, context.scratch(0, seeds * size));
      for (let e = 0; e < target.length; e++) target[e] += part[e];
    });
    return [target];
  },
};

/** Where(condition, X, Y) with a constant condition: each element comes from X or Y, with derivative 1. */
export const Where: OperatorRule = {
  constantInputs: [0],
  forward(inputs, context) {
    const { node } = context;
    const [condition, a, b] = [0, 1, 2].map((k) => requireInput(inputs, k, node));
    const plan = wherePlan(node, condition, a, b, context.memo);
    const y = context.buffer(0, plan.size);
    const C = condition.data, A = a.data, B = b.data;
    for (let e = 0; e < plan.size; e++) y[e] = C[plan.c[e]] !== 0 ? A[plan.a[e]] : B[plan.b[e]];
    return [{ dims: plan.dims, data: y }];
  },
  backward(context) {
    const [condition, a, b] = context.inputs as Tensor[];
    const plan = wherePlan(context.node, condition, a, b, context.memo);
    const G = context.outputAdjoint, C = condition.data, seeds = context.seeds, size = plan.size;
    return [undefined, ...[a, b].map((operand, k) => {
      if (!context.needs[k + 1]) return undefined;
      const map = k === 0 ? plan.a : plan.b, pick = k === 0;
      const inputSize = operand.data.length;
      const target = context.buffer(k + 1, seeds * inputSize).fill(0);
      for (let s = 0; s < seeds; s++) {
        for (let e = 0; e < size; e++) if ((C[plan.c[e]] !== 0) === pick) target[s * inputSize + map[e]] += G[s * size + e];
      }
      return target;
    })];
  },
};

function wherePlan(node: GraphNode, condition: Tensor, a: Tensor, b: Tensor, memo: <T>(key: string, make: () => T) => T) {
  return memo(`where:${condition.dims.join(',')}|${a.dims.join(',')}|${b.dims.join(',')}`, () => {
    const pair = broadcastDims(a.dims, b.dims);
    const dims = pair && broadcastDims(condition.dims, pair);
    if (!dims) throw formatError(node, `shapes ${dimsText(condition.dims)}, ${dimsText(a.dims)} and ${dimsText(b.dims)} do not broadcast`);
    return { dims, size: sizeOf(dims), c: broadcastIndex(dims, condition.dims), a: broadcastIndex(dims, a.dims), b: broadcastIndex(dims, b.dims) };
  });
}
