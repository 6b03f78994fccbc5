// The Float32 training network: the same network, API and parameter layout as TrainingNetwork
// (../network.ts), with the dense products, ReLU and sums done by WebAssembly SIMD kernels on
// float32 copies of the weights. Mixed precision: the master parameters and the gradients handed to
// Adam stay Float64 (exposed exactly as TrainingNetwork's), the float32 weights are refreshed from
// them at every forward pass, and all float32 arithmetic has a fixed order, so training is
// bitwise reproducible. Every width is padded to a multiple of 4 inside the kernel memory (padding
// entries are zero and stay zero), which keeps the SIMD loops free of tails.
import { InvalidArgumentError } from '../../linalg/errors.ts';
import type { Random } from '../../linalg/random.ts';
import type { DenseLayer } from '../../model/mlp-spec.ts';
import { checkArchitecture, denseLayersOf, predictInChunks, type NetworkArchitecture, type TrainableNetwork } from '../network.ts';
import { createFloat32Kernels, type Float32Kernels } from './kernels.ts';

const FLOAT = 4;
const ALIGN = 16;

function padded(width: number): number {
  return Math.ceil(width / 4) * 4;
}

/** One dense layer: true and padded sizes, master (float64) offsets and kernel-memory addresses. */
interface Float32Layer {
  inputs: number;
  outputs: number;
  inputsPadded: number;
  outputsPadded: number;
  weightOffset: number; // master layout: outputs×inputs, then bias
  biasOffset: number;
  weightTransposed: number; // address of inputsPadded×outputsPadded Wᵀ
  weight: number; // address of outputsPadded×inputsPadded W (for input gradients)
  bias: number;
  weightTransposedGradient: number;
  biasGradient: number;
}

/** Bump allocator over the kernel memory (16-byte aligned addresses). */
class Layout {
  size = ALIGN; // address 0 unused
  take(floats: number): number {
    const address = this.size;
    this.size += Math.ceil((floats * FLOAT) / ALIGN) * ALIGN;
    return address;
  }
}

export class Float32TrainingNetwork implements TrainableNetwork {
  readonly precision = 'float32' as const;
  readonly architecture: NetworkArchitecture;
  readonly parameters: Float64Array;
  readonly gradients: Float64Array;
  readonly maxBatch: number;

  private readonly kernels: Float32Kernels;
  private readonly memory: Float32Array;
  private readonly layers: Float32Layer[];
  private readonly skip: Float32Layer | null;
  private readonly dropout: number;
  private readonly input: number;
  private readonly preActivations: number[];
  private readonly activations: number[];
  private readonly masks: Float32Array[];
  private readonly residualSum: number;
  private readonly output: number;
  private readonly deltaA: number;
  private readonly deltaB: number;
  private readonly inputGradient: number;
  private readonly skipInputGradient: number;
  private readonly ones: number;
  private readonly zeros: number;
  private readonly outputValues: Float64Array;
  private readonly inputGradientValues: Float64Array;
  private lastBatch = 0;
  private lastTraining = false;

