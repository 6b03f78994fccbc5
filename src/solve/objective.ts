// Secondary objective once the targets are met: among all x with f(x) = y* (the solution manifold,
// locally of dimension n − rank J), move toward a lower linear cost pᵀx (e.g. input prices) or
// toward a reference operating point, without giving up the fit. Each step moves along the
// projection of −∇objective onto the null space of J (so f does not change to first order), is
// capped by the box (active set: coordinates at a bound whose move points outward are frozen),
// then Gauss–Newton corrections pull f back onto y* (curvature); a step that cannot be corrected
// within tolerance, or that does not lower the objective, is halved. The trade-off is stated:
// how much the objective fell, how far x moved, and what the residual did.
//
// Runs per target (one-row model calls): it is a refinement after the batched solve.
import { freezeOutward, projectInPlace } from './bounds.ts';
import { SmallSvd } from './small-svd.ts';
import type { SolveProblem } from './problem.ts';
import { allFinite, computeResidual, evaluateRows, scaledJacobian, SolveState } from './state.ts';

export type SecondaryObjective =
  | { kind: 'linear-cost'; prices: Float64Array }
  | { kind: 'reference'; point: Float64Array };

/** Moves along the manifold before giving up. */
export const MAX_OBJECTIVE_STEPS = 100;
/** Gauss–Newton corrections back onto f(x) = y* after each move. */
export const MAX_CORRECTIONS = 6;
/** Stationary on the manifold when ‖P_N ∇‖ ≤ this fraction of ‖∇‖ (or of the cost scale). */
export const OBJECTIVE_GRADIENT_RTOL = 1e-9;
/** A move must lower the objective by at least this fraction of its magnitude (plus scale). */
export const OBJECTIVE_DECREASE_RTOL = 1e-12;
/** Give up halving once the move is this fraction of the scaled distance to the origin (+1). */
export const MIN_MOVE_RTOL = 1e-10;

export interface ObjectiveOutcome {
  kind: SecondaryObjective['kind'];
  initial: number;
  final: number;
  /** Scaled distance x moved along the manifold. */
  moved: number;
  fitBefore: number;
  fitAfter: number;
  steps: number;
  evaluations: number;
  /** Why it stopped, in words. */
  stopped: string;
  /** The trade-off in one sentence. */
  tradeOff: string;
}

/** pᵀx, or the scaled distance ‖(x − x_ref)/s‖. */
/**
 * The steepest descent of an objective (gradient in scaled inputs) that keeps f(x) fixed to first
 * order: −gradient projected on the null space of the scaled Jacobian (size × n rows in `scaled`),
 * with inputs that sit on a bound and would be pushed outward frozen (re-projected until none is).
 * Writes `direction` and `frozen`; shared by the secondary objective and the nearest-solution answer.
 */
export function descentOnSolutionSet(
  scaled: Float64Array, size: number, n: number, gradient: Float64Array, x: Float64Array, xOffset: number,
  lower: Float64Array, upper: Float64Array, rtol: number, svd: SmallSvd, direction: Float64Array, frozen: Uint8Array,
): void {
  frozen.fill(0);
  for (let attempt = 0; attempt <= n; attempt++) {
    svd.load(scaled, 0, size, n, null, null, frozen, 0);
    svd.factor();
    svd.nullSpaceProject(gradient, direction, rtol);
    for (let j = 0; j < n; j++) direction[j] = frozen[j] ? 0 : -direction[j];
    if (freezeOutward(x, xOffset, direction, lower, upper, frozen) === 0) break;
  }
}

export function objectiveValue(objective: SecondaryObjective, x: Float64Array, offset: number, inputScale: Float64Array): number {
  const n = inputScale.length;
  let sum = 0;
  if (objective.kind === 'linear-cost') {
    for (let j = 0; j < n; j++) sum += objective.prices[j] * x[offset + j];
    return sum;
  }
  for (let j = 0; j < n; j++) sum += ((x[offset + j] - objective.point[j]) / inputScale[j]) ** 2;
  return Math.sqrt(sum);
}

