// The batched iteration shared by every Jacobian-based method (lm, gauss-newton, min-norm,
// jacobian-transpose). One round: for every still-running target, build its scaled Jacobian A,
// factor it (small one-sided Jacobi SVD), let the method pick a spectral filter φ(σ) so that the
// step is Δz = V·diag(φ)·Uᵀr, freeze coordinates at a bound whose step points outward (active set,
// then refactor), cap and project the step into the box; then evaluate f and J at ALL trial points
// in ONE model call, and let the method accept or reject each trial. A target leaves the loop as
// soon as it converges or stops, so later rounds only evaluate the targets still running.
import { freezeOutward, projectInPlace } from './bounds.ts';
import { SmallSvd } from './kernels.ts';
import { allFinite, computeResidual, evaluateRows, scaledJacobian, SolveState, StopReason } from './state.ts';

/** Stationary when ‖Aᵀr‖ (free coordinates) ≤ GRADIENT_RTOL·σ_max(A)·‖r‖: no descent direction is left. */
export const GRADIENT_RTOL = 1e-10;
/** An accepted step "makes no progress" when it lowers the cost by less than this fraction of it. */
export const NO_PROGRESS_RTOL = 1e-13;
/** Consecutive no-progress steps before a target counts as stalled. */
export const NO_PROGRESS_PATIENCE = 3;

/** Per-target memory that methods keep between rounds. */
export interface RowMemory {
  /** LM: μ = λ² of the damped step (NaN until the first Jacobian is seen). */
  damping: Float64Array;
  /** LM: growth factor ν of μ after a rejected step (Nielsen's rule). */
  growth: Float64Array;
  /** Line-search methods: step fraction α (1 = full step). */
  stepScale: Float64Array;
  /** σ_max of the scaled Jacobian at the last proposal. */
  sigmaMax: Float64Array;
}

export type Verdict = 'accept' | 'reject' | 'give-up';

/** What a method contributes to the engine: the spectral filter and the acceptance rule. */
export interface StepRule {
  /** φ_c for the factored scaled Jacobian (σ in svd.sigma, ρ = Uᵀr) of target `row`. */
  filter(svd: SmallSvd, rho: Float64Array, row: number, memory: RowMemory, phi: Float64Array): void;
  /** Accept or reject a trial given the actual and predicted decrease of ½‖r‖²; update memory. */
  judge(row: number, actual: number, predicted: number, memory: RowMemory): Verdict;
  /** The reason recorded when judge gives up. */
  readonly giveUpReason: StopReason;
  /** Take exactly one step (min-norm). */
  readonly singleStep?: boolean;
}

export interface EngineOptions {
  maxIterations: number;
  /** Largest step length in scaled input units (Infinity: no cap). */
  maxStep: number;
  /** Relative rank cutoff used to notice singular Jacobians. */
  rankRtol: number;
  onProgress?: (done: number, total: number) => void;
}

/** Per-target facts the engine learns along the way (for the result's message). */
export interface EngineRecord {
  /** Coordinates frozen at a bound in the last proposal (bounds blocking the step). */
  frozenCount: Int32Array;
  /** Proposals made while the scaled Jacobian was rank-deficient. */
  singularSteps: Int32Array;
  /** Rank of the scaled Jacobian at the start (−1 before the first proposal). */
  startRank: Int32Array;
  /** Rejected trials. */
  rejected: Int32Array;
}

export function createMemory(count: number): RowMemory {
  return {
    damping: new Float64Array(count).fill(Number.NaN),
    growth: new Float64Array(count).fill(2),
    stepScale: new Float64Array(count).fill(1),
    sigmaMax: new Float64Array(count),
  };
}

export function createRecord(count: number): EngineRecord {
  return { frozenCount: new Int32Array(count), singularSteps: new Int32Array(count), startRank: new Int32Array(count).fill(-1), rejected: new Int32Array(count) };
}

