// The stability lab: an emulator trained with inversa's trainer on Lorenz-63 pairs, its Jacobian
// along the rollout compared with the exact one-step map, and the exact map against Liouville's
// volume contraction. Reduced sizes keep the test to a few seconds.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.ts';
import { runStability } from '../../src/apps/lab/stability.ts';
import { LORENZ63_CLASSIC } from '../../src/apps/lab/integrate.ts';

describe('lab stability', () => {
  const result = runStability({ samples: 2000, epochs: 60, rolloutSteps: 150, seed: 1 });

  it('the exact map contracts volume at −(σ + 1 + β) per unit time along the rollout', () => {
    const { sigma, beta } = LORENZ63_CLASSIC;
    expect(result.theoryContraction).toBeCloseTo(-(sigma + 1 + beta), 12);
    expect(Math.abs(result.exactContraction - result.theoryContraction) / Math.abs(result.theoryContraction)).toBeLessThan(1e-4);
  });

  it('the trained emulator predicts one step to < 1% of the attractor scale and its Jacobian eigenvalues track the exact map\'s', () => {
    expect(result.status).toBe('ok');
    expect(result.oneStepRelativeError).toBeLessThan(0.01);
    expect(result.eigenvalueRelativeError).toBeLessThan(0.02);
    // Dissipative like the truth (volume shrinks), even if the transverse rate is learned only roughly.
    expect(result.emulatorContraction).toBeLessThan(0);
    expect(result.points.length).toBeGreaterThan(0);
    for (const point of result.points) expect(point.emulatorSingularValues[0]).toBeGreaterThanOrEqual(point.emulatorSpectralRadius - 1e-12);
  });

  it('the rollout starts on the truth and the error grows (chaos: positive Lyapunov exponent of the exact map)', () => {
    expect(result.rollout.error[0]).toBe(0);
    expect(result.rollout.error[1]).toBeLessThan(result.rollout.error[result.rollout.error.length - 1]);
    expect(result.exactLyapunov).toBeGreaterThan(0);
    expect(result.series.emulatorRadius).toHaveLength(150);
  });

  it('rejects Δt ≤ 0 or too large, and a tiny data set', () => {
    expect(() => runStability({ dt: 0 })).toThrow(InvalidArgumentError);
    expect(() => runStability({ dt: 0.2 })).toThrow(/dt \(Δt\) must be a number in \(0, 0\.05\]/);
    expect(() => runStability({ samples: 10 })).toThrow(/samples must be an integer in \[100, 100000\]/);
  });
});
