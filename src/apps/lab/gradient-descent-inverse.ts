// Matrix inverse by plain gradient descent (seed 004): find R with R·M ≈ I by minimising the
// element-wise mean squared error L(R) = mean((R·M − I)²) over the n² entries. A worked example of
// iterative inversion with a loss curve, not a solver to use: LU is exact and far cheaper.
//
// Why the curve looks the way it does: ∂L/∂R = (2/n²)·(R·M − I)·Mᵀ — the mean divides the gradient by
// n². So the error E = R·M − I evolves as E ← E·(I − (2·lr/n²)·M·Mᵀ): along a right singular direction
// of M with singular value σ it shrinks by the factor |1 − 2·lr·σ²/n²| per step. Steps are stable only
// for lr < n²/σ_max², and the slowest direction (σ_min) sets the late decay of the loss, ≈ factor² per step.
import { InvalidArgumentError, checkInteger, checkNonNegative, checkPositive } from '../../core/index.ts';
import { Matrix, type MatrixLike, Random, singularValues, assertSquare } from '../../linalg/index.ts';

/** The seed's learning rate: np.log(np.logspace(0.2, 0.2, 100)) = ln(10^0.2) ≈ 0.4605 at every step. */
export const SEED_LEARNING_RATE = Math.log(10 ** 0.2);
/** The seed's number of steps. */
export const SEED_STEPS = 100;
/** The seed's torch.manual_seed (our Random is a different generator, so the start differs). */
export const SEED_RANDOM_SEED = 314;
/** Converged when the root-mean-square entry of R·M − I is at most this (the identity's entries are 1). */
export const DEFAULT_RMS_TOLERANCE = 1e-2;

export interface GradientDescentInverseOptions {
  learningRate?: number;
  steps?: number;
  /** Seed of the uniform [0, 1) start R₀ (ignored when `initial` is given). */
  seed?: number;
  /** Explicit start R₀ (n×n), e.g. to replay the seed's printed start. */
  initial?: MatrixLike;
  /** RMS of R·M − I at or below which the run counts as converged. */
  tolerance?: number;
}

export interface GradientDescentInverseResult {
  /** R after the last step (≈ M⁻¹ when converged). */
  inverse: Matrix;
  /** losses[t] = mean((R_t·M − I)²) before update t, as the seed records them (length = steps taken). */
  losses: Float64Array;
  /** Loss after the last update. */
  finalLoss: number;
  /** R₀·M, the seed's printed Y_hat. */
  initialProduct: Matrix;
  learningRate: number;
  steps: number;
  /** n²/σ_max(M)²: learning rates at or above this diverge. */
  stableLearningRateLimit: number;
  /** |1 − 2·lr·σ²/n²| maximised over M's singular values: the per-step shrink factor of the slowest error direction. */
  slowestContraction: number;
  status: 'converged' | 'max-steps' | 'diverged';
  message: string;
}

function meanSquaredError(product: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sum += (product[i * n + j] - (i === j ? 1 : 0)) ** 2;
  return sum / (n * n);
}

/** out = R·M (n×n, row-major). */
function multiplyInto(r: Float64Array, m: Float64Array, n: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const rik = r[i * n + k];
      for (let j = 0; j < n; j++) out[i * n + j] += rik * m[k * n + j];
    }
  }
}

/** Approximate M⁻¹ by gradient descent on mean((R·M − I)²), as in seed 004. */
export function gradientDescentInverse(m: MatrixLike, options: GradientDescentInverseOptions = {}): GradientDescentInverseResult {
  const matrix = Matrix.from(m, 'M');
  assertSquare(matrix, 'M', 'gradientDescentInverse');
  const n = matrix.rows;
  const learningRate = options.learningRate ?? SEED_LEARNING_RATE;
  const steps = options.steps ?? SEED_STEPS;
  const tolerance = options.tolerance ?? DEFAULT_RMS_TOLERANCE;
  checkPositive(learningRate, 'gradientDescentInverse: learningRate');
  checkNonNegative(tolerance, 'gradientDescentInverse: tolerance');
  checkInteger(steps, 'gradientDescentInverse: steps', 0);

  let r: Float64Array;
  if (options.initial !== undefined) {
    const initial = Matrix.from(options.initial, 'initial');
    if (initial.rows !== n || initial.cols !== n) {
      throw new InvalidArgumentError(`gradientDescentInverse: initial is ${initial.rows}×${initial.cols} but M is ${n}×${n}; it must match`);
    }
    r = initial.data.slice();
  } else {
    const random = new Random(options.seed ?? SEED_RANDOM_SEED);
    r = Float64Array.from({ length: n * n }, () => random.uniform());
  }

  const sigma = singularValues(matrix);
  const stableLearningRateLimit = (n * n) / (sigma[0] * sigma[0]);
  const slowestContraction = Math.max(...Array.from(sigma, (value) => Math.abs(1 - (2 * learningRate * value * value) / (n * n))));

  const product = new Float64Array(n * n);
  const gradient = new Float64Array(n * n);
  const losses = new Float64Array(steps);
  multiplyInto(r, matrix.data, n, product);
  const initialProduct = new Matrix(n, n, product.slice());
  const gradientScale = 2 / (n * n);
  let taken = 0, diverged = false;
  for (let t = 0; t < steps; t++) {
    const loss = meanSquaredError(product, n);
    if (!Number.isFinite(loss)) {
      diverged = true;
      break;
    }
    losses[t] = loss;
    taken = t + 1;
    // gradient = (2/n²)·(R·M − I)·Mᵀ
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let k = 0; k < n; k++) sum += (product[i * n + k] - (i === k ? 1 : 0)) * matrix.data[j * n + k];
        gradient[i * n + j] = gradientScale * sum;
      }
    }
    for (let index = 0; index < r.length; index++) r[index] -= learningRate * gradient[index];
    multiplyInto(r, matrix.data, n, product);
  }
  const finalLoss = meanSquaredError(product, n);
  const rms = Math.sqrt(finalLoss);
  if (!Number.isFinite(finalLoss) || (taken > 0 && finalLoss > losses[0])) diverged = true;
  const status = diverged ? 'diverged' : rms <= tolerance ? 'converged' : 'max-steps';
  const rates = `learning rate ${learningRate.toPrecision(4)} (stable below n²/σ_max² = ${stableLearningRateLimit.toPrecision(4)}; slowest error direction shrinks ×${slowestContraction.toPrecision(4)} per step)`;
  const message =
    status === 'diverged'
      ? `diverged after ${taken} steps: ${rates}; lower the learning rate`
      : status === 'converged'
        ? `converged: RMS of R·M − I is ${rms.toExponential(3)} ≤ ${tolerance} after ${steps} steps with ${rates}`
        : `not converged: RMS of R·M − I is ${rms.toExponential(3)} > ${tolerance} after ${steps} steps with ${rates}; take more steps${slowestContraction >= 1 ? ' (M is singular or the rate too large: no progress is possible along some direction)' : ''}`;
  return { inverse: new Matrix(n, n, r), losses: losses.slice(0, taken), finalLoss, initialProduct, learningRate, steps: taken, stableLearningRateLimit, slowestContraction, status, message };
}
