// Every method on problems with known answers: linear maps (the minimum-norm solution A⁺y from a
// zero start, seed 000 §2), the robot arms of seed 002 (closed-form inverse kinematics), NIO against
// its closed-form ridge minimizer, and the inverse-net start.
import { describe, expect, it } from 'vitest';
import { Matrix as ReferenceMatrix, inverse } from 'ml-matrix';
import { Matrix } from '../../src/linalg/matrix.ts';
import { ShapeError } from '../../src/core/errors.ts';
import { linearModel, planarArm } from '../../src/model/functions.ts';
import { solve } from '../../src/solve/solve.ts';
import { angleDifference, distanceToBranch, referencePseudoInverseSolution, twoLinkBranches } from './helpers.ts';

const A = [[1, 2, 3], [4, 5, 6]];
const Y = [7, 8];

describe('linear maps: the minimum-norm solution', () => {
  const expected = referencePseudoInverseSolution(A, Y);
  for (const method of ['lm', 'gauss-newton', 'min-norm', 'jacobian-transpose'] as const) {
    it(`${method} from x = 0 reaches x = A⁺y (seed 000 §2)`, () => {
      const report = solve(linearModel(A), [Y], { method, start: [0, 0, 0] });
      const result = report.results[0];
      expect(result.status).toBe('converged');
      for (let j = 0; j < 3; j++) expect(result.x[j]).toBeCloseTo(expected[j], 7);
      expect(result.rank).toBe(2);
      expect(result.manifoldDimension).toBe(1);
    });
  }

  it('min-norm is one step x0 + J⁺(y* − f(x0)): from x0 ≠ 0 it adds the minimum-norm correction', () => {
    const x0 = [1, -1, 2];
    const f0 = [1 * 1 + 2 * -1 + 3 * 2, 4 * 1 + 5 * -1 + 6 * 2];
    const step = referencePseudoInverseSolution(A, [Y[0] - f0[0], Y[1] - f0[1]]);
    const result = solve(linearModel(A, [0.5, -0.5]), [[Y[0] + 0.5, Y[1] - 0.5]], { method: 'min-norm', start: x0 }).results[0];
    expect(result.iterations).toBe(1);
    for (let j = 0; j < 3; j++) expect(result.x[j]).toBeCloseTo(x0[j] + step[j], 10);
  });

  it('an inconsistent tall system stops at the least-squares point and says the target is not reached', () => {
    const tall = [[1, 0], [0, 1], [1, 1]];
    const target = [1, 1, 0];
    const expected = referencePseudoInverseSolution(tall, target);
    const result = solve(linearModel(tall), [target], { start: [0, 0] }).results[0];
    // Nothing bounds f over an unbounded box, so more starts were tried and the verdict is "not reached".
    expect(result.status).toBe('not-reached');
    expect(result.startsTried).toBe(16);
    const single = solve(linearModel(tall), [target], { start: [0, 0], maxStarts: 1 }).results[0];
    expect(single.status).toBe('stalled');
    expect(result.message).toMatch(/not reached/);
    expect(result.x[0]).toBeCloseTo(expected[0], 8);
    expect(result.x[1]).toBeCloseTo(expected[1], 8);
  });

  it('per-output weights give the weighted least-squares answer', () => {
    // y1 = x, y2 = x with targets 0 and 1, weights 1 and 3: x = (1·0 + 9·1)/(1 + 9).
    const result = solve(linearModel([[1], [1]]), [[0, 1]], { weights: [1, 3], start: [0] }).results[0];
    expect(result.x[0]).toBeCloseTo(0.9, 9);
  });
});

describe('robot arms (seed 002)', () => {
  it('2-link arm: lm and gauss-newton land on a closed-form IK branch', () => {
    const branches = twoLinkBranches(1, 0.8, 1.1, 0.9);
    for (const method of ['lm', 'gauss-newton', 'jacobian-transpose'] as const) {
      const result = solve(planarArm([1, 0.8]), [[1.1, 0.9]], { method, start: [0.2, 0.4] }).results[0];
      expect(result.status, `${method}: ${result.message}`).toBe('converged');
      expect(distanceToBranch(result.x, branches)).toBeLessThan(1e-7);
    }
  });

  it('3-link arm: the first two joints solve the 2-link problem for the wrist point (closed form)', () => {
    const target = [1.2, 0.7];
    const result = solve(planarArm([1, 0.8, 0.5]), [target], { start: [0.1, 0.2, 0.3] }).results[0];
    expect(result.status).toBe('converged');
    expect(result.residualNorm).toBeLessThan(1e-9);
    const phi = result.x[0] + result.x[1] + result.x[2];
    const wrist = [target[0] - 0.5 * Math.cos(phi), target[1] - 0.5 * Math.sin(phi)];
    expect(distanceToBranch([result.x[0], result.x[1]], twoLinkBranches(1, 0.8, wrist[0], wrist[1]))).toBeLessThan(1e-7);
    expect(result.manifoldDimension).toBe(1);
  });

  it('a singular start (arm stretched out, rank 1) keeps going with the damped step and says so', () => {
    const result = solve(planarArm([1, 1]), [[0, 1.5]], { start: [0, 0] }).results[0];
    expect(result.status).toBe('converged');
    expect(result.message).toMatch(/rank-deficient/);
    expect(result.message).toMatch(/rank 1 < 2 at the start/);
    expect(distanceToBranch(result.x, twoLinkBranches(1, 1, 0, 1.5))).toBeLessThan(1e-7);
  });

  it('a target beyond reach ends stalled at the closest point (the stretched arm pointing at it), no exception', () => {
    const result = solve(planarArm([1, 1]), [[3, 4]], { start: [0.3, 0.2], maxStarts: 1 }).results[0];
    expect(result.status).toBe('stalled');
    expect(result.residualNorm).toBeCloseTo(5 - 2, 6);
    expect(angleDifference(result.x[0], Math.atan2(4, 3))).toBeCloseTo(0, 5);
  });
});

