// Option checks shared by the labs. A bad option is an InvalidArgumentError whose message names the
// option, the value given and the valid range, so `inversa lab …` can show it as one line.
import { InvalidArgumentError } from '../linalg/errors.ts';
import { budgetText, formatBytes, memoryBudgetBytes } from '../common/limits.ts';

/** A finite number strictly greater than zero (e.g. Δt, a noise level's scale, a learning rate). */
export function requirePositive(name: string, value: number, lab: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`${lab}: ${name} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

/** A finite number ≥ 0 (e.g. a noise level, a ridge α, a damping λ). */
export function requireNonNegative(name: string, value: number, lab: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`${lab}: ${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

/** An integer in [min, max] (inclusive). */
export function requireInteger(name: string, value: number, lab: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in ${min}..${max}`;
    throw new InvalidArgumentError(`${lab}: ${name} must be ${range}, got ${String(value)}`);
  }
  return value;
}

/** A finite number in [min, max]. */
export function requireInRange(name: string, value: number, lab: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${lab}: ${name} must be a number in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

/** One of a fixed set of names. */
export function requireChoice<T extends string>(name: string, value: string, lab: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`${lab}: ${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

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
