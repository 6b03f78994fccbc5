// The Float64 backend of the dense-network kernel (dense-network.ts): plain TypeScript on the master
// parameters themselves, every product one call of the register-blocked JS GEMM of linalg/kernels
// (C = A·Bᵀ with both operands read along contiguous rows; small operands transposed first, which
// costs O(rows·cols) next to the O(rows·cols·inner) product). Sums run in a fixed order: bitwise
// reproducible.
import { columnSums, multiplyTransposedJs, ProductMode, transposeInto, type Strided } from '../linalg/kernels/index.ts';
import type { Random } from '../linalg/random.ts';
import { activationBackward, activationParameterOrDefault, applyActivation } from './activations.ts';
import { drawDropout, maskGradient, parameterLayout, type DenseArchitecture, type DenseBackend, type DenseWorkspace, type ParameterSlot } from './dense-network.ts';

/** A slot with its operands as strided views of the parameter and gradient vectors (built once). */
export interface Float64Layer extends ParameterSlot {
  /** W (outputs×inputs), a view of the parameters. */
  weightValues: Float64Array;
  /** db, a view of the gradients. */
  biasGradient: Float64Array;
}

export class Float64DenseBackend implements DenseBackend<Float64Array, Float64Layer> {
  readonly layers: Float64Layer[];
  readonly skip: Float64Layer | null;
  readonly workspace: DenseWorkspace<Float64Array>;
  private readonly activation: DenseArchitecture['activation'];
  private readonly activationParameter: number;
  private readonly masks: Float64Array[];
  private readonly transposedLeft: Float64Array; // maxWidth×batch
  private readonly transposedRight: Float64Array; // maxWidth×batch
  private readonly transposedWeight: Float64Array; // maxWidth×maxWidth
  // Operand views re-pointed before each product (no allocation per call).
  private readonly a: Strided = { data: new Float64Array(0), offset: 0, stride: 0 };
  private readonly b: Strided = { data: new Float64Array(0), offset: 0, stride: 0 };
  private readonly c: Strided = { data: new Float64Array(0), offset: 0, stride: 0 };

  constructor(
    private readonly architecture: DenseArchitecture,
    maxBatch: number,
    private readonly parameters: Float64Array,
    private readonly gradients: Float64Array,
  ) {
    const layout = parameterLayout(architecture);
    const withViews = (slot: ParameterSlot): Float64Layer => ({
      ...slot,
      weightValues: parameters.subarray(slot.weightOffset, slot.biasOffset),
      biasGradient: gradients.subarray(slot.biasOffset, slot.biasOffset + slot.outputs),
    });
    this.layers = layout.layers.map(withViews);
    this.skip = layout.skip ? withViews(layout.skip) : null;
    this.activation = architecture.activation;
    this.activationParameter = activationParameterOrDefault(architecture.activation);
    const { inputs, hidden, outputs } = architecture;
    const maxWidth = Math.max(inputs, outputs, ...hidden);
    const dropout = architecture.dropout ?? 0;
    this.workspace = {
      input: new Float64Array(maxBatch * inputs),
      preActivations: hidden.map((width) => new Float64Array(maxBatch * width)),
      activations: hidden.map((width) => new Float64Array(maxBatch * width)),
      residualSum: this.skip ? new Float64Array(maxBatch * this.skip.outputs) : null,
      output: new Float64Array(maxBatch * outputs),
      deltaA: new Float64Array(maxBatch * maxWidth),
      deltaB: new Float64Array(maxBatch * maxWidth),
      inputGradient: new Float64Array(maxBatch * inputs),
      skipInputGradient: new Float64Array(this.skip ? maxBatch * inputs : 0),
    };
    this.masks = hidden.map((width) => new Float64Array(dropout > 0 ? maxBatch * width : 0));
    this.transposedLeft = new Float64Array(maxBatch * maxWidth);
    this.transposedRight = new Float64Array(maxBatch * maxWidth);
    this.transposedWeight = new Float64Array(maxWidth * maxWidth);
  }

  loadParameters(): void {
    // The products read the master parameters directly.
  }

  loadInput(x: Float64Array, batch: number): void {
    const input = this.workspace.input;
    for (let k = 0, count = batch * this.architecture.inputs; k < count; k++) input[k] = x[k];
  }

  readOutput(batch: number): Float64Array {
    return this.workspace.output.subarray(0, batch * this.architecture.outputs);
  }

  loadOutputGradient(gradient: Float64Array, batch: number): void {
    const delta = this.workspace.deltaA;
    for (let k = 0, count = batch * this.architecture.outputs; k < count; k++) delta[k] = gradient[k];
  }

  readInputGradient(batch: number): Float64Array {
    return this.workspace.inputGradient.subarray(0, batch * this.architecture.inputs);
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

  activate(value: Float64Array, pre: Float64Array, width: number, batch: number): void {
    applyActivation(this.activation, pre, value, null, this.activationParameter, batch * width);
  }

  activationBackward(gradient: Float64Array, pre: Float64Array, value: Float64Array | null, width: number, batch: number): void {
    activationBackward(this.activation, pre, value, gradient, this.activationParameter, batch * width);
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
}
