// The batched iteration shared by every Jacobian-based method (lm, gauss-newton, min-norm,
// jacobian-transpose). One round: for every still-running target, build its scaled Jacobian A,
// factor it, let the method pick a spectral filter φ(σ) so that the step is Δz = V·diag(φ)·Uᵀr,
// freeze coordinates at a bound whose step points outward (active set, then refactor), cap and
// project the step into the box; then evaluate f and J at ALL trial points in ONE model call, and
// let the method accept or reject each trial. A target leaves the loop as soon as it converges or
// stops, so later rounds only evaluate the targets still running.
//
// The factorization: a wide A (rows ≤ cols, e.g. 4×7) whose Gram matrix AAᵀ certifies full row
// rank and a moderate condition number takes the same step from AAᵀ (SmallGram: Cholesky of a
// 4×4, four to five times cheaper); everything else (rank-deficient, ill-conditioned, tall) takes
// the exact one-sided Jacobi SVD (SmallSvd). σ_max, which only LM's damping rule and an unclear
// stationarity test need, is computed on demand (sigmaMaxOf). Trial points are written straight
// into one compact buffer that is the model's input; nothing is allocated per target.
import { freezeOutward, hasBounds, projectInPlace } from './bounds.ts';
import { SmallGram } from './gram.ts';
import { copyRow, SmallSvd } from './small-svd.ts';
import { allFinite, computeResidual, evaluateRows, scaledJacobian, SolveState, StopReason } from './state.ts';

/**
 * Stationary when ‖Aᵀr‖ (free coordinates) ≤ GRADIENT_RTOL·σ_max(A)·‖r‖: no descent direction is
 * left. (Far below 1/GRAM_MAX_CONDITION, so a Gram-certified A is never stationary at r ≠ 0.)
 */
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
  /**
   * σ_max of the scaled Jacobian at the row's current point, or NaN when the last proposal did not
   * need it (the Gram path certifies rank without it): read it with sigmaMaxOf.
   */
  sigmaMax: Float64Array;
  /** Computes σ_max of the row's scaled Jacobian at its current point (set by iterate). */
  exactSigmaMax: (row: number) => number;
}

/** σ_max of the row's scaled Jacobian at its current point, computed on first use. */
export function sigmaMaxOf(row: number, memory: RowMemory): number {
  let value = memory.sigmaMax[row];
  if (Number.isNaN(value)) {
    value = memory.exactSigmaMax(row);
    memory.sigmaMax[row] = value;
  }
  return value;
}

export type Verdict = 'accept' | 'reject' | 'give-up';

/** What a method contributes to the engine: the spectral filter and the acceptance rule. */
export interface StepRule {
  /** φ_c for the factored scaled Jacobian (σ in svd.sigma, ρ = Uᵀr) of target `row`. */
  filter(svd: SmallSvd, rho: Float64Array, row: number, memory: RowMemory, phi: Float64Array): void;
  /**
   * The same step for a wide A of certified full row rank, from its Gram matrix G = AAᵀ: weights w
   * (length rows) with Δz = Aᵀw. False when the small system could not be solved (the engine then
   * takes the SVD path).
   */
  gramWeights(gram: SmallGram, r: Float64Array, rOffset: number, row: number, memory: RowMemory, w: Float64Array): boolean;
  /** Accept or reject a trial given the actual and predicted decrease of ½‖r‖²; update memory. */
  judge(row: number, actual: number, predicted: number, memory: RowMemory): Verdict;
  /** The reason recorded when judge gives up. */
  readonly giveUpReason: StopReason;
  /** Take exactly one step (min-norm). */
  readonly singleStep?: boolean;
}

export interface EngineOptions {
  maxIterations: number;
  /** Largest step length in scaled input units (Infinity: no cap), one for all rows or one per row. */
  maxStep: number | Float64Array;
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
    sigmaMax: new Float64Array(count).fill(Number.NaN),
    exactSigmaMax: () => Number.NaN,
  };
}

export function createRecord(count: number): EngineRecord {
  return { frozenCount: new Int32Array(count), singularSteps: new Int32Array(count), startRank: new Int32Array(count).fill(-1), rejected: new Int32Array(count) };
}

