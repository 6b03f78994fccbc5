// Seed 004's inverse by gradient descent against the exact inverse and the linear-convergence
// theory, and seed 002's damped pseudo-inverse IK on a 3-link arm.
import { describe, expect, it } from 'vitest';
import { dampedPinv, inverse } from '../../src/linalg/index.ts';
import { InvalidArgumentError } from '../../src/core/errors.ts';
import { Matrix, multiply } from '../../src/linalg/matrix.ts';
import { planarArm } from '../../src/model/functions.ts';
import { dampedIk } from '../../src/apps/lab/damped-ik.ts';
import { runGdInverse } from '../../src/apps/lab/gd-inverse.ts';

describe('lab gd-inverse: gradient-descent inverse (seed 004)', () => {
  const result = runGdInverse();

  it('converges to the exact inverse of diag(1, 2, 3, 4)', () => {
    const exact = [1, 1 / 2, 1 / 3, 1 / 4];
    exact.forEach((value, i) => expect(result.exactInverse.get(i, i)).toBeCloseTo(value, 14));
    expect(result.relativeInverseError).toBeLessThan(1e-2);
    expect(result.status).toBe('ok');
    const longer = runGdInverse({ steps: 400 });
    expect(longer.relativeInverseError).toBeLessThan(1e-8);
    exact.forEach((value, i) => expect(longer.gradientInverse.get(i, i)).toBeCloseTo(value, 8));
  });

  it('the loss falls by (1 − 2·lr·σ_min²/n²)² per step late in the run, as in the seed (×0.888)', () => {
    const theory = (1 - (2 * (0.2 * Math.LN10) * 1) / 16) ** 2;
    expect(result.predictedLossRate).toBeCloseTo(theory, 12);
    expect(Math.abs(result.observedLossRate - theory)).toBeLessThan(1e-3);
    // The seed's printed losses: 0.0054 at step 20 and 0.0005 at step 40 → ≈ 0.888 per step.
    expect(Math.abs((0.0005 / 0.0054) ** (1 / 20) - theory)).toBeLessThan(0.01);
  });

  it('a learning rate above n²/σ_max² = 1 diverges and says so', () => {
    const diverging = runGdInverse({ learningRate: 1.2 });
    expect(diverging.status).toBe('not-converged');
    expect(diverging.descentMessage).toMatch(/diverged/);
  });

  it('rejects a non-positive learning rate or a non-square matrix', () => {
    expect(() => runGdInverse({ learningRate: 0 })).toThrow(InvalidArgumentError);
    expect(() => runGdInverse({ learningRate: -1 })).toThrow(/learningRate must be a finite number > 0/);
    expect(() => runGdInverse({ matrix: new Matrix(2, 3, new Float64Array([1, 2, 3, 4, 5, 6])) })).toThrow(/must be square/);
  });
});

describe('lab gd-inverse: damped pseudo-inverse IK (seed 002)', () => {
  const result = runGdInverse();

  it('dampedPinv(J, √λ) is seed 002\'s (JᵀJ + λI)⁻¹Jᵀ', () => {
    const J = Matrix.fromArray([[-1.2, -0.7, -0.3], [1.5, 0.9, 0.55]]);
    const lambda = 0.1;
    const gram = multiply(J.transpose(), J);
    for (let i = 0; i < 3; i++) gram.data[i * 3 + i] += lambda;
    const seedForm = multiply(inverse(gram), J.transpose());
    const ours = dampedPinv(J, Math.sqrt(lambda));
    ours.data.forEach((value, k) => expect(value).toBeCloseTo(seedForm.data[k], 12));
  });

  it('reaches a reachable target for every damping; the end effector sits on the target', () => {
    for (const run of result.arm.reachable.runs) {
      expect(run.converged).toBe(true);
      expect(run.finalError).toBeLessThan(1e-9 * result.arm.reach);
      run.finalPosition.forEach((value, i) => expect(value).toBeCloseTo(result.arm.reachable.target[i], 9));
    }
  });

  it('unreachable target: λ = 1 stretches the arm to the best possible error |t| − Σl; plain pinv takes huge steps', () => {
    const best = result.arm.unreachable.distance - result.arm.reach;
    const byDamping = new Map(result.arm.unreachable.runs.map((run) => [run.damping, run]));
    expect(Math.abs(byDamping.get(1)!.finalError - best)).toBeLessThan(1e-9);
    for (const run of result.arm.unreachable.runs) expect(run.finalError).toBeGreaterThanOrEqual(best - 1e-12);
    expect(byDamping.get(0)!.largestStep).toBeGreaterThan(10 * byDamping.get(1)!.largestStep);
  });

  it('the IK step rejects a negative damping with its range', () => {
    expect(() => dampedIk(planarArm([1, 1, 1]), [0, 0, 0], [1, 1], 3, { damping: -0.1 })).toThrow(/damping \(λ\) must be a finite number ≥ 0/);
    expect(() => runGdInverse({ dampings: [0, -1] })).toThrow(/dampings\[1\] \(λ\) must be a finite number ≥ 0/);
  });
});
