// LayerNormalization, InstanceNormalization and GroupNormalization: each normalizes contiguous groups
// of L elements to zero mean and unit variance (biased variance, ε inside the square root), then
// applies a per-element scale and bias:  y = (x − μ)/σ · scale + bias,  σ = √(var + ε).
//   LayerNormalization (opset 17): groups = the trailing dims from `axis` (default −1); scale/bias
//     shaped like those dims (or broadcast to them).
//   InstanceNormalization: groups = the spatial dims of each (sample, channel) of [N, C, …];
//     scale/bias per channel.
//   GroupNormalization: [N, C, …] with C split into `num_groups` groups of C/G channels; scale/bias
//     per group at opset 18–20 and per channel from opset 21.
// The derivative of one group with g = adjoint ⊙ scale and x̂ = (x − μ)/σ is the exact
//   dx = (g − mean(g) − x̂ · mean(g ⊙ x̂)) / σ.
import { OnnxFormatError } from '../errors.ts';
import type { GraphNode } from '../graph.ts';
import { dimsText, sizeOf, type Tensor } from '../tensor.ts';
import { normalizeAxis, numberAttribute, requireInput, type BackwardContext, type ForwardContext, type OperatorRule } from './types.ts';

/**
 * How a tensor splits into normalized groups and where each element finds its scale and bias:
 * element k of group g uses scale[(g % period)·length + k] (tables expanded once per shape, so the
 * loops index arrays instead of calling functions).
 */
export interface NormalizationLayout {
  groups: number;
  length: number;
  period: number;
  scale: Float64Array;
  bias: Float64Array;
  epsilon: number;
}

/** Expand per-parameter values to the [period × length] table of a layout. */
function table(values: Float64Array, period: number, length: number, parameterIndex: (group: number, k: number) => number): Float64Array {
  const out = new Float64Array(period * length);
  for (let g = 0; g < period; g++) for (let k = 0; k < length; k++) out[g * length + k] = values[parameterIndex(g, k)];
  return out;
}

function parameter(inputs: readonly (Tensor | undefined)[], index: number, size: number, fill: number, node: GraphNode, what: string): Float64Array {
  const t = inputs[index];
  if (!t) return new Float64Array(size).fill(fill);
  if (t.data.length === size) return Float64Array.from(t.data);
  if (t.data.length === 1) return new Float64Array(size).fill(t.data[0]);
  throw new OnnxFormatError(`operator ${node.opType} (node '${node.name}'): ${what} of shape ${dimsText(t.dims)} does not hold ${size} values`);
}

export type LayoutBuilder = (x: Tensor, inputs: readonly (Tensor | undefined)[], node: GraphNode, opset: number) => NormalizationLayout;

/** The layout of LayerNormalization (also used by onnx/intervals.ts). */
export const layerLayout: LayoutBuilder = (x, inputs, node) => {
  const axis = normalizeAxis(numberAttribute(node, 'axis', -1), x.dims.length, node);
  const length = sizeOf(x.dims.slice(axis));
  return {
    groups: x.data.length / length, length, period: 1,
    scale: parameter(inputs, 1, length, 1, node, 'Scale'), bias: parameter(inputs, 2, length, 0, node, 'B'),
    epsilon: numberAttribute(node, 'epsilon', 1e-5),
  };
};

function channelsOf(x: Tensor, node: GraphNode): [number, number] {
  if (x.dims.length < 2) throw new OnnxFormatError(`operator ${node.opType} (node '${node.name}'): input ${dimsText(x.dims)} has no channel axis`);
  return [x.dims[1], sizeOf(x.dims.slice(2))];
}

export const instanceLayout: LayoutBuilder = (x, inputs, node) => {
  const [channels, spatial] = channelsOf(x, node);
  const index = (g: number) => g;
  return {
    groups: x.data.length / spatial, length: spatial, period: channels,
    scale: table(parameter(inputs, 1, channels, 1, node, 'scale'), channels, spatial, index),
    bias: table(parameter(inputs, 2, channels, 0, node, 'B'), channels, spatial, index),
    epsilon: numberAttribute(node, 'epsilon', 1e-5),
  };
};