  constructor(architecture: NetworkArchitecture, maxBatch: number) {
    checkArchitecture(architecture);
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new InvalidArgumentError(`maxBatch must be a positive integer, got ${maxBatch}`);
    this.architecture = { ...architecture, hidden: [...architecture.hidden] };
    this.maxBatch = maxBatch;
    this.dropout = architecture.dropout ?? 0;
    const widths = [architecture.inputs, ...architecture.hidden, architecture.outputs];
    const layout = new Layout();
    let offset = 0;
    const makeLayer = (inputs: number, outputs: number): Float32Layer => {
      const inputsPadded = padded(inputs), outputsPadded = padded(outputs);
      const layer: Float32Layer = {
        inputs, outputs, inputsPadded, outputsPadded,
        weightOffset: offset, biasOffset: offset + inputs * outputs,
        weightTransposed: layout.take(inputsPadded * outputsPadded),
        weight: layout.take(inputsPadded * outputsPadded),
        bias: layout.take(outputsPadded),
        weightTransposedGradient: layout.take(inputsPadded * outputsPadded),
        biasGradient: layout.take(outputsPadded),
      };
      offset = layer.biasOffset + outputs;
      return layer;
    };
    this.layers = [];
    for (let l = 0; l + 1 < widths.length; l++) this.layers.push(makeLayer(widths[l], widths[l + 1]));
    const lastHidden = architecture.hidden[architecture.hidden.length - 1];
    this.skip = architecture.kind === 'resmlp' ? makeLayer(architecture.inputs, lastHidden) : null;
    this.parameters = new Float64Array(offset);
    this.gradients = new Float64Array(offset);
    const maxPadded = Math.max(...widths.map(padded));
    this.input = layout.take(maxBatch * padded(architecture.inputs));
    this.preActivations = architecture.hidden.map((width) => layout.take(maxBatch * padded(width)));
    this.activations = architecture.hidden.map((width) => layout.take(maxBatch * padded(width)));
    this.residualSum = layout.take(maxBatch * padded(lastHidden));
    this.output = layout.take(maxBatch * padded(architecture.outputs));
    this.deltaA = layout.take(maxBatch * maxPadded);
    this.deltaB = layout.take(maxBatch * maxPadded);
    this.inputGradient = layout.take(maxBatch * padded(architecture.inputs));
    this.skipInputGradient = layout.take(maxBatch * padded(architecture.inputs));
    this.ones = layout.take(maxBatch);
    this.zeros = layout.take(maxPadded);
    this.kernels = createFloat32Kernels(layout.size);
    this.memory = new Float32Array(this.kernels.memory.buffer);
    this.memory.fill(1, this.ones / FLOAT, this.ones / FLOAT + maxBatch);
    this.masks = architecture.hidden.map((width) => new Float32Array(this.dropout > 0 ? maxBatch * width : 0));
    this.outputValues = new Float64Array(maxBatch * architecture.outputs);
    this.inputGradientValues = new Float64Array(maxBatch * architecture.inputs);
  }

  /** PyTorch nn.Linear's default initialization (same draws, same order as TrainingNetwork). */
  initialize(random: Random): void {
    const slots = this.skip ? [...this.layers, this.skip] : this.layers;
    for (const slot of slots) {
      const bound = 1 / Math.sqrt(slot.inputs);
      const end = slot.biasOffset + slot.outputs;
      for (let k = slot.weightOffset; k < end; k++) this.parameters[k] = random.between(-bound, bound);
    }
  }

  /** Copy the float64 master parameters into the kernel memory as float32 Wᵀ, W and b (padded). */
  private syncWeights(): void {
    const memory = this.memory, p = this.parameters;
    const slots = this.skip ? [...this.layers, this.skip] : this.layers;
    for (const slot of slots) {
      const { inputs, outputs, inputsPadded, outputsPadded } = slot;
      const transposed = slot.weightTransposed / FLOAT, plain = slot.weight / FLOAT, bias = slot.bias / FLOAT;
      // Two passes, each writing its destination contiguously.
      for (let o = 0; o < outputs; o++) {
        const row = slot.weightOffset + o * inputs, to = plain + o * inputsPadded;
        for (let i = 0; i < inputs; i++) memory[to + i] = p[row + i];
        memory[bias + o] = p[slot.biasOffset + o];
      }
      for (let i = 0; i < inputs; i++) {
        const to = transposed + i * outputsPadded;
        for (let o = 0, from = slot.weightOffset + i; o < outputs; o++, from += inputs) memory[to + o] = p[from];
      }
    }
  }

