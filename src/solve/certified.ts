// solve(model, targets, { certify: true }): global answers with certificates for piecewise-linear
// networks. Per target:
//   1. the local solver runs first (all targets batched); for a pure reachability question a point
//      where the Float64 model meets the target is itself the proof (status 'optimal', proof 'witness');
//   2. otherwise the exact MILP of src/certify decides: 'infeasible' (no x in the box within a
//      1e-6-relative band around the target — hence none hitting it exactly), or the optimal
//      cheapest / nearest / any point, which lm then polishes until f(x) meets the target to the
//      solver tolerance; the result keeps the certificate and the polished residual.
// Networks that are not piecewise linear keep their local answers, each with a certificate record
// saying why there is none.
import { InvalidArgumentError } from '../linalg/errors.ts';
import { toVector } from '../linalg/matrix.ts';
import type { Model } from '../model/model.ts';
import { extractNetwork } from '../certify/extract.ts';
import { certifyTarget, notCertified, prepareNetwork, type Certificate, type TargetObjective } from '../certify/questions.ts';
import { InProcessSolver, type MilpSolver } from '../certify/solver.ts';
import { tightenWithLp } from '../certify/tighten-lp.ts';
import { resolveBounds } from './bounds.ts';
import type { CertifyOptions, SolveOptions } from './options.ts';
import { parseTargets, scalesFrom, resolveWeights, type TargetsInput } from './problem.ts';
import type { SolveResult } from './result.ts';
import { solve, summarize, type SolveReport } from './solve.ts';

/** Half-width of the MILP band around a point target, relative to 1 + |scaled target|. */
export const CERTIFY_BAND_RTOL = 1e-6;

/**
 * The default MILP solver: HiGHS in this thread (browser-safe; in the web app solve already runs in
 * a Web Worker). Node shells pass options.milpSolver = new WorkerSolver() (src/certify/highs-node.ts)
 * to keep their event loop free, as the CLI does.
 */
async function defaultSolver(): Promise<MilpSolver> {
  return new InProcessSolver();
}

export async function solveCertified(model: Model, targets: TargetsInput, options: SolveOptions & CertifyOptions): Promise<SolveReport> {
  const started = performance.now();
  const { certify: _certify, timeLimit: _timeLimit, distance: _distance, milpSolver: _milpSolver, ...plain } = options;
  const local = solve(model, targets, plain);
  const n = model.inputNames.length, m = model.outputNames.length;
  const box = resolveBounds(model, options);
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(box.lower[j]) || !Number.isFinite(box.upper[j])) {
      throw new InvalidArgumentError(`certify needs a finite box: input ${model.inputNames[j]} has bounds [${box.lower[j]}, ${box.upper[j]}]; give lower/upper (or store bounds in the model)`);
    }
  }
  if (options.timeLimit !== undefined && !(options.timeLimit > 0)) throw new InvalidArgumentError(`timeLimit must be > 0 seconds, got ${options.timeLimit}`);
  const extraction = extractNetwork(model, box);
  if (!('network' in extraction)) {
    for (const result of local.results) result.certificate = notCertified(extraction.reason);
    return { ...local, message: `${local.message}; no certificate: ${extraction.reason}`, warnings: [...local.warnings, `no certificate: ${extraction.reason}`] };
  }
  const prepared = prepareNetwork(extraction.network, box);
  let tightened = false;
  const parsed = parseTargets(targets, model);
  const standardize = options.standardize !== false;
  const weights = resolveWeights(options.weights, model);
  const outputScale = scalesFrom(model.meta?.outputStd, m, standardize).map((std, i) => (weights[i] > 0 ? 1 / std : 1 / std));
  const inputScale = scalesFrom(model.meta?.inputStd, n, standardize);
  const objective = objectiveOf(options, n, inputScale);
  const ownSolver = options.milpSolver === undefined;
  const solver = options.milpSolver ?? await defaultSolver();
  const results: SolveResult[] = [];
  try {
    for (let k = 0; k < parsed.count; k++) {
      const low = new Float64Array(m), high = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        const lo = parsed.low[k * m + i], hi = parsed.high[k * m + i];
        if (weights[i] === 0) { low[i] = -Infinity; high[i] = Infinity; continue; }
        const band = lo === hi ? CERTIFY_BAND_RTOL * (1 + Math.abs(lo * outputScale[i])) / outputScale[i] : 0;
        low[i] = lo - band;
        high[i] = hi + band;
      }
      const localResult = local.results[k];
      if (objective.kind === 'feasibility' && localResult.status === 'converged') {
        localResult.status = 'optimal';
        localResult.certificate = {
          status: 'optimal', proof: 'witness', objective: 0, bound: 0, gap: 0, x: localResult.x.slice(), seconds: 0, nodes: 0, binaries: 0,
          message: 'reachable: the local solver found x in the box where the model meets the target (the point is the proof)',
        };
        localResult.message = `reachable (certified by the witness point): ${localResult.message}`;
        results.push(localResult);
        continue;
      }
      if (!tightened) { await tightenWithLp(prepared, solver); tightened = true; }
      const certificate = await certifyTarget(prepared, low, high, objective, solver, { timeLimit: options.timeLimit });
      results.push(certificate.status === 'optimal' && certificate.x ? polish(model, targets, k, parsed.count, certificate, plain, objective, inputScale) : annotate(localResult, certificate));
    }
  } finally {
    if (ownSolver) await solver.close();
  }
  const summary = summarize(local.summary.method, results, 1, (performance.now() - started) / 1000);
  const counts = summary.counts;
  const message = `certified: ${counts.optimal} of ${results.length} target(s) optimal (global), ${counts.infeasible} proved infeasible` +
    `${results.length - counts.optimal - counts.infeasible ? `, ${results.length - counts.optimal - counts.infeasible} without a certificate (time limit or error)` : ''}` +
    `; ${prepared.neurons.unstable} of ${prepared.neurons.total} ReLU units undecided over the box after bound tightening`;
  return { results, summary, message, warnings: local.warnings };
}

