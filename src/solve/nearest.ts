// The default answer on a solution set of dimension > 0: among the x with f(x) = y* (to tolerance),
// the one nearest to a reference point in scaled (standardized) units — seed 000's minimum-norm Δx,
// applied to the nonlinear solve. Batched over targets: one model call per round for all rows.
//
// Each round, per row, in scaled inputs z = x/s with A the scaled Jacobian and r the scaled residual:
//   Δz = A⁺r + α·d,   d = −P_N(z − z_ref)   (P_N: projector onto the null space of A, free coordinates)
// i.e. a Gauss–Newton correction back onto f = y* plus a move toward the reference along the
// solution set (one model call per round: the correction of round t repairs the curvature error of
// the move of round t − 1, quadratically). A trial is accepted when its residual stays below
// LOOSE_FIT_FACTOR × the tolerance and it is nearer the reference (or, off tolerance, fits better);
// α then grows back to 1, else it halves. The nearest point seen that MEETS the tolerance is kept
// and is the answer (never worse than the start). A row stops when d vanishes relative to
// z − z_ref at a point within tolerance (first-order optimality: z − z_ref ⊥ null(A)), after
// NEAREST_PATIENCE rejections in a row within tolerance, when α underflows, or after MAX_NEAREST_ROUNDS.
// Coordinates at a bound whose move points outward are frozen (active set), as in the main engine.
import { projectInPlace } from './bounds.ts';
import { SmallSvd } from './small-svd.ts';
import { descentOnSolutionSet } from './objective.ts';
import { allFinite, computeResidual, evaluateRows, scaledJacobian, SolveState } from './state.ts';

export const MAX_NEAREST_ROUNDS = 60;
/** Stationary on the solution set when ‖d‖ ≤ this fraction of ‖z − z_ref‖ (the distance is then optimal to ~1e-12 relative: second order). */
export const NEAREST_GRADIENT_RTOL = 1e-6;
/** Give up on a row when its step fraction α falls below this. */
export const MIN_STEP_FRACTION = 1e-6;
/** A row within tolerance stops after this many rejected trials in a row (curvature limits the gain to rounding level). */
export const NEAREST_PATIENCE = 5;
/** A trial must be nearer by at least this fraction of the current distance. */
export const NEAREST_DECREASE_RTOL = 1e-13;
/** Intermediate points may miss the target by up to this many tolerances (the next correction repairs it). */
export const LOOSE_FIT_FACTOR = 1e8;

/**
 * Move every listed row of `state` (rows that meet their target) to the nearest solution to
 * `reference` (n values, raw units). Returns per row the scaled distance before and after.
 */
