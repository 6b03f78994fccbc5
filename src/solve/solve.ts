// The one entry point of the solvers: solve(model, targets, options) finds x with f(x) = y* (or
// f(x) inside a band) for every target at once. It resolves bounds, scaling, weights, starts and
// tolerances into a SolveProblem, runs the chosen method batched over targets (one model call per
// round for all still-running targets), optionally improves a secondary objective on the solution
// manifold, and returns one self-explaining SolveResult per target (plus all distinct solutions
// when several starts were used).
import { InvalidArgumentError, ShapeError } from '../linalg/errors.ts';
import { Matrix, toVector, type VectorLike } from '../linalg/matrix.ts';
import { defaultRtol } from '../linalg/tolerance.ts';
import type { Model } from '../model/model.ts';
import { hasBounds, projectInPlace, resolveBounds } from './bounds.ts';
import { createMemory, createRecord, iterate, type EngineRecord, type StepRule } from './engine.ts';
import { gaussNewton } from './methods/gauss-newton.ts';
import { jacobianTranspose } from './methods/jacobian-transpose.ts';
import { levenbergMarquardt } from './methods/lm.ts';
import { minimumNorm } from './methods/min-norm.ts';
import { runNio } from './methods/nio.ts';
import { improveObjective, objectiveValue, type ObjectiveOutcome, type SecondaryObjective } from './objective.ts';
import { DEFAULT_MAX_ITERATIONS, NIO_DEFAULTS, SOLVE_METHODS, type CertifyOptions, type SolveMethod, type SolveOptions } from './options.ts';
import { parseTargets, RESIDUAL_RTOL, resolveWeights, scalesFrom, subsetProblem, targetTolerances, type SolveProblem, type TargetsInput } from './problem.ts';
import { buildResults, type SolveResult, type SolveStatus } from './result.ts';
import { latinHypercube, rankDistinct, resolveStarts } from './starts.ts';
import { SolveState } from './state.ts';
import { solveCertified } from './certified.ts';