/** Improve row k of a converged state in place. */
export function improveObjective(state: SolveState, k: number, objective: SecondaryObjective, rtol: number, maxStep: number, names: readonly string[]): ObjectiveOutcome {
  const problem = state.problem;
  const { n, m, inputScale } = problem;
  const { lower, upper } = problem.bounds;
  const size = state.residualSize;
  const svd = new SmallSvd(size, n);
  const scaled = new Float64Array(size * n);
  const gradient = new Float64Array(n), direction = new Float64Array(n);
  const frozen = new Uint8Array(n);
  const trial = new Float64Array(n), trialY = new Float64Array(m), trialJ = new Float64Array(m * n);
  const residual = new Float64Array(size);
  const norms = new Float64Array(2);
  const rho = new Float64Array(Math.min(size, n)), phi = new Float64Array(Math.min(size, n)), correction = new Float64Array(n);
  const x = state.x.subarray(k * n, (k + 1) * n);
  const tolerance = problem.tolerance[k];
  const initial = objectiveValue(objective, x, 0, inputScale);
  const fitBefore = state.fitNorm[k];
  const start = x.slice();
  let current = initial, steps = 0, evaluations = 0, stopped = 'reached the step limit';
  let lastFrozen: string[] = [];
  let scaleOfStep = 1;

  /** Evaluate f, J at `trial` and write the scaled residual; returns the fit norm. */
  const evaluateTrial = (): number => {
    const evaluated = evaluateRows(problem, trial, null, 1, true);
    evaluations++;
    if (!allFinite(evaluated.y, 0, m) || !allFinite(evaluated.jacobian!, 0, m * n)) return Infinity;
    trialY.set(evaluated.y);
    trialJ.set(evaluated.jacobian!);
    computeResidual(problem, k, trialY, 0, trial, 0, residual, 0, norms);
    return Math.sqrt(norms[0]);
  };

  for (; steps < MAX_OBJECTIVE_STEPS; steps++) {
    // Gradient of the objective in scaled inputs z = x/s.
    for (let j = 0; j < n; j++) {
      gradient[j] = objective.kind === 'linear-cost' ? objective.prices[j] * inputScale[j] : (x[j] - objective.point[j]) / inputScale[j];
    }
    scaledJacobian(problem, k, state.y, k * m, state.jacobian, k * m * n, scaled);
    descentOnSolutionSet(scaled, size, n, gradient, x, 0, lower, upper, rtol, svd, direction, frozen);
    lastFrozen = names.filter((_, j) => frozen[j]);
    let gradientNorm = 0, directionNorm = 0;
    for (let j = 0; j < n; j++) { gradientNorm += gradient[j] ** 2; directionNorm += direction[j] ** 2; }
    gradientNorm = Math.sqrt(gradientNorm); directionNorm = Math.sqrt(directionNorm);
    if (directionNorm <= OBJECTIVE_GRADIENT_RTOL * Math.max(gradientNorm, Number.MIN_VALUE)) {
      stopped = lastFrozen.length > 0 ? `stationary on the solution manifold with ${lastFrozen.join(', ')} held at a bound` : 'stationary on the solution manifold';
      break;
    }
    // Longest move inside the box along the direction (a linear cost goes there; a distance needs at most 1).
    let limit = objective.kind === 'reference' ? 1 : Infinity;
    for (let j = 0; j < n; j++) {
      const change = direction[j] * inputScale[j];
      if (change > 0 && Number.isFinite(upper[j])) limit = Math.min(limit, (upper[j] - x[j]) / change);
      else if (change < 0 && Number.isFinite(lower[j])) limit = Math.min(limit, (lower[j] - x[j]) / change);
    }
    limit = Math.min(limit, maxStep / directionNorm);
    let length = Math.min(limit, scaleOfStep * limit);
    let accepted = false;
    const minimum = MIN_MOVE_RTOL * (1 + Math.sqrt(x.reduce((sum, value, j) => sum + (value / inputScale[j]) ** 2, 0)));
    while (length * directionNorm > minimum) {
      for (let j = 0; j < n; j++) trial[j] = x[j] + length * direction[j] * inputScale[j];
      projectInPlace(trial, 0, lower, upper);
      let fit = evaluateTrial();
      for (let c = 0; c < MAX_CORRECTIONS && fit > tolerance && Number.isFinite(fit); c++) {
        // Gauss–Newton pull back onto f = y*: z += J⁺r.
        scaledJacobian(problem, k, trialY, 0, trialJ, 0, scaled);
        svd.load(scaled, 0, size, n, null, null, frozen, 0);
        svd.factor();
        svd.projectU(residual, 0, rho);
        const cutoff = rtol * svd.maxSigma();
        for (let q = 0; q < svd.p; q++) phi[q] = svd.sigma[q] > cutoff && svd.sigma[q] > 0 ? rho[q] / svd.sigma[q] : 0;
        svd.combineV(phi, correction);
        for (let j = 0; j < n; j++) trial[j] += correction[j] * inputScale[j];
        projectInPlace(trial, 0, lower, upper);
        fit = evaluateTrial();
      }
      const value = objectiveValue(objective, trial, 0, inputScale);
      if (fit <= tolerance && value < current - OBJECTIVE_DECREASE_RTOL * (Math.abs(current) + 1)) {
        x.set(trial);
        state.y.set(trialY, k * m);
        state.jacobian.set(trialJ, k * m * n);
        state.refreshResidual(k);
        current = value;
        accepted = true;
        scaleOfStep = Math.min(1, scaleOfStep * 2);
        break;
      }
      length *= 0.5;
      scaleOfStep *= 0.5;
    }
    if (!accepted) {
      stopped = 'no move along the manifold lowers the objective while keeping the fit';
      break;
    }
  }
  state.functionEvaluations[k] += evaluations;
  state.jacobianEvaluations[k] += evaluations;
  let moved = 0;
  for (let j = 0; j < n; j++) moved += ((x[j] - start[j]) / inputScale[j]) ** 2;
  moved = Math.sqrt(moved);
  const fitAfter = state.fitNorm[k];
  const label = objective.kind === 'linear-cost' ? 'cost pᵀx' : 'distance to the reference';
  const change = initial !== 0 ? ` (${(((current - initial) / Math.abs(initial)) * 100).toFixed(1)}%)` : '';
  const tradeOff = `${label} went from ${format(initial)} to ${format(current)}${change} by moving ${format(moved)} (scaled units) along the solution manifold; `
    + `the scaled residual went from ${format(fitBefore)} to ${format(fitAfter)} (tolerance ${format(tolerance)}), so the targets are still met${lastFrozen.length ? `; held at bounds: ${lastFrozen.join(', ')}` : ''}`;
  return { kind: objective.kind, initial, final: current, moved, fitBefore, fitAfter, steps, evaluations, stopped, tradeOff };
}

function format(value: number): string {
  return Number.isFinite(value) ? Number(value.toPrecision(4)).toString() : String(value);
}

/** The objective chosen by the options (cost wins over reference when both are given: reported as a warning by solve). */
export function resolveObjective(problem: SolveProblem, cost: ArrayLike<number> | undefined, reference: ArrayLike<number> | undefined): SecondaryObjective | null {
  if (cost) return { kind: 'linear-cost', prices: Float64Array.from(cost) };
  if (reference) return { kind: 'reference', point: Float64Array.from(reference) };
  void problem;
  return null;
}
