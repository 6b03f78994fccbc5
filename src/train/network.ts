// The training-time network: an MLP or residual MLP whose parameters live in ONE flat Float64Array
// (so Adam updates them in one loop), with a mini-batch forward pass that caches what the backward
// pass needs, and a backward pass that fills the parameter gradient and, on request, the gradient
// with respect to the network input (needed to push the consistency loss of an inverse net through
// a frozen forward net). Works in standardized units; scaling/projection live in the MlpSpec.
//
// Dropout (inverted: kept units scaled by 1/(1 − p)) is applied only when forward() is called with
// `training = true`. Every evaluation, export and differentiation of a trained model runs with it
// off — the reference project's mistake (Jacobians with dropout on) cannot happen here.
import { InvalidArgumentError } from '../linalg/errors.ts';
import type { Random } from '../linalg/random.ts';
import type { DenseLayer } from '../model/mlp-spec.ts';
import { columnSums, multiplyTransposed, transposeInto } from './kernels.ts';

/** Hidden activations the trainer differentiates. */
export type TrainingActivation = 'relu' | 'tanh';
export const TRAINING_ACTIVATIONS: readonly TrainingActivation[] = ['relu', 'tanh'];

export interface NetworkArchitecture {
  /** 'resmlp' adds a linear skip from the input to the last hidden layer (the reference shape). */
  kind: 'mlp' | 'resmlp';
  inputs: number;
  /** Widths of the hidden layers, e.g. [64, 64]; at least one. */
  hidden: number[];
  outputs: number;
  activation: TrainingActivation;
  /** Dropout probability on hidden activations in training mode, in [0, 1). Default 0. */
  dropout?: number;
}

/** What the trainer needs of a network, implemented in Float64 (TrainingNetwork) and Float32 (float32/network.ts). */
export interface TrainableNetwork {
  readonly precision: 'float64' | 'float32';
  readonly architecture: NetworkArchitecture;
  /** All weights and biases in float64, layer after layer (W outputs×inputs, then bias; hidden…, output, skip). */
  readonly parameters: Float64Array;
  /** Gradient of the last backward() with respect to `parameters`. */
  readonly gradients: Float64Array;
  readonly maxBatch: number;
  initialize(random: Random): void;
  forward(x: Float64Array, batch: number, training?: boolean, random?: Random): Float64Array;
  backward(outputGradient: Float64Array, options?: { inputGradient?: boolean; parameterGradients?: boolean }): Float64Array | null;
  predict(x: Float64Array, rows: number): Float64Array;
  denseLayers(): { layers: DenseLayer[]; skip?: DenseLayer };
}

/** Where one dense layer's weight (out×in) and bias live inside the flat parameter vector. */
interface LayerSlot {
  inputs: number;
  outputs: number;
  weightOffset: number;
  biasOffset: number;
}

export class TrainingNetwork implements TrainableNetwork {
  readonly precision = 'float64' as const;
  readonly architecture: NetworkArchitecture;
  /** All weights and biases, layer after layer (hidden…, output, then skip for 'resmlp'). */
  readonly parameters: Float64Array;
  /** Gradient of the last backward() with respect to `parameters` (same layout). */
  readonly gradients: Float64Array;
  readonly maxBatch: number;

  private readonly layers: LayerSlot[];
  private readonly skip: LayerSlot | null;
  private readonly dropout: number;
  // Per-batch buffers, sized for maxBatch rows.
  private readonly input: Float64Array; // batch×inputs copy of the last forward input
  private readonly preActivations: Float64Array[]; // per hidden layer: batch×width
  private readonly activations: Float64Array[]; // per hidden layer: batch×width (after dropout)
  private readonly masks: Float64Array[]; // per hidden layer: 0 or 1/(1−p)
  private readonly residualSum: Float64Array | null; // resmlp: last hidden + skip
  private readonly output: Float64Array;
  private readonly deltaA: Float64Array; // gradient buffers, batch×maxWidth
  private readonly deltaB: Float64Array;
  private readonly transposedLeft: Float64Array; // maxWidth×batch
  private readonly transposedRight: Float64Array; // maxWidth×batch
  private readonly transposedWeight: Float64Array; // maxWidth×maxWidth
  private readonly inputGradient: Float64Array; // batch×inputs
  private readonly skipInputGradient: Float64Array; // resmlp: the skip's share of inputGradient
  private lastBatch = 0;
  private lastTraining = false;

