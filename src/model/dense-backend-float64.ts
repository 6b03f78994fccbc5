// The Float64 JS backend of the dense-network kernel (dense-network.ts): plain TypeScript on a flat
// Float64 parameter vector, every product one call of the register-blocked JS GEMM of linalg/kernels
// (C = A·Bᵀ with both operands read along contiguous rows; small operands transposed first, which
// costs O(rows·cols) next to the O(rows·cols·inner) product). Sums run in a fixed order: bitwise
// reproducible. Used by training (float64) and by MlpModel where WebAssembly SIMD is not available;
// for MlpModel it also keeps the activation derivatives (and layer-normalization state) of a
// forward pass and turns them into the batched Jacobian (jacobian()).
import { columnSums, multiplyTransposedJs, ProductMode, type Strided, transposeInto, type Random } from '../linalg/index.ts';
import { activationBackward, activationParameterOrDefault, applyActivation } from './activations.ts';
import { drawDropout, layerNormForward, maskGradient, parameterLayout, type DenseArchitecture, type DenseBackend, type DenseWorkspace, type ParameterSlot } from './dense-network.ts';
import type { LayerNorm } from './mlp-spec.ts';

/** A slot with views of its weight (in the parameters) and bias gradient (in the gradients), built once. */
export interface Float64Layer extends ParameterSlot {
  /** W (outputs×inputs). */
  weightValues: Float64Array;
  /** db. */
  biasGradient: Float64Array;
}

/** What an evaluation-only user (MlpModel) adds: layer norms, derivatives for the Jacobian, in-place activations. */
export interface Float64BackendOptions {
  /** Per hidden layer: its layer normalization before the activation, or null. */
  norms?: readonly (LayerNorm | null)[];
  /** Keep act' per hidden layer (and layer-norm state) so that jacobian() can follow a forward pass. */
  jacobian?: boolean;
  /** resmlp: the constant Jacobian part W_out·S (outputs×inputs), added to every point's Jacobian. */
  skipJacobian?: Float64Array | null;
  /** Write activations over the pre-activations (no VJP needed afterwards). */
  inPlace?: boolean;
}

export class Float64DenseBackend implements DenseBackend<Float64Array, Float64Layer> {
  readonly layers: Float64Layer[];
  readonly skip: Float64Layer | null;
  readonly workspace: DenseWorkspace<Float64Array>;
  /** Keep act' (and layer-norm state) in the next forward passes; needs options.jacobian. */
  keepDerivatives = false;
  private readonly activation: DenseArchitecture['activation'];
  private readonly activationParameter: number;
  private readonly masks: Float64Array[];
  private readonly norms: readonly (LayerNorm | null)[];
  private readonly derivatives: Float64Array[];
  private readonly normalized: (Float64Array | null)[];
  private readonly invStd: (Float64Array | null)[];
  private readonly skipJacobian: Float64Array | null;
  private readonly transposedLeft: Float64Array; // maxWidth×batch
  private readonly transposedRight: Float64Array; // maxWidth×batch
  private readonly transposedWeight: Float64Array; // maxWidth×maxWidth
  /** Per hidden layer Wᵀ, for the Jacobian sweep (computed on the first jacobian()). */
  private weightsTransposed: Float64Array[] | null = null;
  private readonly sweepA: Float64Array;
  private readonly sweepB: Float64Array;
  // Operand views re-pointed before each product (no allocation per call).
  private readonly a: Strided = { data: new Float64Array(0), offset: 0, stride: 0 };
  private readonly b: Strided = { data: new Float64Array(0), offset: 0, stride: 0 };
  private readonly c: Strided = { data: new Float64Array(0), offset: 0, stride: 0 };

