// MlpModel speed: forward + exact Jacobians of a tanh 7→64→64→4 MLP (seeded weights) at 10,000
// points, one thread, on the WebAssembly SIMD kernels and, in the same run, on the forced pure-JS
// fallback (src/linalg/kernels). The published peer is PyTorch's batched autograd on one CPU thread,
// about 30 ms for this work (issue 3's figure, not measured here: PyTorch is not a dependency).
// Issue 4's budget (10,000 lm solves in < 0.3 s) needs one forward+Jacobian of 10,000 points in
// about 50 ms. Work: per point 4,800 multiply-adds forward + 18,176 for the reverse sweep
// (m·64·64 + m·64·7), ~230 M in all, plus 1.28 M tanh with derivative.
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { kernelBackend, setKernelBackend, wasmSimdAvailable, type KernelBackend } from '../../src/linalg/kernels/index.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import type { DenseLayer, MlpSpec } from '../../src/model/mlp-spec.ts';
import { timeMedian, type BenchLine } from '../types.ts';

const POINTS = 10_000;
const WIDTHS = [7, 64, 64, 4];
const SEED = 3;
const REPEAT = 15;
const WARMUP = 3;
const PYTORCH_MS = 30;
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

export async function run(emit: (line: BenchLine) => void): Promise<void> {
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
    emit({
      name: 'MlpModel forward+Jacobian, tanh 7→64→64→4, 10,000 points, WASM SIMD kernels, 1 thread (median)',
      value: Number(wasm.both.toFixed(2)),
      unit: 'ms',
      peer: 'same model on the pure-JS kernel fallback (same run)',
      peerValue: Number(js.both.toFixed(2)),
      ratio: Number((js.both / wasm.both).toFixed(2)),
      ratioMeaning: 'JS fallback time / WASM time (> 1: WASM faster)',
      publishedPeer: `PyTorch batched autograd, 1 CPU thread ≈ ${PYTORCH_MS} ms (issue 3 figure, not measured here)`,
      publishedPeerValue: PYTORCH_MS,
      ratioToPublishedPeer: Number((PYTORCH_MS / wasm.both).toFixed(2)),
      target: `≤ ${PYTORCH_MS} ms (PyTorch parity); ≤ ${SOLVER_BUDGET_MS} ms for issue 4's solver budget`,
      gigaMultiplyAddsPerSecond: Number((MULTIPLY_ADDS / wasm.both / 1e6).toFixed(2)),
      backendsAgreeTo: Number(difference.toExponential(2)),
    });
    emit({
      name: 'MlpModel forward only, tanh 7→64→64→4, 10,000 points, WASM SIMD kernels (median)',
      value: Number(wasm.forward.toFixed(2)),
      unit: 'ms',
      peer: 'same model on the pure-JS kernel fallback (same run)',
      peerValue: Number(js.forward.toFixed(2)),
      ratio: Number((js.forward / wasm.forward).toFixed(2)),
      ratioMeaning: 'JS fallback time / WASM time (> 1: WASM faster)',
    });
  }
  emit({
    name: 'MlpModel forward+Jacobian, tanh 7→64→64→4, 10,000 points, pure-JS kernel fallback (median)',
    value: Number(js.both.toFixed(2)),
    unit: 'ms',
    peer: `PyTorch batched autograd, 1 CPU thread (issue 3 figure, not measured here)`,
    peerValue: PYTORCH_MS,
    ratio: Number((PYTORCH_MS / js.both).toFixed(2)),
    ratioMeaning: 'PyTorch time / inversa time (> 1: inversa faster)',
    target: `≤ ${PYTORCH_MS} ms`,
    forwardOnlyMs: Number(js.forward.toFixed(2)),
  });
}
