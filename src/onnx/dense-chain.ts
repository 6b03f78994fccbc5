// The fast path of the interpreter for ONNX graphs that are plain MLPs: when the live nodes form a
// single chain  x → [per-column affine]* → Gemm/MatMul → [affine]* → act → … → Gemm/MatMul → [affine]*
// with one activation kind (Tanh, Relu, LeakyRelu, Sigmoid, Elu) — optionally with the residual
// skip of inversa's 'resmlp' (a Gemm/MatMul from the input of the first dense layer, added to the
// last hidden activation), as PyTorch and exportMlpToOnnx write them — the graph is the MlpSpec built
// here, and MlpModel evaluates it with its whole chain (weights, activations, reverse sweep)
// resident in the WebAssembly heap of src/linalg/gemm — one copy in and out per block instead of
// one per operator. Per-column affine steps (standardization Sub/Div, Add of a MatMul bias,
// output Mul/Add) are folded into the adjacent dense layer, as MlpModel folds its scalings.
// A layer normalization over the features between a dense layer and its activation — the
// LayerNormalization node of opset 17, or the ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div chain
// torch.onnx writes at opsets 13–16 — becomes the layer's LayerNorm in the spec (its per-column
// Mul/Add folded into γ and β); a network of dense layers each followed by a layer normalization
// and no activation runs with the 'identity' activation.
// Anything else (branches, other operators, two dense layers in a row) returns null and the
// interpreter evaluates the graph operator by operator. The same folding changes only rounding.
import { activeWasmKernels, MatrixBatch, Matrix } from '../linalg/index.ts';
import { NonFiniteError } from '../core/index.ts';
import { MlpModel, type Activation, type DenseLayer, type LayerNorm, type MlpSpec } from '../model/index.ts';
import type { GraphNode } from './graph.ts';
import type { Tensor } from './tensor.ts';

/** What the recognizer needs of a compiled live node: the node and the value slots it reads and writes. */
export interface LiveNodeView {
  node: GraphNode;
  inputSlots: readonly number[];
  outputSlots: readonly number[];
}

/** Where the chain starts and ends, and the constant value of every slot (undefined where live). */
export interface ChainGraph {
  nodes: readonly LiveNodeView[];
  constants: readonly (Tensor | undefined)[];
  inputSlot: number;
  outputSlot: number;
  inputCount: number;
  outputCount: number;
}

const ACTIVATION_OF: Record<string, Activation> = { Tanh: 'tanh', Relu: 'relu', LeakyRelu: 'leaky-relu', Sigmoid: 'sigmoid', Elu: 'elu' };
/** ONNX defaults of the activation attribute 'alpha' (LeakyRelu 0.01, Elu 1). */
const ACTIVATION_ALPHA: Partial<Record<Activation, number>> = { 'leaky-relu': 0.01, elu: 1 };

/** v ↦ scale ⊙ v + shift, per column. */
interface ColumnAffine { scale: Float64Array; shift: Float64Array }

function numberAttribute(node: GraphNode, name: string, fallback: number): number {
  const value = node.attributes.get(name);
  return typeof value === 'number' ? value : fallback;
}

/** A constant usable as a per-column vector of `width` (dims [], [1], [width], [1, width], …): its values, or null. */
function columnVector(value: Tensor, width: number): Float64Array | null {
  const dims = value.dims;
  if (dims.length > 2 || dims.slice(0, -1).some((d) => d !== 1)) return null;
  const size = value.data.length;
  if (size === width) return Float64Array.from(value.data);
  if (size === 1) return new Float64Array(width).fill(value.data[0]);
  return null;
}