  forward(x: Float64Array, batch: number, training = false, random?: Random): Float64Array {
    if (batch < 1 || batch > this.maxBatch) throw new InvalidArgumentError(`batch must be in [1, ${this.maxBatch}], got ${batch}`);
    const { inputs, activation } = this.architecture;
    const useDropout = training && this.dropout > 0;
    if (useDropout && !random) throw new InvalidArgumentError('forward in training mode with dropout needs a seeded Random');
    this.syncWeights();
    const memory = this.memory, kernels = this.kernels;
    const inputsPadded = padded(inputs);
    const inputBase = this.input / FLOAT;
    for (let b = 0; b < batch; b++) for (let i = 0; i < inputs; i++) memory[inputBase + b * inputsPadded + i] = x[b * inputs + i];
    this.lastBatch = batch;
    this.lastTraining = useDropout;
    let layerInput = this.input, layerWidth = inputsPadded;
    const hiddenCount = this.layers.length - 1;
    for (let l = 0; l < hiddenCount; l++) {
      const slot = this.layers[l];
      const pre = this.preActivations[l], act = this.activations[l];
      kernels.gemm(layerInput, layerWidth * FLOAT, FLOAT, slot.weightTransposed, pre, slot.bias, batch, layerWidth, slot.outputsPadded);
      const count = batch * slot.outputsPadded;
      if (activation === 'relu') kernels.relu(pre, act, count);
      else for (let k = 0, from = pre / FLOAT, to = act / FLOAT; k < count; k++) memory[to + k] = Math.tanh(memory[from + k]);
      if (useDropout) this.applyDropout(l, batch, random!);
      layerInput = act;
      layerWidth = slot.outputsPadded;
    }
    if (this.skip) {
      const skip = this.skip;
      kernels.gemm(this.input, inputsPadded * FLOAT, FLOAT, skip.weightTransposed, this.residualSum, skip.bias, batch, inputsPadded, skip.outputsPadded);
      kernels.addInto(layerInput, this.residualSum, batch * skip.outputsPadded);
      layerInput = this.residualSum;
    }
    const last = this.layers[hiddenCount];
    kernels.gemm(layerInput, layerWidth * FLOAT, FLOAT, last.weightTransposed, this.output, last.bias, batch, layerWidth, last.outputsPadded);
    const outputBase = this.output / FLOAT, out = this.outputValues;
    for (let b = 0; b < batch; b++) for (let o = 0; o < last.outputs; o++) out[b * last.outputs + o] = memory[outputBase + b * last.outputsPadded + o];
    return out.subarray(0, batch * last.outputs);
  }

