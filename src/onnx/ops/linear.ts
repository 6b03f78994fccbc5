// Gemm and MatMul with a constant weight matrix (the layers of an MLP): y = α·A·B' + β·C.
// Forward and backward are one packed matrix product each over the whole batch (all seeds at once
// in the backward pass: the adjoint is a (seeds·rows)×C matrix, so G·B'ᵀ is a single product).
// The weight is packed once per node (memo) for both directions.
import { UnsupportedOperatorError } from '../errors.ts';
import type { GraphNode } from '../graph.ts';
import { packMatrix, type PackedMatrix } from '../kernels/gemm.ts';
import { multiplyPackedFast as multiplyPacked } from '../kernels/gemm-wasm.ts';
import { dimsText, sizeOf, type Tensor } from '../tensor.ts';
import { numberAttribute, requireInput, type OperatorRule } from './types.ts';

function unsupportedUse(node: GraphNode, what: string): UnsupportedOperatorError {
  return new UnsupportedOperatorError(
    `operator ${node.opType} (node '${node.name}') ${what}; inversa supports ${node.opType} of the input with a constant weight matrix`,
    [node.opType],
  );
}

/** The weight as a logical K×C matrix W' packed for forward (A·W') and backward (G·W'ᵀ) products. */
interface PackedWeight {
  inner: number;
  cols: number;
  forward: PackedMatrix;
  backward: PackedMatrix;
}

/** Pack weight `w` (stored K×C, or C×K when `transposed`) scaled by `alpha`. */
function packWeight(w: Tensor, transposed: boolean, alpha: number, node: GraphNode): PackedWeight {
  if (w.dims.length !== 2) throw unsupportedUse(node, `has a weight of shape ${dimsText(w.dims)} (not a matrix)`);
  const scaled = alpha === 1 ? w.data : w.data.map((v) => v * alpha);
  const [inner, cols] = transposed ? [w.dims[1], w.dims[0]] : [w.dims[0], w.dims[1]];
  return {
    inner,
    cols,
    forward: packMatrix(inner, cols, scaled, transposed),
    // W'ᵀ is C×K: stored row-major exactly when the weight is stored transposed.
    backward: packMatrix(cols, inner, scaled, !transposed),
  };
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

function addBias(y: Float64Array, rows: number, bias: Float64Array | null): void {
  if (!bias) return;
  const cols = bias.length;
  for (let i = 0; i < rows; i++) {
    const offset = i * cols;
    for (let j = 0; j < cols; j++) y[offset + j] += bias[j];
  }
}

export const Gemm: OperatorRule = {
  constantInputs: [1, 2],
  forward(inputs, context) {
    const { node } = context;
    const a = requireInput(inputs, 0, node);
    if (numberAttribute(node, 'transA', 0) !== 0) throw unsupportedUse(node, 'has transA=1 (the batch must be the first axis)');
    const weight = context.memo('weight', () => packWeight(requireInput(inputs, 1, node), numberAttribute(node, 'transB', 0) !== 0, numberAttribute(node, 'alpha', 1), node));
    const bias = context.memo('bias', () => biasVector(inputs[2], numberAttribute(node, 'beta', 1), weight.cols, node));
    if (a.dims.length !== 2) throw unsupportedUse(node, `has an input of shape ${dimsText(a.dims)} (Gemm needs a matrix)`);
    const rows = rowsOf(a, weight.inner, node);
    const y = context.buffer(0, rows * weight.cols);
    multiplyPacked(rows, a.data, 0, weight.forward, y, 0);
    addBias(y, rows, bias);
    return [{ dims: [rows, weight.cols], data: y }];
  },
  backward(context) {
    if (!context.needs[0]) return [];
    const weight = context.memo<PackedWeight>('weight', () => { throw new Error('Gemm backward before forward'); });
    const rows = context.inputs[0]!.data.length / weight.inner;
    const target = context.buffer(0, context.seeds * rows * weight.inner);
    multiplyPacked(context.seeds * rows, context.outputAdjoint, 0, weight.backward, target, 0);
    return [target];
  },
};

export const MatMul: OperatorRule = {
  constantInputs: [1],
  forward(inputs, context) {
    const { node } = context;
    const a = requireInput(inputs, 0, node);
    const weight = context.memo('weight', () => packWeight(requireInput(inputs, 1, node), false, 1, node));
    const rows = rowsOf(a, weight.inner, node);
    const y = context.buffer(0, rows * weight.cols);
    multiplyPacked(rows, a.data, 0, weight.forward, y, 0);
    return [{ dims: [...a.dims.slice(0, -1), weight.cols], data: y }];
  },
  backward(context) {
    if (!context.needs[0]) return [];
    const weight = context.memo<PackedWeight>('weight', () => { throw new Error('MatMul backward before forward'); });
    const rows = context.inputs[0]!.data.length / weight.inner;
    const target = context.buffer(0, context.seeds * rows * weight.inner);
    multiplyPacked(context.seeds * rows, context.outputAdjoint, 0, weight.backward, target, 0);
    return [target];
  },
};
