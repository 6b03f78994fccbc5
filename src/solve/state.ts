// The batched iteration state of a solve: one row per target (or per target×start) holding the
// current point, its outputs, raw Jacobian, scaled residual and cost, plus per-target counters and
// the reason it stopped. Model calls always go through evaluateRows: one batched call for all
// rows still being iterated.
import { Matrix } from '../linalg/index.ts';
import { evaluateWithJacobian } from '../model/index.ts';
import { copyRow } from './small-svd.ts';
import { residualLength, type SolveProblem } from './problem.ts';

/** Why a row stopped iterating. */
export const StopReason = {
  Running: 0,
  Converged: 1,
  MaxIterations: 2,
  /** Gradient of the cost (on the free coordinates) vanished relative to ‖J‖·‖r‖. */
  Stationary: 3,
  /** Accepted steps no longer reduce the cost (relative). */
  NoProgress: 4,
  /** Levenberg–Marquardt damping grew past its limit without an acceptable step. */
  DampingLimit: 5,
  /** Backtracking halved the step to nothing without sufficient decrease. */
  LineSearchFailed: 6,
  /** A single-step method (min-norm) took its step. */
  SingleStep: 7,
  /** A fixed-step method (NIO) ran all its steps. */
  StepsDone: 8,
  /** The model returned NaN/Infinity at the start point. */
  InvalidStart: 9,
} as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

export class SolveState {
  readonly problem: SolveProblem;
  readonly count: number;
  /** Residual length (outputs plus penalty rows). */
  readonly residualSize: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly jacobian: Float64Array;
  readonly residual: Float64Array;
  /** ½‖r‖² including the penalty rows. */
  readonly cost: Float64Array;
  /** The cost at the start point. */
  readonly initialCost: Float64Array;
  /** ‖r‖ over the output rows only (scaled units). */
  readonly fitNorm: Float64Array;
  readonly reason: Uint8Array;
  readonly iterations: Int32Array;
  readonly functionEvaluations: Int32Array;
  readonly jacobianEvaluations: Int32Array;
  /** Per-row scaled residual norm after each accepted step (null when history is off). */
  readonly history: number[][] | null;
  /** Rows whose model output or Jacobian was non-finite at the start. */
  readonly invalidStart: Uint8Array;
  /** Scratch of refreshResidual: ‖fit‖², ‖all‖². */
  private readonly norms = new Float64Array(2);

  constructor(problem: SolveProblem, start: Float64Array, keepHistory: boolean) {
    const { n, m, count } = problem;
    this.problem = problem;
    this.count = count;
    this.residualSize = residualLength(problem);
    this.x = start;
    this.y = new Float64Array(count * m);
    this.jacobian = new Float64Array(count * m * n);
    this.residual = new Float64Array(count * this.residualSize);
    this.cost = new Float64Array(count);
    this.initialCost = new Float64Array(count);
    this.fitNorm = new Float64Array(count);
    this.reason = new Uint8Array(count);
    this.iterations = new Int32Array(count);
    this.functionEvaluations = new Int32Array(count);
    this.jacobianEvaluations = new Int32Array(count);
    this.history = keepHistory ? Array.from({ length: count }, () => []) : null;
    this.invalidStart = new Uint8Array(count);
    // One shared start (the usual case: a given point, the mean, zero) is evaluated once.
    const shared = sameRows(this.x, count, n);
    const evaluated = evaluateRows(problem, this.x, null, shared ? 1 : count, true);
    for (let k = 0; k < count; k++) this.startRow(k, evaluated.y, evaluated.jacobian!, shared ? 0 : k);
  }

  /** Row k starts from the evaluation at index `source` of (y, jacobian). */
  private startRow(k: number, y: Float64Array, jacobian: Float64Array, source: number): void {
    const { n, m } = this.problem;
    this.functionEvaluations[k]++;
    this.jacobianEvaluations[k]++;
    copyRow(y, source * m, this.y, k * m, m);
    copyRow(jacobian, source * m * n, this.jacobian, k * m * n, m * n);
    if (!allFinite(y, source * m, m) || !allFinite(jacobian, source * m * n, m * n)) this.invalidStart[k] = 1;
    this.refreshResidual(k);
    this.initialCost[k] = this.cost[k];
    this.history?.[k].push(this.fitNorm[k]);
  }

  /** Recompute residual, cost and fit norm of row k from its x and y. */
  refreshResidual(k: number): void {
    const size = this.residualSize, norms = this.norms;
    computeResidual(this.problem, k, this.y, k * this.problem.m, this.x, k * this.problem.n, this.residual, k * size, norms);
    this.cost[k] = 0.5 * norms[1];
    this.fitNorm[k] = Math.sqrt(norms[0]);
  }

