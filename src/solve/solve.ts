// The one entry point of the solvers: solve(model, targets, options) finds x with f(x) = y* (or
// f(x) inside a band) for every target at once. It resolves bounds, scaling, weights, starts and
// tolerances into a SolveProblem, runs the chosen method batched over targets (one model call per
// round for all still-running targets), optionally improves a secondary objective on the solution
// manifold, and returns one self-explaining SolveResult per target (plus all distinct solutions
// when several starts were used).
import { InvalidArgumentError, ShapeError, checkChoice, checkInteger, checkNonNegative, checkNumber, checkPositive } from '../core/index.ts';
import { Matrix, toVector, type VectorLike, median, defaultRtol } from '../linalg/index.ts';
import { type Domain, modelDomain, targetsOutsideOutputRange, outputBounds, type Bounds, type Model } from '../model/index.ts';
import { hasBounds, projectInPlace, resolveBounds } from './bounds.ts';
import { createMemory, createRecord, iterate, type EngineRecord, type StepRule } from './iterate.ts';
import { gaussNewton } from './methods/gauss-newton.ts';
import { jacobianTranspose } from './methods/jacobian-transpose.ts';
import { levenbergMarquardt } from './methods/lm.ts';
import { minimumNorm } from './methods/min-norm.ts';
import { runNio } from './methods/nio.ts';
import { moveToNearest } from './nearest.ts';
import { improveObjective, objectiveValue, type ObjectiveOutcome, type SecondaryObjective } from './objective.ts';
import { DEFAULT_MAX_ITERATIONS, DEFAULT_MAX_STARTS, ESCALATING_METHODS, FIRST_LHS_WAVE, NIO_DEFAULTS, SOLVE_METHODS, type CertifyOptions, type SolveMethod, type SolveOptions } from './options.ts';
import { parseTargets, RESIDUAL_RTOL, resolveWeights, scalesFrom, subsetProblem, targetTolerances, type SolveProblem, type TargetsInput } from './problem.ts';
import { buildResults, emptyCounts, type SolveResult, type SolveStatus } from './result.ts';
import { defaultStart, latinHypercube, rankDistinct, resolveStarts } from './starts.ts';
import { SolveState } from './state.ts';
import { solveCertified } from './certified.ts';

export type { SolveOptions, SolveMethod, CertifyOptions } from './options.ts';
export type { SolveReason, SolveResult, SolveStatus } from './result.ts';

/** Without finite bounds, a step is at most this many scaled units per input (times 1 + the start's rms size). */
export const STEP_CAP_PER_INPUT = 10;

export interface SolveSummary {
  method: SolveMethod;
  targets: number;
  startsPerTarget: number;
  counts: Record<SolveStatus, number>;
  medianResidual: number;
  maxResidual: number;
  evaluations: { f: number; jacobian: number };
  /**
   * Wall-clock seconds of the whole solve call (set by solve, solveParallel and the certified solve;
   * absent from summaries assembled elsewhere). Non-enumerable: JSON (and a worker's copy) of a
   * report leaves it out, so the written answer stays the same bytes for any run and thread count.
   */
  readonly seconds?: number;
}

export interface SolveReport {
  /** The best solution per target (row order of the targets). */
  results: SolveResult[];
  /** With several starts: every distinct solution per target, best first. */
  solutions?: SolveResult[][];
  summary: SolveSummary;
  message: string;
  warnings: string[];
}

/** Options used internally by trajectories: a quadratic pull toward a per-target reference. */
export interface PenaltyOption {
  penalty?: { weight: number; reference: Float64Array };
}