describe('nio (seed 000 §3)', () => {
  it('converges to the ridge minimizer (AᵀA + λI)⁻¹Aᵀy given enough Adam steps', () => {
    const lambda = 0.01;
    const a = new ReferenceMatrix(A);
    const expected = inverse(a.transpose().mmul(a).add(ReferenceMatrix.eye(3).mul(lambda))).mmul(a.transpose()).mmul(ReferenceMatrix.columnVector(Y)).to1DArray();
    for (const boxMode of ['projection', 'sigmoid'] as const) {
      const result = solve(linearModel(A), [Y], { method: 'nio', start: [0, 0, 0], lower: [-50, -50, -50], upper: [50, 50, 50], nio: { lambda, steps: 20000, learningRate: 0.003, boxMode } }).results[0];
      for (let j = 0; j < 3; j++) expect(result.x[j], boxMode).toBeCloseTo(expected[j], 3);
      expect(result.status).toBe('max-iterations');
      expect(result.message).toMatch(/compromise/);
    }
  });

  it('with the seed settings (lr 0.01, 300 steps, λ 0.01) it is far from the target where lm is exact', () => {
    const nio = solve(linearModel(A), [Y], { method: 'nio', start: [0, 0, 0] }).results[0];
    const lm = solve(linearModel(A), [Y], { start: [0, 0, 0] }).results[0];
    expect(nio.iterations).toBe(300);
    expect(nio.residualNorm).toBeGreaterThan(1e3 * lm.residualNorm);
  });
});

describe('inverse-net', () => {
  it('starts from the proposer output and refines with lm', () => {
    // Proposer: an exact right inverse of A, deliberately perturbed by an offset, mapping y → x.
    const pinv = new ReferenceMatrix(A).transpose().mmul(inverse(new ReferenceMatrix(A).mmul(new ReferenceMatrix(A).transpose()))).to2DArray();
    const proposer = linearModel(pinv, [0.1, -0.1, 0.2], { inputNames: ['y1', 'y2'], outputNames: ['x1', 'x2', 'x3'] });
    const report = solve(linearModel(A), [Y, [1, 2]], { method: 'inverse-net', proposer });
    const expected = referencePseudoInverseSolution(A, Y);
    expect(report.results[0].start[0]).toBeCloseTo(expected[0] + 0.1, 10);
    expect(report.results[0].status).toBe('converged');
    expect(report.results[1].status).toBe('converged');
    expect(() => solve(linearModel(A), [Y], { method: 'inverse-net', proposer: linearModel(A) })).toThrow(ShapeError);
  });
});

it('batched: many targets in one call each get their own answer', () => {
  const targets = new Matrix(50, 2);
  for (let k = 0; k < 50; k++) { targets.data[2 * k] = 0.5 + k / 50; targets.data[2 * k + 1] = 0.3; }
  const report = solve(planarArm([1, 0.8]), targets, { start: [0.2, 0.4] });
  expect(report.summary.counts.converged).toBe(50);
  report.results.forEach((result, k) => expect(distanceToBranch(result.x, twoLinkBranches(1, 0.8, 0.5 + k / 50, 0.3))).toBeLessThan(1e-7));
});

describe('convergence history', () => {
  it('keepHistory records the residual at the start and after every accepted step, ending at the final residual', () => {
    const arm = planarArm([1, 1]);
    const start = [0.3, 0.4];
    const target = [0.5, 1.2];
    const result = solve(arm, [target], { method: 'lm', start, keepHistory: true }).results[0];
    const history = result.history!;
    const y0 = arm.forward(Matrix.fromArray([start])).row(0);
    expect(history[0]).toBeCloseTo(Math.hypot(y0[0] - target[0], y0[1] - target[1]), 12);
    expect(history[history.length - 1]).toBe(result.scaledResidualNorm);
    expect(history.length).toBeGreaterThan(2);
    for (let k = 1; k < history.length; k++) expect(history[k]).toBeLessThan(history[k - 1]);
    expect(solve(arm, [target], { method: 'lm', start }).results[0].history).toBeUndefined();
  });
});