  constructor(
    private readonly architecture: DenseArchitecture,
    maxBatch: number,
    private readonly parameters: Float64Array,
    private readonly gradients: Float64Array,
    options: Float64BackendOptions = {},
  ) {
    const layout = parameterLayout(architecture);
    const withViews = (slot: ParameterSlot): Float64Layer => ({
      ...slot,
      weightValues: parameters.subarray(slot.weightOffset, slot.biasOffset),
      biasGradient: gradients.subarray(slot.biasOffset, slot.biasOffset + slot.outputs), // empty without gradients (evaluation only)
    });
    this.layers = layout.layers.map(withViews);
    this.skip = layout.skip ? withViews(layout.skip) : null;
    this.activation = architecture.activation;
    this.activationParameter = activationParameterOrDefault(architecture.activation, architecture.activationParameter);
    const { inputs, hidden, outputs } = architecture;
    const maxWidth = Math.max(inputs, outputs, ...hidden);
    const dropout = architecture.dropout ?? 0;
    const activations = hidden.map((width) => new Float64Array(maxBatch * width));
    const training = !options.inPlace;
    this.workspace = {
      input: new Float64Array(maxBatch * inputs),
      preActivations: options.inPlace ? activations : hidden.map((width) => new Float64Array(maxBatch * width)),
      activations,
      residualSum: this.skip ? new Float64Array(maxBatch * this.skip.outputs) : null,
      output: new Float64Array(maxBatch * outputs),
      deltaA: new Float64Array(training ? maxBatch * maxWidth : 0),
      deltaB: new Float64Array(training ? maxBatch * maxWidth : 0),
      inputGradient: new Float64Array(training ? maxBatch * inputs : 0),
      skipInputGradient: new Float64Array(training && this.skip ? maxBatch * inputs : 0),
    };
    this.masks = hidden.map((width) => new Float64Array(dropout > 0 ? maxBatch * width : 0));
    this.transposedLeft = new Float64Array(training ? maxBatch * maxWidth : 0);
    this.transposedRight = new Float64Array(training ? maxBatch * maxWidth : 0);
    this.transposedWeight = new Float64Array(training ? maxWidth * maxWidth : 0);
    this.norms = options.norms ?? hidden.map(() => null);
    const jacobian = options.jacobian ?? false;
    this.derivatives = hidden.map((width) => new Float64Array(jacobian ? maxBatch * width : 0));
    this.normalized = hidden.map((width, l) => (jacobian && this.norms[l] ? new Float64Array(maxBatch * width) : null));
    this.invStd = hidden.map((_, l) => (jacobian && this.norms[l] ? new Float64Array(maxBatch) : null));
    this.skipJacobian = options.skipJacobian ?? null;
    const hiddenMax = hidden.reduce((widest, width) => Math.max(widest, width), 1);
    this.sweepA = new Float64Array(jacobian ? maxBatch * outputs * hiddenMax : 0);
    this.sweepB = new Float64Array(jacobian ? maxBatch * outputs * hiddenMax : 0);
  }

  loadParameters(): void {
    // The products read the master parameters directly.
  }

  /** The last output block (batch×outputs), a view of the workspace (MlpModel copies it out). */
  readOutput(batch: number): Float64Array {
    return this.workspace.output.subarray(0, batch * this.architecture.outputs);
  }

  arrayOf(buffer: Float64Array): Float64Array {
    return buffer;
  }

  offsetOf(): number {
    return 0;
  }

  strideOf(width: number): number {
    return width;
  }

  /** C (rows×cols) ⟵ A·Bᵀ (+ the bias at b[biasOffset…] unless biasOffset < 0), operands as (array, offset, row stride). */
  private product(
    a: Float64Array, aOffset: number, lda: number, b: Float64Array, bOffset: number, ldb: number,
    c: Float64Array, cOffset: number, ldc: number, rows: number, inner: number, cols: number, biasOffset: number,
  ): void {
    const A = this.a, B = this.b, C = this.c;
    A.data = a; A.offset = aOffset; A.stride = lda;
    B.data = b; B.offset = bOffset; B.stride = ldb;
    C.data = c; C.offset = cOffset; C.stride = ldc;
    if (biasOffset < 0) multiplyTransposedJs(A, B, C, rows, inner, cols, ProductMode.Overwrite, null, 0);
    else multiplyTransposedJs(A, B, C, rows, inner, cols, ProductMode.Bias, b, biasOffset);
  }

