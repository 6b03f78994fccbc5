// solve(model, targets, { certify: true }): global answers with certificates for piecewise-linear
// networks. Per target:
//   1. the local solver runs first (all targets batched); for a pure reachability question a point
//      where the Float64 model meets the target is itself the proof (status 'optimal', proof 'witness');
//   2. otherwise the exact MILP of src/certify decides (after bound tightening on the target's band,
//      and with the objective cut off at the local solver's point when that point meets the target;
//      targets run concurrently when several MILP solvers are given, with identical answers):
//      'infeasible' (no x in the box within a
//      1e-6-relative band around the target — hence none hitting it exactly), or the optimal
//      cheapest / nearest / any point, which lm then polishes until f(x) meets the target to the
//      solver tolerance; when lm stalls there (the MILP point sits on a ReLU kink at the band's edge),
//      least-norm steps onto the target within each activation region touching the point, and along
//      the boundary of each pair of them, give lm new starts; the cheapest converged point is kept.
//      The result keeps the certificate and the polished residual, and says when the polished
//      objective lies above the proven bound by more than the band accounts for.
// Networks that are not piecewise linear keep their local answers, each with a certificate record
// saying why there is none.
import { InvalidArgumentError } from '../core/index.ts';
import { Matrix, toVector, lstsq } from '../linalg/index.ts';
import { evaluateWithJacobian, type Model } from '../model/index.ts';
import { extractNetwork, type Certificate, certifyTarget, notCertified, prepareNetwork, type TargetObjective, targetObjectiveValue, InProcessSolver, type MilpSolver, tightenWithLp } from '../certify/index.ts';
import { resolveBounds } from './bounds.ts';
import type { CertifyOptions, SolveOptions } from './options.ts';
import { parseTargets, scalesFrom, resolveWeights, type TargetsInput } from './problem.ts';
import type { SolveResult } from './result.ts';
import type { SolveReport, solve, summarize } from './solve.ts';

/** Half-width of the MILP band around a point target, relative to 1 + |scaled target|. */
export const CERTIFY_BAND_RTOL = 1e-6;

/** Rounds of bound tightening on each target's band before its MILP (stops early when a round fixes no neuron). */
const TARGET_TIGHTEN_ROUNDS = 8;
/**
 * Largest relative gap between the polished answer's objective (exact target) and the proven bound
 * for which the answer is called optimal (issue 14: every `optimal` has a gap ≤ 1e-6). The MILP meets
 * a point target within a band, so its bound is valid for the exact target too, but the polished
 * point can cost more by up to the band's effect; the band is then shrunk and the MILP re-solved.
 */
export const CERTIFY_GAP = 1e-6;
/** Re-solves with a narrower band when the answer's gap exceeds CERTIFY_GAP. */
const BAND_RETRIES = 3;
/** The band never shrinks below this fraction of CERTIFY_BAND_RTOL: 1e-9 relative, HiGHS's feasibility tolerance on scaled rows for target MILPs. */
const MIN_BAND_FRACTION = 1e-3;

/**
 * The default MILP solver: HiGHS in this thread (browser-safe; in the web app solve already runs in
 * a Web Worker). Node shells pass options.milpSolver = new WorkerSolver() (src/io/highs-worker.ts)
 * to keep their event loop free, as the CLI does.
 */
async function defaultSolver(): Promise<MilpSolver> {
  return new InProcessSolver();
}

/** The plain solver and its summary, handed in by solve() (importing them here would be an import cycle). */
export interface PlainSolver { solve: typeof solve; summarize: typeof summarize }

