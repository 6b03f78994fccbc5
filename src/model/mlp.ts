// A dense or residual MLP (MlpSpec) as a Model, with its exact Jacobian for whole batches.
//
// The affine input transform (standardization, projection) is folded into the first layer and the
// affine output transform into the output layer at construction, so a point goes through
//   h_1 = act(W̃_1 x + b̃_1), …, h_L = act(W_L h_{L−1} + b_L) [+ S̃ x + s̃ for resmlp], y = W̃_out h_L + b̃_out
// and its Jacobian is J = W̃_out · D_L · W_L ⋯ D_1 · W̃_1 (+ W̃_out · S̃), D_l = diag(act'(pre_l)).
//
// Evaluation runs on THE dense-network kernel (dense-network.ts: denseForward) over the folded
// layers, in blocks of BLOCK_POINTS points, with one of two Float64 backends that give the same
// numbers (to rounding): with WebAssembly SIMD (dense-backend-wasm64.ts) the whole chain lives in the
// kernels' heap and tanh with its derivative runs there too; otherwise the register-blocked JS
// kernels (dense-backend-float64.ts). Each backend then turns the block's activation derivatives
// into the batched Jacobian: reverse mode stacks the m rows of every point into a (block·m)×width
// matrix G and runs G ⟵ (G·W_l) ⊙ D_{l−1} layer by layer, so the last product lands directly in
// the MatrixBatch layout; the WASM path runs forward mode instead when n < m (jacobianModeFor).
// Workspaces are allocated on first use and reused; the loops allocate nothing.
import { MatrixBatch, activeWasmKernels, type WasmKernels, Matrix } from '../linalg/index.ts';
import { assertFinite, InvalidArgumentError, NonFiniteError, ShapeError, shapeText } from '../core/index.ts';
import { activationParameterOrDefault } from './activations.ts';
import { Float64DenseBackend } from './dense-backend-float64.ts';
import { buildWasmLayout, Float64WasmDenseBackend, type JacobianMode, type WasmLayout } from './dense-backend-wasm64.ts';
import { denseForward, parameterLayout, type DenseArchitecture } from './dense-network.ts';
import { ACTIVATIONS, type Activation, type DenseLayer, type LayerNorm, type MlpSpec } from './mlp-spec.ts';
import { activationInterval, affineInterval, widenOutward } from './intervals.ts';
import type { Bounds, Model, ModelMeta } from './model.ts';

/** Points per block: G then holds BLOCK_POINTS·m·width doubles (128·4·64·8 B = 256 KiB, cache-sized). */
const BLOCK_POINTS = 128;
/** Points per block on the WASM path (tuned with bench/suites/mlp.ts; its heap stays ~1 MB for 64-wide layers). */
const WASM_BLOCK_POINTS = 128;

export type { JacobianMode } from './dense-backend-wasm64.ts';

/** An affine layer after folding: weight outputs×inputs, its transpose, and bias. */
interface FoldedLayer {
  inputs: number;
  outputs: number;
  weight: Float64Array;
  weightTransposed: Float64Array;
  bias: Float64Array;
}

export class MlpModel implements Model {
  readonly spec: MlpSpec;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly meta: ModelMeta;
  private readonly activation: Activation;
  private readonly activationParameter: number;
  /** Hidden layers; the first has the input transform folded in. */
  private readonly hidden: FoldedLayer[];
  /** Per hidden layer: its layer normalization (before the activation), or null. */
  private readonly norms: (LayerNorm | null)[];
  /** Output layer with the output transform folded in (and the input transform when there are no hidden layers). */
  private readonly output: FoldedLayer;
  /** resmlp: the skip map from raw x to the last hidden width, input transform folded in. */
  private readonly skip: FoldedLayer | null;
  /** resmlp: the constant Jacobian part W̃_out · S̃ (m×n). */
  private readonly skipJacobian: Float64Array | null;
  /** How the WASM path sweeps for Jacobians (the JS path always runs reverse mode). */
  readonly jacobianMode: JacobianMode;
  /** The network as the dense kernel sees it: hidden widths, activation, the folded parameters in one vector. */
  private readonly architecture: DenseArchitecture & { activationParameter: number };
  private readonly parameters: Float64Array;
  /** Weights laid out for the WASM heap, built on first use there. */
  private wasmLayout: WasmLayout | null = null;
  /** Backends with their workspaces, built on first use: [forward only, with Jacobian]. */
  private readonly jsBackends: (Float64DenseBackend | null)[] = [null, null];
  private readonly wasmBackends: (Float64WasmDenseBackend | null)[] = [null, null];

