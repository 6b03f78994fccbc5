// Inverse solving on the tanh 7→64→64→4 fixture: 10,000 reachable targets y* = f(x_true) (seeded
// x_true in the box [−1, 1]⁷), every solve started at x = 0. Reports per method the fraction solved
// to ‖f(x) − y*‖ ≤ 1e-9, the wall time and the median residual, next to the PyTorch peer measured
// for the issue (batched 20-iteration Gauss–Newton with torch.linalg.pinv: 1.6 s on 10,000 targets).
// NIO runs with the seed's settings (Adam lr 0.01, 300 steps, λ = 0.01) on a subset: it needs one
// f+J evaluation per Adam step, 300 per target, and its residual (not its speed) is the point.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import type { Model } from '../../src/model/model.ts';
import { loadModelFile } from '../../src/onnx/load.ts';
import { solve } from '../../src/solve/solve.ts';
import type { SolveMethod } from '../../src/solve/options.ts';
import type { BenchLine } from '../types.ts';

const TARGETS = 10_000;
const NIO_TARGETS = 500;
const SOLVED_TOLERANCE = 1e-9;
const SEED = 20240607;
const PEER = 'PyTorch batched 20-iteration Gauss–Newton with torch.linalg.pinv (measured for issue 4)';
const PEER_SECONDS = 1.6;
const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/tanh_mlp_7x64x64x4.onnx');

export async function run(emit: (line: BenchLine) => void): Promise<void> {
  const model = await loadModelFile(FIXTURE);
  const random = new Random(SEED);
  const truth = new Matrix(TARGETS, 7);
  for (let k = 0; k < truth.data.length; k++) truth.data[k] = random.between(-1, 1);
  const targets = model.forward(truth);
  // Warm-up on a few targets so both methods run optimised code.
  solve(model, new Matrix(50, 4, targets.data.slice(0, 200)), { start: new Float64Array(7) });
  for (const method of ['lm', 'gauss-newton'] as SolveMethod[]) emit(measure(model, targets, method, TARGETS));
  const subset = new Matrix(NIO_TARGETS, 4, targets.data.slice(0, NIO_TARGETS * 4));
  emit(measure(model, subset, 'lm', NIO_TARGETS, 'lm on the NIO subset'));
  emit(measure(model, subset, 'nio', NIO_TARGETS, 'nio (seed 000 settings: Adam lr 0.01, 300 steps, λ 0.01)'));
}

function measure(model: Model, targets: Matrix, method: SolveMethod, count: number, note?: string): BenchLine {
  const start = performance.now();
  const report = solve(model, targets, { method, start: new Float64Array(7) });
  const seconds = (performance.now() - start) / 1000;
  let solved = 0, iterations = 0;
  for (const result of report.results) {
    if (result.residualNorm <= SOLVED_TOLERANCE) solved++;
    iterations = Math.max(iterations, result.iterations);
  }
  const fraction = solved / count;
  const line: BenchLine = {
    name: `solve-${method}-tanh-7x64x64x4-${count}`,
    value: round(seconds),
    unit: 's',
    method,
    targets: count,
    time: round(seconds),
    solvedFraction: fraction,
    medianResidual: report.summary.medianResidual,
    maxIterations: iterations,
    evaluations: report.summary.evaluations,
  };
  if (count === TARGETS) {
    Object.assign(line, { peer: PEER, peerValue: PEER_SECONDS, ratio: round(PEER_SECONDS / seconds), ratioMeaning: 'peer time / our time', target: 'solved ≥ 99.9% and time < 0.3 s (one fifth of the peer)' });
  }
  if (note) line.note = note;
  return line;
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}
