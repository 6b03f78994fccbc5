// MlpModel speed: forward + exact Jacobians of a tanh 7→64→64→4 MLP (seeded weights) at 10,000
// points, one thread, on the WebAssembly SIMD kernels and, in the same run, on the forced pure-JS
// fallback (src/linalg/gemm). The peer is PyTorch's batched autograd on one CPU thread, measured
// in the same run by bench/peers/pytorch_peer.py when PyTorch is present (else issue 3's ≈30 ms,
// labelled 'published'); the JS fallback is the second, in-process peer.
// Issue 4's budget (10,000 lm solves in < 0.3 s) needs one forward+Jacobian of 10,000 points in
// about 50 ms. Work: per point 4,800 multiply-adds forward + 18,176 for the reverse sweep
// (m·64·64 + m·64·7), ~230 M in all, plus 1.28 M tanh with derivative.
import { Matrix, Random, kernelBackend, type KernelBackend, setKernelBackend, wasmSimdAvailable } from '../../src/linalg/index.ts';
import { MlpModel, type DenseLayer, type MlpSpec } from '../../src/model/index.ts';
import { compareToPeer, compareToPytorch } from '../peers/compare.ts';
import { PYTORCH_PEER_KEYS } from '../peers/published.ts';
import { timeInterleaved, timeMedian, type BenchContext, type BenchLine } from '../types.ts';

const POINTS = 10_000;
const WIDTHS = [7, 64, 64, 4];
const SEED = 3;
const REPEAT = 15;
const WARMUP = 3;
/** Issue 3: at least as fast as PyTorch's batched autograd; issue 4's solver budget needs ≤ 50 ms. */
const TARGET_VS_PYTORCH = 1;
const SOLVER_BUDGET_MS = 50;
/** The two backends must agree before their times mean anything. */
const AGREEMENT_TOLERANCE = 1e-12;
const MULTIPLY_ADDS = POINTS * (7 * 64 + 64 * 64 + 64 * 4 + 4 * 64 * 64 + 4 * 64 * 7);

function seededSpec(): MlpSpec {
  const random = new Random(SEED);
  const layers: DenseLayer[] = WIDTHS.slice(1).map((outputs, k) => {
    const inputs = WIDTHS[k];
    const weight = new Float64Array(inputs * outputs).map(() => random.normal(0, 1.5 / Math.sqrt(inputs)));
    const bias = new Float64Array(outputs).map(() => random.normal(0, 0.3));
    return { inputs, outputs, weight, bias };
  });
  return {
    kind: 'mlp',
    inputNames: Array.from({ length: 7 }, (_, k) => `x${k + 1}`),
    outputNames: Array.from({ length: 4 }, (_, k) => `y${k + 1}`),
    layers,
    activation: 'tanh',
  };
}

function relativeDifference(a: Float64Array, b: Float64Array): number {
  let scale = 0, error = 0;
  for (let k = 0; k < a.length; k++) { scale = Math.max(scale, Math.abs(b[k])); error = Math.max(error, Math.abs(a[k] - b[k])); }
  return error / (scale || 1);
}

