// Certification (issue 14): output ranges of seeded random ReLU nets (randomReluSpec: He-uniform
// weights, biases ±0.5, seed 1) over a box around the origin, inversa (interval → back-substitution
// → per-neuron LP bounds, then per min/max a local ascent and a branch and bound over the input box
// with big-M MILPs by HiGHS WebAssembly in a worker at the leaves) against the peer measured in
// the same run: the plain big-M MILP with interval bounds by scipy.optimize.milp (native HiGHS),
// bench/peers/milp_peer.py. Both stop at a relative gap of 1e-9. Both clocks start with the solver
// loaded: the peer's after `import scipy` (native HiGHS), ours after the worker has loaded and
// compiled HiGHS (WebAssembly, optimizing tier at load: WorkerSolver optimizeAtLoad); that load time
// is reported beside the range lines (solverLoadSeconds). Then 100 targets of the 7→64→64→4
// net certified (solve with certify, 2 HiGHS workers started inside the timed window): 70 reachable
// targets (f at seeded points) answered with the certified cheapest input (gap ≤ 1e-6), and 30
// targets 1–4 % beyond the certified maximum of output 1 proved infeasible (by MILP, an infeasible
// LP relaxation or bounds).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random, Matrix } from '../../src/linalg/index.ts';
import { MlpModel } from '../../src/model/index.ts';
import { randomReluSpec, extractNetwork, prepareNetwork, type RangeEntry, reachableRange, tightenWithLp } from '../../src/certify/index.ts';
import { WorkerSolver } from '../../src/io/index.ts';
import { solve } from '../../src/solve/index.ts';
import { compareToPeer } from '../peers/compare.ts';
import type { BenchContext, BenchLine } from '../types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PEER_SCRIPT = path.join(here, '..', 'peers', 'milp_peer.py');
/** Per-MILP limit of the peer (a peer stopped here only gives a lower bound on its time). */
const PEER_TIME_LIMIT = 300;

interface Case { widths: number[]; halfWidth: number }
const CASES: Case[] = [{ widths: [5, 24, 24, 3], halfWidth: 0.2 }, { widths: [7, 64, 64, 4], halfWidth: 0.05 }];

