// The Float32 backend of the dense-network kernel (dense-network.ts): the dense products, ReLU and
// sums run as WebAssembly SIMD kernels (linalg/gemm/wasm-float32.ts) on float32 copies of the
// weights, or on their JS twin (linalg/gemm/js-float32.ts: the same bits, without WebAssembly). Mixed precision: the master parameters and the gradients handed to Adam stay Float64,
// the float32 weights are refreshed from them at every forward pass, and all float32 arithmetic has
// a fixed order, so training is bitwise reproducible. Every width is padded to a multiple of 4
// inside the kernel memory (padding entries are zero and stay zero), which keeps the SIMD loops
// free of tails. Activations other than ReLU run on Float32Array views with the activation table.
import { createFloat32KernelsJs, createFloat32Kernels, type Float32Kernels, type Random } from '../linalg/index.ts';
import { activationBackward, activationParameterOrDefault, applyActivation } from './activations.ts';
import { drawDropout, maskGradient, parameterLayout, type DenseArchitecture, type DenseBackend, type DenseWorkspace, type ParameterSlot } from './dense-network.ts';

const FLOAT = 4;
const ALIGN = 16;

function padded(width: number): number {
  return Math.ceil(width / 4) * 4;
}

/** One dense layer: true and padded sizes, master (float64) offsets and kernel-memory addresses. */
export interface Float32Layer extends ParameterSlot {
  inputsPadded: number;
  outputsPadded: number;
  weightTransposed: number; // address of inputsPadded×outputsPadded Wᵀ
  weight: number; // address of outputsPadded×inputsPadded W (for input cotangents)
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

export class Float32DenseBackend implements DenseBackend<number, Float32Layer> {
  readonly layers: Float32Layer[];
  readonly skip: Float32Layer | null;
  readonly workspace: DenseWorkspace<number>;
  private readonly kernels: Float32Kernels;
  private readonly memory: Float32Array;
  private readonly activation: DenseArchitecture['activation'];
  private readonly activationParameter: number;
  private readonly masks: Float32Array[];
  private readonly ones: number;
  private readonly zeros: number;
  private readonly views = new Map<number, Float32Array>();

  /** With kernels 'wasm-simd', throws InvalidArgumentError where WebAssembly SIMD cannot be used (see float32KernelsAvailable). */
  constructor(
    private readonly architecture: DenseArchitecture,
    maxBatch: number,
    private readonly parameters: Float64Array,
    private readonly gradients: Float64Array,
    kernels: 'wasm-simd' | 'js' = 'wasm-simd',
  ) {
    const slots = parameterLayout(architecture);
    const layout = new Layout();
    const place = (slot: ParameterSlot): Float32Layer => {
      const inputsPadded = padded(slot.inputs), outputsPadded = padded(slot.outputs);
      return {
        ...slot, inputsPadded, outputsPadded,
        weightTransposed: layout.take(inputsPadded * outputsPadded),
        weight: layout.take(inputsPadded * outputsPadded),
        bias: layout.take(outputsPadded),
        weightTransposedGradient: layout.take(inputsPadded * outputsPadded),
        biasGradient: layout.take(outputsPadded),
      };
    };
    this.layers = slots.layers.map(place);
    this.skip = slots.skip ? place(slots.skip) : null;
    this.activation = architecture.activation;
    this.activationParameter = activationParameterOrDefault(architecture.activation, architecture.activationParameter);
    const { inputs, hidden, outputs } = architecture;
    const lastHidden = hidden[hidden.length - 1];
    const maxPadded = Math.max(padded(inputs), padded(outputs), ...hidden.map(padded));
    const input = layout.take(maxBatch * padded(inputs));
    const preActivations = hidden.map((width) => layout.take(maxBatch * padded(width)));
    const activations = hidden.map((width) => layout.take(maxBatch * padded(width)));
    const residualSum = layout.take(maxBatch * padded(lastHidden));
    const output = layout.take(maxBatch * padded(outputs));
    const deltaA = layout.take(maxBatch * maxPadded);
    const deltaB = layout.take(maxBatch * maxPadded);
    const inputGradient = layout.take(maxBatch * padded(inputs));
    const skipInputGradient = layout.take(maxBatch * padded(inputs));
    this.workspace = { input, preActivations, activations, residualSum: this.skip ? residualSum : null, output, deltaA, deltaB, inputGradient, skipInputGradient };
    this.ones = layout.take(maxBatch);
    this.zeros = layout.take(maxPadded);
    this.kernels = kernels === 'js' ? createFloat32KernelsJs(layout.size) : createFloat32Kernels(layout.size);
    this.memory = new Float32Array(this.kernels.memory.buffer);
    this.memory.fill(1, this.ones / FLOAT, this.ones / FLOAT + maxBatch);
    const dropout = architecture.dropout ?? 0;
    this.masks = hidden.map((width) => new Float32Array(dropout > 0 ? maxBatch * width : 0));
  }

