// Exact Jacobians of the tanh 7→64→64→4 fixture (imported from ONNX) at 10,000 points, one thread:
// the batched reverse sweep of src/onnx against, in the same run, the plain per-point loop of the
// seeds (for each point: forward, then one backward pass per output row, with small arrays per
// point — what a straightforward TypeScript port of `torch.autograd.functional.jacobian` in a loop
// does). Issue 3's target: as fast as PyTorch's batched autograd on one CPU thread (ratio ≥ 1),
// PyTorch measured in the same run by bench/peers/pytorch_peer.py, or, without PyTorch, the issue's
// published ≈ 30 ms (labelled peerKind 'published').
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Matrix, Random } from '../../src/linalg/index.ts';
import { loadOnnxModel } from '../../src/onnx/index.ts';
import { readOnnxGraph } from '../../src/onnx/read.ts';
import { compareToPeer, compareToPytorch } from '../peers/compare.ts';
import { PYTORCH_PEER_KEYS } from '../peers/published.ts';
import { timeMedian, type BenchContext, type BenchLine } from '../types.ts';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/tanh_mlp_7x64x64x4.onnx', import.meta.url));
const POINTS = 10_000;
const SEED = 7;
/** Floating-point operations of forward + reverse-sweep Jacobians of 7→64→64→4 at POINTS points (2 per multiply-add). */
const FLOPS = 2 * POINTS * (7 * 64 + 64 * 64 + 64 * 4 + 4 * 64 * 64 + 4 * 64 * 7);
const REPEAT = 9;
const WARMUP = 3;
const QUICK_REPEAT = 3;
const QUICK_WARMUP = 1;
/** Issue 3: at least as fast as PyTorch's batched autograd. */
const TARGET_VS_PYTORCH = 1;
/** The two implementations must agree before their times mean anything. */
const AGREEMENT_TOLERANCE = 1e-12;

interface Layer { inputs: number; outputs: number; weight: Float64Array; bias: Float64Array }

/** The Gemm layers of the fixture (weight [out, in], row-major). */
function plainLayers(bytes: Uint8Array): Layer[] {
  const graph = readOnnxGraph(bytes);
  return graph.nodes.filter((n) => n.opType === 'Gemm').map((n) => {
    const w = graph.initializers.get(n.inputs[1])!, b = graph.initializers.get(n.inputs[2])!;
    return { outputs: w.dims[0], inputs: w.dims[1], weight: w.data, bias: b.data };
  });
}

/**
 * The per-point loop, written plainly: for each point a forward pass, then for each output row a
 * backward pass, J = W3·diag(1−h2²)·W2·diag(1−h1²)·W1, with small arrays per point.
 */
function perPointJacobians(layers: Layer[], x: Matrix, out: Float64Array): void {
  const [first, second, last] = layers;
  const n = x.cols, m = last.outputs, width1 = first.outputs, width2 = second.outputs;
  for (let p = 0; p < x.rows; p++) {
    const h1 = new Float64Array(width1), h2 = new Float64Array(width2);
    for (let i = 0; i < width1; i++) {
      let sum = first.bias[i];
      for (let j = 0; j < n; j++) sum += first.weight[i * n + j] * x.data[p * n + j];
      h1[i] = Math.tanh(sum);
    }
    for (let i = 0; i < width2; i++) {
      let sum = second.bias[i];
      for (let j = 0; j < width1; j++) sum += second.weight[i * width1 + j] * h1[j];
      h2[i] = Math.tanh(sum);
    }
    for (let s = 0; s < m; s++) {
      const g2 = new Float64Array(width2), g1 = new Float64Array(width1);
      for (let i = 0; i < width2; i++) g2[i] = last.weight[s * width2 + i] * (1 - h2[i] * h2[i]);
      for (let k = 0; k < width1; k++) {
        let sum = 0;
        for (let i = 0; i < width2; i++) sum += g2[i] * second.weight[i * width1 + k];
        g1[k] = sum * (1 - h1[k] * h1[k]);
      }
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let k = 0; k < width1; k++) sum += g1[k] * first.weight[k * n + j];
        out[p * m * n + s * n + j] = sum;
      }
    }
  }
}

export async function run(emit: (line: BenchLine) => void, context: BenchContext): Promise<void> {
  const bytes = new Uint8Array(readFileSync(FIXTURE));
  const model = await loadOnnxModel(bytes, { source: 'tanh_mlp_7x64x64x4.onnx' });
  const random = new Random(SEED);
  const x = new Matrix(POINTS, 7);
  for (let k = 0; k < x.data.length; k++) x.data[k] = random.normal();

  const layers = plainLayers(bytes);
  const peerOut = new Float64Array(POINTS * 28);
  const ours = model.jacobian(x).data;
  perPointJacobians(layers, x, peerOut);
  let scale = 0, error = 0;
  for (let k = 0; k < ours.length; k++) { scale = Math.max(scale, Math.abs(peerOut[k])); error = Math.max(error, Math.abs(ours[k] - peerOut[k])); }
  if (error > AGREEMENT_TOLERANCE * scale) throw new Error(`batched and per-point Jacobians differ by ${error / scale} relative`);

  const repeat = context.quick ? QUICK_REPEAT : REPEAT, warmup = context.quick ? QUICK_WARMUP : WARMUP;
  const oursMs = timeMedian(() => model.jacobian(x), repeat, warmup);
  const loopMs = timeMedian(() => perPointJacobians(layers, x, peerOut), repeat, warmup);
  const work = { points: POINTS, model: 'tanh 7→64→64→4 (test/fixtures/tanh_mlp_7x64x64x4.onnx), Float64, 1 thread, median' };
  emit({
    name: 'jacobian-tanh-7x64x64x4-10k-vs-pytorch',
    value: round(oursMs),
    unit: 'ms',
    ...compareToPytorch(oursMs, 'ms', context.pytorch(PYTORCH_PEER_KEYS.jacobian), 'PyTorch batched autograd (not available)', {
      text: 'as fast as PyTorch batched autograd on one CPU thread (issue 3)',
      ratio: TARGET_VS_PYTORCH,
    }),
    gflops: round(FLOPS / (oursMs / 1000) / 1e9),
    ...work,
  });
  emit({
    name: 'jacobian-tanh-7x64x64x4-10k-vs-per-point-loop',
    value: round(oursMs),
    unit: 'ms',
    ...compareToPeer(oursMs, 'ms', { peer: 'plain per-point TypeScript loop of the seeds (same run)', value: round(loopMs), unit: 'ms', kind: 'measured' }),
    peerSource: 'bench/suites/jacobian.ts perPointJacobians, timed in this process',
    ...work,
  });
}

function round(value: number): number {
  return Number(value.toFixed(2));
}