  constructor(architecture: NetworkArchitecture, maxBatch: number) {
    checkArchitecture(architecture);
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new InvalidArgumentError(`maxBatch must be a positive integer, got ${maxBatch}`);
    this.architecture = { ...architecture, hidden: [...architecture.hidden] };
    this.maxBatch = maxBatch;
    this.dropout = architecture.dropout ?? 0;
    const widths = [architecture.inputs, ...architecture.hidden, architecture.outputs];
    let offset = 0;
    this.layers = [];
    for (let l = 0; l + 1 < widths.length; l++) {
      const slot = { inputs: widths[l], outputs: widths[l + 1], weightOffset: offset, biasOffset: offset + widths[l] * widths[l + 1] };
      offset = slot.biasOffset + slot.outputs;
      this.layers.push(slot);
    }
    const lastHidden = architecture.hidden[architecture.hidden.length - 1];
    if (architecture.kind === 'resmlp') {
      this.skip = { inputs: architecture.inputs, outputs: lastHidden, weightOffset: offset, biasOffset: offset + architecture.inputs * lastHidden };
      offset = this.skip.biasOffset + lastHidden;
    } else {
      this.skip = null;
    }
    this.parameters = new Float64Array(offset);
    this.gradients = new Float64Array(offset);
    const maxWidth = Math.max(...widths);
    this.input = new Float64Array(maxBatch * architecture.inputs);
    this.preActivations = architecture.hidden.map((width) => new Float64Array(maxBatch * width));
    this.activations = architecture.hidden.map((width) => new Float64Array(maxBatch * width));
    this.masks = architecture.hidden.map((width) => new Float64Array(this.dropout > 0 ? maxBatch * width : 0));
    this.residualSum = this.skip ? new Float64Array(maxBatch * lastHidden) : null;
    this.output = new Float64Array(maxBatch * architecture.outputs);
    this.deltaA = new Float64Array(maxBatch * maxWidth);
    this.deltaB = new Float64Array(maxBatch * maxWidth);
    this.transposedLeft = new Float64Array(maxBatch * maxWidth);
    this.transposedRight = new Float64Array(maxBatch * maxWidth);
    this.transposedWeight = new Float64Array(maxWidth * maxWidth);
    this.inputGradient = new Float64Array(maxBatch * architecture.inputs);
    this.skipInputGradient = new Float64Array(this.skip ? maxBatch * architecture.inputs : 0);
  }

  /** PyTorch nn.Linear's default initialization: weight and bias ~ U(−1/√fan_in, 1/√fan_in). */
  initialize(random: Random): void {
    const slots = this.skip ? [...this.layers, this.skip] : this.layers;
    for (const slot of slots) {
      const bound = 1 / Math.sqrt(slot.inputs);
      const end = slot.biasOffset + slot.outputs;
      for (let k = slot.weightOffset; k < end; k++) this.parameters[k] = random.between(-bound, bound);
    }
  }

  /**
   * Forward pass over `batch` rows of `x` (batch×inputs, row-major). Returns a view of the internal
   * output buffer (batch×outputs), valid until the next call. With `training` and dropout > 0, a
   * fresh dropout mask is drawn from `random`.
   */
  forward(x: Float64Array, batch: number, training = false, random?: Random): Float64Array {
    if (batch < 1 || batch > this.maxBatch) throw new InvalidArgumentError(`batch must be in [1, ${this.maxBatch}], got ${batch}`);
    const { inputs } = this.architecture;
    const useDropout = training && this.dropout > 0;
    if (useDropout && !random) throw new InvalidArgumentError('forward in training mode with dropout needs a seeded Random');
    this.input.set(x.subarray(0, batch * inputs));
    this.lastBatch = batch;
    this.lastTraining = useDropout;
    const p = this.parameters;
    let layerInput = this.input;
    const hiddenCount = this.layers.length - 1;
    for (let l = 0; l < hiddenCount; l++) {
      const slot = this.layers[l];
      const pre = this.preActivations[l], act = this.activations[l];
      multiplyTransposed(layerInput, batch, slot.inputs, p.subarray(slot.weightOffset, slot.biasOffset), slot.outputs, pre,
        p.subarray(slot.biasOffset, slot.biasOffset + slot.outputs));
      applyActivation(this.architecture.activation, pre, act, batch * slot.outputs);
      if (useDropout) applyDropout(act, this.masks[l], batch * slot.outputs, this.dropout, random!);
      layerInput = act;
    }
    if (this.skip && this.residualSum) {
      const skip = this.skip, sum = this.residualSum;
      multiplyTransposed(this.input, batch, skip.inputs, p.subarray(skip.weightOffset, skip.biasOffset), skip.outputs, sum,
        p.subarray(skip.biasOffset, skip.biasOffset + skip.outputs));
      const count = batch * skip.outputs;
      for (let k = 0; k < count; k++) sum[k] += layerInput[k];
      layerInput = sum;
    }
    const last = this.layers[hiddenCount];
    multiplyTransposed(layerInput, batch, last.inputs, p.subarray(last.weightOffset, last.biasOffset), last.outputs, this.output,
      p.subarray(last.biasOffset, last.biasOffset + last.outputs));
    return this.output.subarray(0, batch * last.outputs);
  }