export function solve(model: Model, targets: TargetsInput, options: SolveOptions & CertifyOptions): Promise<SolveReport>;
export function solve(model: Model, targets: TargetsInput, options?: SolveOptions & PenaltyOption): SolveReport;
export function solve(model: Model, targets: TargetsInput, options: SolveOptions & PenaltyOption & Partial<CertifyOptions> = {}): SolveReport | Promise<SolveReport> {
  if (options.certify) return solveCertified(model, targets, options as SolveOptions & CertifyOptions, { solve, summarize });
  const started = performance.now();
  const method = options.method ?? 'lm';
  checkChoice(method, 'method', SOLVE_METHODS);
  const n = model.inputNames.length, m = model.outputNames.length;
  const warnings: string[] = [];
  const parsed = parseTargets(targets, model);
  // First of the warnings (a chunked solve puts it first too, checked once over all targets).
  const domain = options.domain ?? modelDomain(model);
  const rangeWarning = options.checkTargetRange === false ? null : targetRangeWarning(domain, parsed.low, parsed.high, parsed.count);
  if (rangeWarning) warnings.push(rangeWarning);
  const bounds = resolveBounds(model, options);
  const weights = resolveWeights(options.weights, model);
  const standardize = options.standardize !== false;
  // NIO keeps seed 000's setting: training std or raw units, never box-derived scales.
  const scales = solveScales(model, bounds, standardize, method !== 'nio');
  const outputScale = scales.output.map((std, i) => weights[i] / std);
  const inputScale = scales.input;
  const relativeTolerance = checkPositive(options.tolerance ?? RESIDUAL_RTOL, 'tolerance');
  const maxIterations = checkInteger(options.maxIterations ?? DEFAULT_MAX_ITERATIONS[method], 'maxIterations', 1);
  const rtol = checkPositive(options.rtol ?? defaultRtol(m, n), 'rtol');
  const startCount = options.starts === undefined ? 1 : checkInteger(options.starts, 'starts', 1);
  const maxStarts = checkInteger(options.maxStarts ?? DEFAULT_MAX_STARTS, 'maxStarts', 1);
  const firstTargetIndex = options.firstTargetIndex ?? 0;
  checkInteger(firstTargetIndex, 'firstTargetIndex', 0);
  const targetIndices = options.targetIndices;
  if (targetIndices && targetIndices.length !== parsed.count) throw new ShapeError(`targetIndices has ${targetIndices.length} entries but there are ${parsed.count} targets`);
  /** The global index of target row k: what its random starts are derived from, with the seed. */
  const globalIndex = (k: number): number => (targetIndices ? targetIndices[k] : firstTargetIndex + k);
  const seed = options.seed ?? 0;
  checkNumber(seed, 'seed');
  if (startCount > 1 && options.start !== undefined) warnings.push('both start and starts were given; the K random starts are used and start is ignored');
  const penalized = !!options.penalty && options.penalty.weight > 0;
  const objective = secondaryObjective(options.cost, options.reference, n, model, warnings);
  let nearest: { point: Float64Array; what: string } | null = null;
  // With K starts the user asked to see several points of the solution set: not collapsed onto one.
  if (!objective && !penalized && options.nearest !== false && startCount === 1 && n > m && method !== 'nio' && method !== 'min-norm') {
    // The solution set has dimension ≥ n − m > 0: a point on it is arbitrary unless we say which.
    nearest = defaultReference(model, bounds);
  }

  const base: SolveProblem = {
    model, n, m, count: parsed.count,
    targetLow: parsed.low, targetHigh: parsed.high,
    outputScale, inputScale, bounds,
    penaltyWeight: 0, penaltyReference: null,
    tolerance: targetTolerances(parsed.low, parsed.high, parsed.count, outputScale, relativeTolerance),
  };
  if (options.penalty && options.penalty.weight > 0) {
    base.penaltyWeight = checkPositive(options.penalty.weight, 'smoothness');
    base.penaltyReference = options.penalty.reference;
  }
  const run: RunSettings = { method, rtol, maxIterations, objective, nearest, options, warnings, domain, scales };


  // Starts: one row per (target, start).
  let results: SolveResult[], solutions: SolveResult[][] | undefined;
  const startsTried = new Int32Array(parsed.count);
  if (startCount > 1 && method !== 'inverse-net') {
    const rows = new Int32Array(parsed.count * startCount);
    const starts = new Float64Array(rows.length * n);
    for (let k = 0; k < parsed.count; k++) {
      const points = latinHypercube(startCount, model, bounds, targetSeed(seed, globalIndex(k)));
      for (let s = 0; s < startCount; s++) rows[k * startCount + s] = k;
      starts.set(points, k * startCount * n);
    }
    const all = runRows(base, rows, starts, run);
    results = [];
    solutions = [];
    for (let k = 0; k < parsed.count; k++) {
      const group = all.slice(k * startCount, (k + 1) * startCount);
      const distinct = rankDistinct(group.map((result) => ({
        x: result.x, residual: result.scaledResidualNorm, objective: result.objective ?? 0, converged: result.status === 'converged',
      })), inputScale, base.tolerance[k]).map((index) => group[index]);
      for (const result of distinct) result.target = k;
      solutions.push(distinct);
      results.push(distinct[0]);
      const convergedCount = distinct.filter((result) => result.status === 'converged').length;
      distinct[0].message += `; ${startCount} starts gave ${distinct.length} distinct point(s), ${convergedCount} of them solutions (local solution-set dimension n − rank J = ${distinct[0].manifoldDimension})`;
    }
    startsTried.fill(startCount);
  } else {
    const starts = method === 'inverse-net'
      ? proposerStarts(model, options.proposer, parsed.low, parsed.high, parsed.count, bounds, warnings)
      : resolveStarts(model, bounds, parsed.count, options.start, warnings);
    results = runRows(base, null, starts, run);
    startsTried.fill(1);
    if (maxStarts > 1 && ESCALATING_METHODS.includes(method) && !penalized) {
      escalate(base, results, starts, startsTried, maxStarts, seed, globalIndex, run);
    }
  }

  // What is proven and what was only tried, for every target that did not converge.
  const failing = results.some((result) => result.status !== 'converged');
  const box = failing ? outputBounds(model, bounds) : null;
  for (let k = 0; k < results.length; k++) {
    const result = results[k];
    result.target = k;
    result.startsTried = startsTried[k];
    if (result.status === 'converged') {
      result.success = true;
      continue;
    }
    result.success = false;
    const proof = box ? unreachableProof(base, k, box) : null;
    if (proof) {
      result.status = 'infeasible-within-bounds';
      result.message = `unreachable within the bounds (proven): ${proof}; x is the closest point found (scaled residual ${result.scaledResidualNorm.toExponential(2)})`;
    } else if (startsTried[k] > 1 && result.status !== 'trade-off') {
      result.status = 'not-reached';
      result.message = `not reached after ${startsTried[k]} start(s); best scaled residual ${result.scaledResidualNorm.toExponential(2)} (tolerance ${result.tolerance.toExponential(2)}); `
        + `${box ? 'the sound bound of f over the box contains the target, so it may still be reachable' : 'no bound of f over the box is available, so reachability is unknown'} — best start: ${result.message}`;
    }
  }
  if (warnings.length > 0) for (const result of results) result.warnings.push(...warnings);
  const summary = summarize(method, results, startCount, (performance.now() - started) / 1000);
  return { results, solutions, summary, message: summaryMessage(summary, startsTried), warnings };
}