  /** Inverted dropout on hidden layer l (true entries only, row-major, one uniform draw each). */
  private applyDropout(l: number, batch: number, random: Random): void {
    const width = this.architecture.hidden[l], widthPadded = padded(width);
    const keepScale = Math.fround(1 / (1 - this.dropout));
    const mask = this.masks[l], act = this.activations[l] / FLOAT, memory = this.memory;
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < width; j++) {
        const keep = random.uniform() >= this.dropout ? keepScale : 0;
        mask[b * width + j] = keep;
        memory[act + b * widthPadded + j] *= keep;
      }
    }
  }

  backward(outputGradient: Float64Array, options: { inputGradient?: boolean; parameterGradients?: boolean } = {}): Float64Array | null {
    const wantInput = options.inputGradient ?? false;
    const wantParameters = options.parameterGradients ?? true;
    const batch = this.lastBatch;
    if (batch === 0) throw new InvalidArgumentError('backward() called before forward()');
    const memory = this.memory, kernels = this.kernels;
    const hiddenCount = this.layers.length - 1;
    const { outputs, inputs, activation } = this.architecture;
    const last = this.layers[hiddenCount];
    let delta = this.deltaA, spare = this.deltaB;
    const deltaBase = delta / FLOAT;
    for (let b = 0; b < batch; b++) {
      for (let o = 0; o < last.outputsPadded; o++) memory[deltaBase + b * last.outputsPadded + o] = o < outputs ? outputGradient[b * outputs + o] : 0;
    }
    const inputsPadded = padded(inputs);
    for (let l = hiddenCount; l >= 0; l--) {
      const slot = this.layers[l];
      const layerInput = l === 0 ? this.input : l === hiddenCount && this.skip ? this.residualSum : this.activations[l - 1];
      if (wantParameters) this.parameterGradient(slot, layerInput, delta, batch);
      if (l === 0 && !wantInput) break;
      const target = l === 0 ? this.inputGradient : spare;
      kernels.gemm(delta, slot.outputsPadded * FLOAT, FLOAT, slot.weight, target, this.zeros, batch, slot.outputsPadded, slot.inputsPadded);
      if (l === 0) break;
      if (l === hiddenCount && this.skip) {
        const skip = this.skip;
        if (wantParameters) this.parameterGradient(skip, this.input, target, batch);
        if (wantInput) kernels.gemm(target, skip.outputsPadded * FLOAT, FLOAT, skip.weight, this.skipInputGradient, this.zeros, batch, skip.outputsPadded, inputsPadded);
      }
      const width = this.layers[l - 1].outputs, widthPadded = this.layers[l - 1].outputsPadded;
      const count = batch * widthPadded;
      if (this.lastTraining) {
        const mask = this.masks[l - 1], base = target / FLOAT;
        for (let b = 0; b < batch; b++) for (let j = 0; j < width; j++) memory[base + b * widthPadded + j] *= mask[b * width + j];
      }
      if (activation === 'relu') {
        kernels.reluBackward(this.preActivations[l - 1], target, count);
      } else {
        const gradient = target / FLOAT, pre = this.preActivations[l - 1] / FLOAT, act = this.activations[l - 1] / FLOAT;
        for (let k = 0; k < count; k++) {
          const t = this.lastTraining ? Math.tanh(memory[pre + k]) : memory[act + k];
          memory[gradient + k] *= 1 - t * t;
        }
      }
      const swap = delta; delta = spare; spare = swap;
    }
    if (wantParameters) this.collectGradients();
    if (!wantInput) return null;
    if (this.skip) kernels.addInto(this.skipInputGradient, this.inputGradient, batch * inputsPadded);
    const base = this.inputGradient / FLOAT, out = this.inputGradientValues;
    for (let b = 0; b < batch; b++) for (let i = 0; i < inputs; i++) out[b * inputs + i] = memory[base + b * inputsPadded + i];
    return out.subarray(0, batch * inputs);
  }

  /** dWᵀ = inputᵀ·Δ and db = 1ᵀ·Δ into the slot's float32 gradient buffers. */
  private parameterGradient(slot: Float32Layer, layerInput: number, delta: number, batch: number): void {
    this.kernels.gemm(layerInput, FLOAT, slot.inputsPadded * FLOAT, delta, slot.weightTransposedGradient, this.zeros, slot.inputsPadded, batch, slot.outputsPadded);
    this.kernels.gemm(this.ones, 0, FLOAT, delta, slot.biasGradient, this.zeros, 1, batch, slot.outputsPadded);
  }

  /** Float32 gradients (Wᵀ layout, padded) → the float64 master layout (W: outputs×inputs, then bias). */
  private collectGradients(): void {
    const memory = this.memory, g = this.gradients;
    const slots = this.skip ? [...this.layers, this.skip] : this.layers;
    for (const slot of slots) {
      const base = slot.weightTransposedGradient / FLOAT, biasBase = slot.biasGradient / FLOAT;
      for (let o = 0; o < slot.outputs; o++) {
        const row = slot.weightOffset + o * slot.inputs;
        for (let i = 0; i < slot.inputs; i++) g[row + i] = memory[base + i * slot.outputsPadded + o];
        g[slot.biasOffset + o] = memory[biasBase + o];
      }
    }
  }

  predict(x: Float64Array, rows: number): Float64Array {
    return predictInChunks(this, x, rows);
  }

  /** The dense layers as plain data: the float64 master weights (what was trained). */
  denseLayers(): { layers: DenseLayer[]; skip?: DenseLayer } {
    return denseLayersOf(this.parameters, this.layers, this.skip);
  }
}
