// An ONNX graph as a PwlNetwork: every value that depends on the input becomes a tensor of affine
// expressions over the inputs and ReLU neurons; values that do not are folded to constants with the
// interpreter's own operator rules. Linear operators (Gemm, MatMul, Add/Sub, Mul/Div by constants,
// Neg, BatchNormalization in inference) combine expressions; data-movement operators (Identity,
// Dropout, Cast to float, Flatten, Reshape, Squeeze, Unsqueeze, Concat, …) are run by their own
// forward rule on a tensor of expression indices; piecewise-linear activations (Relu, LeakyRelu,
// PRelu, Clip, Abs, Max, Min, HardSigmoid) become ReLU neurons. A new operator slots in as one
// entry of LINEAR, MOVEMENT or PIECEWISE below. Anything else that touches the input (Tanh, Exp,
// a product of two input-dependent values, …) makes the graph not piecewise linear, and the error
// names the operators. Pure and browser-safe.
import { type GraphNode, type OnnxGraph, ELEMENT_TYPES, isFloatType, operatorRule, freshForwardContext, broadcastDims, broadcastIndex, dimsText, sizeOf, type Tensor } from '../onnx/index.ts';
import { constantAffine, NotPiecewiseLinearError, PwlBuilder, type Affine, type PwlNetwork } from './network.ts';

/** A value of the graph: folded constant, or a tensor of affine expressions. */
type Value = { constant: Tensor } | { dims: number[]; exprs: Affine[] };

