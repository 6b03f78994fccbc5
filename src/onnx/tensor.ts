// The interpreter's value type: an n-dimensional row-major Float64 tensor. Every ONNX element type
// (float32, float64, int64, bool, ...) is held as Float64 here; integers up to 2^53 are exact.

export interface Tensor {
  readonly dims: readonly number[];
  readonly data: Float64Array;
}

export function sizeOf(dims: readonly number[]): number {
  let size = 1;
  for (const d of dims) size *= d;
  return size;
}

export function tensor(dims: readonly number[], data: Float64Array): Tensor {
  return { dims: [...dims], data };
}

export function scalar(value: number): Tensor {
  return { dims: [], data: Float64Array.of(value) };
}

export function dimsText(dims: readonly (number | string | null)[]): string {
  return `[${dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** Row-major strides of a shape. */
export function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length);
  let stride = 1;
  for (let axis = dims.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= dims[axis];
  }
  return strides;
}

/** Numpy-style broadcast of two shapes, or null when they do not broadcast. */
export function broadcastDims(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let k = 0; k < rank; k++) {
    const da = a[a.length - rank + k] ?? 1;
    const db = b[b.length - rank + k] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out[k] = da === 1 ? db : da;
  }
  return out;
}

/**
 * For each element of a tensor of shape `outDims`, the index of the element of an input of shape
 * `inDims` that broadcasts onto it. Used by the generic (non-fast-path) binary operators.
 */
export function broadcastIndex(outDims: readonly number[], inDims: readonly number[]): Int32Array {
  const rank = outDims.length;
  const size = sizeOf(outDims);
  const inStrides = stridesOf(inDims);
  // Stride of each output axis in the input (0 on broadcast axes).
  const axisStride = new Array<number>(rank).fill(0);
  for (let k = 0; k < inDims.length; k++) {
    const outAxis = rank - inDims.length + k;
    axisStride[outAxis] = inDims[k] === 1 ? 0 : inStrides[k];
  }
  const index = new Int32Array(size);
  const counter = new Array<number>(rank).fill(0);
  let inOffset = 0;
  for (let e = 0; e < size; e++) {
    index[e] = inOffset;
    for (let axis = rank - 1; axis >= 0; axis--) {
      counter[axis]++;
      inOffset += axisStride[axis];
      if (counter[axis] < outDims[axis]) break;
      inOffset -= axisStride[axis] * counter[axis];
      counter[axis] = 0;
    }
  }
  return index;
}

export function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, k) => d === b[k]);
}