/** Preallocated buffers of one target's step (reused for every target and round). */
class StepWorkspace {
  readonly svd: SmallSvd;
  readonly gram: SmallGram;
  /** size×n scaled (augmented) Jacobian of the current target. */
  readonly scaled: Float64Array;
  readonly rho: Float64Array;
  readonly phi: Float64Array;
  /** Gram-path weights w (Δz = Aᵀw). */
  readonly weights: Float64Array;
  readonly direction: Float64Array;
  /** The step actually taken, in scaled inputs (after cap and projection). */
  readonly taken: Float64Array;
  readonly frozen: Uint8Array;
  /** Scaled residual of the trial being judged, and its ‖fit‖², ‖all‖². */
  readonly trialResidual: Float64Array;
  readonly residualNorms = new Float64Array(2);
  /** Consecutive no-progress steps per row. */
  stalls = new Int32Array(0);
  /** Predicted decrease of ½‖r‖² of the last proposal. */
  predicted = 0;
  /**
   * True when the scaled Jacobian is the raw one (unit output and input scales, point targets, no
   * penalty rows): proposals then read state.jacobian in place instead of copying it.
   */
  unscaled = false;
  /** Some bound is finite (else the active set and the projection have nothing to do). */
  bounded = true;

  constructor(size: number, n: number) {
    const p = Math.min(size, n);
    this.svd = new SmallSvd(size, n);
    this.gram = new SmallGram(size, n);
    this.scaled = new Float64Array(size * n);
    this.rho = new Float64Array(p);
    this.phi = new Float64Array(p);
    this.weights = new Float64Array(size);
    this.direction = new Float64Array(n);
    this.taken = new Float64Array(n);
    this.frozen = new Uint8Array(n);
    this.trialResidual = new Float64Array(size);
  }
}

/** Iterate until every target has stopped. Mutates `state` (x, y, J, residual, reasons, counters). */
export function iterate(state: SolveState, rule: StepRule, options: EngineOptions, memory = createMemory(state.count), record = createRecord(state.count)): EngineRecord {
  const { problem, count } = state;
  const { n, m } = problem;
  const size = state.residualSize;
  const workspace = new StepWorkspace(size, n);
  workspace.unscaled = isUnscaled(problem);
  workspace.bounded = hasBounds(problem.bounds);
  // Trial points of one round, compact in proposal order: this buffer is the model's input.
  const trialX = new Float64Array(count * n);
  const predicted = new Float64Array(count);
  const proposals = new Int32Array(count);
  const penalized = problem.penaltyWeight > 0;
  workspace.stalls = new Int32Array(count);
  // σ_max on demand (LM's first damping, its give-up limit, an unclear stationarity test), from
  // buffers of its own so it may run in the middle of a proposal.
  // Targets started at one shared point usually have the very same scaled Jacobian there: the
  // last matrix and its σ_max are kept, and an identical matrix reuses the value.
  const spectrum = new StepWorkspace(size, n);
  const lastScaled = new Float64Array(size * n).fill(Number.NaN);
  let lastSigmaMax = Number.NaN;
  memory.exactSigmaMax = (row: number): number => {
    const scaled = spectrum.scaled;
    if (workspace.unscaled) copyRow(state.jacobian, row * m * n, scaled, 0, size * n);
    else scaledJacobian(problem, row, state.y, row * m, state.jacobian, row * m * n, scaled);
    let same = true;
    for (let i = 0; i < scaled.length && same; i++) same = scaled[i] === lastScaled[i];
    if (same) return lastSigmaMax;
    // Values only: linalg's Jacobi kernel (its unrolled path for min(size, n) ≤ 4).
    spectrum.svd.load(scaled, 0, size, n, null, null, null, 0);
    spectrum.svd.factorValues();
    lastSigmaMax = spectrum.svd.maxSigma();
    lastScaled.set(scaled);
    return lastSigmaMax;
  };

  for (;;) {
    let proposalCount = 0, running = 0;
    for (let k = 0; k < count; k++) {
      if (state.reason[k] !== StopReason.Running) continue;
      if (state.invalidStart[k]) { state.reason[k] = StopReason.InvalidStart; continue; }
      if (!penalized && state.fitNorm[k] <= problem.tolerance[k]) { state.reason[k] = StopReason.Converged; continue; }
      if (state.iterations[k] >= options.maxIterations) { state.reason[k] = StopReason.MaxIterations; continue; }
      running++;
      if (propose(state, k, rule, options, memory, record, workspace, trialX, proposalCount * n)) {
        predicted[proposalCount] = workspace.predicted;
        proposals[proposalCount++] = k;
      }
    }
    if (running === 0) break;
    if (proposalCount > 0) {
      const evaluated = evaluateRows(problem, trialX, null, proposalCount, true);
      const y = evaluated.y, jacobian = evaluated.jacobian!;
      for (let t = 0; t < proposalCount; t++) settleTrial(state, proposals[t], t, rule, memory, record, workspace, trialX, y, jacobian, predicted[t]);
    }
    if (options.onProgress) {
      let done = 0;
      for (let k = 0; k < count; k++) if (state.reason[k] !== StopReason.Running) done++;
      options.onProgress(done, count);
    }
  }
  return record;
}