export const groupLayout: LayoutBuilder = (x, inputs, node, opset) => {
  const [channels, spatial] = channelsOf(x, node);
  const count = numberAttribute(node, 'num_groups', 0);
  if (!(count > 0) || channels % count !== 0) {
    throw new OnnxFormatError(`operator GroupNormalization (node '${node.name}'): num_groups ${count} does not divide the ${channels} channels`);
  }
  const perGroup = channels / count, length = perGroup * spatial;
  const perChannel = opset >= 21;
  const size = perChannel ? channels : count;
  const index = perChannel ? (g: number, k: number) => g * perGroup + Math.floor(k / spatial) : (g: number) => g;
  return {
    groups: x.data.length / length, length, period: count,
    scale: table(parameter(inputs, 1, size, 1, node, 'scale'), count, length, index),
    bias: table(parameter(inputs, 2, size, 0, node, 'bias'), count, length, index),
    epsilon: numberAttribute(node, 'epsilon', 1e-5),
  };
};

/** Mean and 1/√(biased variance + ε) of each group of `length` contiguous elements (two passes). */
function groupStatistics(X: Float64Array, groups: number, length: number, epsilon: number, mean: Float64Array, inverseDeviation: Float64Array): void {
  for (let g = 0; g < groups; g++) {
    const base = g * length;
    let sum = 0;
    for (let k = 0; k < length; k++) sum += X[base + k];
    const mu = sum / length;
    let squares = 0;
    for (let k = 0; k < length; k++) { const c = X[base + k] - mu; squares += c * c; }
    mean[g] = mu;
    inverseDeviation[g] = 1 / Math.sqrt(squares / length + epsilon);
  }
}

/** x̂ and 1/σ of the last forward pass of a node, read by its backward pass (same run). */
interface ForwardCache { normalized: Float64Array; inverseDeviation: Float64Array }

function normalizationOperator(build: LayoutBuilder): OperatorRule {
  const layoutOf = (x: Tensor, inputs: readonly (Tensor | undefined)[], context: ForwardContext | BackwardContext) =>
    context.memo(`layout:${x.dims.join(',')}`, () => build(x, inputs, context.node, context.opset));
  const cacheOf = (context: ForwardContext | BackwardContext) =>
    context.memo<ForwardCache>('cache', () => ({ normalized: new Float64Array(0), inverseDeviation: new Float64Array(0) }));
  return {
    constantInputs: [1, 2],
    forward(inputs, context) {
      const x = requireInput(inputs, 0, context.node);
      const { groups, length, period, scale, bias, epsilon } = layoutOf(x, inputs, context);
      const X = x.data, y = context.buffer(0, X.length);
      // Per-group mean and 1/σ (outputs 1 and 2 of LayerNormalization, shaped [groups]), and x̂.
      const mean = context.buffer(1, groups), inverseDeviation = context.buffer(2, groups);
      const normalized = context.buffer(3, X.length);
      groupStatistics(X, groups, length, epsilon, mean, inverseDeviation);
      for (let g = 0; g < groups; g++) {
        const base = g * length, mu = mean[g], inverse = inverseDeviation[g], parameters = (g % period) * length;
        for (let k = 0; k < length; k++) {
          const v = (X[base + k] - mu) * inverse;
          normalized[base + k] = v;
          y[base + k] = v * scale[parameters + k] + bias[parameters + k];
        }
      }
      const cache = cacheOf(context);
      cache.normalized = normalized;
      cache.inverseDeviation = inverseDeviation;
      return [{ dims: x.dims, data: y }, { dims: [groups], data: mean }, { dims: [groups], data: inverseDeviation }];
    },
    backward(context) {
      if (!context.needs[0]) return [];
      const x = context.inputs[0]!, size = x.data.length;
      const { groups, length, period, scale } = layoutOf(x, context.inputs, context);
      const { normalized, inverseDeviation } = cacheOf(context);
      const G = context.outputAdjoint, seeds = context.seeds;
      const target = context.buffer(0, seeds * size);
      for (let s = 0; s < seeds; s++) {
        const off = s * size;
        for (let g = 0; g < groups; g++) {
          const base = g * length, parameters = (g % period) * length;
          const at = off + base;
          // First pass: g = adjoint ⊙ scale (kept in target) and its two means; second: dx in place.
          let sumG = 0, sumGX = 0;
          for (let k = 0; k < length; k++) {
            const v = G[at + k] * scale[parameters + k];
            target[at + k] = v;
            sumG += v;
            sumGX += v * normalized[base + k];
          }
          const inverse = inverseDeviation[g], shift = (sumG / length) * inverse, slope = (sumGX / length) * inverse;
          for (let k = 0; k < length; k++) target[at + k] = target[at + k] * inverse - shift - normalized[base + k] * slope;
        }
      }
      return [target];
    },
  };
}

export const LayerNormalization: OperatorRule = normalizationOperator(layerLayout);
export const InstanceNormalization: OperatorRule = normalizationOperator(instanceLayout);
export const GroupNormalization: OperatorRule = normalizationOperator(groupLayout);
