// Euler and RK4 against their orders of accuracy (global error ∝ Δt¹ and Δt⁴) and exact solutions.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.ts';
import { integrate, knownOde, runIntegrate } from '../../src/apps/lab/integrate.ts';

describe('lab integrate', () => {
  it('error slopes are ≈1 for Euler and ≈4 for RK4 (oscillator)', () => {
    const result = runIntegrate();
    expect(result.eulerSlope).toBeGreaterThan(0.9);
    expect(result.eulerSlope).toBeLessThan(1.1);
    expect(result.rk4Slope).toBeGreaterThan(3.8);
    expect(result.rk4Slope).toBeLessThan(4.2);
    expect(result.status).toBe('ok');
  });

  it('error slopes also hold on the logistic equation', () => {
    const result = runIntegrate({ problem: 'logistic', finalTime: 4, stepSizes: [0.2, 0.1, 0.05, 0.025] });
    expect(Math.abs(result.eulerSlope - 1)).toBeLessThan(0.15);
    expect(Math.abs(result.rk4Slope - 4)).toBeLessThan(0.2);
  });

  it('one Euler step of u\' = u(1−u) is u + Δt·u(1−u); RK4 matches the exact logistic curve to 1e-8 at Δt = 0.01', () => {
    const ode = knownOde('logistic');
    const euler = integrate(ode.rhs, ode.initial, { dt: 0.5, steps: 1, method: 'euler' });
    expect(euler.get(1, 0)).toBeCloseTo(0.1 + 0.5 * 0.1 * 0.9, 15);
    const rk4 = integrate(ode.rhs, ode.initial, { dt: 0.01, steps: 300, method: 'rk4' });
    expect(Math.abs(rk4.get(300, 0) - ode.exact(3)[0])).toBeLessThan(1e-8);
  });

  it('rejects Δt ≤ 0 and step sizes that do not divide T', () => {
    expect(() => runIntegrate({ stepSizes: [0.1, 0] })).toThrow(InvalidArgumentError);
    expect(() => runIntegrate({ stepSizes: [0.1, -0.05] })).toThrow(/must be a finite number > 0/);
    expect(() => runIntegrate({ stepSizes: [0.1, 0.3] })).toThrow(/does not divide T = 2/);
    expect(() => runIntegrate({ finalTime: 0 })).toThrow(/finalTime \(T\) must be a finite number > 0/);
  });
});