/** The dense layer of a Gemm or MatMul node (weight outputs×inputs), or null when it is not one. */
function denseLayer(node: GraphNode, weight: Tensor | undefined, bias: Tensor | undefined, width: number): DenseLayer | null {
  if (!weight || weight.dims.length !== 2) return null;
  const gemm = node.opType === 'Gemm';
  if (gemm && numberAttribute(node, 'transA', 0) !== 0) return null;
  const transposed = gemm && numberAttribute(node, 'transB', 0) !== 0;
  const alpha = gemm ? numberAttribute(node, 'alpha', 1) : 1;
  const [rows, cols] = weight.dims;
  const [inputs, outputs] = transposed ? [cols, rows] : [rows, cols];
  if (inputs !== width) return null;
  const w = new Float64Array(outputs * inputs);
  for (let o = 0; o < outputs; o++) {
    for (let i = 0; i < inputs; i++) w[o * inputs + i] = alpha * (transposed ? weight.data[o * inputs + i] : weight.data[i * outputs + o]);
  }
  let b = new Float64Array(outputs);
  if (bias) {
    const vector = columnVector(bias, outputs);
    if (!vector) return null;
    const beta = numberAttribute(node, 'beta', 1);
    b = vector.map((v) => beta * v);
  }
  return { inputs, outputs, weight: w, bias: b };
}

/** The per-column affine map of Add/Sub/Mul/Div with one constant operand, or null. */
function columnAffine(opType: string, constant: Float64Array, liveFirst: boolean): ColumnAffine | null {
  const width = constant.length, ones = new Float64Array(width).fill(1), zeros = new Float64Array(width);
  switch (opType) {
    case 'Add': return { scale: ones, shift: constant };
    case 'Sub': return liveFirst ? { scale: ones, shift: constant.map((c) => -c) } : { scale: ones.map(() => -1), shift: constant };
    case 'Mul': return { scale: constant, shift: zeros };
    case 'Div': return liveFirst ? { scale: constant.map((c) => 1 / c), shift: zeros } : null;
    default: return null;
  }
}

/** layer ⟵ affine ∘ layer:  s ⊙ (W v + b) + t. */
function applyAfter(layer: DenseLayer, affine: ColumnAffine): void {
  for (let o = 0; o < layer.outputs; o++) {
    const s = affine.scale[o];
    for (let i = 0; i < layer.inputs; i++) layer.weight[o * layer.inputs + i] *= s;
    layer.bias[o] = s * layer.bias[o] + affine.shift[o];
  }
}

/** layer ⟵ layer ∘ affine:  W (s ⊙ v + t) + b. */
function applyBefore(layer: DenseLayer, affine: ColumnAffine): void {
  for (let o = 0; o < layer.outputs; o++) {
    let sum = 0;
    for (let i = 0; i < layer.inputs; i++) {
      const w = layer.weight[o * layer.inputs + i];
      sum += w * affine.shift[i];
      layer.weight[o * layer.inputs + i] = w * affine.scale[i];
    }
    layer.bias[o] += sum;
  }
}

/** norm ⟵ affine ∘ norm:  s ⊙ (γ ⊙ x̂ + β) + t. */
function applyAfterNorm(norm: LayerNorm, affine: ColumnAffine): void {
  for (let k = 0; k < norm.scale.length; k++) {
    norm.scale[k] *= affine.scale[k];
    norm.bias[k] = affine.scale[k] * norm.bias[k] + affine.shift[k];
  }
}

/** Whether a ReduceMean node averages the last axis of a [batch, features] value, keeping dims. */
function meanOverFeatures(view: LiveNodeView, constants: readonly (Tensor | undefined)[]): boolean {
  const { node, inputSlots } = view;
  if (node.opType !== 'ReduceMean' || numberAttribute(node, 'keepdims', 1) !== 1) return false;
  let axes = node.attributes.get('axes');
  if (axes === undefined && inputSlots.length > 1 && inputSlots[1] >= 0) {
    const constant = constants[inputSlots[1]];
    if (!constant) return false;
    axes = Array.from(constant.data);
  }
  return Array.isArray(axes) && axes.length === 1 && (axes[0] === -1 || axes[0] === 1);
}

/** The scalar value of a constant slot (any shape of one element), or null. */
function scalarConstant(constants: readonly (Tensor | undefined)[], slot: number): number | null {
  const value = slot >= 0 ? constants[slot] : undefined;
  return value && value.data.length === 1 ? value.data[0] : null;
}

