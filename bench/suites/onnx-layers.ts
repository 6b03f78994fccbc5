// The price of leaving the MLP fast path (issue 13): forward + exact Jacobians at 10,000 points of
// a tanh 7→64→64→4 MLP with a LayerNormalization after each hidden Gemm (evaluated operator by
// operator by the interpreter), against the plain tanh MLP of the same widths and weights measured
// in the same run (a dense chain: the whole chain on the batched WebAssembly kernels). Target:
// the LayerNorm MLP no slower than 2× the plain one (ratio ≥ 0.5). A second, informational line
// compares it with the same plain MLP evaluated operator by operator (an inference Dropout after
// the first tanh keeps it off the fast path): the cost of LayerNormalization alone. One thread,
// Float64, median.
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { onnx, type OnnxTypes } from '../../src/onnx/proto.ts';
import { compareToPeer } from '../peers/compare.ts';
import { timeMedian, type BenchContext, type BenchLine } from '../types.ts';

const POINTS = 10_000;
const WIDTHS = [7, 64, 64, 4];
const SEED = 13;
const REPEAT = 9;
const WARMUP = 3;
const QUICK_REPEAT = 3;
const QUICK_WARMUP = 1;
/** Issue 13: a LayerNorm MLP no slower than 2× the plain MLP of the same widths. */
const TARGET_RATIO = 0.5;
const DOUBLE = 11;

/**
 * A float64 ONNX MLP (Gemm [+ LayerNormalization] → Tanh per hidden layer) with seeded weights;
 * `dropout` adds an inference Dropout (the identity) after the first tanh, which is not a dense chain.
 */
function mlpGraph(layerNorm: boolean, dropout = false): Uint8Array {
  const random = new Random(SEED);
  const initializer: OnnxTypes.ITensorProto[] = [];
  const node: OnnxTypes.INodeProto[] = [];
  const tensor = (name: string, dims: number[], values: Float64Array) =>
    initializer.push({ name, dims, dataType: DOUBLE, rawData: new Uint8Array(values.buffer) });
  let value = 'x';
  for (let k = 1; k < WIDTHS.length; k++) {
    const inputs = WIDTHS[k - 1], outputs = WIDTHS[k];
    tensor(`w${k}`, [inputs, outputs], Float64Array.from({ length: inputs * outputs }, () => random.normal(0, 1.5 / Math.sqrt(inputs))));
    tensor(`b${k}`, [outputs], Float64Array.from({ length: outputs }, () => random.normal(0, 0.3)));
    const last = k === WIDTHS.length - 1;
    node.push({ opType: 'Gemm', name: `gemm${k}`, input: [value, `w${k}`, `b${k}`], output: [last ? 'y' : `g${k}`] });
    if (last) break;
    value = `g${k}`;
    if (layerNorm) {
      tensor(`s${k}`, [outputs], Float64Array.from({ length: outputs }, () => 1 + random.normal(0, 0.2)));
      tensor(`o${k}`, [outputs], Float64Array.from({ length: outputs }, () => random.normal(0, 0.2)));
      node.push({ opType: 'LayerNormalization', name: `norm${k}`, input: [value, `s${k}`, `o${k}`], output: [`n${k}`] });
      value = `n${k}`;
    }
    node.push({ opType: 'Tanh', name: `tanh${k}`, input: [value], output: [`h${k}`] });
    value = `h${k}`;
    if (dropout && k === 1) {
      node.push({ opType: 'Dropout', name: 'dropout', input: [value], output: ['dropped'] });
      value = 'dropped';
    }
  }
  const shape = (dims: (number | string)[]) => ({ dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) });
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: layerNorm ? 'layernorm-mlp' : 'mlp', node, initializer,
      input: [{ name: 'x', type: { tensorType: { elemType: DOUBLE, shape: shape(['batch', WIDTHS[0]]) } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: DOUBLE, shape: shape(['batch', WIDTHS[WIDTHS.length - 1]]) } } }],
    },
  })).finish();
}

export async function run(emit: (line: BenchLine) => void, context: BenchContext): Promise<void> {
  const plain = await loadOnnxModel(mlpGraph(false), { source: 'mlp.onnx' });
  const normalized = await loadOnnxModel(mlpGraph(true), { source: 'layernorm-mlp.onnx' });
  const interpreted = await loadOnnxModel(mlpGraph(false, true), { source: 'mlp-dropout.onnx' });
  const random = new Random(SEED + 1);
  const x = new Matrix(POINTS, WIDTHS[0]);
  for (let k = 0; k < x.data.length; k++) x.data[k] = random.normal();
  const repeat = context.quick ? QUICK_REPEAT : REPEAT, warmup = context.quick ? QUICK_WARMUP : WARMUP;
  const plainMs = timeMedian(() => plain.forwardWithJacobian(x), repeat, warmup);
  const normalizedMs = timeMedian(() => normalized.forwardWithJacobian(x), repeat, warmup);
  const interpretedMs = timeMedian(() => interpreted.forwardWithJacobian(x), repeat, warmup);
  emit({
    name: 'layernorm-mlp-7x64x64x4-10k-vs-plain-mlp',
    value: round(normalizedMs),
    unit: 'ms',
    ...compareToPeer(normalizedMs, 'ms', { peer: 'plain tanh MLP of the same widths (dense-chain fast path, same run)', value: round(plainMs), unit: 'ms', kind: 'measured' },
      { text: 'a LayerNorm MLP no slower than 2× the plain MLP of the same widths (issue 13)', ratio: TARGET_RATIO }),
    peerSource: 'bench/suites/onnx-layers.ts, timed in this process',
    points: POINTS,
    model: 'forward + exact Jacobians, tanh 7→64→64→4 with LayerNormalization after each hidden layer (ONNX opset 17, Float64), 1 thread, median',
  });
  emit({
    name: 'layernorm-mlp-7x64x64x4-10k-vs-interpreted-plain-mlp',
    value: round(normalizedMs),
    unit: 'ms',
    ...compareToPeer(normalizedMs, 'ms', { peer: 'the same plain MLP evaluated operator by operator (Dropout keeps it off the fast path, same run)', value: round(interpretedMs), unit: 'ms', kind: 'measured' }),
    peerSource: 'bench/suites/onnx-layers.ts, timed in this process',
    points: POINTS,
    model: 'the cost of LayerNormalization itself in the interpreter (informational)',
  });
}

function round(value: number): number {
  return Number(value.toFixed(2));
}