  /** `options.jacobianMode` overrides the choice by shape (jacobianModeFor); tests and benchmarks compare both. */
  constructor(spec: MlpSpec, options: { jacobianMode?: JacobianMode } = {}) {
    validateSpec(spec);
    this.jacobianMode = options.jacobianMode ?? jacobianModeFor(spec.inputNames.length, spec.outputNames.length);
    if (this.jacobianMode !== 'forward' && this.jacobianMode !== 'reverse') throw new InvalidArgumentError(`jacobianMode '${String(this.jacobianMode)}' is unknown; accepted: 'forward', 'reverse'`);
    this.spec = spec;
    this.inputNames = [...spec.inputNames];
    this.outputNames = [...spec.outputNames];
    this.activation = spec.activation;
    this.activationParameter = activationParameterOrDefault(spec.activation, spec.activationParameter);
    this.meta = buildMeta(spec);

    const inputCount = spec.inputNames.length;
    const inputMap = inputAffineMap(spec); // s' = A_in x + c_in
    const outputMap = outputAffineMap(spec); // y = A_out z + c_out
    const hiddenSpecs = spec.layers.slice(0, -1);
    const outputSpec = spec.layers[spec.layers.length - 1];

    this.hidden = hiddenSpecs.map((layer, index) => (index === 0 ? foldInput(layer, inputMap, inputCount) : foldNothing(layer)));
    this.norms = hiddenSpecs.map((_, index) => spec.layerNorms?.[index] ?? null);
    const outputAfterInput = hiddenSpecs.length === 0 ? foldInput(outputSpec, inputMap, inputCount) : foldNothing(outputSpec);
    this.output = foldOutput(outputAfterInput, outputMap);
    if (spec.kind === 'resmlp' && spec.skip) {
      this.skip = foldInput(spec.skip, inputMap, inputCount);
      this.skipJacobian = new Float64Array(this.output.outputs * inputCount);
      multiplyPlain(this.output.weight, this.output.outputs, this.output.inputs, this.skip.weight, inputCount, this.skipJacobian);
    } else {
      this.skip = null;
      this.skipJacobian = null;
    }
    this.architecture = {
      kind: this.skip ? 'resmlp' : 'mlp', inputs: inputCount, hidden: this.hidden.map((layer) => layer.outputs), outputs: this.outputNames.length,
      activation: this.activation, activationParameter: this.activationParameter,
    };
    this.parameters = flatParameters(this.architecture, [...this.hidden, this.output], this.skip);
  }

  get inputCount(): number {
    return this.inputNames.length;
  }

  get outputCount(): number {
    return this.outputNames.length;
  }

  forward(x: Matrix): Matrix {
    return this.evaluate(x, false).y;
  }

  jacobian(x: Matrix): MatrixBatch {
    return this.evaluate(x, true).jacobian as MatrixBatch;
  }

  /** Sound interval bounds of the outputs over the box (model/intervals.ts), through the folded layers. */
  outputBounds(lower: Float64Array, upper: Float64Array): Bounds {
    let lo = Float64Array.from(lower), hi = Float64Array.from(upper);
    const through = (layer: FoldedLayer, fromLo: Float64Array, fromHi: Float64Array) => {
      const outLo = new Float64Array(layer.outputs), outHi = new Float64Array(layer.outputs);
      affineInterval(layer.weight, layer.bias, layer.outputs, layer.inputs, fromLo, fromHi, outLo, outHi);
      return [outLo, outHi] as const;
    };
    this.hidden.forEach((layer, l) => {
      [lo, hi] = through(layer, lo, hi);
      const norm = this.norms[l];
      if (norm) layerNormInterval(norm, lo, hi);
      activationInterval(this.activation, this.activationParameter, lo, hi);
    });
    if (this.skip) {
      const [skipLo, skipHi] = through(this.skip, lower, upper);
      for (let k = 0; k < lo.length; k++) { lo[k] += skipLo[k]; hi[k] += skipHi[k]; }
      widenIn(lo, hi);
    }
    const [outLo, outHi] = through(this.output, lo, hi);
    return { lower: outLo, upper: outHi };
  }

