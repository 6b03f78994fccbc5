// THE dense-network kernel: an MLP or residual MLP (hidden layers act(W·h + b), a linear output
// layer, for 'resmlp' a linear skip from the input added to the last hidden layer) evaluated on a
// batch with the pre-activations cached (denseForward), and differentiated backwards (VJP,
// DenseNetwork.backward): weight and bias gradients for training, the cotangent of the input on
// request (to push the consistency loss of an inverse net through a frozen forward net). The
// algorithm is written once, here; the arithmetic comes from a backend of one precision and engine
// (gl-matrix style ops on preallocated buffers), whose products are the GEMMs of linalg/kernels:
//   dense-backend-float64.ts   Float64, JS GEMM (js-backend.ts): training, and MlpModel's fallback
//                              with its batched reverse-sweep Jacobian
//   dense-backend-wasm64.ts    Float64, WebAssembly SIMD (wasm-module.ts), heap-resident: MlpModel's
//                              evaluation and batched Jacobians (reverse or forward mode); no VJP
//   dense-backend-float32.ts   Float32, WebAssembly SIMD (wasm-float32.ts) or its bit-identical JS
//                              twin (js-float32.ts): float32 training with float64 master weights
// Activations come from the one table (activations.ts). Jacobians are float64 only (by design:
// analysis runs in float64, whatever precision trained the weights).
//
// Parameters live in ONE flat Float64Array (so Adam updates them in one loop): per layer the weight
// (outputs×inputs, row-major) then the bias; hidden layers, the output layer, then the skip.
// Dropout (inverted: kept units scaled by 1/(1 − p)) is applied only when forward() is called with
// `training = true`; every evaluation, export and differentiation of a trained model runs with it off.
import { InvalidArgumentError } from '../core/index.ts';
import type { Random } from '../linalg/index.ts';
import type { ActivationArray } from './activations.ts';
import type { Activation, DenseLayer, LayerNorm } from './mlp-spec.ts';

export interface DenseArchitecture {
  /** 'resmlp' adds a linear skip from the input to the last hidden layer (the reference shape). */
  kind: 'mlp' | 'resmlp';
  inputs: number;
  /** Widths of the hidden layers, e.g. [64, 64]; at least one. */
  hidden: number[];
  outputs: number;
  activation: Activation;
  /** LeakyReLU slope or ELU alpha (activations.ts defaults when absent). */
  activationParameter?: number;
  /** Dropout probability on hidden activations in training mode, in [0, 1). Default 0. */
  dropout?: number;
}

/** Where one dense layer's weight (outputs×inputs, row-major) and bias live in the flat parameter vector. */
export interface ParameterSlot {
  inputs: number;
  outputs: number;
  weightOffset: number;
  biasOffset: number;
}

/** The slots of every layer (hidden…, output) and of the skip, and the parameter count. */
export interface ParameterLayout {
  layers: ParameterSlot[];
  skip: ParameterSlot | null;
  size: number;
}

export function parameterLayout(architecture: DenseArchitecture): ParameterLayout {
  const widths = [architecture.inputs, ...architecture.hidden, architecture.outputs];
  let offset = 0;
  const slot = (inputs: number, outputs: number): ParameterSlot => {
    const placed = { inputs, outputs, weightOffset: offset, biasOffset: offset + inputs * outputs };
    offset = placed.biasOffset + outputs;
    return placed;
  };
  const layers: ParameterSlot[] = [];
  for (let l = 0; l + 1 < widths.length; l++) layers.push(slot(widths[l], widths[l + 1]));
  const skip = architecture.kind === 'resmlp' ? slot(architecture.inputs, architecture.hidden[architecture.hidden.length - 1]) : null;
  return { layers, skip, size: offset };
}

/** Copies of the dense layers (and the linear skip) out of a flat parameter vector, for an MlpSpec. */
export function denseLayersOf(parameters: Float64Array, layers: readonly ParameterSlot[], skip: ParameterSlot | null | undefined): { layers: DenseLayer[]; skip?: DenseLayer } {
  const toDense = (slot: ParameterSlot): DenseLayer => ({
    inputs: slot.inputs,
    outputs: slot.outputs,
    weight: parameters.slice(slot.weightOffset, slot.biasOffset),
    bias: parameters.slice(slot.biasOffset, slot.biasOffset + slot.outputs),
  });
  return { layers: layers.map(toDense), ...(skip ? { skip: toDense(skip) } : {}) };
}