export async function solveCertified(model: Model, targets: TargetsInput, options: SolveOptions & CertifyOptions, { solve, summarize }: PlainSolver): Promise<SolveReport> {
  const started = performance.now();
  const { certify: _certify, timeLimit: _timeLimit, distance: _distance, milpSolver: _milpSolver, milpSolvers: _milpSolvers, ...plain } = options;
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
  const parsed = parseTargets(targets, model);
  const standardize = options.standardize !== false;
  const weights = resolveWeights(options.weights, model);
  const outputScale = scalesFrom(model.meta?.outputStd, m, standardize).map((std, i) => (weights[i] > 0 ? 1 / std : 1 / std));
  const inputScale = scalesFrom(model.meta?.inputStd, n, standardize);
  const objective = objectiveOf(options, n, inputScale);
  const ownSolver = options.milpSolver === undefined && (options.milpSolvers ?? []).length === 0;
  const solvers = options.milpSolvers?.length ? options.milpSolvers : [options.milpSolver ?? await defaultSolver()];
  const results: SolveResult[] = new Array(parsed.count);
  const bands: { low: Float64Array; high: Float64Array; targetLow: Float64Array; targetHigh: Float64Array }[] = [];
  const pending: number[] = [];
  for (let k = 0; k < parsed.count; k++) {
    const low = new Float64Array(m), high = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const lo = parsed.low[k * m + i], hi = parsed.high[k * m + i];
      if (weights[i] === 0) { low[i] = -Infinity; high[i] = Infinity; continue; }
      const band = lo === hi ? CERTIFY_BAND_RTOL * (1 + Math.abs(lo * outputScale[i])) / outputScale[i] : 0;
      low[i] = lo - band;
      high[i] = hi + band;
    }
    const targetLow = low.map((value, i) => (Number.isFinite(value) ? parsed.low[k * m + i] : value));
    const targetHigh = high.map((value, i) => (Number.isFinite(value) ? parsed.high[k * m + i] : value));
    bands.push({ low, high, targetLow, targetHigh });
    const localResult = local.results[k];
    if (objective.kind === 'feasibility' && localResult.status === 'converged') {
      localResult.status = 'optimal';
      localResult.certificate = {
        status: 'optimal', proof: 'witness', objective: 0, bound: 0, gap: 0, x: localResult.x.slice(), seconds: 0, nodes: 0, binaries: 0,
        message: 'reachable: the local solver found x in the box where the model meets the target (the point is the proof)',
      };
      localResult.message = `reachable (certified by the witness point): ${localResult.message}`;
      results[k] = localResult;
    } else {
      pending.push(k);
    }
  }
  try {
    if (pending.length > 0) await tightenWithLp(prepared, solvers[0]);
    // Each target's answer depends only on the target (every HiGHS run is a fresh model with a fixed
    // seed), so answering them concurrently on several solvers gives the same bytes as one solver.
    let next = 0;
    const work = async (solver: MilpSolver) => {
      while (next < pending.length) {
        const k = pending[next++];
        const { low, high, targetLow, targetHigh } = bands[k];
        const localResult = local.results[k];
        const incumbent = localResult.status === 'converged' ? localResult.x : undefined;
        const certificate = await certifyTarget(prepared, low, high, objective, solver, { timeLimit: options.timeLimit, tightenRounds: TARGET_TIGHTEN_ROUNDS, incumbent });
        if (!(certificate.status === 'optimal' && certificate.x)) { results[k] = annotate(localResult, certificate); continue; }
        let result = polish(solve, model, targets, k, parsed.count, certificate, plain, objective, inputScale, box, outputScale, targetLow, targetHigh);
        // The answer's gap (polished objective on the exact target vs the proven bound) above
        // CERTIFY_GAP: re-solve on a band shrunk in proportion, from the polished point.
        let fraction = 1;
        for (let retry = 0; retry < BAND_RETRIES && result.status === 'optimal' && (result.certificate?.gap ?? 0) > CERTIFY_GAP && fraction > MIN_BAND_FRACTION; retry++) {
          fraction = Math.max(MIN_BAND_FRACTION, fraction * 0.5 * CERTIFY_GAP / result.certificate!.gap);
          const narrowLow = low.map((value, i) => (Number.isFinite(value) ? targetLow[i] - (targetLow[i] - value) * fraction : value));
          const narrowHigh = high.map((value, i) => (Number.isFinite(value) ? targetHigh[i] + (value - targetHigh[i]) * fraction : value));
          const narrow = await certifyTarget(prepared, narrowLow, narrowHigh, objective, solver, { timeLimit: options.timeLimit, tightenRounds: TARGET_TIGHTEN_ROUNDS, incumbent: result.x });
          if (!(narrow.status === 'optimal' && narrow.x)) break;
          const again = polish(solve, model, targets, k, parsed.count, narrow, plain, objective, inputScale, box, outputScale, narrowLow.map((v, i) => (Number.isFinite(v) ? targetLow[i] : v)), narrowHigh.map((v, i) => (Number.isFinite(v) ? targetHigh[i] : v)));
          if (again.status === 'optimal' && again.certificate!.gap < result.certificate!.gap) result = again;
          else break;
        }
        if (result.status === 'optimal' && (result.certificate?.gap ?? 0) > CERTIFY_GAP) {
          // Met the target and within the stated gap of the proven optimum, but not optimal by the rule.
          result.status = 'converged';
          result.message = `${result.message}; not called optimal: the polished point's objective is ${result.certificate!.gap.toExponential(1)} (relative) above the proven bound (rule: ≤ ${CERTIFY_GAP})`;
        }
        results[k] = result;
      }
    };
    await Promise.all(solvers.map(work));
  } finally {
    if (ownSolver) await Promise.all(solvers.map((solver) => solver.close()));
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
    // The local solver's own message speculates ("may still be reachable", "try several starts");
    // beside a proof of infeasibility only its facts are kept, so the message never contradicts the status.
    result.message = `${certificate.message}; x is the closest point the local solver found (${result.startsTried} start(s), scaled residual ${result.scaledResidualNorm.toExponential(2)})`;
  } else {
    result.message = `${certificate.message}; local answer: ${result.message}`;
  }
  return result;
}