/**
 * The layer normalization torch.onnx writes before opset 17, starting at nodes[start] on the live
 * value `input` (width `width`):  μ = ReduceMean(v), c = v − μ, σ² = ReduceMean(c²) (Pow 2 or c·c),
 * d = Sqrt(σ² + ε), x̂ = c / d.  Its LayerNorm (γ = 1, β = 0; a following Mul/Add folds in), the
 * slot of x̂ and the index after the pattern; null when the nodes are anything else.
 */
function decomposedLayerNorm(nodes: readonly LiveNodeView[], start: number, input: number, width: number, constants: readonly (Tensor | undefined)[]):
  { norm: LayerNorm; output: number; next: number } | null {
  if (start + 7 > nodes.length) return null;
  const [mean, sub, square, variance, add, sqrt, div] = nodes.slice(start, start + 7);
  const single = (view: LiveNodeView): boolean => view.outputSlots.every((s, k) => k === 0 || s < 0);
  if (![mean, sub, square, variance, add, sqrt, div].every(single)) return null;
  if (!meanOverFeatures(mean, constants) || mean.inputSlots[0] !== input) return null;
  const mu = mean.outputSlots[0];
  if (sub.node.opType !== 'Sub' || sub.inputSlots[0] !== input || sub.inputSlots[1] !== mu) return null;
  const centered = sub.outputSlots[0];
  const squares = square.node.opType === 'Pow'
    ? square.inputSlots[0] === centered && scalarConstant(constants, square.inputSlots[1]) === 2
    : square.node.opType === 'Mul' && square.inputSlots[0] === centered && square.inputSlots[1] === centered;
  if (!squares) return null;
  if (!meanOverFeatures(variance, constants) || variance.inputSlots[0] !== square.outputSlots[0]) return null;
  if (add.node.opType !== 'Add' || add.inputSlots.length !== 2 || !add.inputSlots.includes(variance.outputSlots[0])) return null;
  const epsilon = scalarConstant(constants, add.inputSlots[add.inputSlots[0] === variance.outputSlots[0] ? 1 : 0]);
  if (epsilon === null || !(epsilon >= 0)) return null;
  if (sqrt.node.opType !== 'Sqrt' || sqrt.inputSlots[0] !== add.outputSlots[0]) return null;
  if (div.node.opType !== 'Div' || div.inputSlots[0] !== centered || div.inputSlots[1] !== sqrt.outputSlots[0]) return null;
  // The intermediate values must not be read anywhere else.
  const inner = new Set([mu, centered, square.outputSlots[0], variance.outputSlots[0], add.outputSlots[0], sqrt.outputSlots[0]]);
  const readers = nodes.filter((view) => view.inputSlots.some((s) => inner.has(s))).length;
  if (readers !== 6) return null; // sub, square, variance, add, sqrt, div (div and sub each read one)
  return { norm: { scale: new Float64Array(width).fill(1), bias: new Float64Array(width), epsilon }, output: div.outputSlots[0], next: start + 7 };
}

/** The LayerNorm of an opset-17 LayerNormalization node over the last axis of [batch, width], or null. */
function layerNormalization(node: GraphNode, scale: Tensor | undefined, bias: Tensor | undefined, width: number): LayerNorm | null {
  const axis = numberAttribute(node, 'axis', -1);
  if ((axis !== -1 && axis !== 1) || !scale) return null;
  const gamma = columnVector(scale, width);
  const beta = bias ? columnVector(bias, width) : new Float64Array(width);
  if (!gamma || !beta) return null;
  return { scale: gamma, bias: beta, epsilon: numberAttribute(node, 'epsilon', 1e-5) };
}

/** second ∘ first. */
function compose(first: ColumnAffine, second: ColumnAffine): ColumnAffine {
  return { scale: first.scale.map((s, k) => second.scale[k] * s), shift: first.shift.map((t, k) => second.scale[k] * t + second.shift[k]) };
}