/** The warning for targets outside the outputs' training range (count and first rows, 1-based), or null. */
export function targetRangeWarning(domain: Domain, low: Float64Array, high: Float64Array, count: number): string | null {
  const outside = targetsOutsideOutputRange(domain, low, high, count);
  if (!outside || outside.outside === 0) return null;
  return `${outside.outside} of ${count} target(s) lie outside ${domain.outputRange!.origin} (first rows ${outside.rows.map((row) => row + 1).join(', ')}): the model was not trained there, so an answer is an extrapolation`;
}

interface RunSettings {
  method: SolveMethod;
  rtol: number;
  maxIterations: number;
  objective: SecondaryObjective | null;
  /** The default answer rule: move converged rows to the nearest solution to this point (moveToNearest). */
  nearest: { point: Float64Array; what: string } | null;
  options: SolveOptions & PenaltyOption;
  warnings: string[];
  domain: Domain;
  scales: SolveScales;
}

/** Solve rows (target index per row, or one row per target when null) from `starts`; one result per row. */
function runRows(base: SolveProblem, rows: Int32Array | null, starts: Float64Array, run: RunSettings): SolveResult[] {
  const { method, rtol, maxIterations, objective, options } = run;
  const problem = rows ? subsetProblem(base, rows) : base;
  const n = problem.n, model = problem.model;
  const state = new SolveState(problem, starts.slice(), options.keepHistory === true);
  let record: EngineRecord | null = null;
  const maxStep = options.maxStep !== undefined ? checkPositive(options.maxStep, 'maxStep') : defaultMaxStep(problem, starts);
  if (method === 'nio') {
    const nio = options.nio ?? {};
    const reference = new Float64Array(problem.count * n);
    if (nio.reference) {
      const point = toVector(nio.reference, 'nio.reference', n);
      for (let k = 0; k < problem.count; k++) reference.set(point, k * n);
    }
    runNio(state, {
      learningRate: checkPositive(nio.learningRate ?? NIO_DEFAULTS.learningRate, 'nio.learningRate'),
      steps: checkInteger(nio.steps ?? options.maxIterations ?? NIO_DEFAULTS.steps, 'nio.steps', 1),
      lambda: checkNonNegative(nio.lambda ?? NIO_DEFAULTS.lambda, 'nio.lambda'),
      reference,
      boxMode: nio.boxMode ?? 'projection',
      onProgress: options.onProgress,
    });
  } else {
    record = createRecord(problem.count);
    iterate(state, ruleFor(method, rtol), { maxIterations, maxStep, rankRtol: rtol, onProgress: rows ? undefined : options.onProgress }, createMemory(problem.count), record);
  }

  // Secondary objective on the solution manifold, for rows that met their target.
  let outcomes: (ObjectiveOutcome | null)[] | null = null;
  if (objective) {
    if (problem.penaltyWeight > 0) {
      if (!rows) run.warnings.push('a secondary objective is not combined with a smoothness penalty; the objective was skipped');
    } else {
      outcomes = new Array<ObjectiveOutcome | null>(problem.count).fill(null);
      for (let k = 0; k < problem.count; k++) {
        if (state.fitNorm[k] <= problem.tolerance[k]) outcomes[k] = improveObjective(state, k, objective, rtol, typeof maxStep === 'number' ? maxStep : maxStep[k], model.inputNames);
      }
    }
  }
  let moved: { before: Float64Array; after: Float64Array } | null = null;
  const refined: number[] = [];
  if (run.nearest) {
    for (let k = 0; k < problem.count; k++) if (state.fitNorm[k] <= problem.tolerance[k]) refined.push(k);
    moved = moveToNearest(state, refined, run.nearest.point, rtol, maxStep);
  }
  const all = buildResults(state, { method, record, starts, objectives: outcomes, rowsPerTarget: 1, domain: run.domain, scales: run.scales, maxIterations: method === 'nio' ? (options.nio?.steps ?? NIO_DEFAULTS.steps) : maxIterations });
  if (objective && !outcomes) for (const result of all) result.objective = objectiveValue(objective, result.x, 0, problem.inputScale);
  if (moved && run.nearest) {
    refined.forEach((k, t) => {
      const result = all[k];
      if (result.manifoldDimension === 0) return;
      result.message += `; of the ${result.manifoldDimension}-dimensional solution set, x is the point nearest (standardized units) to ${run.nearest!.what}: distance ${moved!.before[t].toPrecision(4)} → ${moved!.after[t].toPrecision(4)} (pass a reference to choose another point, or nearest: false for the point reached)`;
    });
  }
  return all;
}