  forwardWithJacobian(x: Matrix): { y: Matrix; jacobian: MatrixBatch } {
    const { y, jacobian } = this.evaluate(x, true);
    return { y, jacobian: jacobian as MatrixBatch };
  }

  private checkInput(x: Matrix): void {
    if (!(x instanceof Matrix)) throw new ShapeError(`x must be a Matrix of points (N×${this.inputCount}), got ${typeof x}`);
    if (x.cols !== this.inputCount) {
      throw new ShapeError(
        `x is ${shapeText(x.rows, x.cols)} but the model takes ${this.inputCount} inputs (${this.inputNames.join(', ')}); pass N×${this.inputCount}`,
      );
    }
    assertFinite(x.data, 'x', x.cols);
  }

  private evaluate(x: Matrix, withJacobian: boolean): { y: Matrix; jacobian: MatrixBatch | null } {
    const y = new Matrix(x.rows, this.outputCount);
    const jacobian = withJacobian ? new MatrixBatch(x.rows, this.outputCount, this.inputCount) : null;
    this.evaluateInto(x, y, jacobian);
    return { y, jacobian };
  }

  /**
   * f(x) into `y` (N×m) and, unless `jacobian` is null, the Jacobians into `jacobian` (N of m×n):
   * the allocation-free form for callers that evaluate the same shapes again and again (the WASM
   * path then allocates nothing per call; its heap only grows to the largest block seen).
   */
  evaluateInto(x: Matrix, y: Matrix, jacobian: MatrixBatch | null): void {
    this.checkInput(x);
    const count = x.rows;
    if (!(y instanceof Matrix) || y.rows !== count || y.cols !== this.outputCount) {
      throw new ShapeError(`y must be a ${shapeText(count, this.outputCount)} Matrix for ${count} points, got ${y instanceof Matrix ? shapeText(y.rows, y.cols) : typeof y}`);
    }
    if (jacobian !== null && (!(jacobian instanceof MatrixBatch) || jacobian.count !== count || jacobian.rows !== this.outputCount || jacobian.cols !== this.inputCount)) {
      throw new ShapeError(`jacobian must be a MatrixBatch of ${count} ${shapeText(this.outputCount, this.inputCount)} matrices`);
    }
    const kernels = activeWasmKernels();
    if (kernels && this.hidden.length > 0) this.evaluateWasm(kernels, x, y, jacobian);
    else this.evaluateJs(x, y, jacobian);
    if (count > 0) {
      assertModelFinite(y.data, 'forward output', this.outputCount, this.outputNames);
      if (jacobian) assertModelFinite(jacobian.data, 'Jacobian', this.outputCount * this.inputCount, this.outputNames);
    }
  }

  /** The JS-kernel path: blocks of BLOCK_POINTS points through the Float64 JS backend. */
  private evaluateJs(x: Matrix, y: Matrix, jacobian: MatrixBatch | null): void {
    const n = this.inputCount, m = this.outputCount, count = x.rows, withJacobian = jacobian !== null;
    const backend = (this.jsBackends[withJacobian ? 1 : 0] ??= new Float64DenseBackend(this.architecture, BLOCK_POINTS, this.parameters, new Float64Array(0), {
      norms: this.norms, jacobian: withJacobian, skipJacobian: this.skipJacobian, inPlace: true,
    }));
    backend.keepDerivatives = withJacobian;
    for (let start = 0; start < count; start += BLOCK_POINTS) {
      const points = Math.min(BLOCK_POINTS, count - start);
      denseForward(backend, x.data, start * n, points);
      y.data.set(backend.readOutput(points), start * m);
      if (jacobian) backend.jacobian(jacobian.data, start * m * n, points);
    }
  }

