// The OptimizeResult-like fields of a SolveResult (reason, cost, initialCost, optimality, the
// summary's seconds), each checked against a quantity computed here independently, and statuses that
// do not contradict the numbers: a smoothness trade-off is not "converged", min-norm's one step that
// misses is "not-reached" (not "max-iterations"), a single start says nothing about other starts.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { linearModel, planarArm } from '../../src/model/functions.ts';
import { evaluateWithJacobian } from '../../src/model/model.ts';
import { solve } from '../../src/solve/solve.ts';
import { solveTrajectory } from '../../src/solve/trajectory.ts';

const A = [[1, 2, 3], [4, 5, 6]];
const Y = [7, 8];

/** ½‖f(x) − y*‖² and ‖Jᵀ(f(x) − y*)‖ of the unscaled problem (planarArm has no scales). */
function costAndGradient(model: ReturnType<typeof planarArm>, x: ArrayLike<number>, target: number[]): { cost: number; gradient: number } {
  const n = x.length, m = target.length;
  const both = evaluateWithJacobian(model, new Matrix(1, n, Float64Array.from(x)));
  let cost = 0, gradient = 0;
  for (let i = 0; i < m; i++) cost += 0.5 * (both.y.data[i] - target[i]) ** 2;
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += both.jacobian.data[i * n + j] * (both.y.data[i] - target[i]);
    gradient += sum * sum;
  }
  return { cost, gradient: Math.sqrt(gradient) };
}

describe('SolveResult fields like OptimizeResult', () => {
  it('cost, initialCost and optimality match ½‖r‖² and ‖Jᵀr‖ computed from x and the start', () => {
    const arm = planarArm([1, 0.8]);
    const target = [0.9, 1.1];
    const start = [0.1, 0.3];
    // Stopped after three iterations (two rejected trial steps, one accepted): far from stationary,
    // so optimality is a real number to compare.
    const result = solve(arm, [target], { start, maxIterations: 3, maxStarts: 1, nearest: false }).results[0];
    expect(result.reason).toBe('max-iterations');
    expect(result.status).toBe('max-iterations');
    const atX = costAndGradient(arm, result.x, target), atStart = costAndGradient(arm, start, target);
    expect(atX.gradient).toBeGreaterThan(1e-3);
    expect(Math.abs(result.cost - atX.cost)).toBeLessThanOrEqual(1e-12 * atX.cost);
    expect(Math.abs(result.initialCost - atStart.cost)).toBeLessThanOrEqual(1e-12 * atStart.cost);
    expect(Math.abs(result.optimality - atX.gradient)).toBeLessThanOrEqual(1e-10 * atX.gradient);
    expect(result.cost).toBeLessThan(result.initialCost);
    expect(result.cost).toBeCloseTo(0.5 * result.scaledResidualNorm ** 2, 14);
  });

  it('a converged solve: reason converged, success, cost and optimality at rounding level', () => {
    const report = solve(linearModel(A), [Y], { start: [0, 0, 0] });
    const result = report.results[0];
    expect(result.reason).toBe('converged');
    expect(result.success).toBe(true);
    expect(result.cost).toBeLessThan(1e-20 * result.initialCost);
    expect(result.optimality).toBeLessThan(1e-10 * Math.sqrt(2 * result.initialCost) * result.singularValues[0]);
    const seconds = report.summary.seconds ?? NaN;
    expect(Number.isFinite(seconds) && seconds >= 0).toBe(true);
    // Timing stays out of the JSON of a report (same bytes for any run and thread count).
    expect(JSON.stringify(report.summary)).not.toContain('seconds');
  });

  it('an inconsistent tall system: stationary at the least-squares point, optimality ≈ 0 with cost > 0', () => {
    const result = solve(linearModel([[1, 0], [0, 1], [1, 1]]), [[1, 1, 0]], { start: [0, 0], maxStarts: 1 }).results[0];
    expect(result.status).toBe('stalled');
    expect(['stationary', 'no-progress']).toContain(result.reason);
    expect(result.cost).toBeGreaterThan(0.1);
    expect(result.optimality).toBeLessThan(1e-8 * Math.sqrt(2 * result.cost) * result.singularValues[0]);
  });

  it('optimality ignores the components that push out of the box at a held bound', () => {
    // f(x) = x on [0, 1]², target (2, 0.5): x₁ is held at 1 with the gradient pushing out; x₂ is met.
    const result = solve(linearModel([[1, 0], [0, 1]]), [[2, 0.5]], { start: [0.2, 0.2], lower: [0, 0], upper: [1, 1], standardize: false, maxStarts: 1 }).results[0];
    expect(result.x[0]).toBe(1);
    expect(result.cost).toBeCloseTo(0.5, 10);
    expect(result.optimality).toBeLessThan(1e-8);
    expect(result.success).toBe(false);
  });

  it('min-norm: one step that meets the target is converged, one that misses is not-reached with reason single-step', () => {
    const met = solve(linearModel(A), [Y], { method: 'min-norm', start: [0, 0, 0] }).results[0];
    expect([met.status, met.reason]).toEqual(['converged', 'single-step']);
    const missed = solve(planarArm([1, 0.8]), [[0.2, 1.5]], { method: 'min-norm', start: [0.1, 0.3] }).results[0];
    expect(missed.iterations).toBe(1);
    expect(missed.scaledResidualNorm).toBeGreaterThan(missed.tolerance);
    expect(missed.reason).toBe('single-step');
    expect(missed.status).toBe('not-reached');
    expect(missed.status).not.toBe('max-iterations');
    expect(missed.message).toMatch(/exactly one linearized step/);
  });

  it('nio: reason steps-done', () => {
    const result = solve(linearModel(A), [Y], { method: 'nio', start: [0, 0, 0], nio: { steps: 10 } }).results[0];
    expect(result.reason).toBe('steps-done');
  });

  it('a smoothness trade-off that misses the tolerance is status trade-off, not converged, and the message says so', () => {
    const targets = new Matrix(2, 2, Float64Array.of(1.5, 0.3, 1.2, 0.8));
    const smooth = solveTrajectory(planarArm([1, 0.8]), targets, { start: [0.1, 1], smoothness: 1 });
    const step = smooth.results[1];
    expect(step.scaledResidualNorm).toBeGreaterThan(step.tolerance);
    expect(step.status).toBe('trade-off');
    expect(step.success).toBe(false);
    expect(step.message).not.toMatch(/^converged/);
    expect(smooth.summary.counts['trade-off']).toBeGreaterThan(0);
    expect(smooth.message).toMatch(/trade-off/);
  });

  it('a single start says nothing about other starts; several starts report what they found', () => {
    const single = solve(planarArm([1, 0.8]), [[0.9, 1.1]], { start: [0.1, 0.3] }).results[0];
    expect(single.startsTried).toBe(1);
    expect(single.message).not.toMatch(/starts? (gave|agreed)/);
    const several = solve(planarArm([1, 0.8]), [[0.9, 1.1]], { starts: 4, lower: [-3, -3], upper: [3, 3] }).results[0];
    expect(several.message).toMatch(/4 starts gave \d+ distinct point/);
  });
});