/** The backend's buffers, each sized for maxBatch rows: handles B (arrays or kernel-memory addresses). */
export interface DenseWorkspace<B> {
  /** Copy of the last forward input (batch×inputs). */
  input: B;
  /** Per hidden layer: batch×width before and after the activation (after dropout). */
  preActivations: B[];
  activations: B[];
  /** resmlp: last hidden + skip; null for 'mlp'. */
  residualSum: B | null;
  output: B;
  /** Cotangent buffers, batch × widest layer, used in turn. */
  deltaA: B;
  deltaB: B;
  inputGradient: B;
  /** resmlp: the skip's share of inputGradient. */
  skipInputGradient: B;
}

/**
 * What a forward pass needs of a backend, gl-matrix style: op(out, a, b) on the workspace's buffers,
 * nothing allocated per call. Layers L carry the backend's view of a parameter slot.
 */
export interface DenseEvaluator<B, L extends ParameterSlot> {
  /** Hidden layers, then the output layer. */
  readonly layers: readonly L[];
  readonly skip: L | null;
  readonly workspace: DenseWorkspace<B>;
  /** Bring the parameters into the form the products use (float32: rounded, padded copies; WASM: the heap). */
  loadParameters(): void;
  /** The array that holds `buffer` (float64 JS: the buffer itself; float32 and WASM: the kernel memory). */
  arrayOf(buffer: B): ActivationArray;
  /** Index of the buffer's entry (0, 0) in arrayOf(buffer). */
  offsetOf(buffer: B): number;
  /** Row stride of a buffer of `width` columns (float32: padded to a multiple of 4, the padding zero). */
  strideOf(width: number): number;
  /** out = input·Wᵀ + b (batch rows). */
  affine(out: B, input: B, layer: L, batch: number): void;
  /**
   * value = act(pre) for batch rows of hidden layer `hidden` (with its layer normalization first,
   * where the backend has one, and act' kept for a Jacobian when the backend is asked to).
   */
  activate(value: B, pre: B, hidden: number, batch: number): void;
  /** target += source (batch rows of `width`). */
  addInto(target: B, source: B, width: number, batch: number): void;
  /**
   * Evaluation-only backends may fold the linear skip into the output layer (y = W·h + b' + (W·S)·x):
   * then the forward pass calls addFoldedSkip(output, input) instead of building the residual sum.
   */
  readonly foldsSkip?: boolean;
  addFoldedSkip?(output: B, input: B, batch: number): void;
  /** Draw hidden layer l's dropout mask (drawDropout) and apply it to its activations (training backends). */
  dropout?(hidden: number, batch: number, probability: number, random: Random): void;
}

/** A backend that also differentiates backwards (VJP): the training backends. */
export interface DenseBackend<B, L extends ParameterSlot> extends DenseEvaluator<B, L> {
  /** out = delta·W: the cotangent of the layer's input. */
  inputCotangent(out: B, delta: B, layer: L, batch: number): void;
  /** dW = deltaᵀ·input, db = column sums of delta, into the layer's gradient storage. */
  parameterGradient(layer: L, input: B, delta: B, batch: number): void;
  /** Hand the gradients of all layers over to the master gradient vector (float32: widened). */
  storeParameterGradients(): void;
  /** gradient ⊙= act'(pre) of hidden layer `hidden`, from `value` (the unmodified activation output) when given. */
  activationBackward(gradient: B, pre: B, value: B | null, hidden: number, batch: number): void;
  dropout(hidden: number, batch: number, probability: number, random: Random): void;
  /** gradient ⊙= hidden layer l's last dropout mask (maskGradient). */
  dropoutBackward(hidden: number, gradient: B, batch: number): void;
}

/**
 * THE forward pass: `batch` rows of x[offset…] through the hidden layers (pre-activations and
 * activations kept in the workspace), the skip, and the output layer into workspace.output. With
 * dropoutProbability > 0, inverted dropout (masks drawn from `random`) on every hidden layer after
 * its activation.
 */