  /**
   * Backward pass for the last forward(): `outputGradient` is ∂loss/∂output (batch×outputs).
   * Writes ∂loss/∂parameters into `gradients` (unless `parameterGradients` is false, as for a frozen
   * net) and returns ∂loss/∂input (batch×inputs view, valid until the next call) when asked.
   */
  backward(outputGradient: Float64Array, options: { inputGradient?: boolean; parameterGradients?: boolean } = {}): Float64Array | null {
    const wantInput = options.inputGradient ?? false;
    const wantParameters = options.parameterGradients ?? true;
    const batch = this.lastBatch;
    if (batch === 0) throw new InvalidArgumentError('backward() called before forward()');
    const p = this.parameters;
    const hiddenCount = this.layers.length - 1;
    let delta = this.deltaA, spare = this.deltaB;
    delta.set(outputGradient.subarray(0, batch * this.architecture.outputs));
    // Walk the layers from the output back to the input; `delta` is ∂loss/∂(layer output pre-activation).
    for (let l = hiddenCount; l >= 0; l--) {
      const slot = this.layers[l];
      const layerInput = l === 0 ? this.input : l === hiddenCount && this.residualSum ? this.residualSum : this.activations[l - 1];
      if (wantParameters) this.layerParameterGradient(slot, layerInput, delta, batch);
      if (l === 0 && !wantInput) break;
      // ∂loss/∂(layer input) = delta · W  (computed as delta · (Wᵀ)ᵀ with Wᵀ contiguous).
      transposeInto(p.subarray(slot.weightOffset, slot.biasOffset), slot.outputs, slot.inputs, this.transposedWeight);
      const target = l === 0 ? this.inputGradient : spare;
      multiplyTransposed(delta, batch, slot.outputs, this.transposedWeight, slot.inputs, target, null);
      if (l === 0) break;
      if (l === hiddenCount && this.skip) {
        // The output layer's input was hidden + skip(x): the same gradient flows into both.
        const skip = this.skip;
        if (wantParameters) this.layerParameterGradient(skip, this.input, target, batch);
        if (wantInput) {
          transposeInto(p.subarray(skip.weightOffset, skip.biasOffset), skip.outputs, skip.inputs, this.transposedWeight);
          // The skip's share of ∂loss/∂input; the chain through the hidden layers is added below.
          multiplyTransposed(target, batch, skip.outputs, this.transposedWeight, skip.inputs, this.skipInputGradient, null);
        }
      }
      // Through dropout and the activation of hidden layer l − 1.
      const width = this.layers[l - 1].outputs;
      const count = batch * width;
      if (this.lastTraining) {
        const mask = this.masks[l - 1];
        for (let k = 0; k < count; k++) target[k] *= mask[k];
      }
      activationBackward(this.architecture.activation, this.preActivations[l - 1], this.activations[l - 1], target, count, this.lastTraining);
      const swap = delta; delta = spare; spare = swap;
    }
    if (!wantInput) return null;
    const inputCount = batch * this.architecture.inputs;
    if (this.skip) {
      for (let k = 0; k < inputCount; k++) this.inputGradient[k] += this.skipInputGradient[k];
    }
    return this.inputGradient.subarray(0, inputCount);
  }

