// Lab-only option checks (step counts, memory) and the log-log line fit. Range checks of single
// options use the library's validators (src/core/options.ts): "lorenz: dt must be a finite number > 0".
import { InvalidArgumentError, budgetText, formatBytes, memoryBudgetBytes } from '../../core/index.ts';

/** Slope and intercept of the least-squares line through (x, y), closed form (used for log-log slopes). */
export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>): { slope: number; intercept: number } {
  const count = x.length;
  let meanX = 0, meanY = 0;
  for (let i = 0; i < count; i++) { meanX += x[i]; meanY += y[i]; }
  meanX /= count; meanY /= count;
  let covariance = 0, varianceX = 0;
  for (let i = 0; i < count; i++) {
    covariance += (x[i] - meanX) * (y[i] - meanY);
    varianceX += (x[i] - meanX) ** 2;
  }
  const slope = covariance / varianceX;
  return { slope, intercept: meanY - slope * meanX };
}

/** Most time steps one lab integration takes (about seconds of work); more is an error, not a hang. */
export const MAX_LAB_STEPS = 10_000_000;

/** Time steps within MAX_LAB_STEPS (`what` explains where the count comes from, e.g. "duration/dt"). */
export function requireSteps(steps: number, what: string, lab: string): number {
  if (!(steps <= MAX_LAB_STEPS)) throw new InvalidArgumentError(`${lab}: ${what} gives ${steps} time steps, more than the limit of ${MAX_LAB_STEPS}`);
  return steps;
}

/** Matrices of `elements` float64 entries (×4 for working copies) must fit the memory budget. */
export function requireMemory(elements: number, what: string, lab: string): void {
  const budget = memoryBudgetBytes(), bytes = 8 * 4 * elements;
  if (bytes > budget) {
    throw new InvalidArgumentError(`${lab}: ${what} needs about ${formatBytes(bytes)}, more than the budget of ${budgetText()}`);
  }
}