  /**
   * The WASM path: weights (copied once while this model owns the heap), then per block of
   * WASM_BLOCK_POINTS points: x in, forward with the activation derivatives, y out, the Jacobian
   * sweep (dense-backend-wasm64.ts), J out.
   */
  private evaluateWasm(kernels: WasmKernels, x: Matrix, y: Matrix, jacobian: MatrixBatch | null): void {
    const layout = (this.wasmLayout ??= buildWasmLayout(this.hidden, this.norms, this.output, this.skip, this.skipJacobian));
    const n = this.inputCount, m = this.outputCount, count = x.rows, withJacobian = jacobian !== null;
    const backend = (this.wasmBackends[withJacobian ? 1 : 0] ??= new Float64WasmDenseBackend(
      kernels, layout, this.architecture, this.norms, WASM_BLOCK_POINTS, withJacobian, this.jacobianMode, this.skipJacobian,
    ));
    for (let start = 0; start < count; start += WASM_BLOCK_POINTS) {
      const points = Math.min(WASM_BLOCK_POINTS, count - start);
      denseForward(backend, x.data, start * n, points);
      y.data.set(backend.readOutput(points), start * m);
      if (jacobian) backend.jacobian(jacobian.data, start * m * n, points);
    }
  }
}

/** The folded layers (hidden…, output, skip) as one parameter vector in the dense kernel's layout. */
function flatParameters(architecture: DenseArchitecture, layers: readonly FoldedLayer[], skip: FoldedLayer | null): Float64Array {
  const layout = parameterLayout(architecture), parameters = new Float64Array(layout.size);
  const place = (slot: { weightOffset: number; biasOffset: number }, layer: FoldedLayer): void => {
    parameters.set(layer.weight, slot.weightOffset);
    parameters.set(layer.bias, slot.biasOffset);
  };
  layout.layers.forEach((slot, l) => place(slot, layers[l]));
  if (layout.skip && skip) place(layout.skip, skip);
  return parameters;
}

/**
 * Which sweep gives the Jacobian with fewer flops: reverse mode stacks m rows per point through
 * every layer (m·Σ widths² per point), forward mode n rows (n·Σ widths²); equal costs keep reverse.
 */
export function jacobianModeFor(inputs: number, outputs: number): JacobianMode {
  return inputs < outputs ? 'forward' : 'reverse';
}

/**
 * Interval of γ ⊙ x̂ + β whatever the layer's input: |x̂_j| = |c_j|/√(Σc²/w + ε) ≤ √w for any
 * centred vector c (also for the computed c, whose sum is not exactly 0), the bound enlarged by
 * (w + 8)·ε for the rounding of Σc², the root and the quotient; then widened outward. In place.
 */
function layerNormInterval(norm: LayerNorm, lo: Float64Array, hi: Float64Array): void {
  const width = lo.length, bound = Math.sqrt(width) * (1 + (width + 8) * Number.EPSILON);
  for (let j = 0; j < width; j++) {
    const radius = Math.abs(norm.scale[j]) * bound;
    lo[j] = norm.bias[j] - radius;
    hi[j] = norm.bias[j] + radius;
  }
  widenOutward(lo, hi);
}

/** Outward rounding of a sum of two intervals (one ulp-scale step each way). */
function widenIn(lo: Float64Array, hi: Float64Array): void {
  for (let k = 0; k < lo.length; k++) {
    lo[k] -= Math.abs(lo[k]) * 2 * Number.EPSILON + Number.MIN_VALUE;
    hi[k] += Math.abs(hi[k]) * 2 * Number.EPSILON + Number.MIN_VALUE;
  }
}

/** C = A·B for small constant matrices (A rows×inner, B inner×cols), used at construction only. */
function multiplyPlain(A: Float64Array, rows: number, inner: number, B: Float64Array, cols: number, C: Float64Array): void {
  C.fill(0);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < inner; k++) {
      const a = A[i * inner + k];
      for (let j = 0; j < cols; j++) C[i * cols + j] += a * B[k * cols + j];
    }
  }
}