export function denseForward<B, L extends ParameterSlot>(
  backend: DenseEvaluator<B, L>, x: Float64Array, offset: number, batch: number,
  dropoutProbability = 0, random: Random | null = null,
): void {
  const work = backend.workspace, layers = backend.layers;
  backend.loadParameters();
  // x into the input buffer (row stride of the backend; padding columns stay zero).
  const inputs = layers[0].inputs, input = backend.arrayOf(work.input), base = backend.offsetOf(work.input), stride = backend.strideOf(inputs);
  for (let b = 0; b < batch; b++) for (let i = 0; i < inputs; i++) input[base + b * stride + i] = x[offset + b * inputs + i];
  let source = work.input;
  const hiddenCount = layers.length - 1;
  for (let l = 0; l < hiddenCount; l++) {
    const pre = work.preActivations[l], value = work.activations[l];
    backend.affine(pre, source, layers[l], batch);
    backend.activate(value, pre, l, batch);
    if (dropoutProbability > 0) backend.dropout!(l, batch, dropoutProbability, random!);
    source = value;
  }
  const skip = backend.skip, residual = work.residualSum, folded = backend.foldsSkip === true;
  if (skip && residual !== null && !folded) {
    backend.affine(residual, work.input, skip, batch);
    backend.addInto(residual, source, skip.outputs, batch);
    source = residual;
  }
  backend.affine(work.output, source, layers[hiddenCount], batch);
  if (skip && folded) backend.addFoldedSkip!(work.output, work.input, batch);
}

/**
 * Inverted dropout on `batch` rows of `width` true entries (row stride `stride`, from `offset`):
 * one uniform draw per entry in row-major order, mask (batch×width) = keepScale or 0, values ⊙= mask.
 * The draw order does not depend on the precision, so both backends drop the same units.
 */
export function drawDropout(values: ActivationArray, offset: number, stride: number, width: number, batch: number, mask: ActivationArray, probability: number, keepScale: number, random: Random): void {
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < width; j++) {
      const keep = random.uniform() >= probability ? keepScale : 0;
      mask[b * width + j] = keep;
      values[offset + b * stride + j] *= keep;
    }
  }
}

/** gradient ⊙= mask on the same layout as drawDropout. */
export function maskGradient(gradient: ActivationArray, offset: number, stride: number, width: number, batch: number, mask: ActivationArray): void {
  for (let b = 0; b < batch; b++) for (let j = 0; j < width; j++) gradient[offset + b * stride + j] *= mask[b * width + j];
}

/** The network's forward pass and VJP over a backend: the one implementation of both. */
export class DenseNetwork<B, L extends ParameterSlot> {
  private lastBatch = 0;
  private lastTraining = false;
  private readonly dropout: number;
  private readonly outputValues: Float64Array;
  private readonly inputGradientValues: Float64Array;

  constructor(
    private readonly backend: DenseBackend<B, L>,
    readonly architecture: DenseArchitecture,
    readonly maxBatch: number,
  ) {
    this.dropout = architecture.dropout ?? 0;
    this.outputValues = new Float64Array(maxBatch * architecture.outputs);
    this.inputGradientValues = new Float64Array(maxBatch * architecture.inputs);
  }

  /** Rows of `width` from a backend buffer into out (batch×width float64); returns the view of the rows. */
  private read(buffer: B, width: number, batch: number, out: Float64Array): Float64Array {
    const backend = this.backend, array = backend.arrayOf(buffer), base = backend.offsetOf(buffer), stride = backend.strideOf(width);
    for (let b = 0; b < batch; b++) for (let j = 0; j < width; j++) out[b * width + j] = array[base + b * stride + j];
    return out.subarray(0, batch * width);
  }

  /**
   * Forward pass over `batch` rows of `x` (batch×inputs, row-major). Returns a view of the output
   * (batch×outputs), valid until the next call. With `training` and dropout > 0, a fresh dropout
   * mask is drawn from `random`. `offset`: where row 0 starts in x.
   */
  forward(x: Float64Array, batch: number, training = false, random?: Random, offset = 0): Float64Array {
    if (!(batch >= 1 && batch <= this.maxBatch)) throw new InvalidArgumentError(`batch must be in [1, ${this.maxBatch}], got ${batch}`);
    const useDropout = training && this.dropout > 0;
    if (useDropout && !random) throw new InvalidArgumentError('forward in training mode with dropout needs a seeded Random');
    this.lastBatch = batch;
    this.lastTraining = useDropout;
    denseForward(this.backend, x, offset, batch, useDropout ? this.dropout : 0, random ?? null);
    return this.read(this.backend.workspace.output, this.architecture.outputs, batch, this.outputValues);
  }

