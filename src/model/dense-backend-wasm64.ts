// The Float64 WebAssembly SIMD backend of the dense-network kernel (dense-network.ts), for
// evaluation: the whole chain (weights, block activations, derivatives, sweep buffers) lives in the
// kernels' heap (linalg/kernels: wasm-backend.ts, wasm-module.ts); points go in and results come out
// block by block. Buffers are heap indices (in doubles, even: 16-byte aligned for v128 loads).
// tanh with its derivative runs in WASM, other activations in JS on heap views (the activation
// table). The linear skip of a resmlp is folded into the output layer (y += x·(W_out·S)ᵀ, bias
// W_out·s added to the output bias). After a forward pass with derivatives, jacobian() runs the
// batched Jacobian sweep: reverse mode G ⟵ (G·W_l) ⊙ D_{l−1} with the derivative scaling fused into
// the product's store, or forward mode when there are fewer inputs than outputs. No VJP here:
// training in float64 uses the JS backend (dense-backend-float64.ts), as chosen in train/precision.ts.
import { ProductMode, type WasmKernels, SCALED_ROWS_MODE } from '../linalg/index.ts';
import { applyActivation } from './activations.ts';
import { layerNormForward, type DenseArchitecture, type DenseEvaluator, type DenseWorkspace, type ParameterSlot } from './dense-network.ts';
import type { LayerNorm } from './mlp-spec.ts';

/** Below this many output columns, products use the A·Bᵀ kernel (vectorized along the inner dimension). */
const NARROW_PRODUCT_COLUMNS = 8;

/** Forward mode pushes input directions through the chain, reverse mode output rows back. */
export type JacobianMode = 'forward' | 'reverse';

/** A dense layer as matrices: weight outputs×inputs, its transpose, and bias. */
export interface LayerMatrices {
  inputs: number;
  outputs: number;
  weight: Float64Array;
  weightTransposed: Float64Array;
  bias: Float64Array;
}

/** A matrix M in the heap (indices in doubles) as `product` takes it: M and Mᵀ. */
interface ProductOperand {
  weightAt: number;
  transposedAt: number;
}

/** Where a layer's matrices sit in the heap: W (outputs×inputs), Wᵀ, bias; `backward` is Wᵀ as an operand (G·W = G·(Wᵀ)ᵀ). */
export interface WasmLayerAt extends ParameterSlot, ProductOperand {
  biasAt: number;
  backward: ProductOperand;
  /** γ of the layer's normalization (−1 without one). */
  normScaleAt: number;
}

/** The weights as one array copied to the heap's start, and where each part is. */
export interface WasmLayout {
  data: Float64Array;
  size: number;
  layers: WasmLayerAt[];
  /** Output layer; its bias includes W_out · s of a resmlp skip. */
  output: WasmLayerAt;
  /** resmlp: W_out · S (m×n), so y += x · (W_out S)ᵀ; −1 without skip. */
  skipAt: number;
}

/** Lay the weights out once per model (hidden layers, output layer, folded skip). */
export function buildWasmLayout(hidden: readonly LayerMatrices[], norms: readonly (LayerNorm | null)[], output: LayerMatrices, skip: LayerMatrices | null, skipJacobian: Float64Array | null): WasmLayout {
  const parts: Float64Array[] = [];
  let size = 0;
  const place = (values: Float64Array): number => {
    const at = size;
    parts.push(values);
    size += values.length + (values.length & 1);
    return at;
  };
  const placeLayer = (layer: LayerMatrices, bias: Float64Array, norm: LayerNorm | null): WasmLayerAt => {
    const weightAt = place(layer.weight), transposedAt = place(layer.weightTransposed), biasAt = place(bias);
    const normScaleAt = norm ? place(norm.scale) : -1;
    return { inputs: layer.inputs, outputs: layer.outputs, weightOffset: weightAt, biasOffset: biasAt, weightAt, transposedAt, biasAt, backward: { weightAt: transposedAt, transposedAt: weightAt }, normScaleAt };
  };
  const layers = hidden.map((layer, l) => placeLayer(layer, layer.bias, norms[l]));
  const outputBias = Float64Array.from(output.bias);
  if (skip) {
    for (let r = 0; r < output.outputs; r++) {
      for (let k = 0; k < output.inputs; k++) outputBias[r] += output.weight[r * output.inputs + k] * skip.bias[k];
    }
  }
  const outputAt = placeLayer(output, outputBias, null);
  const skipAt = skipJacobian ? place(skipJacobian) : -1;
  const data = new Float64Array(size);
  let at = 0;
  for (const values of parts) { data.set(values, at); at += values.length + (values.length & 1); }
  return { data, size, layers, output: outputAt, skipAt };
}

