// The price of LayerNorm (issue 13): forward + exact Jacobians at 10,000 points of a tanh
// 7→64→64→4 MLP with a LayerNormalization after each hidden Gemm (recognized by the dense-chain fast
// path, src/onnx/dense-chain.ts: MlpModel with layerNorms, the reverse step a WebAssembly
// kernel), against the plain tanh MLP of the same widths and weights measured in the same run (a
// dense chain: the whole chain on the batched WebAssembly kernels). Target:
// the LayerNorm MLP no slower than 2× the plain one (ratio ≥ 0.5), also in the opset-13 form. A second, informational line
// compares it with the same plain MLP evaluated operator by operator (an inference Dropout after
// the first tanh keeps it off the fast path): what the fast path saves. One thread,
// Float64, median.
import { Matrix, Random } from '../../src/linalg/index.ts';
import { loadOnnxModel } from '../../src/onnx/index.ts';
import { onnx, type OnnxTypes } from '../../src/onnx/proto.ts';
import { compareToPeer } from '../peers/compare.ts';
import { timeInterleaved, type BenchContext, type BenchLine } from '../types.ts';

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
function mlpGraph(layerNorm: boolean, dropout = false, decomposed = false): Uint8Array {
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
      if (decomposed) {
        // What torch.onnx writes for nn.LayerNorm before opset 17 (ε = 1e-5, LayerNormalization's default).
        if (k === 1) {
          tensor('two', [], Float64Array.of(2));
          tensor('eps', [], Float64Array.of(Math.fround(1e-5)));
        }
        const axes = [{ name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [-1] }];
        node.push(
          { opType: 'ReduceMean', name: `mean${k}`, input: [value], output: [`mu${k}`], attribute: axes },
          { opType: 'Sub', name: `center${k}`, input: [value, `mu${k}`], output: [`c${k}`] },
          { opType: 'Pow', name: `square${k}`, input: [`c${k}`, 'two'], output: [`sq${k}`] },
          { opType: 'ReduceMean', name: `variance${k}`, input: [`sq${k}`], output: [`var${k}`], attribute: axes },
          { opType: 'Add', name: `epsilon${k}`, input: [`var${k}`, 'eps'], output: [`ve${k}`] },
          { opType: 'Sqrt', name: `deviation${k}`, input: [`ve${k}`], output: [`sd${k}`] },
          { opType: 'Div', name: `normalize${k}`, input: [`c${k}`, `sd${k}`], output: [`hat${k}`] },
          { opType: 'Mul', name: `scale${k}`, input: [`hat${k}`, `s${k}`], output: [`scaled${k}`] },
          { opType: 'Add', name: `shift${k}`, input: [`scaled${k}`, `o${k}`], output: [`n${k}`] },
        );
      } else {
        node.push({ opType: 'LayerNormalization', name: `norm${k}`, input: [value, `s${k}`, `o${k}`], output: [`n${k}`] });
      }
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
    opsetImport: [{ domain: '', version: decomposed ? 13 : 17 }],
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
  const decomposed = await loadOnnxModel(mlpGraph(true, false, true), { source: 'layernorm-mlp-opset13.onnx' });
  const random = new Random(SEED + 1);
  const x = new Matrix(POINTS, WIDTHS[0]);
  for (let k = 0; k < x.data.length; k++) x.data[k] = random.normal();
  const repeat = context.quick ? QUICK_REPEAT : REPEAT, warmup = context.quick ? QUICK_WARMUP : WARMUP;
  // Round-robin, so load changes on this shared machine hit all four alike.
  const [plainMs, normalizedMs, decomposedMs, interpretedMs] = timeInterleaved(
    [plain, normalized, decomposed, interpreted].map((model) => () => { model.forwardWithJacobian(x); }), repeat, warmup);
  emit({
    name: 'layernorm-mlp-7x64x64x4-10k-vs-plain-mlp',
    value: round(normalizedMs),
    unit: 'ms',
    ...compareToPeer(normalizedMs, 'ms', { peer: 'plain tanh MLP of the same widths (dense-chain fast path, same run)', value: round(plainMs), unit: 'ms', kind: 'measured' },
      { text: 'a LayerNorm MLP no slower than 2× the plain MLP of the same widths (issue 13)', ratio: TARGET_RATIO }),
    peerSource: 'bench/suites/onnx-layers.ts, timed in this process, interleaved',
    points: POINTS,
    model: 'forward + exact Jacobians, tanh 7→64→64→4 with LayerNormalization after each hidden layer (ONNX opset 17, Float64), 1 thread, median',
  });
  emit({
    name: 'layernorm-opset13-mlp-7x64x64x4-10k-vs-plain-mlp',
    value: round(decomposedMs),
    unit: 'ms',
    ...compareToPeer(decomposedMs, 'ms', { peer: 'plain tanh MLP of the same widths (dense-chain fast path, same run)', value: round(plainMs), unit: 'ms', kind: 'measured' },
      { text: 'a LayerNorm MLP no slower than 2× the plain MLP of the same widths (issue 13)', ratio: TARGET_RATIO }),
    peerSource: 'bench/suites/onnx-layers.ts, timed in this process, interleaved',
    points: POINTS,
    model: 'as above, LayerNorm as torch.onnx writes it before opset 17 (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add; opset 13)',
  });
  emit({
    name: 'layernorm-mlp-7x64x64x4-10k-vs-interpreted-plain-mlp',
    value: round(normalizedMs),
    unit: 'ms',
    ...compareToPeer(normalizedMs, 'ms', { peer: 'the same plain MLP evaluated operator by operator (Dropout keeps it off the fast path, same run)', value: round(interpretedMs), unit: 'ms', kind: 'measured' }),
    peerSource: 'bench/suites/onnx-layers.ts, timed in this process, interleaved',
    points: POINTS,
    model: 'the LayerNorm MLP on the fast path against the plain MLP in the operator-by-operator interpreter (informational)',
  });
}

function round(value: number): number {
  return Number(value.toFixed(2));
}
