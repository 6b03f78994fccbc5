// The result of one target, explaining itself like SciPy's OptimizeResult: the point, what the
// model gives there, the residual per output, why the iteration stopped in words, the work done,
// and how trustworthy the point is (singular values, rank, condition number raw and standardized,
// which bounds hold it, whether it lies in the training range).
import { defaultRtol, numericalRank } from '../linalg/index.ts';
import { type Domain, domainBasis, inTrainingRange } from '../model/index.ts';
import type { Certificate } from '../certify/index.ts';
import { activeBoundsAt, boundSide, hasBounds } from './bounds.ts';
import { copyRow, SmallSvd } from './small-svd.ts';
import type { EngineRecord } from './iterate.ts';
import type { ObjectiveOutcome } from './objective.ts';
import type { SolveMethod } from './options.ts';
import type { SolveProblem } from './problem.ts';
import { scaledJacobian, SolveState, StopReason } from './state.ts';

/**
 * converged: the target is met. infeasible-within-bounds: PROVEN unreachable in the box (the target
 * lies outside a sound bound of f over the box). not-reached: the method did all it does — several
 * starts, or min-norm's one step — and none met the target; nothing proves it unreachable.
 * trade-off: a smoothness penalty was asked for and the point minimizes fit + penalty, so the fit is
 * (by design) not within tolerance. stalled / max-iterations: one start, which stopped so.
 * optimal / infeasible: only with options.certify — a global answer with a MILP certificate.
 */
export type SolveStatus = 'converged' | 'not-reached' | 'infeasible-within-bounds' | 'max-iterations' | 'stalled' | 'trade-off' | 'optimal' | 'infeasible';

/** A zero count per status. */
export function emptyCounts(): Record<SolveStatus, number> {
  return { 'converged': 0, 'not-reached': 0, 'infeasible-within-bounds': 0, 'max-iterations': 0, 'stalled': 0, 'trade-off': 0, 'optimal': 0, 'infeasible': 0 };
}

/**
 * Why the iteration of the (best) start stopped, machine-readable (state.ts StopReason):
 * converged — the scaled residual met the tolerance; max-iterations — the iteration limit;
 * stationary — the gradient of the cost vanished relative to σ_max·‖r‖ on the free coordinates;
 * no-progress — accepted steps no longer lowered the cost (relative); damping-limit — Levenberg–
 * Marquardt damping grew past its limit without an acceptable step; line-search-failed — backtracking
 * found no sufficient decrease; single-step — min-norm took its one step; steps-done — NIO ran all its
 * Adam steps; invalid-start — the model gave NaN/Infinity at the start, no step was taken.
 * `status` says what that means for the target (e.g. single-step with the target met is converged).
 */
export type SolveReason = 'converged' | 'max-iterations' | 'stationary' | 'no-progress' | 'damping-limit' | 'line-search-failed' | 'single-step' | 'steps-done' | 'invalid-start';

/** SolveReason by StopReason code (index); Running never reaches a result. */
const REASON_NAMES: readonly SolveReason[] = ['invalid-start', 'converged', 'max-iterations', 'stationary', 'no-progress', 'damping-limit', 'line-search-failed', 'single-step', 'steps-done', 'invalid-start'];

/** The machine-readable name of a StopReason code. */
export function reasonName(code: number): SolveReason {
  return REASON_NAMES[code] ?? 'invalid-start';
}

/** The (never modified) empty list of active-bound descriptions of an unbounded problem. */
const NO_TEXT: readonly string[] = [];


/**
 * One target's answer. x, y, residual, singularValues and start are views into one small
 * ArrayBuffer per result (copy an array before transferring its buffer to a worker).
 */