export class Float64WasmDenseBackend implements DenseEvaluator<number, WasmLayerAt> {
  readonly foldsSkip = true;
  readonly layers: WasmLayerAt[];
  readonly skip: WasmLayerAt | null;
  readonly workspace: DenseWorkspace<number>;
  private readonly activation: DenseArchitecture['activation'];
  private readonly activationParameter: number;
  private readonly derivativesAt: number[];
  private readonly normalizedAt: number[];
  private readonly invStdAt: number[];
  private readonly sweepAt: number[];
  private readonly jacobianAt: number;
  private readonly end: number;
  private heap: Float64Array | null = null;
  // Views of the heap for the JS activations and layer norms (rebuilt when the heap grows).
  private valueViews: Float64Array[] = [];
  private derivativeViews: Float64Array[] = [];
  private normalizedViews: (Float64Array | null)[] = [];
  private invStdViews: (Float64Array | null)[] = [];

  /**
   * Block regions for `block` points after the weights; with `withJacobian` the derivatives, the
   * layer-norm state and the sweep buffers of `mode` too.
   */
  constructor(
    private readonly kernels: WasmKernels,
    private readonly layout: WasmLayout,
    private readonly architecture: DenseArchitecture & { activationParameter: number },
    private readonly norms: readonly (LayerNorm | null)[],
    readonly block: number,
    readonly withJacobian: boolean,
    private readonly mode: JacobianMode,
    private readonly skipJacobian: Float64Array | null,
  ) {
    const { inputs: n, outputs: m } = architecture, hidden = layout.layers;
    this.layers = [...hidden, layout.output];
    this.skip = layout.skipAt >= 0 ? layout.output : null;
    this.activation = architecture.activation;
    this.activationParameter = architecture.activationParameter;
    const maxWidth = hidden.reduce((widest, layer) => Math.max(widest, layer.inputs, layer.outputs), n);
    let end = layout.size;
    const region = (doubles: number): number => { const at = end; end += doubles + (doubles & 1); return at; };
    const input = region(block * n);
    const valuesAt = hidden.map((layer) => region(block * layer.outputs));
    this.derivativesAt = hidden.map((layer) => region(withJacobian ? block * layer.outputs : 0));
    this.normalizedAt = hidden.map((layer, l) => (withJacobian && norms[l] ? region(block * layer.outputs) : -1));
    this.invStdAt = hidden.map((_, l) => (withJacobian && norms[l] ? region(block) : -1));
    const output = region(block * m);
    // Reverse mode stacks m rows per point, forward mode n (whichever is fewer: see jacobianModeFor).
    const sweepRows = mode === 'forward' ? n : m;
    this.sweepAt = [region(withJacobian ? block * sweepRows * maxWidth : 0), region(withJacobian ? block * sweepRows * maxWidth : 0)];
    this.jacobianAt = region(withJacobian ? block * m * n : 0);
    this.end = end;
    this.workspace = { input, preActivations: valuesAt, activations: valuesAt, residualSum: null, output, deltaA: -1, deltaB: -1, inputGradient: -1, skipInputGradient: -1 };
  }

  /** Reserve the heap and copy the weights there unless this model's are still in place. */
  loadParameters(): void {
    const heap = this.kernels.reserve(8 * this.end);
    if (!this.kernels.claim(this.layout)) heap.set(this.layout.data, 0);
    if (heap !== this.heap) {
      this.heap = heap;
      const hidden = this.layout.layers, block = this.block, values = this.workspace.activations;
      this.valueViews = hidden.map((layer, l) => heap.subarray(values[l], values[l] + block * layer.outputs));
      this.derivativeViews = hidden.map((layer, l) => heap.subarray(this.derivativesAt[l], this.derivativesAt[l] + (this.withJacobian ? block * layer.outputs : 0)));
      this.normalizedViews = this.normalizedAt.map((at) => (at >= 0 ? heap.subarray(at) : null));
      this.invStdViews = this.invStdAt.map((at) => (at >= 0 ? heap.subarray(at) : null));
    }
  }

  arrayOf(): Float64Array {
    return this.heap!;
  }

  offsetOf(at: number): number {
    return at;
  }

  strideOf(width: number): number {
    return width;
  }

  /** The last output block (batch×outputs), a view of the heap. */
  readOutput(batch: number): Float64Array {
    const at = this.workspace.output;
    return this.heap!.subarray(at, at + batch * this.architecture.outputs);
  }

  affine(out: number, input: number, layer: WasmLayerAt, batch: number): void {
    product(this.kernels, input, batch, layer.inputs, layer.outputs, layer, out, ProductMode.Bias, layer.biasAt);
  }