/** The MlpSpec equal to the graph when it is a plain MLP chain (at least one hidden layer), else null. */
export function denseChainSpec(graph: ChainGraph): MlpSpec | null {
  const { constants } = graph;
  const layers: DenseLayer[] = [];
  let current = graph.inputSlot, width = graph.inputCount;
  let state: 'start' | 'dense' | 'norm' | 'activation' = 'start';
  // Per dense layer: its layer normalization (hidden layers only), and how many hidden layers had none activation.
  const norms: (LayerNorm | null)[] = [];
  let unactivated = 0;
  let pending: ColumnAffine | null = null;
  let activation: Activation | null = null, parameter: number | undefined;
  // resmlp: the value the first dense layer reads (with the affine folded into it), the skip layer
  // and its output slot, and how many layers there were when it was added.
  let stemSlot = -1, stemAffine: ColumnAffine | null = null;
  let skip: DenseLayer | null = null, skipSlot = -1, layersAtSkip = -1;
  const constantOf = (inputSlots: readonly number[], k: number): Tensor | undefined => (inputSlots[k] >= 0 ? constants[inputSlots[k]] : undefined);
  for (let index = 0; index < graph.nodes.length; index++) {
    const { node, inputSlots, outputSlots } = graph.nodes[index];
    if (node.domain !== '' && node.domain !== 'ai.onnx') return null;
    const op = node.opType;
    if (op === 'ReduceMean' && state === 'dense' && inputSlots[0] === current) {
      const decomposed = decomposedLayerNorm(graph.nodes, index, current, width, constants);
      if (!decomposed) return null;
      norms[layers.length - 1] = decomposed.norm;
      current = decomposed.output;
      state = 'norm';
      index = decomposed.next - 1;
      continue;
    }
    if ((op === 'Gemm' || op === 'MatMul') && layers.length > 0 && inputSlots[0] === stemSlot && stemSlot !== current && !skip) {
      // The skip branch of a resmlp: input of the first dense layer → its own dense layer.
      if (inputSlots.slice(1).some((s) => s >= 0 && !constants[s]) || outputSlots.some((s, k) => k > 0 && s >= 0)) return null;
      skip = denseLayer(node, constantOf(inputSlots, 1), op === 'Gemm' ? constantOf(inputSlots, 2) : undefined, graph.inputCount);
      if (!skip) return null;
      if (stemAffine) applyBefore(skip, stemAffine);
      skipSlot = outputSlots[0];
      continue;
    }
    if (op === 'Add' && skip && layersAtSkip < 0 && state === 'activation' && inputSlots.length === 2 && inputSlots.includes(current) && inputSlots.includes(skipSlot)) {
      if (skip.outputs !== width) return null;
      layersAtSkip = layers.length;
      current = outputSlots[0];
      continue;
    }
    // A chain: exactly one input is the previous value, every other one constant; one output used.
    const liveIndex = inputSlots.indexOf(current);
    if (liveIndex < 0 || inputSlots.some((s, k) => k !== liveIndex && s >= 0 && !constants[s])) return null;
    if (outputSlots.some((s, k) => k > 0 && s >= 0)) return null;
    const constantAt = (k: number): Tensor | undefined => constantOf(inputSlots, k);
    if (op === 'Gemm' || op === 'MatMul') {
      if (liveIndex !== 0 || state === 'dense') return null;
      const layer = denseLayer(node, constantAt(1), op === 'Gemm' ? constantAt(2) : undefined, width);
      if (!layer) return null;
      if (state === 'norm') unactivated++;
      if (layers.length === 0) { stemSlot = current; stemAffine = pending; }
      if (pending) { applyBefore(layer, pending); pending = null; }
      layers.push(layer);
      norms.push(null);
      width = layer.outputs;
      state = 'dense';
    } else if (op === 'Add' || op === 'Sub' || op === 'Mul' || op === 'Div') {
      if (inputSlots.length !== 2) return null;
      const constant = constantAt(1 - liveIndex);
      const vector = constant && columnVector(constant, width);
      const affine = vector && columnAffine(op, vector, liveIndex === 0);
      if (!affine) return null;
      if (state === 'dense') applyAfter(layers[layers.length - 1], affine);
      else if (state === 'norm') applyAfterNorm(norms[layers.length - 1]!, affine);
      else pending = pending ? compose(pending, affine) : affine;
    } else if (op in ACTIVATION_OF) {
      const kind = ACTIVATION_OF[op];
      const alpha = kind in ACTIVATION_ALPHA ? numberAttribute(node, 'alpha', ACTIVATION_ALPHA[kind]!) : undefined;
      if ((state !== 'dense' && state !== 'norm') || (activation !== null && (kind !== activation || alpha !== parameter))) return null;
      activation = kind;
      parameter = alpha;
      state = 'activation';
    } else if (op === 'LayerNormalization') {
      if (state !== 'dense' || liveIndex !== 0) return null;
      const norm = layerNormalization(node, constantAt(1), constantAt(2), width);
      if (!norm) return null;
      norms[layers.length - 1] = norm;
      state = 'norm';
    } else if (op !== 'Identity') {
      return null;
    }
    current = outputSlots[0];
  }
  if (current !== graph.outputSlot || state !== 'dense' || layers.length < 2 || width !== graph.outputCount) return null;
  // One activation for every hidden layer: hidden layers without one are allowed only when none has
  // one (each then ends with its layer normalization: the 'identity' activation).
  if (activation ? unactivated > 0 : unactivated !== layers.length - 1) return null;
  const hasNorms = norms.some((norm) => norm !== null);
  // A skip must be added to the last hidden layer: exactly the output layer follows it.
  if (skip && layersAtSkip !== layers.length - 1) return null;
  return {
    kind: skip ? 'resmlp' : 'mlp',
    ...(skip ? { skip } : {}),
    inputNames: Array.from({ length: graph.inputCount }, (_, j) => `x${j}`),
    outputNames: Array.from({ length: graph.outputCount }, (_, j) => `y${j}`),
    layers,
    activation: activation ?? 'identity',
    ...(hasNorms ? { layerNorms: norms.slice(0, -1) } : {}),
    ...(parameter !== undefined ? { activationParameter: parameter } : {}),
  };
}