export type { SolveOptions, SolveMethod, CertifyOptions } from './options.ts';
export type { SolveResult, SolveStatus } from './result.ts';

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
  if (options.certify) return solveCertified(model, targets, options as SolveOptions & CertifyOptions);
  const method = options.method ?? 'lm';
  if (!SOLVE_METHODS.includes(method)) throw new InvalidArgumentError(`method must be one of ${SOLVE_METHODS.join(', ')}; got "${method}"`);
  const n = model.inputNames.length, m = model.outputNames.length;
  const warnings: string[] = [];
  const parsed = parseTargets(targets, model);
  const bounds = resolveBounds(model, options);
  const weights = resolveWeights(options.weights, model);
  const standardize = options.standardize !== false;
  const outputScale = scalesFrom(model.meta?.outputStd, m, standardize).map((std, i) => weights[i] / std);
  const inputScale = scalesFrom(model.meta?.inputStd, n, standardize);
  const relativeTolerance = positive(options.tolerance ?? RESIDUAL_RTOL, 'tolerance');
  const maxIterations = positiveInteger(options.maxIterations ?? DEFAULT_MAX_ITERATIONS[method], 'maxIterations');
  const rtol = positive(options.rtol ?? defaultRtol(m, n), 'rtol');
  const startCount = options.starts === undefined ? 1 : positiveInteger(options.starts, 'starts');
  if (startCount > 1 && options.start !== undefined) warnings.push('both start and starts were given; the K random starts are used and start is ignored');
  const objective = secondaryObjective(options.cost, options.reference, n, model, warnings);

  const base: SolveProblem = {
    model, n, m, count: parsed.count,
    targetLow: parsed.low, targetHigh: parsed.high,
    outputScale, inputScale, bounds,
    penaltyWeight: 0, penaltyReference: null,
    tolerance: targetTolerances(parsed.low, parsed.high, parsed.count, outputScale, relativeTolerance),
  };
  if (options.penalty && options.penalty.weight > 0) {
    base.penaltyWeight = positive(options.penalty.weight, 'smoothness');
    base.penaltyReference = options.penalty.reference;
  }

  // Starts: one row per (target, start).
  let problem = base, starts: Float64Array;
  if (method === 'inverse-net') {
    starts = proposerStarts(model, options.proposer, parsed.low, parsed.high, parsed.count, bounds, warnings);
  } else if (startCount > 1) {
    const points = latinHypercube(startCount, model, bounds, options.seed ?? 0);
    const rows = new Int32Array(parsed.count * startCount);
    starts = new Float64Array(rows.length * n);
    for (let k = 0; k < parsed.count; k++) {
      for (let s = 0; s < startCount; s++) {
        rows[k * startCount + s] = k;
        starts.set(points.subarray(s * n, (s + 1) * n), (k * startCount + s) * n);
      }
    }
    problem = subsetProblem(base, rows);
  } else {
    starts = resolveStarts(model, bounds, parsed.count, options.start, warnings);
  }
  const state = new SolveState(problem, starts.slice(), options.keepHistory === true);
  let record: EngineRecord | null = null;
  const maxStep = options.maxStep !== undefined ? positive(options.maxStep, 'maxStep') : defaultMaxStep(problem, starts);
  if (method === 'nio') {
    const nio = options.nio ?? {};
    const reference = new Float64Array(problem.count * n);
    if (nio.reference) {
      const point = toVector(nio.reference, 'nio.reference', n);
      for (let k = 0; k < problem.count; k++) reference.set(point, k * n);
    }
    runNio(state, {
      learningRate: positive(nio.learningRate ?? NIO_DEFAULTS.learningRate, 'nio.learningRate'),
      steps: positiveInteger(nio.steps ?? options.maxIterations ?? NIO_DEFAULTS.steps, 'nio.steps'),
      lambda: nonNegative(nio.lambda ?? NIO_DEFAULTS.lambda, 'nio.lambda'),
      reference,
      boxMode: nio.boxMode ?? 'projection',
      onProgress: options.onProgress,
    });
  } else {
    record = createRecord(problem.count);
    iterate(state, ruleFor(method, rtol), { maxIterations, maxStep, rankRtol: rtol, onProgress: options.onProgress }, createMemory(problem.count), record);
  }

  // Secondary objective on the solution manifold, for rows that met their target.
  let outcomes: (ObjectiveOutcome | null)[] | null = null;
  if (objective) {
    if (base.penaltyWeight > 0) warnings.push('a secondary objective is not combined with a smoothness penalty; the objective was skipped');
    else {
      outcomes = new Array<ObjectiveOutcome | null>(problem.count).fill(null);
      for (let k = 0; k < problem.count; k++) {
        if (state.fitNorm[k] <= problem.tolerance[k]) outcomes[k] = improveObjective(state, k, objective, rtol, maxStep, model.inputNames);
      }
    }
  }

  const rowsPerTarget = startCount > 1 && method !== 'inverse-net' ? startCount : 1;
  const all = buildResults(state, { method, record, starts, objectives: outcomes, rowsPerTarget, maxIterations: method === 'nio' ? (options.nio?.steps ?? NIO_DEFAULTS.steps) : maxIterations });
  if (objective && !outcomes) for (const result of all) result.objective = objectiveValue(objective, result.x, 0, inputScale);
  if (warnings.length > 0) for (const result of all) result.warnings.push(...warnings);

  let results = all, solutions: SolveResult[][] | undefined;
  if (startCount > 1 && method !== 'inverse-net') {
    results = [];
    solutions = [];
    for (let k = 0; k < parsed.count; k++) {
      const group = all.slice(k * startCount, (k + 1) * startCount);
      const order = rankDistinct(group.map((result) => ({
        x: result.x, residual: result.scaledResidualNorm, objective: result.objective ?? 0, converged: result.status === 'converged',
      })), inputScale, base.tolerance[k]);
      const distinct = order.map((index) => group[index]);
      solutions.push(distinct);
      results.push(distinct[0]);
      const convergedCount = distinct.filter((result) => result.status === 'converged').length;
      distinct[0].message += `; ${startCount} starts gave ${distinct.length} distinct point(s), ${convergedCount} of them solutions (local solution-set dimension n − rank J = ${distinct[0].manifoldDimension})`;
    }
  }
  const summary = summarize(method, results, startCount);
  return { results, solutions, summary, message: summaryMessage(summary), warnings };
}