export interface SolveResult {
  /** Index of the target (row of the targets). */
  target: number;
  method: SolveMethod;
  x: Float64Array;
  /** f(x). */
  y: Float64Array;
  /** f(x) − y* per output (for a band: distance outside the band, signed; 0 inside). */
  residual: Float64Array;
  /** ‖f(x) − y*‖ in output units. */
  residualNorm: number;
  /** ‖residual‖ after output weights/std scaling: the quantity the tolerance applies to. */
  scaledResidualNorm: number;
  tolerance: number;
  status: SolveStatus;
  /** status === 'converged': the target is met within tolerance. */
  success: boolean;
  /** Why the iteration stopped (machine-readable; `status` is what it means for the target). */
  reason: SolveReason;
  /**
   * The cost the solver minimizes at x: ½‖r‖² with r the scaled residual (outputs times weight/std,
   * zero inside a band) plus, with a smoothness penalty, the rows √w·(x_ref − x)/s.
   */
  cost: number;
  /** The same cost at the start point. */
  initialCost: number;
  /**
   * First-order optimality ‖Aᵀr‖ (2-norm) at x, A the scaled Jacobian of r (as in `cost`), over the
   * inputs not held by a bound (a component pushing out of the box counts 0): 0 at a stationary
   * point of the cost. Compare with ‖A‖·‖r‖ (the solver's stationarity test is relative to σ_max·‖r‖).
   */
  optimality: number;
  message: string;
  /** Starts tried for this target (1 unless the solve escalated or several starts were asked for). */
  startsTried: number;
  iterations: number;
  evaluations: { f: number; jacobian: number };
  /** Singular values of the raw Jacobian at x, descending. */
  singularValues: Float64Array;
  rank: number;
  /**
   * Condition numbers of J raw and standardized (diag(1/y scale)·J·diag(x scale)); `basis` says which
   * scales: training std (and from where), the box / f's spread over it, or 'none' (then standardized = raw).
   */
  cond: { raw: number; standardized: number; basis: string };
  /** Local dimension of the solution set through x: n − rank J. */
  manifoldDimension: number;
  /** Inputs sitting on a bound, by name. */
  activeBounds: string[];
  /** Secondary objective at x (pᵀx or distance to the reference), when one was asked for. */
  objective?: number;
  /** What the secondary objective cost and gained. */
  tradeOff?: string;
  /** Inside the training range (and dense region, with training data): true / false, or null when nothing is known. */
  inTrainingRange: boolean | null;
  /** The evidence inTrainingRange used (model/domain.ts domainBasis), 'none' when null. */
  domainBasis: string;
  start: Float64Array;
  warnings: string[];
  /** Scaled residual norm after each accepted step (only with `keepHistory: true`). */
  history?: number[];
  /** With options.certify: the global answer's certificate (or why there is none). */
  certificate?: Certificate;
}

export interface ResultExtras {
  method: SolveMethod;
  record: EngineRecord | null;
  starts: Float64Array;
  objectives: (ObjectiveOutcome | null)[] | null;
  /** State rows per target (consecutive): row k answers target ⌊k / rowsPerTarget⌋ (several with multiple starts). */
  rowsPerTarget: number;
  maxIterations: number;
  domain: Domain;
  /** The scales of the standardized condition number and where they came from (default: training std from meta). */
  scales?: { input: Float64Array; output: Float64Array; basis: string };
}

/** Per-solve constants and scratch of buildResult. */
interface ResultContext {
  svd: SmallSvd;
  sorted: Float64Array;
  rankRtol: number;
  standardizedRows: Float64Array | null;
  standardizedCols: Float64Array | null;
  /** Scratch: the scaled (augmented) Jacobian of one row, residualSize×n. */
  scaledJacobian: Float64Array;
  bounded: boolean;
  domainBasis: string;
  conditionBasis: string;
}

/** Build the result of every state row. */
export function buildResults(state: SolveState, extras: ResultExtras): SolveResult[] {
  const problem = state.problem;
  const { n, m } = problem;
  const meta = problem.model.meta;
  const context: ResultContext = {
    svd: new SmallSvd(m, n),
    sorted: new Float64Array(Math.min(m, n)),
    rankRtol: defaultRtol(m, n),
    standardizedRows: extras.scales ? Float64Array.from(extras.scales.output, (v) => 1 / v) : invertedOrNull(meta?.outputStd, m),
    standardizedCols: extras.scales ? extras.scales.input : positiveOrNull(meta?.inputStd, n),
    conditionBasis: extras.scales?.basis ?? (meta?.inputStd || meta?.outputStd ? 'training std' : 'none'),
    scaledJacobian: new Float64Array(state.residualSize * n),
    bounded: hasBounds(problem.bounds),
    domainBasis: domainBasis(extras.domain),
  };
  const out: SolveResult[] = [];
  for (let k = 0; k < state.count; k++) out.push(buildResult(state, extras, k, context));
  return out;
}