const SMOOTH = new Set(['Tanh', 'Sigmoid', 'Elu', 'Softplus', 'Erf', 'Gelu', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Pow', 'Selu', 'Softsign', 'Mish', 'Sin', 'Cos']);

/** Operators that only move values: data inputs (the rest are constant parameters). */
const MOVEMENT: Record<string, 'first' | 'all'> = {
  Identity: 'first', Dropout: 'first', Flatten: 'first', Reshape: 'first', Squeeze: 'first', Unsqueeze: 'first',
  Concat: 'all', Transpose: 'first', Slice: 'first', Gather: 'first', Expand: 'first',
};

interface Trace {
  builder: PwlBuilder;
  opset: number;
  node: GraphNode;
  inputs: (Value | undefined)[];
}

type Handler = (trace: Trace) => Value;

function isSymbolic(value: Value | undefined): value is { dims: number[]; exprs: Affine[] } {
  return value !== undefined && 'exprs' in value;
}

function fail(node: GraphNode, what: string): never {
  throw new NotPiecewiseLinearError(`operator ${node.opType} (node '${node.name}') ${what}`);
}

function constantOf(trace: Trace, index: number, what: string): Tensor | undefined {
  const value = trace.inputs[index];
  if (value === undefined) return undefined;
  if (isSymbolic(value)) fail(trace.node, `depends on the input through its ${what}; only a constant ${what} keeps the network piecewise linear`);
  return value.constant;
}

/** Element e of a value broadcast to `outDims`, as an affine expression. */
function elementGetter(value: Value, outDims: readonly number[]): (e: number) => Affine {
  const dims = isSymbolic(value) ? value.dims : value.constant.dims;
  const index = sizeOf(dims) === sizeOf(outDims) && dims.length === outDims.length ? null : broadcastIndex(outDims, dims);
  if (isSymbolic(value)) return (e) => value.exprs[index ? index[e] : e];
  const data = value.constant.data;
  return (e) => constantAffine(data[index ? index[e] : e]);
}

/** Elementwise map of one or more broadcast operands. */
function elementwise(trace: Trace, operands: Value[], map: (terms: Affine[]) => Affine): Value {
  let dims: number[] = [];
  for (const operand of operands) {
    const next = broadcastDims(dims, isSymbolic(operand) ? operand.dims : operand.constant.dims);
    if (!next) fail(trace.node, 'has operands that do not broadcast');
    dims = next;
  }
  const getters = operands.map((operand) => elementGetter(operand, dims));
  const exprs = new Array<Affine>(sizeOf(dims));
  for (let e = 0; e < exprs.length; e++) exprs[e] = map(getters.map((get) => get(e)));
  return { dims, exprs };
}

function firstSymbolic(trace: Trace): { dims: number[]; exprs: Affine[] } {
  const value = trace.inputs[0];
  if (!isSymbolic(value)) fail(trace.node, 'has no input-dependent first input');
  return value;
}

function numberAttribute(node: GraphNode, name: string, fallback: number): number {
  const value = node.attributes.get(name);
  return typeof value === 'number' ? value : fallback;
}

/** out[r, c] = Σ_k a[r, k]·w[k, c] + bias(r, c), for symbolic a (rows×inner) and constant w (inner×cols). */
function denseProduct(builder: PwlBuilder, a: Affine[], rows: number, w: Float64Array, inner: number, cols: number, bias: (r: number, c: number) => number): Affine[] {
  const out = new Array<Affine>(rows * cols);
  const weights = new Float64Array(inner);
  for (let r = 0; r < rows; r++) {
    const terms = a.slice(r * inner, (r + 1) * inner);
    for (let c = 0; c < cols; c++) {
      for (let k = 0; k < inner; k++) weights[k] = w[k * cols + c];
      out[r * cols + c] = builder.combine(terms, weights, bias(r, c));
    }
  }
  return out;
}

/** A 2-D weight as row-major inner×cols, optionally transposed and scaled. */
function matrixOf(trace: Trace, w: Tensor, transposed: boolean, alpha: number): { data: Float64Array; inner: number; cols: number } {
  if (w.dims.length !== 2) fail(trace.node, `has a weight of shape ${dimsText(w.dims)} (not a matrix)`);
  const [rows, cols] = w.dims;
  if (!transposed) return { data: w.data.map((v) => v * alpha), inner: rows, cols };
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[j * rows + i] = alpha * w.data[i * cols + j];
  return { data, inner: cols, cols: rows };
}

const LINEAR: Record<string, Handler> = {
  Gemm(trace) {
    const { node, builder } = trace;
    const a = firstSymbolic(trace);
    if (a.dims.length !== 2) fail(node, `has an input of shape ${dimsText(a.dims)} (Gemm needs a matrix)`);
    if (numberAttribute(node, 'transA', 0) !== 0) fail(node, 'has transA=1 (the batch must be the first axis)');
    const w = matrixOf(trace, constantOf(trace, 1, 'weight')!, numberAttribute(node, 'transB', 0) !== 0, numberAttribute(node, 'alpha', 1));
    if (a.dims[1] !== w.inner) fail(node, `multiplies ${dimsText(a.dims)} by a ${w.inner}×${w.cols} weight`);
    const c = constantOf(trace, 2, 'bias');
    const beta = numberAttribute(node, 'beta', 1);
    const rows = a.dims[0];
    const biasIndex = c ? broadcastIndex([rows, w.cols], c.dims) : null;
    const exprs = denseProduct(builder, a.exprs, rows, w.data, w.inner, w.cols, (r, col) => (c ? beta * c.data[biasIndex![r * w.cols + col]] : 0));
    return { dims: [rows, w.cols], exprs };
  },
  MatMul(trace) {
    const { node, builder } = trace;
    if (isSymbolic(trace.inputs[0])) {
      const a = trace.inputs[0];
      const w = matrixOf(trace, constantOf(trace, 1, 'weight')!, false, 1);
      if (a.dims[a.dims.length - 1] !== w.inner) fail(node, `multiplies ${dimsText(a.dims)} by a ${w.inner}×${w.cols} weight`);
      const rows = a.exprs.length / w.inner;
      return { dims: [...a.dims.slice(0, -1), w.cols], exprs: denseProduct(builder, a.exprs, rows, w.data, w.inner, w.cols, () => 0) };
    }
    // constant (R×K) · symbolic (K×C)
    const left = constantOf(trace, 0, 'left factor')!;
    const right = trace.inputs[1];
    if (!isSymbolic(right) || left.dims.length !== 2 || right.dims.length !== 2 || right.dims[0] !== left.dims[1]) fail(node, 'is not a product of a constant matrix and an input-dependent matrix');
    const [rows, inner] = left.dims, cols = right.dims[1];
    const exprs = new Array<Affine>(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let col = 0; col < cols; col++) {
        const terms: Affine[] = [];
        for (let k = 0; k < inner; k++) terms.push(right.exprs[k * cols + col]);
        exprs[r * cols + col] = builder.combine(terms, left.data.subarray(r * inner, (r + 1) * inner));
      }
    }
    return { dims: [rows, cols], exprs };
  },
  Add: (trace) => elementwise(trace, [trace.inputs[0]!, trace.inputs[1]!], ([a, b]) => trace.builder.add(a, b)),
  Sub: (trace) => elementwise(trace, [trace.inputs[0]!, trace.inputs[1]!], ([a, b]) => trace.builder.add(a, b, -1)),
  Sum: (trace) => elementwise(trace, trace.inputs.filter((v): v is Value => v !== undefined), (terms) => trace.builder.combine(terms, terms.map(() => 1))),
  Mul(trace) {
    const [a, b] = trace.inputs;
    if (isSymbolic(a) && isSymbolic(b)) fail(trace.node, 'multiplies two input-dependent values (not piecewise linear)');
    return elementwise(trace, [a!, b!], ([p, q]) => (p.index.length === 0 ? trace.builder.scale(q, p.constant) : trace.builder.scale(p, q.constant)));
  },
  Div(trace) {
    const divisor = constantOf(trace, 1, 'divisor')!;
    if (divisor.data.some((v) => v === 0)) fail(trace.node, 'divides by zero');
    return elementwise(trace, [trace.inputs[0]!, trace.inputs[1]!], ([p, q]) => trace.builder.scale(p, 1 / q.constant));
  },
  Neg: (trace) => ({ dims: firstSymbolic(trace).dims, exprs: firstSymbolic(trace).exprs.map((e) => trace.builder.scale(e, -1)) }),
  BatchNormalization(trace) {
    const { node, builder } = trace;
    if (numberAttribute(node, 'training_mode', 0) !== 0) fail(node, 'is in training mode; export the model in eval() mode');
    const x = firstSymbolic(trace);
    if (x.dims.length < 2) fail(node, `has an input of shape ${dimsText(x.dims)} without a channel axis`);
    const [scale, bias, mean, variance] = [1, 2, 3, 4].map((k) => constantOf(trace, k, 'statistics')!.data);
    const epsilon = numberAttribute(node, 'epsilon', 1e-5);
    const channels = x.dims[1], inner = sizeOf(x.dims.slice(2));
    const exprs = x.exprs.map((expr, e) => {
      const c = Math.floor(e / inner) % channels;
      const factor = scale[c] / Math.sqrt(variance[c] + epsilon);
      return builder.scale(expr, factor, bias[c] - mean[c] * factor);
    });
    return { dims: x.dims, exprs };
  },
};

const PIECEWISE: Record<string, Handler> = {
  Relu: (trace) => ({ dims: firstSymbolic(trace).dims, exprs: firstSymbolic(trace).exprs.map((e) => trace.builder.relu(e)) }),
  LeakyRelu(trace) {
    const slope = numberAttribute(trace.node, 'alpha', 0.01);
    const x = firstSymbolic(trace);
    return { dims: x.dims, exprs: x.exprs.map((e) => trace.builder.leakyRelu(e, slope)) };
  },
  PRelu: (trace) => elementwise(trace, [trace.inputs[0]!, { constant: constantOf(trace, 1, 'slope')! }], ([z, slope]) => trace.builder.leakyRelu(z, slope.constant)),
  Clip(trace) {
    const lo = constantOf(trace, 1, 'min')?.data[0] ?? numberAttribute(trace.node, 'min', -Infinity);
    const hi = constantOf(trace, 2, 'max')?.data[0] ?? numberAttribute(trace.node, 'max', Infinity);
    const x = firstSymbolic(trace);
    return { dims: x.dims, exprs: x.exprs.map((e) => trace.builder.clip(e, lo, hi)) };
  },
  Abs: (trace) => ({ dims: firstSymbolic(trace).dims, exprs: firstSymbolic(trace).exprs.map((e) => trace.builder.abs(e)) }),
  Max: (trace) => elementwise(trace, trace.inputs.filter((v): v is Value => v !== undefined), (terms) => terms.reduce((a, b) => trace.builder.max(a, b))),
  Min: (trace) => elementwise(trace, trace.inputs.filter((v): v is Value => v !== undefined), (terms) => terms.reduce((a, b) => trace.builder.min(a, b))),
  HardSigmoid(trace) {
    const alpha = numberAttribute(trace.node, 'alpha', 0.2), beta = numberAttribute(trace.node, 'beta', 0.5);
    const x = firstSymbolic(trace);
    return { dims: x.dims, exprs: x.exprs.map((e) => trace.builder.hardSigmoid(e, alpha, beta)) };
  },
};

/** The operators the encoder handles when they touch the input. */
export const PIECEWISE_LINEAR_OPERATORS: readonly string[] = [...Object.keys(LINEAR), ...Object.keys(PIECEWISE), ...Object.keys(MOVEMENT), 'Cast'].sort();

/** Run an interpreter rule on constant tensors. */
function runRule(node: GraphNode, inputs: (Tensor | undefined)[], opset: number): Tensor[] {
  const rule = operatorRule(node.opType, node.domain);
  if (!rule) throw new NotPiecewiseLinearError(`operator ${node.opType} (node '${node.name}') is not supported by the ONNX interpreter`);
  // Outputs may alias their inputs: copy them.
  return rule.forward(inputs, freshForwardContext(node, opset)).map((t) => ({ dims: [...t.dims], data: Float64Array.from(t.data) }));
}

/** A movement operator on expressions: its rule run on a tensor of indices into a pool of expressions. */
function movement(trace: Trace, which: 'first' | 'all'): Value {
  const pool: Affine[] = [];
  const inputs = trace.inputs.map((value, k) => {
    if (value === undefined) return undefined;
    const isData = which === 'all' || k === 0;
    if (!isData) {
      if (isSymbolic(value)) fail(trace.node, `depends on the input through parameter #${k}`);
      return value.constant;
    }
    const exprs = isSymbolic(value) ? value.exprs : Array.from(value.constant.data, (v) => constantAffine(v));
    const dims = isSymbolic(value) ? value.dims : value.constant.dims;
    const data = new Float64Array(exprs.length);
    for (let e = 0; e < exprs.length; e++) { data[e] = pool.length; pool.push(exprs[e]); }
    return { dims, data };
  });
  const [out] = runRule(trace.node, inputs, trace.opset);
  return { dims: [...out.dims], exprs: Array.from(out.data, (index) => pool[index]) };
}

export interface OnnxEncodingOptions {
  /** The graph output (default: the first). */
  output?: string;
}

/** The PwlNetwork of an ONNX graph with one [batch, n] input, evaluated for a single row. */
export function pwlNetworkFromOnnx(graph: OnnxGraph, options: OnnxEncodingOptions = {}): PwlNetwork {
  if (graph.inputs.length !== 1) throw new NotPiecewiseLinearError(`the graph has ${graph.inputs.length} inputs; certification needs one [batch, n] input`);
  const input = graph.inputs[0];
  const n = input.shape?.[1];
  if (typeof n !== 'number' || input.shape!.length !== 2) throw new NotPiecewiseLinearError(`input '${input.name}' is not a [batch, n] table`);
  const outputName = options.output ?? graph.outputs[0]?.name;
  if (!outputName) throw new NotPiecewiseLinearError('the graph has no output');
  const builder = new PwlBuilder(n);
  const values = new Map<string, Value>();
  for (const [name, tensor] of graph.initializers) values.set(name, { constant: tensor });
  values.set(input.name, { dims: [1, n], exprs: Array.from({ length: n }, (_, j) => builder.input(j)) });

  const needed = neededNodes(graph, outputName, input.name);
  const refused: string[] = [];
  for (const node of needed) {
    const inputs = node.inputs.map((name) => (name ? values.get(name) : undefined));
    if (node.inputs.some((name, k) => name && inputs[k] === undefined)) continue; // depends on a refused node
    let outputs: Value[];
    if (!inputs.some(isSymbolic)) {
      outputs = runRule(node, inputs.map((v) => (v ? (v as { constant: Tensor }).constant : undefined)), graph.opset).map((t) => ({ constant: t }));
    } else {
      const trace: Trace = { builder, opset: graph.opset, node, inputs };
      const handler = LINEAR[node.opType] ?? PIECEWISE[node.opType];
      if (node.domain !== '' && node.domain !== 'ai.onnx') { refused.push(`${node.domain}.${node.opType} (node '${node.name}')`); continue; }
      if (handler) outputs = [handler(trace)];
      else if (MOVEMENT[node.opType]) outputs = [movement(trace, MOVEMENT[node.opType])];
      else if (node.opType === 'Cast') {
        const to = ELEMENT_TYPES[numberAttribute(node, 'to', 1)] ?? 'unknown';
        if (!isFloatType(to)) { refused.push(`Cast to ${to} (node '${node.name}')`); continue; }
        outputs = [inputs[0]!];
      } else {
        refused.push(`${node.opType} (node '${node.name}')${SMOOTH.has(node.opType) ? ' [smooth]' : ''}`);
        continue;
      }
    }
    node.outputs.forEach((name, k) => { if (name && outputs[k]) values.set(name, outputs[k]); });
  }
  if (refused.length > 0) {
    throw new NotPiecewiseLinearError(`the network is not piecewise linear in its input: ${refused.join(', ')}; a MILP certificate needs Relu-type activations (${Object.keys(PIECEWISE).join(', ')}) and linear layers`);
  }
  const output = values.get(outputName);
  if (!output) throw new NotPiecewiseLinearError(`output '${outputName}' was not computed`);
  const exprs = isSymbolic(output) ? output.exprs : Array.from(output.constant.data, (v) => constantAffine(v));
  const dims = isSymbolic(output) ? output.dims : output.constant.dims;
  if (dims.length > 0 && dims[0] !== 1) throw new NotPiecewiseLinearError(`output '${outputName}' has shape ${dimsText(dims)}; certification needs one row per input row`);
  return builder.finish(exprs);
}

/** Nodes the output depends on, in graph order (ONNX graphs are topologically sorted). */
function neededNodes(graph: OnnxGraph, outputName: string, inputName: string): GraphNode[] {
  const producer = new Map<string, GraphNode>();
  for (const node of graph.nodes) for (const out of node.outputs) if (out) producer.set(out, node);
  const needed = new Set<GraphNode>();
  const stack = [outputName];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (name === inputName || graph.initializers.has(name)) continue;
    const node = producer.get(name);
    if (!node || needed.has(node)) continue;
    needed.add(node);
    for (const value of node.inputs) if (value) stack.push(value);
  }
  return graph.nodes.filter((node) => needed.has(node));
}