function objectiveOf(options: SolveOptions & CertifyOptions, n: number, inputScale: Float64Array): TargetObjective {
  if (options.cost !== undefined) return { kind: 'linear-cost', prices: toVector(options.cost, 'cost', n).slice() };
  if (options.reference !== undefined) {
    const distance = options.distance ?? 'l1';
    if (distance !== 'l1' && distance !== 'linf') throw new InvalidArgumentError(`distance must be 'l1' or 'linf', got '${String(distance)}'`);
    return { kind: distance, reference: toVector(options.reference, 'reference', n).slice(), scale: inputScale };
  }
  return { kind: 'feasibility' };
}

/** The local result of a target the MILP did not settle as optimal: infeasible, time limit or error. */
function annotate(result: SolveResult, certificate: Certificate): SolveResult {
  result.certificate = certificate;
  if (certificate.status === 'infeasible') {
    result.status = 'infeasible';
    result.message = `${certificate.message}; x is the closest point the local solver found (${result.message})`;
  } else {
    result.message = `${certificate.message}; local answer: ${result.message}`;
  }
  return result;
}

/** lm from the MILP's point on target k alone, so f(x) meets the target in the Float64 model. */
function polish(model: Model, targets: TargetsInput, k: number, count: number, certificate: Certificate, options: SolveOptions, objective: TargetObjective, inputScale: Float64Array): SolveResult {
  const row = targetRow(targets, k, count, model.outputNames.length);
  const { cost: _cost, reference: _reference, starts: _starts, ...rest } = options;
  const report = solve(model, row, { ...rest, method: 'lm', start: certificate.x!, nearest: false, maxStarts: 1 });
  const result = report.results[0];
  result.target = k;
  result.certificate = certificate;
  const value = objectiveValue(objective, result.x, inputScale);
  if (objective.kind !== 'feasibility') result.objective = value;
  const what = certificate.message.replace(/: optimal.*$/, '');
  const bound = objective.kind === 'feasibility' ? '' : `; objective ${value.toPrecision(8)} at the polished point, proven lower bound ${certificate.bound.toPrecision(8)}`;
  if (result.status === 'converged') {
    result.status = 'optimal';
    result.message = `${what}: certified optimal by MILP (gap ${certificate.gap.toExponential(1)})${bound}; polished by lm: ${result.message}`;
  } else {
    result.message = `${what}: the MILP found an optimal point but lm could not polish it to the tolerance (${result.message})${bound}`;
  }
  return result;
}

function objectiveValue(objective: TargetObjective, x: Float64Array, inputScale: Float64Array): number {
  let total = 0;
  if (objective.kind === 'linear-cost') for (let j = 0; j < x.length; j++) total += objective.prices[j] * x[j];
  else if (objective.kind === 'l1') for (let j = 0; j < x.length; j++) total += Math.abs(x[j] - objective.reference[j]) / objective.scale[j];
  else if (objective.kind === 'linf') for (let j = 0; j < x.length; j++) total = Math.max(total, Math.abs(x[j] - objective.reference[j]) / objective.scale[j]);
  void inputScale;
  return total;
}

/** Row k of the targets, in the same form (point or band). */
function targetRow(targets: TargetsInput, k: number, count: number, m: number): TargetsInput {
  const pick = (source: unknown): number[] => {
    const value = source as { data?: Float64Array; rows?: number } & ArrayLike<unknown>;
    if (value && value.data instanceof Float64Array && typeof value.rows === 'number') return Array.from(value.data.subarray(k * m, (k + 1) * m));
    if (Array.isArray(value) && Array.isArray(value[0])) return (value as number[][])[k];
    if (count === 1) return Array.from(value as ArrayLike<number>);
    return Array.from((value as ArrayLike<number>)).slice(k * m, (k + 1) * m);
  };
  if (typeof targets === 'object' && targets !== null && 'lower' in targets && 'upper' in targets) {
    return { lower: [pick(targets.lower)], upper: [pick(targets.upper)] };
  }
  return pick(targets);
}