function transpose(values: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = values[i * cols + j];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Folding the affine input/output transforms into the layers

/** An affine map v ↦ matrix·v + offset, matrix rows×cols. */
interface AffineMap {
  rows: number;
  cols: number;
  matrix: Float64Array;
  offset: Float64Array;
}

/** s' = P·((x − mean)/std) + c  as  A_in x + c_in. */
function inputAffineMap(spec: MlpSpec): AffineMap {
  const n = spec.inputNames.length;
  const scale = new Float64Array(n).fill(1), shift = new Float64Array(n);
  if (spec.inputScaling) {
    for (let k = 0; k < n; k++) {
      scale[k] = 1 / spec.inputScaling.std[k];
      shift[k] = -spec.inputScaling.mean[k] / spec.inputScaling.std[k];
    }
  }
  const projection = spec.inputProjection;
  if (!projection) return { rows: n, cols: n, matrix: diagonalMatrix(scale), offset: shift };
  const rows = projection.outputs;
  const matrix = new Float64Array(rows * n), offset = Float64Array.from(projection.bias);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < n; k++) {
      const w = projection.weight[i * n + k];
      matrix[i * n + k] = w * scale[k];
      offset[i] += w * shift[k];
    }
  }
  return { rows, cols: n, matrix, offset };
}

/** y = std·(P·z + c) + mean  as  A_out z + c_out. */
function outputAffineMap(spec: MlpSpec): AffineMap {
  const m = spec.outputNames.length;
  const projection = spec.outputProjection;
  const inner = projection ? projection.inputs : m;
  const matrix = projection ? Float64Array.from(projection.weight) : diagonalMatrix(new Float64Array(m).fill(1));
  const offset = projection ? Float64Array.from(projection.bias) : new Float64Array(m);
  if (spec.outputScaling) {
    const { mean, std } = spec.outputScaling;
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < inner; k++) matrix[i * inner + k] *= std[i];
      offset[i] = offset[i] * std[i] + mean[i];
    }
  }
  return { rows: m, cols: inner, matrix, offset };
}

function diagonalMatrix(values: Float64Array): Float64Array {
  const size = values.length, out = new Float64Array(size * size);
  for (let k = 0; k < size; k++) out[k * size + k] = values[k];
  return out;
}

function makeFolded(inputs: number, outputs: number, weight: Float64Array, bias: Float64Array): FoldedLayer {
  return { inputs, outputs, weight, weightTransposed: transpose(weight, outputs, inputs), bias };
}

function foldNothing(layer: DenseLayer): FoldedLayer {
  return makeFolded(layer.inputs, layer.outputs, Float64Array.from(layer.weight), Float64Array.from(layer.bias));
}

/** W·(A_in x + c_in) + b  =  (W·A_in) x + (W·c_in + b). */
function foldInput(layer: DenseLayer, map: AffineMap, inputCount: number): FoldedLayer {
  const weight = new Float64Array(layer.outputs * inputCount);
  multiplyPlain(layer.weight, layer.outputs, map.rows, map.matrix, inputCount, weight);
  const bias = Float64Array.from(layer.bias);
  for (let i = 0; i < layer.outputs; i++) {
    let sum = 0;
    for (let k = 0; k < map.rows; k++) sum += layer.weight[i * map.rows + k] * map.offset[k];
    bias[i] += sum;
  }
  return makeFolded(inputCount, layer.outputs, weight, bias);
}

/** A_out·(W h + b) + c_out  =  (A_out·W) h + (A_out·b + c_out). */
function foldOutput(layer: FoldedLayer, map: AffineMap): FoldedLayer {
  const weight = new Float64Array(map.rows * layer.inputs);
  multiplyPlain(map.matrix, map.rows, map.cols, layer.weight, layer.inputs, weight);
  const bias = Float64Array.from(map.offset);
  for (let i = 0; i < map.rows; i++) {
    for (let k = 0; k < map.cols; k++) bias[i] += map.matrix[i * map.cols + k] * layer.bias[k];
  }
  return makeFolded(layer.inputs, map.rows, weight, bias);
}

function buildMeta(spec: MlpSpec): ModelMeta {
  const fromScalings: ModelMeta = { source: spec.kind, approximateJacobian: false };
  if (spec.inputScaling) {
    fromScalings.inputMean = Float64Array.from(spec.inputScaling.mean);
    fromScalings.inputStd = Float64Array.from(spec.inputScaling.std);
  }
  if (spec.outputScaling) {
    fromScalings.outputMean = Float64Array.from(spec.outputScaling.mean);
    fromScalings.outputStd = Float64Array.from(spec.outputScaling.std);
  }
  const meta: ModelMeta = { ...fromScalings };
  for (const [key, value] of Object.entries(spec.meta ?? {})) {
    if (value !== undefined) (meta as Record<string, unknown>)[key] = value;
  }
  return meta;
}