/**
 * lm from the MILP's point on target k alone, so f(x) meets the target in the Float64 model. The MILP
 * point sits on the edge of the band, often on a ReLU kink (a vertex of several activation regions)
 * where lm's one-sided Jacobian points out of the region that holds the target. Then, for each region
 * touching the MILP x (probed by tiny deterministic offsets), f is affine, so the target on that face
 * is one least-norm Gauss-Newton step away (scaled units); lm polishes each such point and the
 * converged answer with the lowest objective is kept.
 */
function polish(solve: PlainSolver['solve'], model: Model, targets: TargetsInput, k: number, count: number, certificate: Certificate, options: SolveOptions, objective: TargetObjective, inputScale: Float64Array, box: { lower: Float64Array; upper: Float64Array }, outputScale: Float64Array, low: Float64Array, high: Float64Array): SolveResult {
  const row = targetRow(targets, k, count, model.outputNames.length);
  const { cost: _cost, reference: _reference, starts: _starts, ...rest } = options;
  const lmFrom = (start: Float64Array): SolveResult => solve(model, row, { ...rest, method: 'lm', start, nearest: false, maxStarts: 1 }).results[0];
  const milpX = certificate.x!;
  const first = lmFrom(milpX);
  let result = first;
  const steps = regionSteps(model, milpX, box, inputScale, outputScale, low, high);
  const stalled = result.status !== 'converged';
  const onTarget = meetsTarget(model, steps, outputScale, low, high, result.tolerance);
  // Stalled: lm from every face step. Converged: also the face steps already on the target, so the
  // answer is the cheapest of them and lm's point (lm may drift along the solution set).
  const tries = stalled ? steps : steps.filter((_, r) => onTarget[r]);
  if (tries.length > 0) {
    let best: SolveResult | null = stalled ? null : result;
    let bestValue = stalled ? Infinity : objectiveValue(objective, result.x, inputScale);
    for (const start of tries) {
      const attempt = lmFrom(start);
      if (attempt.status !== 'converged') continue;
      const value = objectiveValue(objective, attempt.x, inputScale);
      if (value < bestValue) { best = attempt; bestValue = value; }
    }
    if (best) result = best;
  }
  result.target = k;
  const value = objectiveValue(objective, result.x, inputScale);
  // The certificate describes the answer: its objective is the polished point's (exact target), its
  // bound the MILP's (valid for the exact target, which lies inside the band), its gap between them.
  const answerGap = objective.kind === 'feasibility' ? certificate.gap
    : Math.max(certificate.gap, (value - certificate.bound) / Math.max(1, Math.abs(value)));
  result.certificate = objective.kind === 'feasibility' ? certificate : { ...certificate, objective: value, gap: answerGap };
  if (objective.kind !== 'feasibility') result.objective = value;
  const what = certificate.message.replace(/: optimal.*$/, '');
  let bound = '';
  if (objective.kind !== 'feasibility') {
    bound = `; objective ${value.toPrecision(8)} at the polished point, proven lower bound ${certificate.bound.toPrecision(8)}`;
    const slack = bandSlack(objective, inputScale, milpX, steps, onTarget, certificate);
    const excess = value - certificate.bound;
    if (excess > slack.value) bound += ` — above the bound by ${excess.toPrecision(3)}, more than the band around the target accounts for (${slack.value.toPrecision(3)}, ${slack.how}): a cheaper point meeting the target may exist; only the bound is proven`;
  }
  const from = result === first ? ''
    : stalled ? ` (lm stalled at the MILP point, a ReLU kink; polished from the best of ${steps.length} least-norm step(s) onto the target on the activation regions around it)`
      : ' (from a least-norm step onto the target on an activation region around the MILP point, cheaper than lm\'s point)';
  if (result.status === 'converged') {
    result.status = 'optimal';
    result.message = `${what}: certified optimal by MILP (gap ${answerGap.toExponential(1)} between the polished point and the proven bound)${bound}; polished by lm${from}: ${result.message}`;
  } else {
    result.message = `${what}: the MILP found an optimal point but lm could not polish it to the tolerance, also not from ${steps.length} least-norm step(s) onto the target on the activation regions around it (${result.message})${bound}`;
  }
  return result;
}