/**
 * Judge the trial of row k (t-th in the round: point at trialX[t·n], outputs y[t·m], Jacobian
 * jacobian[t·m·n]) and, when the method accepts it, move the row there. A function of its own so
 * the per-trial work is optimised after a few hundred calls, not only once the round loop is.
 */
function settleTrial(
  state: SolveState, k: number, t: number, rule: StepRule, memory: RowMemory, record: EngineRecord, workspace: StepWorkspace,
  trialX: Float64Array, y: Float64Array, jacobian: Float64Array, predicted: number,
): void {
  const { n, m } = state.problem;
  const size = state.residualSize;
  const { trialResidual, residualNorms, stalls } = workspace;
  state.iterations[k]++;
  state.functionEvaluations[k]++;
  state.jacobianEvaluations[k]++;
  const finite = allFinite(y, t * m, m) && allFinite(jacobian, t * m * n, m * n);
  if (finite) computeResidual(state.problem, k, y, t * m, trialX, t * n, trialResidual, 0, residualNorms);
  const total = finite ? residualNorms[1] : Infinity;
  const before = state.cost[k];
  const actual = before - 0.5 * total;
  const verdict = rule.judge(k, Number.isFinite(actual) ? actual : -Infinity, predicted, memory);
  if (verdict === 'accept') {
    copyRow(trialX, t * n, state.x, k * n, n);
    copyRow(y, t * m, state.y, k * m, m);
    copyRow(jacobian, t * m * n, state.jacobian, k * m * n, m * n);
    copyRow(trialResidual, 0, state.residual, k * size, size);
    state.cost[k] = 0.5 * total;
    state.fitNorm[k] = Math.sqrt(residualNorms[0]);
    state.history?.[k].push(state.fitNorm[k]);
    stalls[k] = actual <= NO_PROGRESS_RTOL * before ? stalls[k] + 1 : 0;
    if (rule.singleStep) state.reason[k] = StopReason.SingleStep;
    else if (stalls[k] >= NO_PROGRESS_PATIENCE) state.reason[k] = StopReason.NoProgress;
  } else {
    record.rejected[k]++;
    if (verdict === 'give-up') state.reason[k] = rule.giveUpReason;
  }
}

/**
 * Build the step of row k into trial[trialOffset ..] and its predicted decrease into
 * workspace.predicted; false when the row stopped (stationary) instead.
 */