/** A non-finite output means the weights overflowed for this input: say where instead of returning NaN. */
function assertModelFinite(values: Float64Array, what: string, perPoint: number, outputNames: readonly string[]): void {
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k])) {
      const point = Math.floor(k / perPoint);
      const output = outputNames[Math.floor((k % perPoint) / (perPoint / outputNames.length))] ?? '?';
      throw new NonFiniteError(`MLP ${what} is not finite (${values[k]}) at point ${point}, output '${output}': the input is outside the range where the weights give finite numbers`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

function layerLabel(index: number, count: number): string {
  return index === count - 1 ? `layers[${index}] (output layer)` : `layers[${index}] (hidden layer ${index + 1})`;
}

function checkDense(layer: DenseLayer | undefined, label: string): asserts layer is DenseLayer {
  if (!layer || typeof layer !== 'object') throw new ShapeError(`${label} is missing`);
  const { inputs, outputs } = layer;
  if (!Number.isInteger(inputs) || !Number.isInteger(outputs) || inputs < 1 || outputs < 1) {
    throw new ShapeError(`${label} has shape ${outputs}×${inputs}; inputs and outputs must be positive integers`);
  }
  if (!(layer.weight instanceof Float64Array) || layer.weight.length !== inputs * outputs) {
    throw new ShapeError(`${label}.weight has ${layer.weight?.length ?? 0} entries, expected outputs×inputs = ${outputs}×${inputs} = ${inputs * outputs} (a Float64Array, row-major)`);
  }
  if (!(layer.bias instanceof Float64Array) || layer.bias.length !== outputs) {
    throw new ShapeError(`${label}.bias has ${layer.bias?.length ?? 0} entries, expected ${outputs} (a Float64Array)`);
  }
  assertFinite(layer.weight, `${label}.weight`, inputs);
  assertFinite(layer.bias, `${label}.bias`);
}

function checkScaling(scaling: MlpSpec['inputScaling'], label: string, size: number): void {
  if (!scaling) return;
  if (!(scaling.mean instanceof Float64Array) || scaling.mean.length !== size) throw new ShapeError(`${label}.mean has ${scaling.mean?.length ?? 0} entries, expected ${size}`);
  if (!(scaling.std instanceof Float64Array) || scaling.std.length !== size) throw new ShapeError(`${label}.std has ${scaling.std?.length ?? 0} entries, expected ${size}`);
  assertFinite(scaling.mean, `${label}.mean`);
  assertFinite(scaling.std, `${label}.std`);
  scaling.std.forEach((value, k) => {
    if (!(value > 0)) throw new InvalidArgumentError(`${label}.std[${k}] is ${value}; standard deviations must be positive`);
  });
}

function checkNames(names: string[], label: string): void {
  if (!Array.isArray(names) || names.length === 0) throw new ShapeError(`${label} is empty; a model needs at least one`);
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError(`${label} contains an empty or non-string name`);
    if (seen.has(name)) throw new InvalidArgumentError(`${label} contains '${name}' twice; names must be unique`);
    seen.add(name);
  }
}

/** Check every shape in the chain; each message names the layer and both sizes. */
export function validateSpec(spec: MlpSpec): void {
  if (!spec || typeof spec !== 'object') throw new InvalidArgumentError('MLP spec must be an object');
  if (spec.kind !== 'mlp' && spec.kind !== 'resmlp') throw new InvalidArgumentError(`MLP spec kind is '${spec.kind as string}'; accepted: 'mlp', 'resmlp'`);
  if (!ACTIVATIONS.includes(spec.activation)) throw new InvalidArgumentError(`MLP activation '${spec.activation as string}' is not supported; accepted: ${ACTIVATIONS.join(', ')}`);
  checkNames(spec.inputNames, 'inputNames');
  checkNames(spec.outputNames, 'outputNames');
  const n = spec.inputNames.length, m = spec.outputNames.length;
  checkScaling(spec.inputScaling, 'inputScaling', n);
  checkScaling(spec.outputScaling, 'outputScaling', m);
  let width = n;
  if (spec.inputProjection) {
    checkDense(spec.inputProjection, 'inputProjection');
    if (spec.inputProjection.inputs !== n) throw new ShapeError(`inputProjection takes ${spec.inputProjection.inputs} inputs but the model has ${n} (${spec.inputNames.join(', ')})`);
    width = spec.inputProjection.outputs;
  }
  const projectedWidth = width;
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) throw new ShapeError('MLP spec has no layers; it needs at least the output layer');
  spec.layers.forEach((layer, index) => {
    const label = layerLabel(index, spec.layers.length);
    checkDense(layer, label);
    if (layer.inputs !== width) {
      const from = index === 0 ? (spec.inputProjection ? 'inputProjection' : 'the model inputs') : layerLabel(index - 1, spec.layers.length);
      throw new ShapeError(`${label} takes ${layer.inputs} inputs but ${from} gives ${width}`);
    }
    width = layer.outputs;
  });
  const outputLayer = spec.layers[spec.layers.length - 1];
  if (spec.outputProjection) {
    checkDense(spec.outputProjection, 'outputProjection');
    if (spec.outputProjection.inputs !== outputLayer.outputs) throw new ShapeError(`outputProjection takes ${spec.outputProjection.inputs} inputs but ${layerLabel(spec.layers.length - 1, spec.layers.length)} gives ${outputLayer.outputs}`);
    width = spec.outputProjection.outputs;
  }
  if (width !== m) throw new ShapeError(`the model ends with ${width} values but has ${m} outputNames (${spec.outputNames.join(', ')})`);
  if (spec.kind === 'resmlp') {
    if (spec.layers.length < 2) throw new ShapeError("'resmlp' needs at least one hidden layer (the skip adds to the last hidden layer)");
    checkDense(spec.skip, 'skip');
    const lastHidden = spec.layers[spec.layers.length - 2].outputs;
    if (spec.skip.inputs !== projectedWidth || spec.skip.outputs !== lastHidden) {
      throw new ShapeError(`skip is ${spec.skip.outputs}×${spec.skip.inputs} but must map the ${projectedWidth} (scaled, projected) inputs to the last hidden width ${lastHidden}: ${lastHidden}×${projectedWidth}`);
    }
  } else if (spec.skip) {
    throw new InvalidArgumentError("MLP spec has a skip layer but kind is 'mlp'; use kind 'resmlp'");
  }
  if (spec.activationParameter !== undefined) activationParameterOrDefault(spec.activation, spec.activationParameter);
  if (spec.layerNorms !== undefined) checkLayerNorms(spec);
}