/** Probe offsets around the MILP x, relative to the box width per input: small enough to stay next to x. */
const REGION_PROBES = [1e-9, 1e-7, 1e-5];
/** At most this many distinct regions (so at most MAX_REGIONS·(MAX_REGIONS+1)/2 steps). */
const MAX_REGIONS = 8;
/** Up to this many inputs every sign pattern (2ⁿ) is probed, beyond only ± each axis. */
const ALL_SIGNS_UP_TO = 4;

/**
 * Starts for the polish: for tiny offsets p of the MILP x into the activation regions around it (every
 * sign pattern for few inputs, ± each axis otherwise), the least-norm Gauss-Newton step from p onto
 * the target row (scaled inputs/outputs) — exact where f is affine on p's region — clipped to the box.
 */
function regionSteps(model: Model, x: Float64Array, box: { lower: Float64Array; upper: Float64Array }, inputScale: Float64Array, outputScale: Float64Array, low: Float64Array, high: Float64Array): Float64Array[] {
  const n = x.length, m = low.length;
  const signs: number[][] = [];
  if (n <= ALL_SIGNS_UP_TO) {
    for (let mask = 0; mask < 1 << n; mask++) signs.push(Array.from({ length: n }, (_, j) => ((mask >> j) & 1 ? 1 : -1)));
  } else {
    for (let j = 0; j < n; j++) for (const sign of [1, -1]) signs.push(Array.from({ length: n }, (_, i) => (i === j ? sign : 0)));
  }
  const probes: Float64Array[] = [];
  for (const size of REGION_PROBES) {
    for (const pattern of signs) {
      probes.push(x.map((value, j) => Math.min(Math.max(value + pattern[j] * size * (box.upper[j] - box.lower[j]), box.lower[j]), box.upper[j])));
    }
  }
  const points = new Matrix(probes.length, n);
  probes.forEach((p, r) => points.data.set(p, r * n));
  const { y, jacobian } = evaluateWithJacobian(model, points);
  const outputs: number[] = [];
  for (let i = 0; i < m; i++) if (Number.isFinite(low[i]) || Number.isFinite(high[i])) outputs.push(i);
  if (outputs.length === 0) return [];
  // Each probe's region as an affine model at x in scaled units: rows of J·diag(inputScale)·outputScale
  // and the step each row needs, r = target − f_region(x) (f_region(x) = f(p) + J·(x − p)).
  const regions: { a: number[][]; r: number[] }[] = [];
  for (let q = 0; q < probes.length; q++) {
    const a: number[][] = [], r: number[] = [];
    for (const i of outputs) {
      const gradient = Array.from({ length: n }, (_, j) => jacobian.data[q * m * n + i * n + j]);
      let atX = y.data[q * m + i];
      for (let j = 0; j < n; j++) atX += gradient[j] * (x[j] - probes[q][j]);
      a.push(gradient.map((g, j) => g * outputScale[i] * inputScale[j]));
      r.push((Math.min(Math.max(atX, low[i]), high[i]) - atX) * outputScale[i]);
    }
    const same = regions.some((other) => other.a.every((rowA, i) => rowA.every((v, j) => Math.abs(v - a[i][j]) <= 1e-12 * (Math.abs(v) + Math.abs(a[i][j])))));
    if (!same && regions.length < MAX_REGIONS) regions.push({ a, r });
  }
  // One region: the least-norm step onto its face. Two regions: the step that stays on their common
  // boundary (both affine models hit the target), e.g. along a ReLU ridge where each side alone overshoots.
  const systems: { a: number[][]; r: number[] }[] = regions.slice();
  for (let p = 0; p < regions.length; p++) for (let q = p + 1; q < regions.length; q++) {
    systems.push({ a: [...regions[p].a, ...regions[q].a], r: [...regions[p].r, ...regions[q].r] });
  }
  const starts: Float64Array[] = [];
  for (const system of systems) {
    const step = lstsq(system.a, system.r).x;
    starts.push(x.map((value, j) => Math.min(Math.max(value + step[j] * inputScale[j], box.lower[j]), box.upper[j])));
  }
  return starts;
}