function propose(
  state: SolveState, k: number, rule: StepRule, options: EngineOptions, memory: RowMemory, record: EngineRecord,
  workspace: StepWorkspace, trial: Float64Array, trialOffset: number,
): boolean {
  const { problem } = state;
  const { n, m } = problem;
  const size = state.residualSize;
  const { svd, gram, rho, phi, weights, direction, taken, frozen } = workspace;
  const { lower, upper } = problem.bounds;
  const scale = problem.inputScale;
  const r = state.residual, rOffset = k * size;
  const wide = size <= n;
  // A = the scaled Jacobian, size×n row-major at a[aOffset].
  let a = workspace.scaled, aOffset = 0;
  if (workspace.unscaled) {
    a = state.jacobian;
    aOffset = k * m * n;
  } else scaledJacobian(problem, k, state.y, k * m, state.jacobian, k * m * n, a);
  for (let j = 0; j < n; j++) frozen[j] = 0;
  let frozenCount = 0;
  /** ‖A‖_F² of the unmasked A when the Gram path took the first attempt (an upper bound of σ_max²). */
  let frobeniusSquared = Number.NaN;
  let lastUsedGram = false;
  for (let attempt = 0; attempt <= n; attempt++) {
    const mask = frozenCount > 0 ? frozen : null;
    let useGram = false;
    if (wide) {
      gram.load(a, aOffset, size, n, mask);
      useGram = gram.certifiesFullRank(options.rankRtol);
    }
    if (!useGram) {
      svd.load(a, aOffset, size, n, null, null, mask, 0);
      svd.factor();
    }
    if (attempt === 0) {
      const p = Math.min(size, n);
      const rank = useGram ? p : svd.rank(options.rankRtol);
      if (record.startRank[k] < 0) record.startRank[k] = rank;
      if (rank < p) record.singularSteps[k]++;
      if (useGram) {
        memory.sigmaMax[k] = Number.NaN;
        frobeniusSquared = 0;
        for (let i = 0; i < size; i++) frobeniusSquared += gram.gram[i * size + i];
      } else memory.sigmaMax[k] = svd.maxSigma();
    }
    if (useGram && !rule.gramWeights(gram, r, rOffset, k, memory, weights)) {
      useGram = false;
      svd.load(a, aOffset, size, n, null, null, mask, 0);
      svd.factor();
    }
    lastUsedGram = useGram;
    if (useGram) gram.multiplyTransposed(weights, direction);
    else {
      svd.projectU(r, rOffset, rho);
      rule.filter(svd, rho, k, memory, phi);
      svd.combineV(phi, direction);
    }
    if (frozenCount > 0) for (let j = 0; j < n; j++) if (frozen[j]) direction[j] = 0;
    const added = workspace.bounded ? freezeOutward(state.x, k * n, direction, lower, upper, frozen) : 0;
    if (added === 0) break;
    frozenCount += added;
  }
  record.frozenCount[k] = frozenCount;
  // Stationarity of ½‖r‖² on the free coordinates: ‖g‖ = ‖Aᵀr‖ ≤ GRADIENT_RTOL·σ_max·‖r‖.
  let residualSquared = 0;
  for (let i = 0; i < size; i++) residualSquared += r[rOffset + i] * r[rOffset + i];
  let stationary: boolean;
  if (lastUsedGram && frozenCount === 0 && residualSquared > 0) {
    // Certified full row rank with σ_min ≥ σ_max/GRAM_MAX_CONDITION: ‖Aᵀr‖ ≥ σ_min·‖r‖ is far above
    // GRADIENT_RTOL·σ_max·‖r‖, so the test fails without computing g or σ_max.
    stationary = false;
  } else {
    let gradientSquared = 0;
    for (let j = 0; j < n; j++) {
      if (frozen[j]) continue;
      let sum = 0;
      for (let i = 0; i < size; i++) sum += a[aOffset + i * n + j] * r[rOffset + i];
      gradientSquared += sum * sum;
    }
    const gradientNorm = Math.sqrt(gradientSquared), residualNorm = Math.sqrt(residualSquared);
    if (Number.isNaN(memory.sigmaMax[k]) && gradientNorm > GRADIENT_RTOL * Math.sqrt(frobeniusSquared) * residualNorm) {
      stationary = false; // Gram path: 0 < σ_max ≤ ‖A‖_F, so the exact test fails too; σ_max is not needed.
    } else {
      const sigmaMax = sigmaMaxOf(k, memory);
      stationary = !(sigmaMax > 0) || gradientNorm <= GRADIENT_RTOL * sigmaMax * residualNorm;
    }
  }
  if (stationary) {
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
  const cap = typeof options.maxStep === 'number' ? options.maxStep : options.maxStep[k];
  if (length > cap) alpha *= cap / length;
  const offset = k * n;
  for (let j = 0; j < n; j++) trial[trialOffset + j] = state.x[offset + j] + alpha * direction[j] * scale[j];
  if (workspace.bounded) projectInPlace(trial, trialOffset, lower, upper);
  // Predicted decrease of ½‖r‖² under the linear model for the step actually taken (after cap and projection).
  for (let j = 0; j < n; j++) taken[j] = (trial[trialOffset + j] - state.x[offset + j]) / scale[j];
  let decrease = 0;
  for (let i = 0; i < size; i++) {
    let change = 0;
    for (let j = 0; j < n; j++) change += a[aOffset + i * n + j] * taken[j];
    decrease += r[rOffset + i] * change - 0.5 * change * change;
  }
  workspace.predicted = decrease;
  return true;
}

/** Unit output and input scales, point targets (no band can zero a row) and no penalty rows. */
function isUnscaled(problem: SolveState['problem']): boolean {
  if (problem.penaltyWeight > 0) return false;
  for (const value of problem.outputScale) if (value !== 1) return false;
  for (const value of problem.inputScale) if (value !== 1) return false;
  const { targetLow, targetHigh } = problem;
  for (let i = 0; i < targetLow.length; i++) if (targetLow[i] !== targetHigh[i]) return false;
  return true;
}