  /**
   * Backward pass for the last forward(): `outputGradient` is ∂loss/∂output (batch×outputs).
   * Writes ∂loss/∂parameters into the master gradients (unless `parameterGradients` is false, as for
   * a frozen net) and returns ∂loss/∂input (batch×inputs view, valid until the next call) when asked.
   */
  backward(outputGradient: Float64Array, options: { inputGradient?: boolean; parameterGradients?: boolean } = {}): Float64Array | null {
    const wantInput = options.inputGradient ?? false;
    const wantParameters = options.parameterGradients ?? true;
    const batch = this.lastBatch;
    if (batch === 0) throw new InvalidArgumentError('backward() called before forward()');
    const backend = this.backend, work = backend.workspace, layers = backend.layers, skip = backend.skip;
    const hiddenCount = layers.length - 1;
    let delta = work.deltaA, spare = work.deltaB;
    // ∂loss/∂output into delta (zero in the padding columns of a padded layout).
    const outputs = this.architecture.outputs, deltaArray = backend.arrayOf(delta), deltaBase = backend.offsetOf(delta), stride = backend.strideOf(outputs);
    for (let b = 0; b < batch; b++) {
      for (let o = 0; o < stride; o++) deltaArray[deltaBase + b * stride + o] = o < outputs ? outputGradient[b * outputs + o] : 0;
    }
    // From the output back to the input; `delta` is ∂loss/∂(pre-activation of layer l).
    for (let l = hiddenCount; l >= 0; l--) {
      const layer = layers[l];
      const layerInput = l === 0 ? work.input : l === hiddenCount && work.residualSum !== null ? work.residualSum : work.activations[l - 1];
      if (wantParameters) backend.parameterGradient(layer, layerInput, delta, batch);
      if (l === 0 && !wantInput) break;
      const target = l === 0 ? work.inputGradient : spare;
      backend.inputCotangent(target, delta, layer, batch);
      if (l === 0) break;
      if (l === hiddenCount && skip) {
        // The output layer's input was hidden + skip(x): the same cotangent flows into both.
        if (wantParameters) backend.parameterGradient(skip, work.input, target, batch);
        if (wantInput) backend.inputCotangent(work.skipInputGradient, target, skip, batch);
      }
      // Through dropout and the activation of hidden layer l − 1 (after dropout the stored values
      // are scaled, so the derivative is then taken from the pre-activation).
      if (this.lastTraining) backend.dropoutBackward(l - 1, target, batch);
      backend.activationBackward(target, work.preActivations[l - 1], this.lastTraining ? null : work.activations[l - 1], l - 1, batch);
      const swap = delta; delta = spare; spare = swap;
    }
    if (wantParameters) backend.storeParameterGradients();
    if (!wantInput) return null;
    if (skip) backend.addInto(work.inputGradient, work.skipInputGradient, this.architecture.inputs, batch);
    return this.read(work.inputGradient, this.architecture.inputs, batch, this.inputGradientValues);
  }
}

// ---------------------------------------------------------------------------------------------
// Layer normalization (MlpSpec.layerNorms: before a hidden layer's activation), shared by backends

/**
 * Layer normalization of `points` rows of width `width` at values[start…], in place:
 * v ⟵ γ ⊙ x̂ + β with x̂ = (v − mean v)/√(var v + ε) (biased variance, as ONNX and PyTorch).
 * When asked, keeps x̂ (rows at normalized[0…]) and 1/√(var + ε) (one per row) for the reverse sweep.
 */
export function layerNormForward(norm: LayerNorm, values: Float64Array, start: number, points: number, width: number, normalized: Float64Array | null, invStd: Float64Array | null): void {
  const { scale, bias, epsilon } = norm;
  for (let p = 0; p < points; p++) {
    const offset = start + p * width;
    let sum = 0;
    for (let j = 0; j < width; j++) sum += values[offset + j];
    const mean = sum / width;
    let squares = 0;
    for (let j = 0; j < width; j++) { const c = values[offset + j] - mean; squares += c * c; }
    const inverse = 1 / Math.sqrt(squares / width + epsilon);
    if (invStd) invStd[p] = inverse;
    for (let j = 0; j < width; j++) {
      const hat = (values[offset + j] - mean) * inverse;
      if (normalized) normalized[p * width + j] = hat;
      values[offset + j] = scale[j] * hat + bias[j];
    }
  }
}