  activate(value: number, pre: number, hidden: number, batch: number): void {
    const kernels = this.kernels, layer = this.layout.layers[hidden], size = batch * layer.outputs, norm = this.norms[hidden];
    const withJacobian = this.withJacobian, derivativeAt = this.derivativesAt[hidden];
    if (norm) layerNormForward(norm, this.heap!, pre, batch, layer.outputs, this.normalizedViews[hidden], this.invStdViews[hidden]);
    if (this.activation === 'tanh') kernels.tanh(8 * pre, 8 * value, 8 * derivativeAt, size, withJacobian ? 1 : 0);
    else applyActivation(this.activation, this.valueViews[hidden], this.valueViews[hidden], withJacobian ? this.derivativeViews[hidden] : null, this.activationParameter, size);
    if (norm && withJacobian) kernels.scaleRowGroups(8 * layer.normScaleAt, 0, 8 * derivativeAt, 8 * derivativeAt, batch, 1, layer.outputs); // D ⊙= γ
  }

  addInto(target: number, source: number, width: number, batch: number): void {
    const heap = this.heap!;
    for (let k = 0, count = batch * width; k < count; k++) heap[target + k] += heap[source + k];
  }

  addFoldedSkip(output: number, input: number, batch: number): void {
    const { inputs: n, outputs: m } = this.architecture;
    this.kernels.multiplyTransposed(8 * input, 8 * this.layout.skipAt, 8 * output, batch, n, m, n, n, m, ProductMode.Accumulate, 0);
  }

  /** The Jacobians of the last forward block (`points` points) into out[outOffset…] (MatrixBatch layout). */
  jacobian(out: Float64Array, outOffset: number, points: number): void {
    const { inputs: n, outputs: m } = this.architecture, stride = m * n, heap = this.heap!, jacobianAt = this.jacobianAt;
    if (this.mode === 'forward') {
      this.forwardSweep(points);
      transposeEach(heap, jacobianAt, out, outOffset, points, n, m);
    } else {
      this.reverseSweep(points);
      out.set(heap.subarray(jacobianAt, jacobianAt + points * stride), outOffset);
    }
    if (this.skipJacobian) addToEach(out, outOffset, points, this.skipJacobian);
  }

  /** G[(p, r), j] = W_out[r, j] · D_L[p, j], then G ⟵ (G·W_l) ⊙ D_{l−1}, then J = G·W_1 (at jacobianAt). */
  private reverseSweep(points: number): void {
    const kernels = this.kernels, m = this.architecture.outputs, n = this.architecture.inputs, hidden = this.layout.layers, layerCount = hidden.length;
    const derivativesAt = this.derivativesAt, normalizedAt = this.normalizedAt, invStdAt = this.invStdAt, lastWidth = hidden[layerCount - 1].outputs;
    let current = this.sweepAt[0], other = this.sweepAt[1];
    kernels.scaleRowGroups(8 * this.layout.output.weightAt, 0, 8 * derivativesAt[layerCount - 1], 8 * current, points, m, lastWidth);
    if (normalizedAt[layerCount - 1] >= 0) kernels.layerNormBackward(8 * current, 8 * normalizedAt[layerCount - 1], 8 * invStdAt[layerCount - 1], points, m, lastWidth, 1 / lastWidth);
    for (let l = layerCount - 1; l >= 1; l--) {
      const layer = hidden[l];
      scaledProduct(kernels, current, points, m, layer.outputs, layer.inputs, layer.backward, other, derivativesAt[l - 1]);
      if (normalizedAt[l - 1] >= 0) kernels.layerNormBackward(8 * other, 8 * normalizedAt[l - 1], 8 * invStdAt[l - 1], points, m, layer.inputs, 1 / layer.inputs);
      const swap = current; current = other; other = swap;
    }
    product(kernels, current, points * m, hidden[0].outputs, n, hidden[0].backward, this.jacobianAt, ProductMode.Overwrite, 0);
  }

