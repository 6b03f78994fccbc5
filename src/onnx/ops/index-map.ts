// Operators that only pick elements — Transpose, Slice, Split, Gather, Expand, Tile — are all
// y[e] = x[map[e]] for an index map that depends on the shapes alone. The forward pass is a gather
// and the reverse pass a scatter-add of the adjoint (adding handles repeated picks: Expand, Tile,
// Gather with repeated indices). Maps are built once per input shape (memo) and reused.
import { sizeOf, stridesOf, type Tensor } from '../tensor.ts';
import type { BackwardContext, ForwardContext } from './types.ts';

/** An index map: output dims and, for each output element, the flat index of its source element. */
export interface IndexMap {
  dims: number[];
  index: Int32Array;
}

/**
 * The map for output dims `outDims` whose source offset is Σ_k coordinate[k]·step[k] + start, with
 * `coordinateOf(axis, i)` turning output coordinate i on `axis` into a source coordinate, and
 * `sourceStride[axis]` the source stride that coordinate moves.
 */
export function affineIndexMap(
  outDims: readonly number[], sourceStride: readonly number[], coordinateOf: (axis: number, i: number) => number,
): IndexMap {
  const rank = outDims.length, size = sizeOf(outDims);
  const index = new Int32Array(size);
  // Per-axis source offsets, precomputed.
  const offsets = outDims.map((d, axis) => Int32Array.from({ length: d }, (_, i) => coordinateOf(axis, i) * sourceStride[axis]));
  const counter = new Array<number>(rank).fill(0);
  for (let e = 0; e < size; e++) {
    let offset = 0;
    for (let axis = 0; axis < rank; axis++) offset += offsets[axis][counter[axis]];
    index[e] = offset;
    for (let axis = rank - 1; axis >= 0; axis--) {
      if (++counter[axis] < outDims[axis]) break;
      counter[axis] = 0;
    }
  }
  return { dims: [...outDims], index };
}

/** y = x[map] into a node buffer. */
export function gather(x: Tensor, map: IndexMap, y: Float64Array): Tensor {
  const X = x.data, index = map.index;
  for (let e = 0; e < index.length; e++) y[e] = X[index[e]];
  return { dims: map.dims, data: y };
}

/** Adjoint of x (seeds × size(x)) from the adjoint of y = x[map]: a scatter-add per seed. */
export function scatterAdd(adjoint: Float64Array, map: IndexMap, inputSize: number, seeds: number, target: Float64Array): Float64Array {
  const index = map.index, outSize = index.length;
  target.fill(0);
  for (let s = 0; s < seeds; s++) {
    const from = s * outSize, to = s * inputSize;
    for (let e = 0; e < outSize; e++) target[to + index[e]] += adjoint[from + e];
  }
  return target;
}

/**
 * A one-input picking operator from the function that builds its map (from the input, the other
 * constant inputs, and the node). The map is memoized per input dims and the constant inputs' values.
 */
export function indexMapOperator(
  build: (x: Tensor, inputs: readonly (Tensor | undefined)[], context: ForwardContext | BackwardContext) => IndexMap,
  constantInputs: number[],
) {
  const mapFor = (x: Tensor, inputs: readonly (Tensor | undefined)[], context: ForwardContext | BackwardContext): IndexMap => {
    const key = `${x.dims.join(',')}|${constantInputs.map((k) => (inputs[k] ? Array.from(inputs[k]!.data).join(',') : '')).join('|')}`;
    return context.memo(`map:${key}`, () => build(x, inputs, context));
  };
  return {
    constantInputs,
    forward(inputs: readonly (Tensor | undefined)[], context: ForwardContext): Tensor[] {
      const x = inputs[0]!;
      const map = mapFor(x, inputs, context);
      return [gather(x, map, context.buffer(0, map.index.length))];
    },
    backward(context: BackwardContext): (Float64Array | undefined)[] {
      if (!context.needs[0]) return [];
      const x = context.inputs[0]!;
      const map = mapFor(x, context.inputs, context);
      return [scatterAdd(context.outputAdjoint, map, x.data.length, context.seeds, context.buffer(0, context.seeds * x.data.length))];
    },
  };
}

export { stridesOf };
