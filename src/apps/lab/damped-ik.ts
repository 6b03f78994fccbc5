// Damped pseudo-inverse inverse kinematics of a planar robot arm (seed 002): repeat
//   e = target − f(q),   q ← q + α·(JᵀJ + λI)⁻¹Jᵀ e
// with J the 2×n Jacobian of the end-effector position. λ = 0 is the plain pseudo-inverse step
// (J⁺ for a wide full-rank J); λ > 0 keeps the step bounded near singular poses (arm stretched, or
// a target out of reach), at the cost of slower convergence. Uses linalg's dampedPinv, whose
// argument is the square root of the seed's λ (it adds λ²I).
import { dampedPinv, pinv, Matrix, multiplyVector, norm2 } from '../../linalg/index.ts';
import type { Model } from '../../model/index.ts';
import { checkInteger, checkNonNegative, checkNumber } from '../../core/index.ts';

export interface DampedIkOptions {
  /** λ of (JᵀJ + λI)⁻¹Jᵀ (seed 002's form), ≥ 0. 0 uses pinv. */
  damping: number;
  /** Step size α in (0, 1] (default 1). */
  stepSize?: number;
  /** Iterations (default 100). */
  iterations?: number;
  /** Stop once ‖e‖ ≤ tolerance·(arm reach) (default 1e-10). */
  tolerance?: number;
}

export interface DampedIkRun {
  damping: number;
  /** ‖e‖ after each iteration (index 0: the start). */
  errors: number[];
  /** Largest joint step ‖Δq‖ taken. */
  largestStep: number;
  finalAngles: number[];
  finalPosition: number[];
  finalError: number;
  iterations: number;
  converged: boolean;
}

/** Run damped pseudo-inverse IK from `start` towards `target` on a model with 2 outputs. */
export function dampedIk(arm: Model, start: ArrayLike<number>, target: ArrayLike<number>, reach: number, options: DampedIkOptions): DampedIkRun {
  const lab = 'damped IK';
  const damping = checkNonNegative(options.damping, `${lab}: damping (λ)`);
  const stepSize = checkNumber(options.stepSize ?? 1, `${lab}: stepSize (α)`, { min: 0, minOpen: true, max: 1 });
  const maxIterations = checkInteger(options.iterations ?? 100, `${lab}: iterations`, 1, 100000);
  const tolerance = checkNonNegative(options.tolerance ?? 1e-10, `${lab}: tolerance`);
  const n = arm.inputNames.length;
  const q = new Matrix(1, n, Float64Array.from(start));
  const error = new Float64Array(target.length);
  const residual = () => {
    const position = arm.forward(q).data;
    for (let i = 0; i < error.length; i++) error[i] = target[i] - position[i];
    return norm2(error);
  };
  const errors = [residual()];
  let largestStep = 0;
  let iterations = 0;
  let converged = errors[0] <= tolerance * reach;
  while (!converged && iterations < maxIterations) {
    const jacobian = arm.jacobian(q).view(0);
    const inverse = damping === 0 ? pinv(jacobian) : dampedPinv(jacobian, Math.sqrt(damping));
    const step = multiplyVector(inverse, error);
    for (let j = 0; j < n; j++) q.data[j] += stepSize * step[j];
    largestStep = Math.max(largestStep, stepSize * norm2(step));
    iterations++;
    errors.push(residual());
    converged = errors[errors.length - 1] <= tolerance * reach;
  }
  return {
    damping, errors, largestStep, finalAngles: Array.from(q.data), finalPosition: Array.from(arm.forward(q).data),
    finalError: errors[errors.length - 1], iterations, converged,
  };
}