/** Iterate until every target has stopped. Mutates `state` (x, y, J, residual, reasons, counters). */
export function iterate(state: SolveState, rule: StepRule, options: EngineOptions, memory = createMemory(state.count), record = createRecord(state.count)): EngineRecord {
  const { problem, count } = state;
  const { n, m } = problem;
  const size = state.residualSize;
  const svd = new SmallSvd(size, n);
  const p = Math.min(size, n);
  const scaled = new Float64Array(size * n);
  const rho = new Float64Array(p), phi = new Float64Array(p);
  const direction = new Float64Array(n), gradient = new Float64Array(n);
  const frozen = new Uint8Array(n);
  const trialX = new Float64Array(count * n);
  const trialResidual = new Float64Array(size);
  const predicted = new Float64Array(count);
  const stalls = new Int32Array(count);
  const proposals = new Int32Array(count);
  const penalized = problem.penaltyWeight > 0;
  const { lower, upper } = problem.bounds;
  const scale = problem.inputScale;

  /** Build the step of row k into trialX; false when the row stopped instead. */
  const propose = (k: number): boolean => {
    const r = state.residual, rOffset = k * size;
    scaledJacobian(problem, k, state.y, k * m, state.jacobian, k * m * n, scaled);
    frozen.fill(0);
    let frozenCount = 0;
    for (let attempt = 0; attempt <= n; attempt++) {
      svd.load(scaled, 0, size, n, null, null, frozen, 0);
      svd.factor();
      if (attempt === 0) {
        const rank = svd.rank(options.rankRtol);
        if (record.startRank[k] < 0) record.startRank[k] = rank;
        if (rank < p) record.singularSteps[k]++;
        memory.sigmaMax[k] = svd.maxSigma();
      }
      svd.projectU(r, rOffset, rho);
      rule.filter(svd, rho, k, memory, phi);
      svd.combineV(phi, direction);
      for (let j = 0; j < n; j++) if (frozen[j]) direction[j] = 0;
      const added = freezeOutward(state.x, k * n, direction, lower, upper, frozen);
      if (added === 0) break;
      frozenCount += added;
    }
    record.frozenCount[k] = frozenCount;
    // Stationarity of ½‖r‖² on the free coordinates: g = Aᵀr.
    let gradientSquared = 0, residualSquared = 0;
    for (let i = 0; i < size; i++) residualSquared += r[rOffset + i] * r[rOffset + i];
    for (let j = 0; j < n; j++) {
      let sum = 0;
      if (!frozen[j]) for (let i = 0; i < size; i++) sum += scaled[i * n + j] * r[rOffset + i];
      gradient[j] = sum;
      gradientSquared += sum * sum;
    }
    const sigmaMax = memory.sigmaMax[k];
    if (!(sigmaMax > 0) || Math.sqrt(gradientSquared) <= GRADIENT_RTOL * sigmaMax * Math.sqrt(residualSquared)) {
      state.reason[k] = StopReason.Stationary;
      return false;
    }
    let alpha = memory.stepScale[k];
    let lengthSquared = 0;
    for (let j = 0; j < n; j++) lengthSquared += direction[j] * direction[j];
    const length = alpha * Math.sqrt(lengthSquared);
    if (!(length > 0)) {
      state.reason[k] = StopReason.Stationary;
      return false;
    }
    if (length > options.maxStep) alpha *= options.maxStep / length;
    const offset = k * n;
    for (let j = 0; j < n; j++) trialX[offset + j] = state.x[offset + j] + alpha * direction[j] * scale[j];
    projectInPlace(trialX, offset, lower, upper);
    // Predicted decrease of ½‖r‖² under the linear model for the step actually taken (after cap and projection).
    let decrease = 0;
    for (let i = 0; i < size; i++) {
      let change = 0;
      for (let j = 0; j < n; j++) change += scaled[i * n + j] * ((trialX[offset + j] - state.x[offset + j]) / scale[j]);
      decrease += r[rOffset + i] * change - 0.5 * change * change;
    }
    predicted[k] = decrease;
    return true;
  };

  for (;;) {
    let proposalCount = 0, running = 0;
    for (let k = 0; k < count; k++) {
      if (state.reason[k] !== StopReason.Running) continue;
      if (state.invalidStart[k]) { state.reason[k] = StopReason.InvalidStart; continue; }
      if (!penalized && state.fitNorm[k] <= problem.tolerance[k]) { state.reason[k] = StopReason.Converged; continue; }
      if (state.iterations[k] >= options.maxIterations) { state.reason[k] = StopReason.MaxIterations; continue; }
      running++;
      if (propose(k)) proposals[proposalCount++] = k;
    }
    if (running === 0) break;
    if (proposalCount > 0) {
      const rows = proposals.subarray(0, proposalCount);
      const evaluated = evaluateRows(problem, trialX, rows, proposalCount, true);
      const jacobian = evaluated.jacobian!;
      for (let t = 0; t < proposalCount; t++) {
        const k = rows[t];
        state.iterations[k]++;
        state.functionEvaluations[k]++;
        state.jacobianEvaluations[k]++;
        const finite = allFinite(evaluated.y, t * m, m) && allFinite(jacobian, t * m * n, m * n);
        const total = finite ? computeResidual(problem, k, evaluated.y, t * m, trialX, k * n, trialResidual, 0).total : Infinity;
        const before = state.cost[k];
        const actual = before - 0.5 * total;
        const verdict = Number.isFinite(actual) ? rule.judge(k, actual, predicted[k], memory) : rule.judge(k, -Infinity, predicted[k], memory);
        if (verdict === 'accept') {
          state.x.set(trialX.subarray(k * n, (k + 1) * n), k * n);
          state.y.set(evaluated.y.subarray(t * m, (t + 1) * m), k * m);
          state.jacobian.set(jacobian.subarray(t * m * n, (t + 1) * m * n), k * m * n);
          state.refreshResidual(k);
          state.history?.[k].push(state.fitNorm[k]);
          stalls[k] = actual <= NO_PROGRESS_RTOL * before ? stalls[k] + 1 : 0;
          if (rule.singleStep) state.reason[k] = StopReason.SingleStep;
          else if (stalls[k] >= NO_PROGRESS_PATIENCE) state.reason[k] = StopReason.NoProgress;
        } else {
          record.rejected[k]++;
          if (verdict === 'give-up') state.reason[k] = rule.giveUpReason;
        }
      }
    }
    if (options.onProgress) {
      let done = 0;
      for (let k = 0; k < count; k++) if (state.reason[k] !== StopReason.Running) done++;
      options.onProgress(done, count);
    }
  }
  return record;
}