function ruleFor(method: SolveMethod, rtol: number): StepRule {
  switch (method) {
    case 'gauss-newton': return gaussNewton(rtol);
    case 'min-norm': return minimumNorm(rtol);
    case 'jacobian-transpose': return jacobianTranspose;
    default: return levenbergMarquardt;
  }
}

/** The box diagonal in scaled units when the box is finite; else STEP_CAP_PER_INPUT·√n·(1 + rms start). */
function defaultMaxStep(problem: SolveProblem, starts: Float64Array): number {
  const { n, inputScale, bounds } = problem;
  let diagonal = 0, finite = true;
  for (let j = 0; j < n; j++) {
    const width = (bounds.upper[j] - bounds.lower[j]) / inputScale[j];
    if (!Number.isFinite(width)) finite = false;
    else diagonal += width * width;
  }
  if (finite && diagonal > 0) return Math.sqrt(diagonal);
  let largest = 0;
  for (let k = 0; k < problem.count; k++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const scaled = starts[k * n + j] / inputScale[j];
      sum += scaled * scaled;
    }
    largest = Math.max(largest, Math.sqrt(sum / n));
  }
  return STEP_CAP_PER_INPUT * Math.sqrt(n) * (1 + largest);
}

function secondaryObjective(cost: VectorLike | undefined, reference: VectorLike | undefined, n: number, model: Model, warnings: string[]): SecondaryObjective | null {
  const names = model.inputNames.join(', ');
  if (cost !== undefined) {
    if (cost.length !== n) throw new ShapeError(`cost has ${cost.length} prices but the model has ${n} inputs (${names}); give one price per input`);
    if (reference !== undefined) warnings.push('both cost and reference were given; the linear cost is minimized and the reference is ignored');
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

export function summarize(method: SolveMethod, results: SolveResult[], startsPerTarget: number): SolveSummary {
  const counts: Record<SolveStatus, number> = { 'converged': 0, 'max-iterations': 0, 'stalled': 0, 'infeasible-within-bounds': 0, 'optimal': 0, 'infeasible': 0 };
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
  const median = residuals.length ? (residuals[(residuals.length - 1) >> 1] + residuals[residuals.length >> 1]) / 2 : NaN;
  return { method, targets: results.length, startsPerTarget, counts, medianResidual: median, maxResidual: residuals.length ? residuals[residuals.length - 1] : NaN, evaluations };
}

export function summaryMessage(summary: SolveSummary): string {
  const { counts, targets } = summary;
  const parts = [`${counts.converged} of ${targets} target(s) converged`];
  if (counts['max-iterations']) parts.push(`${counts['max-iterations']} hit the iteration limit`);
  if (counts.stalled) parts.push(`${counts.stalled} stalled`);
  if (counts['infeasible-within-bounds']) parts.push(`${counts['infeasible-within-bounds']} not reachable within the bounds`);
  return `${summary.method}: ${parts.join(', ')}; median ‖f(x) − y*‖ = ${summary.medianResidual.toExponential(2)}`;
}

function positive(value: number, name: string): number {
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) throw new InvalidArgumentError(`${name} must be a finite number > 0, got ${value}`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!(typeof value === 'number' && value >= 0 && Number.isFinite(value))) throw new InvalidArgumentError(`${name} must be a finite number ≥ 0, got ${value}`);
  return value;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${name} must be an integer ≥ 1, got ${value}`);
  return value;
}
