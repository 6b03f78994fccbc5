// The training-time network: an MLP or residual MLP whose parameters live in ONE flat Float64Array
// (so Adam updates them in one loop), evaluated and differentiated by THE dense-network kernel
// (model/dense-network.ts) in float64 (the JS backend) or float32 (the WebAssembly SIMD backend,
// float64 master weights; see float32/network.ts and precision.ts for the choice). This file adds what
// training needs around the kernel: the architecture check, PyTorch's initialization, predictions
// in chunks and the export of the dense layers. Works in standardized units; scaling/projection live
// in the MlpSpec. Dropout is applied only when forward() is called with `training = true`.
import { InvalidArgumentError } from '../core/index.ts';
import type { Random } from '../linalg/index.ts';
import { Float32DenseBackend, Float64DenseBackend, type DenseArchitecture, denseLayersOf, DenseNetwork, parameterLayout, type ParameterLayout, type ParameterSlot, type DenseLayer } from '../model/index.ts';

/** Hidden activations the trainer differentiates. */
export type TrainingActivation = 'relu' | 'tanh';
export const TRAINING_ACTIVATIONS: readonly TrainingActivation[] = ['relu', 'tanh'];

export interface NetworkArchitecture extends DenseArchitecture {
  activation: TrainingActivation;
}

/** What the trainer needs of a network, in either precision. */
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

/** The training network at `precision` ('float32' needs WebAssembly SIMD: see precision.ts). */
export class TrainingNetwork implements TrainableNetwork {
  readonly architecture: NetworkArchitecture;
  /** All weights and biases, layer after layer (hidden…, output, then skip for 'resmlp'). */
  readonly parameters: Float64Array;
  /** Gradient of the last backward() with respect to `parameters` (same layout). */
  readonly gradients: Float64Array;
  readonly maxBatch: number;
  private readonly layout: ParameterLayout;
  private readonly network: DenseNetwork<unknown, ParameterSlot>;

  /**
   * `options.float32Kernels` picks the float32 arithmetic: WebAssembly SIMD (default) or its JS twin
   * (the same bits, slower; for engines without WebAssembly SIMD and for tests).
   */
  constructor(architecture: NetworkArchitecture, maxBatch: number, readonly precision: 'float64' | 'float32' = 'float64', options: { float32Kernels?: 'wasm-simd' | 'js' } = {}) {
    checkArchitecture(architecture);
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new InvalidArgumentError(`maxBatch must be a positive integer, got ${maxBatch}`);
    this.architecture = { ...architecture, hidden: [...architecture.hidden] };
    this.maxBatch = maxBatch;
    this.layout = parameterLayout(this.architecture);
    this.parameters = new Float64Array(this.layout.size);
    this.gradients = new Float64Array(this.layout.size);
    const backend = precision === 'float32'
      ? new Float32DenseBackend(this.architecture, maxBatch, this.parameters, this.gradients, options.float32Kernels)
      : new Float64DenseBackend(this.architecture, maxBatch, this.parameters, this.gradients);
    this.network = new DenseNetwork<unknown, ParameterSlot>(backend, this.architecture, maxBatch);
  }

  /** PyTorch nn.Linear's default initialization: weight and bias ~ U(−1/√fan_in, 1/√fan_in), layer by layer. */
  initialize(random: Random): void {
    const { layers, skip } = this.layout;
    for (const slot of skip ? [...layers, skip] : layers) {
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
    return this.network.forward(x, batch, training, random);
  }

  /**
   * Backward pass for the last forward(): `outputGradient` is ∂loss/∂output (batch×outputs).
   * Writes ∂loss/∂parameters into `gradients` (unless `parameterGradients` is false, as for a frozen
   * net) and returns ∂loss/∂input (batch×inputs view, valid until the next call) when asked.
   */
  backward(outputGradient: Float64Array, options: { inputGradient?: boolean; parameterGradients?: boolean } = {}): Float64Array | null {
    return this.network.backward(outputGradient, options);
  }

  /** Evaluate many rows (training mode off), in chunks of maxBatch. Returns a new rows×outputs array. */
  predict(x: Float64Array, rows: number): Float64Array {
    const { inputs, outputs } = this.architecture;
    const out = new Float64Array(rows * outputs);
    for (let start = 0; start < rows; start += this.maxBatch) {
      const batch = Math.min(this.maxBatch, rows - start);
      out.set(this.forward(x.subarray(start * inputs, (start + batch) * inputs), batch, false), start * outputs);
    }
    return out;
  }

  /** The dense layers as plain data: copies of the float64 master weights (what was trained), for an MlpSpec. */
  denseLayers(): { layers: DenseLayer[]; skip?: DenseLayer } {
    return denseLayersOf(this.parameters, this.layout.layers, this.layout.skip);
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