function checkLayerNorms(spec: MlpSpec): void {
  const hiddenCount = spec.layers.length - 1;
  if (!Array.isArray(spec.layerNorms) || spec.layerNorms.length !== hiddenCount) {
    throw new ShapeError(`layerNorms has ${Array.isArray(spec.layerNorms) ? spec.layerNorms.length : 'no'} entries, expected one per hidden layer (${hiddenCount}; null for none)`);
  }
  spec.layerNorms.forEach((norm, index) => {
    if (norm === null) return;
    const label = `layerNorms[${index}]`, width = spec.layers[index].outputs;
    if (!norm || typeof norm !== 'object') throw new InvalidArgumentError(`${label} must be null or { scale, bias, epsilon }`);
    for (const key of ['scale', 'bias'] as const) {
      if (!(norm[key] instanceof Float64Array) || norm[key].length !== width) throw new ShapeError(`${label}.${key} has ${norm[key]?.length ?? 0} entries, expected ${width} (the width of hidden layer ${index + 1}, a Float64Array)`);
      assertFinite(norm[key], `${label}.${key}`);
    }
    if (typeof norm.epsilon !== 'number' || !Number.isFinite(norm.epsilon) || norm.epsilon < 0) throw new InvalidArgumentError(`${label}.epsilon is ${String(norm.epsilon)}; it must be a finite number ≥ 0`);
  });
}