  /** Rows still running. */
  runningRows(): Int32Array {
    let total = 0;
    for (let k = 0; k < this.count; k++) if (this.reason[k] === StopReason.Running) total++;
    const out = new Int32Array(total);
    let t = 0;
    for (let k = 0; k < this.count; k++) if (this.reason[k] === StopReason.Running) out[t++] = k;
    return out;
  }
}

/**
 * Scaled residual of row k at (y, x) into out[outOffset ..]: output rows s_i·(clamp(y_i) − y_i),
 * then √w·(reference_j − x_j)/inputScale_j penalty rows. Writes ‖fit‖² and ‖all‖² into
 * norms[0], norms[1] (both Infinity when a value is NaN).
 */
export function computeResidual(
  problem: SolveProblem, k: number, y: Float64Array, yOffset: number, x: Float64Array, xOffset: number,
  out: Float64Array, outOffset: number, norms: Float64Array,
): void {
  const { m, n, targetLow, targetHigh, outputScale, inputScale } = problem;
  let fit = 0;
  for (let i = 0; i < m; i++) {
    const value = y[yOffset + i];
    const lo = targetLow[k * m + i], hi = targetHigh[k * m + i];
    const goal = value < lo ? lo : value > hi ? hi : value;
    const r = outputScale[i] * (goal - value);
    out[outOffset + i] = r;
    fit += r * r;
  }
  let total = fit;
  if (problem.penaltyWeight > 0 && problem.penaltyReference) {
    const root = Math.sqrt(problem.penaltyWeight);
    for (let j = 0; j < n; j++) {
      const r = (root * (problem.penaltyReference[k * n + j] - x[xOffset + j])) / inputScale[j];
      out[outOffset + m + j] = r;
      total += r * r;
    }
  }
  if (Number.isNaN(total)) {
    norms[0] = Infinity;
    norms[1] = Infinity;
  } else {
    norms[0] = fit;
    norms[1] = total;
  }
}

/**
 * Scaled (augmented) Jacobian of row k into out (residualSize×n): s_i·J_ij·inputScale_j for
 * outputs outside their band (rows inside a band are zero: they exert no pull), then √w·I.
 */
export function scaledJacobian(problem: SolveProblem, k: number, y: Float64Array, yOffset: number, jacobian: Float64Array, jOffset: number, out: Float64Array): void {
  const { m, n, targetLow, targetHigh, outputScale, inputScale } = problem;
  for (let i = 0; i < m; i++) {
    const value = y[yOffset + i];
    const lo = targetLow[k * m + i], hi = targetHigh[k * m + i];
    const inside = lo < hi && value > lo && value < hi;
    const s = inside ? 0 : outputScale[i];
    for (let j = 0; j < n; j++) out[i * n + j] = s * jacobian[jOffset + i * n + j] * inputScale[j];
  }
  if (problem.penaltyWeight > 0) {
    const root = Math.sqrt(problem.penaltyWeight);
    for (let a = 0; a < n; a++) for (let j = 0; j < n; j++) out[(m + a) * n + j] = a === j ? root : 0;
  }
}

/**
 * Evaluate the model at `count` rows of `points` (row indices in `rows`; null: the first `count`
 * rows, passed without copying) in one batched call. Returns outputs (count×m) and, when asked,
 * raw Jacobians (count×m×n), in the order of `rows`.
 */
export function evaluateRows(problem: SolveProblem, points: Float64Array, rows: Int32Array | null, count: number, withJacobian: boolean): { y: Float64Array; jacobian: Float64Array | null } {
  const { n, model } = problem;
  let input: Matrix;
  if (rows === null) input = new Matrix(count, n, points.length === count * n ? points : points.subarray(0, count * n));
  else {
    input = new Matrix(count, n);
    for (let t = 0; t < count; t++) {
      const k = rows[t];
      for (let j = 0; j < n; j++) input.data[t * n + j] = points[k * n + j];
    }
  }
  if (withJacobian) {
    const both = evaluateWithJacobian(model, input);
    return { y: both.y.data, jacobian: both.jacobian.data };
  }
  return { y: model.forward(input).data, jacobian: null };
}

/** True when all `count` rows of length n in `points` equal the first. */
function sameRows(points: Float64Array, count: number, n: number): boolean {
  for (let k = 1; k < count; k++) for (let j = 0; j < n; j++) if (points[k * n + j] !== points[j]) return false;
  return true;
}

export function allFinite(values: Float64Array, offset: number, length: number): boolean {
  let poison = 0;
  for (let i = 0; i < length; i++) poison += values[offset + i] * 0;
  return poison === 0;
}