  /** dW = deltaᵀ · input and db = column sums of delta, written into `gradients`. */
  private layerParameterGradient(slot: LayerSlot, layerInput: Float64Array, delta: Float64Array, batch: number): void {
    transposeInto(delta, batch, slot.outputs, this.transposedLeft);
    transposeInto(layerInput, batch, slot.inputs, this.transposedRight);
    multiplyTransposed(this.transposedLeft, slot.outputs, batch, this.transposedRight, slot.inputs,
      this.gradients.subarray(slot.weightOffset, slot.biasOffset), null);
    columnSums(delta, batch, slot.outputs, this.gradients.subarray(slot.biasOffset, slot.biasOffset + slot.outputs));
  }

  /** Evaluate many rows (training mode off), in chunks of maxBatch. Returns a new rows×outputs array. */
  predict(x: Float64Array, rows: number): Float64Array {
    return predictInChunks(this, x, rows);
  }

  /** The dense layers as plain data (Float64 copies), for an MlpSpec. */
  denseLayers(): { layers: DenseLayer[]; skip?: DenseLayer } {
    return denseLayersOf(this.parameters, this.layers, this.skip);
  }

}

export function checkArchitecture(architecture: NetworkArchitecture): void {
  const { kind, inputs, hidden, outputs, activation, dropout } = architecture;
  if (kind !== 'mlp' && kind !== 'resmlp') throw new InvalidArgumentError(`arch must be 'mlp' or 'resmlp', got '${kind}'`);
  for (const [name, value] of [['inputs', inputs], ['outputs', outputs]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`network ${name} must be a positive integer, got ${value}`);
  }
  if (!Array.isArray(hidden) || hidden.length === 0 || hidden.some((width) => !Number.isInteger(width) || width < 1)) {
    throw new InvalidArgumentError(`hidden must be one or more positive integer widths (e.g. 64,64), got ${JSON.stringify(hidden)}`);
  }
  if (!TRAINING_ACTIVATIONS.includes(activation)) {
    throw new InvalidArgumentError(`activation must be one of ${TRAINING_ACTIVATIONS.join(', ')}, got '${activation}'`);
  }
  if (dropout !== undefined && !(dropout >= 0 && dropout < 1)) throw new InvalidArgumentError(`dropout must be in [0, 1), got ${dropout}`);
}

function applyActivation(activation: TrainingActivation, pre: Float64Array, out: Float64Array, count: number): void {
  if (activation === 'relu') {
    for (let k = 0; k < count; k++) { const v = pre[k]; out[k] = v > 0 ? v : 0; }
  } else {
    for (let k = 0; k < count; k++) out[k] = Math.tanh(pre[k]);
  }
}

/** Multiply `gradient` in place by the activation's derivative at `pre` (tanh uses 1 − tanh²). */
function activationBackward(activation: TrainingActivation, pre: Float64Array, activated: Float64Array, gradient: Float64Array, count: number, dropped: boolean): void {
  if (activation === 'relu') {
    for (let k = 0; k < count; k++) if (!(pre[k] > 0)) gradient[k] = 0;
  } else if (dropped) {
    // After dropout `activated` holds scaled values; recompute tanh from the pre-activation.
    for (let k = 0; k < count; k++) { const t = Math.tanh(pre[k]); gradient[k] *= 1 - t * t; }
  } else {
    for (let k = 0; k < count; k++) { const t = activated[k]; gradient[k] *= 1 - t * t; }
  }
}

function applyDropout(values: Float64Array, mask: Float64Array, count: number, probability: number, random: Random): void {
  const keepScale = 1 / (1 - probability);
  for (let k = 0; k < count; k++) {
    const keep = random.uniform() >= probability ? keepScale : 0;
    mask[k] = keep;
    values[k] *= keep;
  }
}

/** Where a layer's weight (outputs×inputs, row-major) and bias sit in a flat parameter vector. */
interface ParameterSlot {
  inputs: number;
  outputs: number;
  weightOffset: number;
  biasOffset: number;
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

/** Evaluate many rows with training mode off, in chunks of the network's maxBatch. */
export function predictInChunks(
  network: { architecture: NetworkArchitecture; maxBatch: number; forward(x: Float64Array, batch: number, training: boolean): Float64Array },
  x: Float64Array, rows: number,
): Float64Array {
  const { inputs, outputs } = network.architecture;
  const out = new Float64Array(rows * outputs);
  for (let start = 0; start < rows; start += network.maxBatch) {
    const batch = Math.min(network.maxBatch, rows - start);
    out.set(network.forward(x.subarray(start * inputs, (start + batch) * inputs), batch, false), start * outputs);
  }
  return out;
}