  /**
   * Forward-mode sweep (cheaper when n < m): the n columns of every point's Jacobian pushed through
   * the chain as rows, G[(p, j), ·] = ∂h_l/∂x_j:  G ⟵ W_1ᵀ per point, then per layer [G ⟵ G·W_lᵀ],
   * [LayerNorm step], G ⟵ G ⊙ D_l; finally Jᵀ = G·W_outᵀ (n×m per point at jacobianAt).
   */
  private forwardSweep(points: number): void {
    const kernels = this.kernels, heap = this.heap!, n = this.architecture.inputs, m = this.architecture.outputs, hidden = this.layout.layers, layerCount = hidden.length;
    const derivativesAt = this.derivativesAt, normalizedAt = this.normalizedAt, invStdAt = this.invStdAt;
    let current = this.sweepAt[0], other = this.sweepAt[1];
    const first = hidden[0], firstWidth = first.outputs;
    if (normalizedAt[0] >= 0) {
      for (let p = 0; p < points; p++) heap.copyWithin(current + p * n * firstWidth, first.transposedAt, first.transposedAt + n * firstWidth);
      kernels.layerNormBackward(8 * current, 8 * normalizedAt[0], 8 * invStdAt[0], points, n, firstWidth, 1 / firstWidth);
      kernels.scaleRowGroups(8 * current, 8 * n * firstWidth, 8 * derivativesAt[0], 8 * current, points, n, firstWidth);
    } else {
      kernels.scaleRowGroups(8 * first.transposedAt, 0, 8 * derivativesAt[0], 8 * current, points, n, firstWidth);
    }
    for (let l = 1; l < layerCount; l++) {
      const layer = hidden[l];
      if (normalizedAt[l] >= 0) {
        // The layer normalization's step comes between the product and the derivative scaling.
        product(kernels, current, points * n, layer.inputs, layer.outputs, layer, other, ProductMode.Overwrite, 0);
        kernels.layerNormBackward(8 * other, 8 * normalizedAt[l], 8 * invStdAt[l], points, n, layer.outputs, 1 / layer.outputs);
        kernels.scaleRowGroups(8 * other, 8 * n * layer.outputs, 8 * derivativesAt[l], 8 * other, points, n, layer.outputs);
      } else {
        scaledProduct(kernels, current, points, n, layer.inputs, layer.outputs, layer, other, derivativesAt[l]);
      }
      const swap = current; current = other; other = swap;
    }
    product(kernels, current, points * n, hidden[layerCount - 1].outputs, m, this.layout.output, this.jacobianAt, ProductMode.Overwrite, 0);
  }
}

/**
 * C (rows×cols, at cAt) ⟵ A (rows×inner, at aAt) · Mᵀ for the layer matrix M (cols×inner):
 * the A·B kernel with B = Mᵀ when C is wide, the A·Bᵀ kernel with B = M when it is narrow.
 */
function product(kernels: WasmKernels, aAt: number, rows: number, inner: number, cols: number, matrix: ProductOperand, cAt: number, mode: ProductMode, biasAt: number): void {
  if (cols >= NARROW_PRODUCT_COLUMNS) kernels.multiply(8 * aAt, 8 * matrix.transposedAt, 8 * cAt, rows, inner, cols, inner, cols, cols, mode, 8 * biasAt);
  else kernels.multiplyTransposed(8 * aAt, 8 * matrix.weightAt, 8 * cAt, rows, inner, cols, inner, inner, cols, mode, 8 * biasAt);
}

/**
 * C ⟵ (A · Mᵀ) ⊙ D per group: `groups` groups of groupRows rows of A (groups·groupRows × inner, at
 * aAt), each product row scaled entrywise by its group's row of D (groups × cols, at scaleAt) — the
 * sweep step G ⟵ (G·W) ⊙ D. Wide C: the scaling fused into multiply's store (mode 3); narrow C: the
 * A·Bᵀ kernel, then scaleRowGroups. Both write the same bits.
 */
function scaledProduct(kernels: WasmKernels, aAt: number, groups: number, groupRows: number, inner: number, cols: number, matrix: ProductOperand, cAt: number, scaleAt: number): void {
  if (cols >= NARROW_PRODUCT_COLUMNS) {
    kernels.multiply(8 * aAt, 8 * matrix.transposedAt, 8 * cAt, groups * groupRows, inner, cols, inner, cols, cols, SCALED_ROWS_MODE, 8 * scaleAt, groupRows);
  } else {
    product(kernels, aAt, groups * groupRows, inner, cols, matrix, cAt, ProductMode.Overwrite, 0);
    kernels.scaleRowGroups(8 * cAt, 8 * groupRows * cols, 8 * scaleAt, 8 * cAt, groups, groupRows, cols);
  }
}

/**
 * The forward sweep's Jᵀ per point (n×m each, at heap[from…]) transposed into the batch layout
 * (m×n each, at out[outOffset…]). Its own function: its loop gets its own type feedback, whichever
 * Jacobian mode ran first.
 */
function transposeEach(heap: Float64Array, from: number, out: Float64Array, outOffset: number, points: number, n: number, m: number): void {
  const stride = m * n;
  for (let p = 0; p < points; p++) {
    const at = from + p * stride, to = outOffset + p * stride;
    for (let r = 0; r < m; r++) for (let j = 0; j < n; j++) out[to + r * n + j] = heap[at + j * m + r];
  }
}

/** out[offset + p·|matrix| + k] += matrix[k] for `points` consecutive copies (the constant skip Jacobian). */
function addToEach(out: Float64Array, offset: number, points: number, matrix: Float64Array): void {
  const size = matrix.length;
  for (let p = 0; p < points; p++) {
    const at = offset + p * size;
    for (let k = 0; k < size; k++) out[at + k] += matrix[k];
  }
}