/** The result of state row k (a function of its own, so it is optimised after a few hundred rows). */
function buildResult(state: SolveState, extras: ResultExtras, k: number, context: ResultContext): SolveResult {
  const problem = state.problem;
  const { n, m } = problem;
  const { svd, sorted, rankRtol, standardizedRows, standardizedCols, bounded } = context;
  const p = Math.min(m, n);
  const bytes = Float64Array.BYTES_PER_ELEMENT;
  // x, y, residual, singular values and start of one result share one small buffer: a fifth of
  // the allocations of separate arrays, which matters for 10,000 results (all of them survive).
  const buffer = new ArrayBuffer((2 * n + 2 * m + p) * bytes);
  const x = new Float64Array(buffer, 0, n);
  const y = new Float64Array(buffer, n * bytes, m);
  const residual = new Float64Array(buffer, (n + m) * bytes, m);
  const singularValues = new Float64Array(buffer, (n + 2 * m) * bytes, p);
  const start = new Float64Array(buffer, (n + 2 * m + p) * bytes, n);
  copyRow(state.x, k * n, x, 0, n);
  copyRow(state.y, k * m, y, 0, m);
  copyRow(extras.starts, k * n, start, 0, n);
  for (let i = 0; i < m; i++) {
    const lo = problem.targetLow[k * m + i], hi = problem.targetHigh[k * m + i], value = y[i];
    residual[i] = value < lo ? value - lo : value > hi ? value - hi : 0;
  }
  let residualSquared = 0;
  for (let i = 0; i < m; i++) residualSquared += residual[i] * residual[i];
  svd.load(state.jacobian, k * m * n, m, n, null, null, null);
  svd.factorValues();
  svd.sortedSigma(singularValues);
  const rank = numericalRank(singularValues, rankRtol);
  const condRaw = conditionNumber(singularValues, rank);
  let condStandardized = condRaw;
  if (standardizedRows || standardizedCols) {
    svd.load(state.jacobian, k * m * n, m, n, standardizedRows, standardizedCols, null);
    svd.factorValues();
    svd.sortedSigma(sorted);
    condStandardized = conditionNumber(sorted, numericalRank(sorted, rankRtol));
  }
  const active = bounded ? activeBoundsAt(state.x, k * n, problem.bounds, problem.model.inputNames) : { names: [], text: NO_TEXT };
  const objective = extras.objectives?.[k] ?? null;
  const { status, message } = describe(state, k, extras, rank, active.text, objective);
  const result: SolveResult = {
    target: extras.rowsPerTarget > 1 ? Math.floor(k / extras.rowsPerTarget) : k,
    method: extras.method,
    x, y, residual,
    residualNorm: Math.sqrt(residualSquared),
    scaledResidualNorm: state.fitNorm[k],
    tolerance: problem.tolerance[k],
    status, success: status === 'converged', reason: reasonName(state.reason[k]),
    cost: state.cost[k], initialCost: state.initialCost[k], optimality: optimalityAt(state, k, context.scaledJacobian),
    message,
    startsTried: 1,
    iterations: state.iterations[k],
    evaluations: { f: state.functionEvaluations[k], jacobian: state.jacobianEvaluations[k] },
    singularValues, rank,
    cond: { raw: condRaw, standardized: condStandardized, basis: context.conditionBasis },
    manifoldDimension: n - rank,
    activeBounds: active.names,
    inTrainingRange: inTrainingRange(extras.domain, x),
    domainBasis: context.domainBasis,
    start,
    warnings: [],
  };
  if (state.history) result.history = state.history[k].slice();
  if (objective) {
    result.objective = objective.final;
    result.tradeOff = objective.tradeOff;
  }
  return result;
}

/** ‖Aᵀr‖ over the inputs not held by a bound, at row k (see SolveResult.optimality). */
function optimalityAt(state: SolveState, k: number, a: Float64Array): number {
  const problem = state.problem, { n, m, bounds } = problem, size = state.residualSize;
  scaledJacobian(problem, k, state.y, k * m, state.jacobian, k * m * n, a);
  const r = state.residual, offset = k * size;
  let squared = 0;
  for (let j = 0; j < n; j++) {
    // Aᵀr is the descent direction of ½‖r‖² (r = goal − f): a component pushing past a held bound is 0.
    let descent = 0;
    for (let i = 0; i < size; i++) descent += a[i * n + j] * r[offset + i];
    const side = boundSide(state.x[k * n + j], bounds.lower[j], bounds.upper[j]);
    if ((side < 0 && descent < 0) || (side > 0 && descent > 0)) continue;
    squared += descent * descent;
  }
  return Math.sqrt(squared);
}

function conditionNumber(sorted: Float64Array, rank: number): number {
  if (sorted.length === 0 || !(sorted[0] > 0)) return Infinity;
  return rank < sorted.length ? Infinity : sorted[0] / sorted[sorted.length - 1];
}