/**
 * Targets whose start did not converge (and are not proven unreachable) get more starts, in waves,
 * until one converges or the budget is spent: the default start (training mean, else box centre)
 * when it was not the first start, then seeded Latin-hypercube points — FIRST_LHS_WAVE, then the
 * rest. The points of target k depend only on (seed, its global index). Replaces results[k] by
 * the best candidate (converged first, then lowest residual, then objective).
 */
function escalate(base: SolveProblem, results: SolveResult[], firstStarts: Float64Array, startsTried: Int32Array, maxStarts: number, seed: number, globalIndex: (k: number) => number, run: RunSettings): void {
  const { n, model, bounds } = base;
  let pending = results.map((result, k) => (result.status === 'converged' ? -1 : k)).filter((k) => k >= 0);
  if (pending.length === 0) return;
  const box = outputBounds(model, bounds);
  if (box) pending = pending.filter((k) => unreachableProof(base, k, box) === null);
  const fallback = defaultStart(model, bounds);
  const lhs = new Map<number, Float64Array>();
  const waves = [{ from: 0, to: FIRST_LHS_WAVE }, { from: FIRST_LHS_WAVE, to: maxStarts }];
  const tryStarts = (startsOf: (k: number) => Float64Array[]): void => {
    const rowTargets: number[] = [], points: Float64Array[] = [];
    for (const k of pending) {
      for (const point of startsOf(k)) {
        if (startsTried[k] >= maxStarts) break;
        rowTargets.push(k);
        points.push(point);
        startsTried[k]++;
      }
    }
    if (rowTargets.length === 0) return;
    const starts = new Float64Array(rowTargets.length * n);
    points.forEach((point, r) => starts.set(point, r * n));
    const found = runRows(base, Int32Array.from(rowTargets), starts, run);
    for (let r = 0; r < found.length; r++) {
      const k = rowTargets[r];
      if (better(found[r], results[k])) results[k] = found[r];
    }
    pending = pending.filter((k) => results[k].status !== 'converged');
  };
  // Wave 1: the default start, where the first start was elsewhere.
  tryStarts((k) => (sameRow(firstStarts, k * n, fallback) ? [] : [fallback]));
  for (const wave of waves) {
    if (pending.length === 0) break;
    tryStarts((k) => {
      // The rest of the budget as one Latin hypercube per target, drawn at its first LHS wave.
      let points = lhs.get(k);
      if (!points && startsTried[k] >= maxStarts) return [];
      if (!points) { points = latinHypercube(maxStarts - startsTried[k], model, bounds, targetSeed(seed, globalIndex(k))); lhs.set(k, points); }
      const out: Float64Array[] = [];
      for (let s = wave.from; s < Math.min(wave.to, points.length / n); s++) out.push(points.subarray(s * n, (s + 1) * n));
      return out;
    });
  }
}

