// Gemm and MatMul with a constant weight matrix (the layers of an MLP): y = α·A·B' + β·C.
// Forward and backward are one dense product each over the whole batch (all seeds at once in the
// backward pass: the adjoint is a (seeds·rows)×C matrix, so G·B'ᵀ is a single product), by the
// shared Float64 kernels of src/linalg/gemm (WebAssembly SIMD, or their JS fallback). The weight
// is kept once per node (memo) in both layouts, B' (K×C) and B'ᵀ (C×K), so each product can use the
// kernel that suits its shape: A·B for wide results, A·Bᵀ (vectorized along K) for narrow ones.
import { gemmMultiply as multiply, multiplyTransposed } from '../../linalg/index.ts';
import { UnsupportedOperatorError } from '../errors.ts';
import type { GraphNode } from '../graph.ts';
import { dimsText, sizeOf, type Tensor } from '../tensor.ts';
import { numberAttribute, requireInput, type BackwardContext, type OperatorRule } from './types.ts';

/** Below this many result columns a product uses the A·Bᵀ kernel (as MlpModel does). */
const NARROW_PRODUCT_COLUMNS = 8;

function unsupportedUse(node: GraphNode, what: string): UnsupportedOperatorError {
  return new UnsupportedOperatorError(
    `operator ${node.opType} (node '${node.name}') ${what}; inversa supports ${node.opType} of the input with a constant weight matrix`,
    [node.opType],
  );
}

/** The weight as the logical K×C matrix W' of y = A·W', in both layouts. */
interface LayerWeight {
  inner: number;
  cols: number;
  /** W' row-major (K×C). */
  plain: Float64Array;
  /** W'ᵀ row-major (C×K). */
  transposed: Float64Array;
}

/** Weight `w` (stored K×C, or C×K when `transposed`) scaled by `alpha`, in both layouts. */
function layerWeight(w: Tensor, transposed: boolean, alpha: number, node: GraphNode): LayerWeight {
  if (w.dims.length !== 2) throw unsupportedUse(node, `has a weight of shape ${dimsText(w.dims)} (not a matrix)`);
  const scaled = alpha === 1 ? Float64Array.from(w.data) : w.data.map((v) => v * alpha);
  const [rows, cols] = w.dims;
  const flipped = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) flipped[j * rows + i] = scaled[i * cols + j];
  return transposed
    ? { inner: cols, cols: rows, plain: flipped, transposed: scaled }
    : { inner: rows, cols, plain: scaled, transposed: flipped };
}

/** C (rows×cols) ⟵ A (rows×inner) · M [+ bias], for M given as `plain` (inner×cols) and `transposed` (cols×inner). */
function product(
  a: Float64Array, plain: Float64Array, transposed: Float64Array, c: Float64Array,
  rows: number, inner: number, cols: number, bias: Float64Array | null,
): void {
  const options = bias ? { bias } : {};
  if (cols >= NARROW_PRODUCT_COLUMNS) multiply(a, plain, c, rows, inner, cols, options);
  else multiplyTransposed(a, transposed, c, rows, inner, cols, options);
}

/** y = A·W' (+ bias) for `rows` rows. */
function forwardProduct(a: Float64Array, weight: LayerWeight, y: Float64Array, rows: number, bias: Float64Array | null): void {
  product(a, weight.plain, weight.transposed, y, rows, weight.inner, weight.cols, bias);
}

/** target = G·W'ᵀ for the (seeds·rows)×C adjoint G. */
function backwardProduct(adjoint: Float64Array, weight: LayerWeight, target: Float64Array, rows: number): void {
  product(adjoint, weight.transposed, weight.plain, target, rows, weight.cols, weight.inner, null);
}

/** Rows of A, treating every leading axis as batch: A is [..., K]. */
function rowsOf(a: Tensor, inner: number, node: GraphNode): number {
  if (a.dims.length < 1 || a.dims[a.dims.length - 1] !== inner) {
    throw new UnsupportedOperatorError(
      `operator ${node.opType} (node '${node.name}'): input of shape ${dimsText(a.dims)} does not end in the weight's ${inner} rows`, [node.opType]);
  }
  return sizeOf(a.dims) / inner;
}

/** Bias β·C prepared as a per-column vector (C of shape [], [1], [C] or [1, C]), or null. */
function biasVector(c: Tensor | undefined, beta: number, cols: number, node: GraphNode): Float64Array | null {
  if (!c) return null;
  const size = c.data.length;
  if (size !== 1 && size !== cols) throw unsupportedUse(node, `has a bias of shape ${dimsText(c.dims)} that is not per column`);
  const out = new Float64Array(cols);
  for (let j = 0; j < cols; j++) out[j] = beta * c.data[size === 1 ? 0 : j];
  return out;
}

/** Adjoint of A for Gemm and MatMul: G·W'ᵀ, one product over all seeds and rows at once. */
function backwardThroughWeight(context: BackwardContext): Float64Array[] {
  if (!context.needs[0]) return [];
  const weight = context.memo<LayerWeight>('weight', () => { throw new Error(`${context.node.opType} backward before forward`); });
  const rows = context.inputs[0]!.data.length / weight.inner;
  const target = context.buffer(0, context.seeds * rows * weight.inner);
  backwardProduct(context.outputAdjoint, weight, target, context.seeds * rows);
  return [target];
}

export const Gemm: OperatorRule = {
  constantInputs: [1, 2],
  forward(inputs, context) {
    const { node } = context;
    const a = requireInput(inputs, 0, node);
    if (numberAttribute(node, 'transA', 0) !== 0) throw unsupportedUse(node, 'has transA=1 (the batch must be the first axis)');
    const weight = context.memo('weight', () => layerWeight(requireInput(inputs, 1, node), numberAttribute(node, 'transB', 0) !== 0, numberAttribute(node, 'alpha', 1), node));
    const bias = context.memo('bias', () => biasVector(inputs[2], numberAttribute(node, 'beta', 1), weight.cols, node));
    if (a.dims.length !== 2) throw unsupportedUse(node, `has an input of shape ${dimsText(a.dims)} (Gemm needs a matrix)`);
    const rows = rowsOf(a, weight.inner, node);
    const y = context.buffer(0, rows * weight.cols);
    forwardProduct(a.data, weight, y, rows, bias);
    return [{ dims: [rows, weight.cols], data: y }];
  },
  backward: backwardThroughWeight,
};

export const MatMul: OperatorRule = {
  constantInputs: [1],
  forward(inputs, context) {
    const { node } = context;
    const a = requireInput(inputs, 0, node);
    const weight = context.memo('weight', () => layerWeight(requireInput(inputs, 1, node), false, 1, node));
    const rows = rowsOf(a, weight.inner, node);
    const y = context.buffer(0, rows * weight.cols);
    forwardProduct(a.data, weight, y, rows, null);
    return [{ dims: [...a.dims.slice(0, -1), weight.cols], data: y }];
  },
  backward: backwardThroughWeight,
};