  /** Copy the float64 master parameters into the kernel memory as float32 Wᵀ, W and b (padded). */
  loadParameters(): void {
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

  arrayOf(): Float32Array {
    return this.memory;
  }

  offsetOf(address: number): number {
    return address / FLOAT;
  }

  strideOf(width: number): number {
    return padded(width);
  }

  affine(out: number, input: number, layer: Float32Layer, batch: number): void {
    this.kernels.gemm(input, layer.inputsPadded * FLOAT, FLOAT, layer.weightTransposed, out, layer.bias, batch, layer.inputsPadded, layer.outputsPadded);
  }

  inputCotangent(out: number, delta: number, layer: Float32Layer, batch: number): void {
    this.kernels.gemm(delta, layer.outputsPadded * FLOAT, FLOAT, layer.weight, out, this.zeros, batch, layer.outputsPadded, layer.inputsPadded);
  }

  /** dWᵀ = inputᵀ·Δ and db = 1ᵀ·Δ into the slot's float32 gradient buffers. */
  parameterGradient(layer: Float32Layer, input: number, delta: number, batch: number): void {
    this.kernels.gemm(input, FLOAT, layer.inputsPadded * FLOAT, delta, layer.weightTransposedGradient, this.zeros, layer.inputsPadded, batch, layer.outputsPadded);
    this.kernels.gemm(this.ones, 0, FLOAT, delta, layer.biasGradient, this.zeros, 1, batch, layer.outputsPadded);
  }

  /** Float32 gradients (Wᵀ layout, padded) → the float64 master layout (W: outputs×inputs, then bias). */
  storeParameterGradients(): void {
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

  activate(value: number, pre: number, hidden: number, batch: number): void {
    const count = batch * this.layers[hidden].outputsPadded;
    if (this.activation === 'relu') this.kernels.relu(pre, value, count);
    else applyActivation(this.activation, this.view(pre), this.view(value), null, this.activationParameter, count);
  }

  activationBackward(gradient: number, pre: number, value: number | null, hidden: number, batch: number): void {
    const count = batch * this.layers[hidden].outputsPadded;
    if (this.activation === 'relu') this.kernels.reluBackward(pre, gradient, count);
    else activationBackward(this.activation, this.view(pre), value === null ? null : this.view(value), this.view(gradient), this.activationParameter, count);
  }

  /** A Float32Array from byte address `address` to the end of the kernel memory (made once per address; the memory never grows after construction). */
  private view(address: number): Float32Array {
    let view = this.views.get(address);
    if (!view) {
      view = this.memory.subarray(address / FLOAT);
      this.views.set(address, view);
    }
    return view;
  }

  addInto(target: number, source: number, width: number, batch: number): void {
    this.kernels.addInto(source, target, batch * padded(width));
  }

  dropout(hidden: number, batch: number, probability: number, random: Random): void {
    const width = this.architecture.hidden[hidden];
    drawDropout(this.memory, this.workspace.activations[hidden] / FLOAT, padded(width), width, batch, this.masks[hidden], probability, Math.fround(1 / (1 - probability)), random);
  }

  dropoutBackward(hidden: number, gradient: number, batch: number): void {
    const width = this.architecture.hidden[hidden];
    maskGradient(this.memory, gradient / FLOAT, padded(width), width, batch, this.masks[hidden]);
  }
}