  affine(out: Float64Array, input: Float64Array, layer: Float64Layer, batch: number): void {
    this.product(input, 0, layer.inputs, this.parameters, layer.weightOffset, layer.inputs, out, 0, layer.outputs, batch, layer.inputs, layer.outputs, layer.biasOffset);
  }

  inputCotangent(out: Float64Array, delta: Float64Array, layer: Float64Layer, batch: number): void {
    // delta · W computed as delta · (Wᵀ)ᵀ with Wᵀ contiguous.
    transposeInto(layer.weightValues, layer.outputs, layer.inputs, this.transposedWeight);
    this.product(delta, 0, layer.outputs, this.transposedWeight, 0, layer.outputs, out, 0, layer.inputs, batch, layer.outputs, layer.inputs, -1);
  }

  parameterGradient(layer: Float64Layer, input: Float64Array, delta: Float64Array, batch: number): void {
    transposeInto(delta, batch, layer.outputs, this.transposedLeft);
    transposeInto(input, batch, layer.inputs, this.transposedRight);
    this.product(this.transposedLeft, 0, batch, this.transposedRight, 0, batch, this.gradients, layer.weightOffset, layer.inputs, layer.outputs, batch, layer.inputs, -1);
    columnSums(delta, batch, layer.outputs, layer.biasGradient);
  }

  storeParameterGradients(): void {
    // Written in place by parameterGradient.
  }

  activate(value: Float64Array, pre: Float64Array, hidden: number, batch: number): void {
    const width = this.layers[hidden].outputs, norm = this.norms[hidden], keep = this.keepDerivatives;
    if (norm) layerNormForward(norm, pre, 0, batch, width, keep ? this.normalized[hidden] : null, keep ? this.invStd[hidden] : null);
    applyActivation(this.activation, pre, value, keep ? this.derivatives[hidden] : null, this.activationParameter, batch * width);
    if (norm && keep) scaleColumns(this.derivatives[hidden], batch, width, norm.scale);
  }

  activationBackward(gradient: Float64Array, pre: Float64Array, value: Float64Array | null, hidden: number, batch: number): void {
    activationBackward(this.activation, pre, value, gradient, this.activationParameter, batch * this.layers[hidden].outputs);
  }

  addInto(target: Float64Array, source: Float64Array, width: number, batch: number): void {
    for (let k = 0, count = batch * width; k < count; k++) target[k] += source[k];
  }

  dropout(hidden: number, batch: number, probability: number, random: Random): void {
    const width = this.architecture.hidden[hidden];
    drawDropout(this.workspace.activations[hidden], 0, width, width, batch, this.masks[hidden], probability, 1 / (1 - probability), random);
  }

  dropoutBackward(hidden: number, gradient: Float64Array, batch: number): void {
    const width = this.architecture.hidden[hidden];
    maskGradient(gradient, 0, width, width, batch, this.masks[hidden]);
  }