/** Candidate a beats b: converged first, then a lower scaled residual, then a lower objective. */
function better(a: SolveResult, b: SolveResult): boolean {
  const ac = a.status === 'converged', bc = b.status === 'converged';
  if (ac !== bc) return ac;
  if (ac) return (a.objective ?? 0) < (b.objective ?? 0);
  return a.scaledResidualNorm < b.scaledResidualNorm;
}

function sameRow(values: Float64Array, offset: number, point: Float64Array): boolean {
  for (let j = 0; j < point.length; j++) if (values[offset + j] !== point[j]) return false;
  return true;
}

/** One 32-bit seed per (seed, target index): splitmix-style mixing, so neighbouring targets get unrelated streams. */
export function targetSeed(seed: number, target: number): number {
  let h = (Math.trunc(seed) ^ Math.imul(target + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Why target k cannot be met anywhere in the box, or null: some output's band lies outside the
 * sound bound [L, U] of f over the box by more than the target's tolerance (scaled units).
 */
function unreachableProof(problem: SolveProblem, k: number, box: { lower: Float64Array; upper: Float64Array }): string | null {
  const { m, targetLow, targetHigh, outputScale, tolerance, model } = problem;
  let gapSquared = 0;
  const parts: string[] = [];
  for (let i = 0; i < m; i++) {
    const lo = targetLow[k * m + i], hi = targetHigh[k * m + i];
    const gap = Math.max(lo - box.upper[i], box.lower[i] - hi, 0) * outputScale[i];
    if (gap > 0) {
      gapSquared += gap * gap;
      parts.push(`${model.outputNames[i]} ∈ [${format(box.lower[i])}, ${format(box.upper[i])}] everywhere in the box but the target is ${lo === hi ? format(lo) : `[${format(lo)}, ${format(hi)}]`}`);
    }
  }
  return Math.sqrt(gapSquared) > tolerance[k] ? `interval bounds of the model over the box: ${parts.join('; ')}` : null;
}

function format(value: number): string {
  return Number.isFinite(value) ? Number(value.toPrecision(6)).toString() : String(value);
}

/**
 * Input and output scales of the solve: training std when known; otherwise, for an input with a
 * finite box, the std of a uniform distribution on it ((hi − lo)/√12), and for outputs the spread
 * of f at a fixed Latin-hypercube sample of the box. So the solve does not depend on the graph's
 * scaling being recognised; without a box or statistics the scale is 1 (raw units).
 */
interface SolveScales {
  input: Float64Array;
  output: Float64Array;
  /** Where the scales came from, for the standardized condition number, e.g. "x: training std (graph-scaling); y: f's spread over the box". */
  basis: string;
}

function solveScales(model: Model, bounds: Bounds, standardize: boolean, fromBox: boolean): SolveScales {
  const n = model.inputNames.length, m = model.outputNames.length, meta = model.meta;
  const input = scalesFrom(meta?.inputStd, n, standardize);
  const output = scalesFrom(meta?.outputStd, m, standardize);
  if (!standardize) return { input, output, basis: 'none' };
  const knownInput = !!meta?.inputStd && meta.inputStd.length === n;
  const knownOutput = !!meta?.outputStd && meta.outputStd.length === m;
  let inputBasis = knownInput ? `training std (${meta!.inputStatsOrigin ?? 'metadata'})` : 'none';
  let outputBasis = knownOutput ? `training std (${meta!.outputStatsOrigin ?? 'metadata'})` : 'none';
  let finiteBox = fromBox;
  for (let j = 0; j < n && finiteBox; j++) if (!(Number.isFinite(bounds.lower[j]) && Number.isFinite(bounds.upper[j]) && bounds.upper[j] > bounds.lower[j])) finiteBox = false;
  if (!knownInput && finiteBox) {
    for (let j = 0; j < n; j++) input[j] = (bounds.upper[j] - bounds.lower[j]) / Math.sqrt(12);
    inputBasis = 'box width/√12';
  }
  if (!knownOutput && finiteBox) {
    const sample = latinHypercube(OUTPUT_SCALE_SAMPLE, model, bounds, OUTPUT_SCALE_SEED);
    let y: Float64Array | null = null;
    try { y = model.forward(new Matrix(OUTPUT_SCALE_SAMPLE, n, sample)).data; } catch { y = null; }
    if (y) {
      outputBasis = `spread of f over ${OUTPUT_SCALE_SAMPLE} box points`;
      for (let i = 0; i < m; i++) {
        let sum = 0, sumSquares = 0;
        for (let s = 0; s < OUTPUT_SCALE_SAMPLE; s++) sum += y[s * m + i];
        const mean = sum / OUTPUT_SCALE_SAMPLE;
        for (let s = 0; s < OUTPUT_SCALE_SAMPLE; s++) sumSquares += (y[s * m + i] - mean) ** 2;
        const std = Math.sqrt(sumSquares / OUTPUT_SCALE_SAMPLE);
        if (std > 1e-12 * Math.max(1, Math.abs(mean)) && Number.isFinite(std)) output[i] = std;
      }
    }
  }
  return { input, output, basis: inputBasis === outputBasis ? inputBasis : `x: ${inputBasis}; y: ${outputBasis}` };
}

/** Points of the output-scale sample (fixed seed: part of the problem, not of the random starts). */
const OUTPUT_SCALE_SAMPLE = 64;
const OUTPUT_SCALE_SEED = 0x5ca1e;

/** The default reference point: training mean, else the box centre, else 0 per input; and its name. */
function defaultReference(model: Model, bounds: Bounds): { point: Float64Array; what: string } {
  const point = defaultStart(model, bounds);
  const n = model.inputNames.length;
  const mean = model.meta?.inputMean;
  if (mean && mean.length === n) return { point, what: 'the training mean' };
  let finite = true;
  for (let j = 0; j < n; j++) if (!Number.isFinite(bounds.lower[j]) || !Number.isFinite(bounds.upper[j])) finite = false;
  return { point, what: finite ? 'the centre of the box' : 'the default start (box centre or 0 per input)' };
}

function ruleFor(method: SolveMethod, rtol: number): StepRule {
  switch (method) {
    case 'gauss-newton': return gaussNewton(rtol);
    case 'min-norm': return minimumNorm(rtol);
    case 'jacobian-transpose': return jacobianTranspose;
    default: return levenbergMarquardt;
  }
}

/**
 * The box diagonal in scaled units when the box is finite; else, per row, STEP_CAP_PER_INPUT·√n·(1 + rms
 * of the row's scaled start) — per row, so a row's steps never depend on the other rows of the batch.
 */
export function defaultMaxStep(problem: SolveProblem, starts: Float64Array): number | Float64Array {
  const { n, inputScale, bounds } = problem;
  let diagonal = 0, finite = true;
  for (let j = 0; j < n; j++) {
    const width = (bounds.upper[j] - bounds.lower[j]) / inputScale[j];
    if (!Number.isFinite(width)) finite = false;
    else diagonal += width * width;
  }
  if (finite && diagonal > 0) return Math.sqrt(diagonal);
  const out = new Float64Array(problem.count);
  for (let k = 0; k < problem.count; k++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const scaled = starts[k * n + j] / inputScale[j];
      sum += scaled * scaled;
    }
    out[k] = STEP_CAP_PER_INPUT * Math.sqrt(n) * (1 + Math.sqrt(sum / n));
  }
  return out;
}

function secondaryObjective(cost: VectorLike | undefined, reference: VectorLike | undefined, n: number, model: Model, warnings: string[]): SecondaryObjective | null {
  const names = model.inputNames.join(', ');
  if (cost !== undefined) {
    if (cost.length !== n) throw new ShapeError(`cost has ${cost.length} prices but the model has ${n} inputs (${names}); give one price per input`);
    if (reference !== undefined) warnings.push('both cost and reference were given; the linear cost is minimized and the reference is ignored');
    // toVector refuses non-finite entries, naming the entry.
    return { kind: 'linear-cost', prices: toVector(cost, 'cost', n).slice() };
  }
  if (reference !== undefined) {
    if (reference.length !== n) throw new ShapeError(`reference has ${reference.length} values but the model has ${n} inputs (${names})`);
    return { kind: 'reference', point: toVector(reference, 'reference', n).slice() };
  }
  return null;
}

/** Starts from an inverse network y → x, fed with the target (band midpoint, or the finite end). */
function proposerStarts(model: Model, proposer: Model | undefined, low: Float64Array, high: Float64Array, count: number, bounds: ReturnType<typeof resolveBounds>, warnings: string[]): Float64Array {
  const n = model.inputNames.length, m = model.outputNames.length;
  if (!proposer) throw new InvalidArgumentError('method "inverse-net" needs options.proposer: a Model mapping targets y (m values) to a start x (n values)');
  if (proposer.inputNames.length !== m || proposer.outputNames.length !== n) {
    throw new ShapeError(`the proposer maps ${proposer.inputNames.length} → ${proposer.outputNames.length} values but the inverse of this model needs ${m} → ${n} (targets → inputs)`);
  }
  const input = new Matrix(count, m);
  for (let k = 0; k < count * m; k++) {
    const lo = low[k], hi = high[k];
    input.data[k] = Number.isFinite(lo) && Number.isFinite(hi) ? 0.5 * (lo + hi) : Number.isFinite(lo) ? lo : hi;
  }
  const proposed = proposer.forward(input).data.slice();
  let projected = 0;
  for (let k = 0; k < count; k++) {
    for (let j = 0; j < n; j++) if (!Number.isFinite(proposed[k * n + j])) throw new InvalidArgumentError(`the proposer returned a non-finite start for target row ${k + 1}, input ${model.inputNames[j]}`);
    if (hasBounds(bounds)) projected += projectInPlace(proposed, k * n, bounds.lower, bounds.upper) > 0 ? 1 : 0;
  }
  if (projected) warnings.push(`the inverse net proposed ${projected} start(s) outside the bounds; projected onto the box`);
  return proposed;
}

export function summarize(method: SolveMethod, results: SolveResult[], startsPerTarget: number, seconds: number): SolveSummary {
  const counts = emptyCounts();
  const residuals = new Float64Array(results.length);
  const evaluations = { f: 0, jacobian: 0 };
  for (let index = 0; index < results.length; index++) {
    const result = results[index];
    counts[result.status]++;
    residuals[index] = result.residualNorm;
    evaluations.f += result.evaluations.f;
    evaluations.jacobian += result.evaluations.jacobian;
  }
  residuals.sort();
  const summary = { method, targets: results.length, startsPerTarget, counts, medianResidual: median(residuals), maxResidual: residuals.length ? residuals[residuals.length - 1] : NaN, evaluations } as Omit<SolveSummary, 'seconds'>;
  return Object.defineProperty(summary, 'seconds', { value: seconds, enumerable: false }) as SolveSummary;
}

export function summaryMessage(summary: SolveSummary, startsTried: ArrayLike<number>): string {
  const { counts, targets } = summary;
  const parts = [`${counts.converged} of ${targets} target(s) converged`];
  if (counts.optimal) parts.push(`${counts.optimal} certified optimal`);
  if (counts.infeasible) parts.push(`${counts.infeasible} proven infeasible in the box`);
  let escalated = 0, extra = 0;
  for (let k = 0; k < startsTried.length; k++) if (startsTried[k] > summary.startsPerTarget) { escalated++; extra += startsTried[k] - summary.startsPerTarget; }
  if (escalated) parts.push(`${escalated} needed more starts (${extra} extra in all)`);
  if (counts['not-reached']) parts.push(`${counts['not-reached']} not reached (the target may still be reachable: see each message)`);
  if (counts['max-iterations']) parts.push(`${counts['max-iterations']} hit the iteration limit`);
  if (counts.stalled) parts.push(`${counts.stalled} stalled`);
  if (counts['trade-off']) parts.push(`${counts['trade-off']} stopped at a fit/smoothness trade-off`);
  if (counts['infeasible-within-bounds']) parts.push(`${counts['infeasible-within-bounds']} proven unreachable within the bounds`);
  return `${summary.method}: ${parts.join(', ')}; median ‖f(x) − y*‖ = ${summary.medianResidual.toExponential(2)}`;
}
