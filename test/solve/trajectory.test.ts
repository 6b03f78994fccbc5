// A 1000-step trajectory (seed 000: t = 1..1000) on the 2-link arm: warm starts keep the elbow on
// one closed-form branch the whole way; a smoothness weight shortens the path at the cost of fit.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { planarArm } from '../../src/model/functions.ts';
import { solveTrajectory } from '../../src/solve/trajectory.ts';
import { angleDifference, twoLinkBranches } from './helpers.ts';

const STEPS = 1000;

function circle(radius: number, steps: number): Matrix {
  const out = new Matrix(steps, 2);
  for (let t = 0; t < steps; t++) {
    const angle = (2 * Math.PI * t) / steps;
    out.data[2 * t] = 1.2 + radius * Math.cos(angle);
    out.data[2 * t + 1] = radius * Math.sin(angle);
  }
  return out;
}

describe('trajectories', () => {
  it('1000 steps with warm starts: every step on target and on the same IK branch as step 0', () => {
    const targets = circle(0.3, STEPS);
    const report = solveTrajectory(planarArm([1, 0.8]), targets, { start: [0.1, 1] });
    expect(report.results.length).toBe(STEPS);
    expect(report.summary.counts.converged).toBe(STEPS);
    expect(report.summary.maxResidual).toBeLessThan(1e-9);
    const branchOf = (t: number) => {
      const branches = twoLinkBranches(1, 0.8, targets.data[2 * t], targets.data[2 * t + 1]);
      const x = report.results[t].x;
      const distances = branches.map(([a, b]) => Math.hypot(angleDifference(x[0], a), angleDifference(x[1], b)));
      return distances[0] < 1e-7 ? 0 : distances[1] < 1e-7 ? 1 : -1;
    };
    const first = branchOf(0);
    expect(first).not.toBe(-1);
    for (let t = 0; t < STEPS; t += 37) expect(branchOf(t)).toBe(first);
    // Neighbouring targets are 2π·0.3/1000 ≈ 0.0019 apart; joint jumps stay of that order.
    expect(report.summary.largestJump.size).toBeLessThan(0.02);
  });

  it('a smoothness weight trades fit for a shorter step from the previous x', () => {
    const targets = new Matrix(2, 2, Float64Array.of(1.5, 0.3, 1.2, 0.8));
    const exact = solveTrajectory(planarArm([1, 0.8]), targets, { start: [0.1, 1] });
    const smooth = solveTrajectory(planarArm([1, 0.8]), targets, { start: [0.1, 1], smoothness: 1 });
    expect(smooth.results[1].residualNorm).toBeGreaterThan(1e-3);
    expect(smooth.results[1].status).toBe('trade-off');
    expect(smooth.results[1].message).toMatch(/smoothness penalty/);
    expect(smooth.summary.pathLength).toBeLessThan(exact.summary.pathLength);
  });
});
