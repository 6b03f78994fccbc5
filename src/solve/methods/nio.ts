// Neural Input Optimization (seed 000 §3): Adam on the input for the loss
//   L(x) = ‖r(x)‖² + λ‖(x − x_ref)/s‖²,   r = scaled residual, s = input scale (1 without metadata),
// exactly the seed's ((f(x) − y*)²).sum() + λ·(x²).sum() when s = 1 and x_ref = 0. Bounds either by
// projection after each step or by a sigmoid box x = lo + (hi − lo)·sigmoid(u) (Adam then runs on u).
// All targets step together: one batched f+J call per Adam step. NIO stops at a compromise
// between fit and penalty, not at f(x) = y*: that is why `lm` is the default.
import { evaluateRows, SolveState, StopReason } from '../state.ts';
import { projectInPlace } from '../bounds.ts';
import { copyRow } from '../small-svd.ts';

/** PyTorch's Adam defaults. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-8;
/** Sigmoid box: a start on a bound is moved this fraction of the box inside (logit is infinite on the bound). */
export const SIGMOID_EDGE_FRACTION = 1e-9;

export interface NioSettings {
  learningRate: number;
  steps: number;
  lambda: number;
  /** count×n reference points (raw units). */
  reference: Float64Array;
  boxMode: 'projection' | 'sigmoid';
  onProgress?: (done: number, total: number) => void;
}

export function runNio(state: SolveState, settings: NioSettings): void {
  const { problem, count } = state;
  const { n, m, inputScale, outputScale, targetLow, targetHigh } = problem;
  const { lower, upper } = problem.bounds;
  const parameters = new Float64Array(count * n);
  const firstMoment = new Float64Array(count * n), secondMoment = new Float64Array(count * n);
  const sigmoidBox = new Uint8Array(n);
  for (let j = 0; j < n; j++) sigmoidBox[j] = settings.boxMode === 'sigmoid' && Number.isFinite(lower[j]) && Number.isFinite(upper[j]) && upper[j] > lower[j] ? 1 : 0;
  // Parameters from the start point.
  for (let k = 0; k < count; k++) {
    for (let j = 0; j < n; j++) {
      const x = state.x[k * n + j];
      if (sigmoidBox[j]) {
        const width = upper[j] - lower[j];
        const fraction = Math.min(1 - SIGMOID_EDGE_FRACTION, Math.max(SIGMOID_EDGE_FRACTION, (x - lower[j]) / width));
        parameters[k * n + j] = Math.log(fraction / (1 - fraction));
      } else parameters[k * n + j] = x / inputScale[j];
    }
  }
  const gradient = new Float64Array(n);
  const rows = new Int32Array(count);
  for (let step = 1; step <= settings.steps; step++) {
    let active = 0;
    for (let k = 0; k < count; k++) {
      if (state.reason[k] !== StopReason.Running) continue;
      if (state.invalidStart[k]) { state.reason[k] = StopReason.InvalidStart; continue; }
      if (state.fitNorm[k] <= problem.tolerance[k]) { state.reason[k] = StopReason.Converged; continue; }
      rows[active++] = k;
      // ∂L/∂z_j = −2 Σ_i A_ij r_i + 2λ(z_j − zref_j), A = diag(s_out)·J·diag(s_in) (rows inside a band: 0).
      for (let j = 0; j < n; j++) gradient[j] = (2 * settings.lambda * (state.x[k * n + j] - settings.reference[k * n + j])) / inputScale[j];
      for (let i = 0; i < m; i++) {
        const value = state.y[k * m + i];
        const lo = targetLow[k * m + i], hi = targetHigh[k * m + i];
        if (lo < hi && value > lo && value < hi) continue;
        const r = state.residual[k * state.residualSize + i];
        const rowScale = -2 * r * outputScale[i];
        for (let j = 0; j < n; j++) gradient[j] += rowScale * state.jacobian[(k * m + i) * n + j] * inputScale[j];
      }
      const correction1 = 1 - ADAM_BETA1 ** step, correction2 = 1 - ADAM_BETA2 ** step;
      for (let j = 0; j < n; j++) {
        const index = k * n + j;
        let g = gradient[j];
        if (sigmoidBox[j]) {
          const s = 1 / (1 + Math.exp(-parameters[index]));
          g *= ((upper[j] - lower[j]) * s * (1 - s)) / inputScale[j];
        }
        firstMoment[index] = ADAM_BETA1 * firstMoment[index] + (1 - ADAM_BETA1) * g;
        secondMoment[index] = ADAM_BETA2 * secondMoment[index] + (1 - ADAM_BETA2) * g * g;
        parameters[index] -= (settings.learningRate * (firstMoment[index] / correction1)) / (Math.sqrt(secondMoment[index] / correction2) + ADAM_EPSILON);
        state.x[index] = sigmoidBox[j]
          ? lower[j] + (upper[j] - lower[j]) / (1 + Math.exp(-parameters[index]))
          : parameters[index] * inputScale[j];
      }
      projectInPlace(state.x, k * n, lower, upper);
      // Keep the Adam parameter consistent with the projected point.
      for (let j = 0; j < n; j++) if (!sigmoidBox[j]) parameters[k * n + j] = state.x[k * n + j] / inputScale[j];
    }
    if (active === 0) break;
    const evaluated = evaluateRows(problem, state.x, rows, active, true);
    for (let t = 0; t < active; t++) {
      const k = rows[t];
      copyRow(evaluated.y, t * m, state.y, k * m, m);
      copyRow(evaluated.jacobian!, t * m * n, state.jacobian, k * m * n, m * n);
      state.refreshResidual(k);
      state.iterations[k]++;
      state.functionEvaluations[k]++;
      state.jacobianEvaluations[k]++;
      state.history?.[k].push(state.fitNorm[k]);
    }
    settings.onProgress?.(count - active, count);
  }
  for (let k = 0; k < count; k++) {
    if (state.reason[k] !== StopReason.Running) continue;
    state.reason[k] = state.fitNorm[k] <= problem.tolerance[k] ? StopReason.Converged : StopReason.StepsDone;
  }
}