function pythonWithScipy(): string | null {
  for (const command of [process.env.INVERSA_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c)) {
    const probe = spawnSync(command, ['-c', 'from scipy.optimize import milp'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) return command;
  }
  return null;
}

function runPeer(python: string, spec: ReturnType<typeof randomReluSpec>, lower: number[], upper: number[]): { ranges: (number | null)[][]; status: number[]; seconds: number } | null {
  const layers = spec.layers.map((l) => ({ weight: Array.from({ length: l.outputs }, (_, i) => Array.from(l.weight.subarray(i * l.inputs, (i + 1) * l.inputs))), bias: Array.from(l.bias) }));
  const input = JSON.stringify({ layers, lower, upper, time_limit: PEER_TIME_LIMIT, mip_rel_gap: 1e-9 });
  const result = spawnSync(python, [PEER_SCRIPT], { input, encoding: 'utf8', timeout: 3_600_000, maxBuffer: 1 << 24 });
  if (result.status !== 0) { process.stderr.write(`certify bench: peer failed: ${result.stderr}\n`); return null; }
  return JSON.parse(result.stdout);
}

async function ours(model: MlpModel, lower: number[], upper: number[], solver: WorkerSolver): Promise<{ ranges: RangeEntry[]; seconds: number; unstable: number }> {
  const box = { lower: Float64Array.from(lower), upper: Float64Array.from(upper) };
  const start = performance.now();
  const extraction = extractNetwork(model, box);
  if (!('network' in extraction)) throw new Error(extraction.reason);
  const prepared = prepareNetwork(extraction.network, box);
  await tightenWithLp(prepared, solver);
  const ranges = await reachableRange(prepared, solver);
  return { ranges, seconds: (performance.now() - start) / 1000, unstable: prepared.neurons.unstable };
}

export async function run(emit: (line: BenchLine) => void, context: BenchContext): Promise<void> {
  const python = pythonWithScipy();
  const solver = new WorkerSolver({ optimizeAtLoad: true });
  let ranges7x64: RangeEntry[] | null = null;
  try {
    const loadStart = performance.now();
    await solver.ready();
    const solverLoadSeconds = (performance.now() - loadStart) / 1000;
    for (const { widths, halfWidth } of CASES) {
      const spec = randomReluSpec(widths, 1);
      const model = new MlpModel(spec);
      const n = widths[0];
      const lower = Array(n).fill(-halfWidth), upper = Array(n).fill(halfWidth);
      const mine = await ours(model, lower, upper, solver);
      if (widths.join('x') === '7x64x64x4') ranges7x64 = mine.ranges;
      const allOptimal = mine.ranges.every((r) => [r.min, r.max].every((c) => c.status === 'optimal' && c.gap <= 1e-6));
      const peer = python && !context.quick ? runPeer(python, spec, lower, upper) : null;
      let maxDifference: number | null = null, peerOptimal = false;
      if (peer) {
        peerOptimal = peer.status.every((s) => s === 0);
        maxDifference = 0;
        mine.ranges.forEach((r, i) => {
          for (const [ourValue, theirs] of [[r.min.objective, peer.ranges[i][0]], [r.max.objective, peer.ranges[i][1]]] as const) {
            const difference = theirs === null ? Infinity : Math.abs(ourValue - theirs) / Math.max(1, Math.abs(theirs));
            maxDifference = Math.max(maxDifference!, difference);
          }
        });
      }
      const name = `range-relu-${widths.join('x')}-box-${halfWidth}`;
      emit({
        name, value: mine.seconds, unit: 's',
        ...compareToPeer(mine.seconds, 's', peer ? { peer: `scipy.optimize.milp (HiGHS), plain big-M with interval bounds${peerOptimal ? '' : `, stopped at ${PEER_TIME_LIMIT} s per MILP (its time is a lower bound)`}`, value: peer.seconds, unit: 's', kind: 'measured' } : undefined, {
          text: '≥ 5× faster than the plain big-M peer',
          ratio: 5,
          conditions: [{ description: 'same answers (1e-6 relative)', met: maxDifference !== null && maxDifference <= 1e-6 && allOptimal }],
        }),
        rangeQuestions: 2 * widths[widths.length - 1], solverLoadSeconds, allOptimal, peerAllOptimal: peer ? peerOptimal : null, maxRelativeDifference: maxDifference, unstableNeurons: mine.unstable,
        note: 'clock starts with HiGHS loaded and compiled, as the peer\'s starts after import (load time: solverLoadSeconds, once per run); shared 2-core machine: timings are noisy',
      });
    }

    // 100 certified targets of the 7→64→64→4 net, on two HiGHS workers (this line has no peer and the
    // machine has 2 cores; the answers are the same bytes on one worker: test/certify/target-bounds.test.ts).
    const { widths, halfWidth } = CASES[1];
    const model = new MlpModel(randomReluSpec(widths, 1));
    const n = widths[0], m = widths[widths.length - 1];
    const lower = Array(n).fill(-halfWidth), upper = Array(n).fill(halfWidth);
    const random = new Random(7);
    const count = context.quick ? 20 : 100, reachable = Math.round(0.7 * count);
    const points = new Matrix(reachable, n, Float64Array.from({ length: reachable * n }, () => random.between(-halfWidth, halfWidth)));
    const reachableTargets = model.forward(points);
    // The infeasible targets are placed from the certified range of output 1 computed above (range line).
    const range = ranges7x64![0];
    const maxOutput = range.max.objective, span = maxOutput - range.min.objective;
    const targetLow: number[][] = [], targetHigh: number[][] = [];
    for (let k = 0; k < count - reachable; k++) {
      const row = Array(m).fill(-Infinity), high = Array(m).fill(Infinity);
      row[0] = high[0] = maxOutput + 0.01 * span * (1 + k / 10);
      targetLow.push(row);
      targetHigh.push(high);
    }
    const cost = Array.from({ length: n }, (_, j) => (j % 2 ? 1 : -0.5));
    const solvers = [new WorkerSolver(), new WorkerSolver()];
    try {
      const start = performance.now();
      const withCost = await solve(model, reachableTargets, { certify: true, lower, upper, cost, milpSolvers: solvers });
      const beyond = await solve(model, { lower: targetLow, upper: targetHigh }, { certify: true, lower, upper, milpSolvers: solvers });
      const seconds = (performance.now() - start) / 1000;
      const optimal = withCost.results.filter((r) => r.status === 'optimal').length, infeasible = beyond.results.filter((r) => r.status === 'infeasible').length;
      const maxGap = withCost.results.reduce((worst, r) => Math.max(worst, r.certificate?.gap ?? Infinity), 0);
      const proofs: Record<string, number> = {};
      for (const r of beyond.results) if (r.status === 'infeasible') proofs[r.certificate!.proof] = (proofs[r.certificate!.proof] ?? 0) + 1;
      const proved = beyond.results.every((r) => r.status === 'infeasible' && ['milp', 'lp', 'bounds'].includes(r.certificate!.proof));
      emit({
        name: `certify-${count}-targets-relu-${widths.join('x')}`, value: seconds, unit: 's',
        peer: null, peerKind: 'budget', target: `≤ 60 s for 100 targets`, targetRatio: null,
        met: count === 100 ? seconds <= 60 && optimal === reachable && infeasible === count - reachable && maxGap <= 1e-6 && proved : null,
        optimal, infeasible, targets: count, maxGap, infeasibleProofs: proofs, threads: solvers.length,
        note: 'the two solve() calls only (the range MILPs placing the infeasible targets are the range line\'s); 2 HiGHS workers (2 cores, no peer on this line); shared 2-core machine: timings are noisy',
      });
    } finally {
      await Promise.all(solvers.map((s) => s.close()));
    }
  } finally {
    await solver.close();
  }
}