/** Relative rounding allowance when comparing an objective with the proven bound. */
const OBJECTIVE_RTOL = 1e-9;

/**
 * How far the objective may lie above the proven bound only because the MILP met the target within
 * its band: the MILP's own gap (objective − bound at its point) plus the cheapest objective change of
 * the face steps (regionSteps) that move the MILP x exactly onto the target — or, if none lands within
 * the tolerance, of all of them (first order) — plus rounding.
 */
function bandSlack(objective: TargetObjective, inputScale: Float64Array, milpX: Float64Array, steps: Float64Array[], onTarget: boolean[], certificate: Certificate): { value: number; how: string } {
  const milpValue = objectiveValue(objective, milpX, inputScale);
  const base = Math.max(0, milpValue - certificate.bound) + OBJECTIVE_RTOL * (1 + Math.abs(certificate.bound));
  if (steps.length === 0) return { value: base, how: 'the MILP gap' };
  let exact = Infinity, any = Infinity;
  steps.forEach((p, r) => {
    const change = Math.abs(objectiveValue(objective, p, inputScale) - milpValue);
    any = Math.min(any, change);
    if (onTarget[r]) exact = Math.min(exact, change);
  });
  return Number.isFinite(exact)
    ? { value: base + exact, how: 'the cheapest exact step onto the target from the MILP point' }
    : { value: base + any, how: 'first-order estimate from the steps onto the target from the MILP point' };
}

/** Which points meet the target row (low/high, scaled by outputScale) within the scaled tolerance. */
function meetsTarget(model: Model, points: Float64Array[], outputScale: Float64Array, low: Float64Array, high: Float64Array, tolerance: number): boolean[] {
  if (points.length === 0) return [];
  const n = points[0].length, m = low.length;
  const batch = new Matrix(points.length, n);
  points.forEach((p, r) => batch.data.set(p, r * n));
  const y = model.forward(batch).data;
  return points.map((_, r) => {
    let squared = 0;
    for (let i = 0; i < m; i++) {
      if (!Number.isFinite(low[i]) && !Number.isFinite(high[i])) continue;
      const value = y[r * m + i];
      squared += ((Math.min(Math.max(value, low[i]), high[i]) - value) * outputScale[i]) ** 2;
    }
    return Math.sqrt(squared) <= tolerance;
  });
}

function objectiveValue(objective: TargetObjective, x: Float64Array, inputScale: Float64Array): number {
  void inputScale;
  return targetObjectiveValue(objective, x);
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