export function moveToNearest(state: SolveState, rows: readonly number[], reference: Float64Array, rtol: number, maxStep: number | Float64Array): { before: Float64Array; after: Float64Array } {
  const problem = state.problem;
  const { n, m, inputScale } = problem;
  const { lower, upper } = problem.bounds;
  const size = state.residualSize;
  const count = rows.length;
  const before = new Float64Array(count), after = new Float64Array(count);
  const alpha = new Float64Array(count).fill(1);
  const rejections = new Int32Array(count);
  const done = new Uint8Array(count);
  const svd = new SmallSvd(size, n);
  const scaled = new Float64Array(size * n);
  const gradient = new Float64Array(n), direction = new Float64Array(n), correction = new Float64Array(n);
  const frozen = new Uint8Array(n);
  const rho = new Float64Array(Math.min(size, n)), phi = new Float64Array(Math.min(size, n));
  const trials = new Float64Array(count * n);
  const proposed = new Int32Array(count);
  const trialResidual = new Float64Array(size), norms = new Float64Array(2);
  /** The nearest point found that meets the tolerance (the answer), per row. */
  const best = new Float64Array(count * n), bestDistance = new Float64Array(count);

  const distance = (x: Float64Array, offset: number): number => {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += ((x[offset + j] - reference[j]) / inputScale[j]) ** 2;
    return Math.sqrt(sum);
  };
  rows.forEach((k, t) => {
    before[t] = distance(state.x, k * n);
    after[t] = before[t];
    bestDistance[t] = before[t];
    best.set(state.x.subarray(k * n, (k + 1) * n), t * n);
  });

  for (let round = 0; round < MAX_NEAREST_ROUNDS; round++) {
    let proposals = 0;
    for (let t = 0; t < count; t++) {
      if (done[t]) continue;
      const k = rows[t], x = state.x, xOffset = k * n;
      for (let j = 0; j < n; j++) gradient[j] = (x[xOffset + j] - reference[j]) / inputScale[j];
      scaledJacobian(problem, k, state.y, k * m, state.jacobian, k * m * n, scaled);
      descentOnSolutionSet(scaled, size, n, gradient, x, xOffset, lower, upper, rtol, svd, direction, frozen);
      let gradientNorm = 0, directionNorm = 0;
      for (let j = 0; j < n; j++) { gradientNorm += gradient[j] ** 2; directionNorm += direction[j] ** 2; }
      gradientNorm = Math.sqrt(gradientNorm); directionNorm = Math.sqrt(directionNorm);
      const within = state.fitNorm[k] <= problem.tolerance[k];
      if (within && (directionNorm <= NEAREST_GRADIENT_RTOL * gradientNorm || gradientNorm === 0)) { done[t] = 1; continue; }
      // Gauss–Newton correction A⁺r on the free coordinates (r = scaled target − f).
      svd.projectU(state.residual, k * size, rho);
      const cutoff = rtol * svd.maxSigma();
      for (let q = 0; q < svd.p; q++) phi[q] = svd.sigma[q] > cutoff && svd.sigma[q] > 0 ? rho[q] / svd.sigma[q] : 0;
      svd.combineV(phi, correction);
      // Longest move along d inside the box, at most 1 (the linearized nearest point) and the step cap.
      let limit = 1;
      for (let j = 0; j < n; j++) {
        const change = direction[j] * inputScale[j];
        if (change > 0 && Number.isFinite(upper[j])) limit = Math.min(limit, (upper[j] - x[xOffset + j]) / change);
        else if (change < 0 && Number.isFinite(lower[j])) limit = Math.min(limit, (lower[j] - x[xOffset + j]) / change);
      }
      const cap = typeof maxStep === 'number' ? maxStep : maxStep[k];
      limit = Math.min(limit, cap / directionNorm);
      const step = alpha[t] * Math.max(limit, 0);
      const offset = proposals * n;
      for (let j = 0; j < n; j++) trials[offset + j] = x[xOffset + j] + (frozen[j] ? 0 : correction[j] + step * direction[j]) * inputScale[j];
      projectInPlace(trials, offset, lower, upper);
      proposed[proposals++] = t;
    }
    if (proposals === 0) break;
    const evaluated = evaluateRows(problem, trials, null, proposals, true);
    for (let p = 0; p < proposals; p++) {
      const t = proposed[p], k = rows[t];
      const finite = allFinite(evaluated.y, p * m, m) && allFinite(evaluated.jacobian!, p * m * n, m * n);
      let accepted = false;
      if (finite) {
        computeResidual(problem, k, evaluated.y, p * m, trials, p * n, trialResidual, 0, norms);
        const fit = Math.sqrt(norms[0]), tolerance = problem.tolerance[k];
        const nearer = distance(trials, p * n);
        const closer = nearer < after[t] - NEAREST_DECREASE_RTOL * (after[t] + 1);
        const repairs = state.fitNorm[k] > tolerance && fit < state.fitNorm[k];
        if (fit <= LOOSE_FIT_FACTOR * tolerance && (closer || repairs)) {
          state.x.set(trials.subarray(p * n, (p + 1) * n), k * n);
          state.y.set(evaluated.y.subarray(p * m, (p + 1) * m), k * m);
          state.jacobian.set(evaluated.jacobian!.subarray(p * m * n, (p + 1) * m * n), k * m * n);
          state.refreshResidual(k);
          after[t] = nearer;
          alpha[t] = Math.min(1, 2 * alpha[t]);
          rejections[t] = 0;
          accepted = true;
          if (state.fitNorm[k] <= tolerance && nearer < bestDistance[t]) {
            bestDistance[t] = nearer;
            best.set(trials.subarray(p * n, (p + 1) * n), t * n);
          }
        }
      }
      state.functionEvaluations[k]++;
      state.jacobianEvaluations[k]++;
      if (!accepted) {
        alpha[t] *= 0.5;
        rejections[t]++;
        if (alpha[t] < MIN_STEP_FRACTION || (state.fitNorm[k] <= problem.tolerance[k] && rejections[t] >= NEAREST_PATIENCE)) done[t] = 1;
      }
    }
  }
  // Rows whose last point is not their best point within tolerance go back to it (one model call).
  const restore: number[] = [];
  rows.forEach((k, t) => {
    const x = state.x.subarray(k * n, (k + 1) * n), kept = best.subarray(t * n, (t + 1) * n);
    if (!x.every((value, j) => value === kept[j])) restore.push(t);
  });
  if (restore.length > 0) {
    const points = new Float64Array(restore.length * n);
    restore.forEach((t, r) => points.set(best.subarray(t * n, (t + 1) * n), r * n));
    const evaluated = evaluateRows(problem, points, null, restore.length, true);
    restore.forEach((t, r) => {
      const k = rows[t];
      state.x.set(points.subarray(r * n, (r + 1) * n), k * n);
      state.y.set(evaluated.y.subarray(r * m, (r + 1) * m), k * m);
      state.jacobian.set(evaluated.jacobian!.subarray(r * m * n, (r + 1) * m * n), k * m * n);
      state.refreshResidual(k);
    });
  }
  rows.forEach((_, t) => { after[t] = bestDistance[t]; });
  return { before, after };
}