  /**
   * The Jacobians of the last forward pass (run with keepDerivatives) into out[outOffset…]: `points`
   * matrices of outputs×inputs. Reverse sweep over the whole block at once: the m rows of every point
   * are stacked into a (points·m)×width matrix G, G ⟵ W_out ⊙ D_L, then per layer G ⟵ (G·W_l) ⊙ D_{l−1}
   * (with the layer normalization's reverse step where there is one), finally J = G·W_1; the
   * stacking order (point, output row) makes the last product land in the MatrixBatch layout.
   */
  jacobian(out: Float64Array, outOffset: number, points: number): void {
    const { inputs: n, outputs: m } = this.architecture, layers = this.layers, layerCount = layers.length - 1;
    const stride = m * n, output = layers[layerCount];
    if (layerCount === 0) {
      // Affine model: the Jacobian is the output weight everywhere.
      for (let p = 0; p < points; p++) out.set(output.weightValues, outOffset + p * stride);
      return;
    }
    const transposed = (this.weightsTransposed ??= layers.slice(0, layerCount).map((layer) => {
      const values = new Float64Array(layer.inputs * layer.outputs);
      transposeInto(layer.weightValues, layer.outputs, layer.inputs, values);
      return values;
    }));
    const derivatives = this.derivatives, normalized = this.normalized, invStd = this.invStd;
    // G[(p, r), j] = W_out[r, j] · D_L[p, j]
    const lastWidth = output.inputs, outputWeight = output.weightValues;
    let lastDerivative = derivatives[layerCount - 1];
    let current = this.sweepA, other = this.sweepB;
    for (let p = 0; p < points; p++) {
      const derivativeOffset = p * lastWidth;
      for (let r = 0; r < m; r++) {
        const rowOffset = (p * m + r) * lastWidth, weightOffset = r * lastWidth;
        for (let j = 0; j < lastWidth; j++) current[rowOffset + j] = outputWeight[weightOffset + j] * lastDerivative[derivativeOffset + j];
      }
    }
    const lastNormalized = normalized[layerCount - 1], lastInvStd = invStd[layerCount - 1];
    if (lastNormalized && lastInvStd) layerNormBackward(current, points, m, lastWidth, lastNormalized, lastInvStd);
    // G ⟵ (G · W_l) ⊙ D_{l−1}, for l = L … 2.
    for (let l = layerCount - 1; l >= 1; l--) {
      const layer = layers[l], width = layer.inputs;
      this.product(current, 0, layer.outputs, transposed[l], 0, layer.outputs, other, 0, width, points * m, layer.outputs, width, -1);
      lastDerivative = derivatives[l - 1];
      for (let p = 0; p < points; p++) {
        const derivativeOffset = p * width;
        for (let r = 0; r < m; r++) {
          const rowOffset = (p * m + r) * width;
          for (let k = 0; k < width; k++) other[rowOffset + k] *= lastDerivative[derivativeOffset + k];
        }
      }
      const below = normalized[l - 1], belowInvStd = invStd[l - 1];
      if (below && belowInvStd) layerNormBackward(other, points, m, width, below, belowInvStd);
      const swap = current; current = other; other = swap;
    }
    // J = G · W_1, written straight into the batch (rows (p, r) are the batch layout).
    const first = layers[0];
    this.product(current, 0, first.outputs, transposed[0], 0, first.outputs, out, outOffset, n, points * m, first.outputs, n, -1);
    const skipJacobian = this.skipJacobian;
    if (skipJacobian) {
      for (let p = 0; p < points; p++) {
        const offset = outOffset + p * stride;
        for (let k = 0; k < stride; k++) out[offset + k] += skipJacobian[k];
      }
    }
  }
}

/** values[p·width + j] *= scale[j] for `points` rows (folds γ into the activation derivatives). */
function scaleColumns(values: Float64Array, points: number, width: number, scale: Float64Array): void {
  for (let p = 0; p < points; p++) {
    const offset = p * width;
    for (let j = 0; j < width; j++) values[offset + j] *= scale[j];
  }
}

/**
 * Reverse step of layer normalization on the sweep matrix G (points·m rows of width `width`,
 * already scaled by γ): each row g of point p becomes r_p (g − mean g − x̂_p · mean(g ⊙ x̂_p)),
 * the row times ∂x̂/∂z = r (I − 11ᵀ/w − x̂x̂ᵀ/w) (symmetric).
 */
function layerNormBackward(G: Float64Array, points: number, m: number, width: number, normalized: Float64Array, invStd: Float64Array): void {
  for (let p = 0; p < points; p++) {
    const hatOffset = p * width, inverse = invStd[p];
    for (let r = 0; r < m; r++) {
      const offset = (p * m + r) * width;
      let sum = 0, dot = 0;
      for (let j = 0; j < width; j++) { const g = G[offset + j]; sum += g; dot += g * normalized[hatOffset + j]; }
      const mean = sum / width, projection = dot / width;
      for (let j = 0; j < width; j++) G[offset + j] = inverse * (G[offset + j] - mean - normalized[hatOffset + j] * projection);
    }
  }
}