/**
 * Evaluates a plain-MLP graph through MlpModel, with the interpreter's `run` contract. Used only
 * while the WebAssembly kernels are active (on the JS fallback the interpreter is as fast).
 */
export class DenseChainEvaluator {
  private readonly model: MlpModel;

  constructor(spec: MlpSpec) {
    this.model = new MlpModel(spec);
  }

  /** Whether the fast path applies now (WebAssembly kernels active). */
  get active(): boolean {
    return activeWasmKernels() !== null;
  }

  /**
   * y (rows×m at yOffset) and, when asked, the Jacobians (point-major at jacobianOffset); false when
   * the model gives a non-finite value, so the caller can evaluate operator by operator and report it.
   */
  run(x: Float64Array, rows: number, y: Float64Array, yOffset: number, jacobian?: Float64Array, jacobianOffset = 0): boolean {
    const n = this.model.inputCount, m = this.model.outputCount;
    const points = new Matrix(rows, n, x.length === rows * n ? x : x.subarray(0, rows * n));
    // Results go straight into the caller's arrays (views, no copy); on a non-finite value the
    // caller rewrites them operator by operator.
    const yView = new Matrix(rows, m, y.subarray(yOffset, yOffset + rows * m));
    const jacobianView = jacobian ? new MatrixBatch(rows, m, n, jacobian.subarray(jacobianOffset, jacobianOffset + rows * m * n)) : null;
    try {
      this.model.evaluateInto(points, yView, jacobianView);
      return true;
    } catch (error) {
      if (error instanceof NonFiniteError) return false;
      throw error;
    }
  }
}