function invertedOrNull(std: Float64Array | undefined, length: number): Float64Array | null {
  if (!std || std.length !== length) return null;
  return Float64Array.from(std, (value) => (value > 0 && Number.isFinite(value) ? 1 / value : 1));
}

function positiveOrNull(std: Float64Array | undefined, length: number): Float64Array | null {
  if (!std || std.length !== length) return null;
  return Float64Array.from(std, (value) => (value > 0 && Number.isFinite(value) ? value : 1));
}

function describe(state: SolveState, k: number, extras: ResultExtras, rank: number, activeText: readonly string[], objective: ObjectiveOutcome | null): { status: SolveStatus; message: string } {
  const problem: SolveProblem = state.problem;
  const fit = state.fitNorm[k], tolerance = problem.tolerance[k];
  const met = fit <= tolerance;
  const penalized = problem.penaltyWeight > 0;
  const record = extras.record;
  const p = Math.min(problem.m, problem.n);
  const notes: string[] = [];
  if (record && record.singularSteps[k] > 0) {
    notes.push(`the Jacobian was rank-deficient in ${record.singularSteps[k]} of the steps${record.startRank[k] >= 0 && record.startRank[k] < p ? ` (rank ${record.startRank[k]} < ${p} at the start)` : ''}; the ${extras.method === 'lm' || extras.method === 'inverse-net' ? 'damped step kept going' : 'step dropped the singular directions'}`);
  }
  if (rank < p) notes.push(`J is rank-deficient at the solution (rank ${rank} < ${p})`);
  if (activeText.length) notes.push(activeText.join(', '));
  if (objective) notes.push(`secondary objective: ${objective.stopped}; ${objective.tradeOff}`);
  const tail = notes.length ? `; ${notes.join('; ')}` : '';
  const fitText = `scaled residual ${fit.toExponential(2)} (tolerance ${tolerance.toExponential(2)})`;
  const reason = state.reason[k];
  const blocked = record !== null && record.frozenCount[k] > 0;
  switch (reason) {
    case StopReason.Converged:
      // join gives one flat string; a template literal keeps its pieces as a tree of parts, three
      // times the memory, which adds up (and costs GC time) over 10,000 stored messages.
      return { status: 'converged', message: ['converged: ', fitText, ' after ', state.iterations[k], ' iteration(s)', tail].join('') };
    case StopReason.MaxIterations:
      return met ? { status: 'converged', message: `converged: ${fitText}${tail}` } : { status: 'max-iterations', message: `stopped at the iteration limit (${extras.maxIterations}) before converging: ${fitText}${tail}` };
    case StopReason.SingleStep:
      return met
        ? { status: 'converged', message: `one minimum-norm step x0 + J⁺(y* − f(x0)) met the target: ${fitText}${tail}` }
        : { status: 'not-reached', message: `min-norm takes exactly one linearized step; it did not meet the target (${fitText}); use lm or gauss-newton to iterate${tail}` };
    case StopReason.StepsDone:
      return { status: 'max-iterations', message: `NIO ran all its Adam steps; it minimizes ‖f(x) − y*‖² + λ‖x − x_ref‖², a compromise that stops short of f(x) = y*: ${fitText}${tail}` };
    case StopReason.InvalidStart:
      return { status: 'stalled', message: `the model returned a non-finite output or Jacobian at the start; no step was taken${tail}` };
    case StopReason.Stationary:
    case StopReason.NoProgress:
    case StopReason.DampingLimit:
    case StopReason.LineSearchFailed: {
      if (met) return { status: 'converged', message: `converged: ${fitText}${tail}` };
      if (penalized) return { status: 'trade-off', message: `stopped at a minimum of fit + smoothness penalty (a trade-off, so the fit is not within tolerance): ${fitText}${tail}` };
      const what = reason === StopReason.Stationary ? 'the residual gradient vanished (a local minimum of ‖f(x) − y*‖, or a stationary start)'
        : reason === StopReason.NoProgress ? 'steps no longer lower the residual'
          : reason === StopReason.DampingLimit ? 'the damping grew without finding a lower residual' : 'the line search found no lower residual along the step';
      return blocked || (activeText.length > 0 && !penalized)
        ? { status: 'stalled', message: `target not reached from this start: ${what}; x is the closest point found, held by the bounds (${fitText}); this alone does not prove the target unreachable${tail}` }
        : { status: 'stalled', message: `target not reached: ${what}; x is the closest point found — the target may be outside what the model can produce, or another start may reach it (try several starts) (${fitText})${tail}` };
    }
    default:
      return { status: 'stalled', message: `stopped (${reason})${tail}` };
  }
}
