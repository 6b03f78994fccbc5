// Backtracking (Armijo) acceptance shared by Gauss–Newton and the Jacobian-transpose method: a trial
// is accepted when the cost falls by at least ARMIJO_FRACTION of the decrease the linear model
// predicts; otherwise the step fraction α halves, down to MIN_STEP_SCALE.
import type { RowMemory, Verdict } from '../iterate.ts';

export const ARMIJO_FRACTION = 1e-4;
/** Give up after about 40 halvings: the direction does not lower the cost at any length. */
export const MIN_STEP_SCALE = 2 ** -40;

export function backtrackingJudge(row: number, actual: number, predicted: number, memory: RowMemory): Verdict {
  if (actual > 0 && actual >= ARMIJO_FRACTION * Math.max(predicted, 0)) {
    memory.stepScale[row] = 1;
    return 'accept';
  }
  memory.stepScale[row] *= 0.5;
  return memory.stepScale[row] < MIN_STEP_SCALE ? 'give-up' : 'reject';
}