export async function run(emit: (line: BenchLine) => void, context: BenchContext): Promise<void> {
  const model = new MlpModel(seededSpec());
  const random = new Random(SEED + 1);
  const x = new Matrix(POINTS, 7);
  for (let k = 0; k < x.data.length; k++) x.data[k] = random.normal();
  const initial = kernelBackend();
  const backends: KernelBackend[] = wasmSimdAvailable() ? ['wasm-simd', 'js'] : ['js'];
  const times = new Map<KernelBackend, { both: number; forward: number }>();
  const results = new Map<KernelBackend, { y: Float64Array; jacobian: Float64Array }>();
  try {
    for (const backend of backends) {
      setKernelBackend(backend);
      const result = model.forwardWithJacobian(x);
      results.set(backend, { y: result.y.data, jacobian: result.jacobian.data });
      times.set(backend, {
        both: timeMedian(() => model.forwardWithJacobian(x), REPEAT, WARMUP),
        forward: timeMedian(() => model.forward(x), REPEAT, WARMUP),
      });
    }
  } finally {
    setKernelBackend(initial);
  }
  const js = times.get('js')!, wasm = times.get('wasm-simd');
  if (wasm) {
    const a = results.get('wasm-simd')!, b = results.get('js')!;
    const difference = Math.max(relativeDifference(a.y, b.y), relativeDifference(a.jacobian, b.jacobian));
    if (difference > AGREEMENT_TOLERANCE) throw new Error(`WASM and JS backends differ by ${difference} relative`);
    const jacobianPeer = context.pytorch(PYTORCH_PEER_KEYS.jacobian);
    const pytorchTarget = { text: `as fast as PyTorch batched autograd on one CPU thread (issue 3); ≤ ${SOLVER_BUDGET_MS} ms for issue 4's solver budget`, ratio: TARGET_VS_PYTORCH };
    emit({
      name: 'mlp-forward-jacobian-wasm-10k-vs-pytorch',
      value: round(wasm.both),
      unit: 'ms',
      ...compareToPytorch(wasm.both, 'ms', jacobianPeer, 'PyTorch batched autograd (not available)', pytorchTarget),
      gigaMultiplyAddsPerSecond: round(MULTIPLY_ADDS / wasm.both / 1e6),
      gflops: round((2 * MULTIPLY_ADDS) / wasm.both / 1e6),
      backendsAgreeTo: Number(difference.toExponential(2)),
    });
    emit({
      name: 'mlp-forward-jacobian-wasm-10k-vs-js-fallback',
      value: round(wasm.both),
      unit: 'ms',
      ...compareToPeer(wasm.both, 'ms', { peer: 'same model on the pure-JS kernel fallback (same run)', value: round(js.both), unit: 'ms', kind: 'measured' }),
    });
    emit({
      name: 'mlp-forward-wasm-10k-vs-js-fallback',
      value: round(wasm.forward),
      unit: 'ms',
      ...compareToPeer(wasm.forward, 'ms', { peer: 'same model on the pure-JS kernel fallback (same run)', value: round(js.forward), unit: 'ms', kind: 'measured' }),
    });
  }
  if (wasm) emitModeComparison(emit, initial);
  emit({
    name: 'mlp-forward-jacobian-js-fallback-10k-vs-pytorch',
    value: round(js.both),
    unit: 'ms',
    ...compareToPytorch(js.both, 'ms', context.pytorch(PYTORCH_PEER_KEYS.jacobian), 'PyTorch batched autograd (not available)'),
    note: 'the fallback used where WebAssembly SIMD cannot run',
  });
}

/** Widths of the wide-output model where forward mode should win (3 inputs, 32 outputs). */
const WIDE_OUTPUT_WIDTHS = [3, 64, 64, 32];

/**
 * Forward-mode against reverse-mode Jacobian sweep (WASM path) on a 3→64→64→32 tanh MLP at 10,000
 * points, timed interleaved in this process (median of REPEAT): forward mode carries 3 rows per point
 * instead of 32, so the sweep's products shrink ~10×.
 */
function emitModeComparison(emit: (line: BenchLine) => void, initial: KernelBackend): void {
  const random = new Random(SEED + 2);
  const layers: DenseLayer[] = WIDE_OUTPUT_WIDTHS.slice(1).map((outputs, k) => {
    const inputs = WIDE_OUTPUT_WIDTHS[k];
    return { inputs, outputs, weight: new Float64Array(inputs * outputs).map(() => random.normal(0, 1.5 / Math.sqrt(inputs))), bias: new Float64Array(outputs).map(() => random.normal(0, 0.3)) };
  });
  const spec: MlpSpec = { kind: 'mlp', inputNames: ['a', 'b', 'c'], outputNames: Array.from({ length: 32 }, (_, k) => `y${k}`), layers, activation: 'tanh' };
  const forwardModel = new MlpModel(spec, { jacobianMode: 'forward' }), reverseModel = new MlpModel(spec, { jacobianMode: 'reverse' });
  const x = new Matrix(POINTS, 3);
  for (let k = 0; k < x.data.length; k++) x.data[k] = random.normal();
  let forwardMs: number, reverseMs: number;
  try {
    setKernelBackend('wasm-simd');
    const difference = relativeDifference(forwardModel.jacobian(x).data, reverseModel.jacobian(x).data);
    if (difference > AGREEMENT_TOLERANCE) throw new Error(`forward and reverse mode differ by ${difference} relative`);
    [forwardMs, reverseMs] = timeInterleaved([() => { forwardModel.forwardWithJacobian(x); }, () => { reverseModel.forwardWithJacobian(x); }], REPEAT, WARMUP);
  } finally {
    setKernelBackend(initial);
  }
  emit({
    name: 'mlp-jacobian-forward-mode-3x64x64x32-10k-vs-reverse-mode',
    value: round(forwardMs),
    unit: 'ms',
    ...compareToPeer(forwardMs, 'ms', { peer: 'the same model with the reverse-mode sweep (interleaved, same run)', value: round(reverseMs), unit: 'ms', kind: 'measured' }),
    model: 'forward + exact Jacobians, tanh 3→64→64→32, WASM, 1 thread, median; MlpModel chooses forward mode when n < m',
  });
}

function round(value: number): number {
  return Number(value.toFixed(2));
}
