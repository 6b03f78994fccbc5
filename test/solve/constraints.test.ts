// Bounds inside the iteration, bands, the secondary objective on the solution manifold, multi-start
// and bad input. Answers are known geometrically (a plane cut by a box, the closest point of a set).
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../../src/core/errors.ts';
import { linearModel, planarArm } from '../../src/model/functions.ts';
import { solve } from '../../src/solve/solve.ts';
import { distanceToBranch, twoLinkBranches } from './helpers.ts';

const sum2 = () => linearModel([[1, 1]]);

describe('bounds', () => {
  it('a binding bound: x1 + x2 = 3 with x1 ≤ 1 ends at (1, 2) with x1 reported active', () => {
    for (const method of ['lm', 'gauss-newton'] as const) {
      const result = solve(sum2(), [[3]], { method, start: [0, 0], lower: [0, 0], upper: [1, 5], nearest: false, standardize: false }).results[0];
      expect(result.status, result.message).toBe('converged');
      expect(result.x[0]).toBe(1);
      expect(result.x[1]).toBeCloseTo(2, 9);
      expect(result.activeBounds).toEqual(['x1']);
    }
  });

  it('a target out of reach within the box: infeasible-within-bounds (proven by the interval bound) at the closest point, no exception', () => {
    const result = solve(sum2(), [[10]], { start: [0.5, 0.5], lower: [0, 0], upper: [1, 5] }).results[0];
    expect(result.status).toBe('infeasible-within-bounds');
    expect(result.message).toMatch(/proven.*y1 ∈ \[\S+, 6\] everywhere in the box but the target is 10/);
    expect(result.startsTried).toBe(1);
    expect(Array.from(result.x)).toEqual([1, 5]);
    expect(result.residualNorm).toBeCloseTo(4, 12);
    expect(result.activeBounds).toEqual(['x1', 'x2']);
    expect(result.message).toMatch(/closest point/);
  });

  it('bounds stored in the model metadata are the default', () => {
    const model = sum2();
    const withMeta = { ...model, meta: { bounds: { lower: Float64Array.of(0, 0), upper: Float64Array.of(1, 1) } } };
    const result = solve(withMeta, [[3]], { start: [0.5, 0.5] }).results[0];
    expect(result.status).toBe('infeasible-within-bounds');
    expect(result.inTrainingRange).toBe(true);
  });

  it('a start outside the bounds is projected and a warning says so', () => {
    const report = solve(sum2(), [[1]], { start: [-3, 0.5], lower: [0, 0], upper: [1, 1] });
    expect(Array.from(report.results[0].start)).toEqual([0, 0.5]);
    expect(report.warnings.join(' ')).toMatch(/projected/);
    expect(report.results[0].status).toBe('converged');
  });
});

describe('bands', () => {
  it('an output band [1, 2] is met at its nearest edge from below, and untouched from inside', () => {
    const below = solve(sum2(), { lower: [[1]], upper: [[2]] }, { start: [0, 0], nearest: false }).results[0];
    expect(below.status).toBe('converged');
    expect(below.y[0]).toBeCloseTo(1, 9);
    const inside = solve(sum2(), { lower: [[1]], upper: [[2]] }, { start: [0.7, 0.7], nearest: false }).results[0];
    expect(inside.iterations).toBe(0);
    expect(Array.from(inside.x)).toEqual([0.7, 0.7]);
    expect(inside.residualNorm).toBe(0);
  });

  it('a one-sided band (y ≥ 5) on one output and a point target on the other', () => {
    const model = linearModel([[1, 0], [0, 1]]);
    const result = solve(model, { lower: [[5, 2]], upper: [[Infinity, 2]] }, { start: [0, 0] }).results[0];
    expect(result.status).toBe('converged');
    expect(result.y[0]).toBeGreaterThanOrEqual(5 - 1e-9);
    expect(result.y[1]).toBeCloseTo(2, 9);
  });
});

describe('secondary objective in the null space of J', () => {
  it('a linear cost p = [4, 1, 0.5] moves x to the cheapest input without changing f(x)', () => {
    const model = linearModel([[1, 1, 1]]);
    const plain = solve(model, [[3]], { start: [0, 0, 0], lower: [0, 0, 0], upper: [3, 3, 3] }).results[0];
    const priced = solve(model, [[3]], { start: [0, 0, 0], lower: [0, 0, 0], upper: [3, 3, 3], cost: [4, 1, 0.5] }).results[0];
    expect(plain.x[0]).toBeCloseTo(1, 9);
    expect(priced.x[0]).toBeCloseTo(0, 9);
    expect(priced.x[1]).toBeCloseTo(0, 9);
    expect(priced.x[2]).toBeCloseTo(3, 9);
    expect(priced.y[0]).toBeCloseTo(3, 9);
    expect(priced.objective).toBeCloseTo(1.5, 9);
    // From x = (1, 1, 1): 4 + 1 + 0.5 = 5.5; at (0, 0, 3): 0.5·3 = 1.5.
    expect(priced.tradeOff).toMatch(/cost pᵀx went from 5\.5 to 1\.5/);
    expect(priced.status).toBe('converged');
  });

  it('a reference point: the closest solution is its orthogonal projection onto the solution set', () => {
    const result = solve(linearModel([[1, 1, 1]]), [[3]], { start: [0, 0, 0], reference: [2, 2, 0.5] }).results[0];
    // Projection of (2, 2, 0.5) onto x1 + x2 + x3 = 3: subtract (4.5 − 3)/3 from each.
    expect(result.x[0]).toBeCloseTo(1.5, 8);
    expect(result.x[1]).toBeCloseTo(1.5, 8);
    expect(result.x[2]).toBeCloseTo(0, 8);
  });

  it('on the nonlinear 3-link arm, the reference objective keeps the tip on target and gets closer to the reference', () => {
    const arm = planarArm([1, 0.8, 0.5]);
    const reference = [1, -1, 0.5];
    const plain = solve(arm, [[1.2, 0.7]], { start: [0.1, 0.2, 0.3] }).results[0];
    const near = solve(arm, [[1.2, 0.7]], { start: [0.1, 0.2, 0.3], reference }).results[0];
    const distance = (x: Float64Array) => Math.hypot(...Array.from(x, (v, j) => v - reference[j]));
    expect(near.residualNorm).toBeLessThan(1e-9);
    expect(distance(near.x)).toBeLessThan(distance(plain.x) - 0.1);
    expect(near.objective).toBeCloseTo(distance(near.x), 12);
  });
});

describe('multi-start', () => {
  it('K starts find both elbow branches of the 2-link arm, deduplicated and ranked', () => {
    const report = solve(planarArm([1, 0.8]), [[1.1, 0.9]], { starts: 12, seed: 5, lower: [-3, -3], upper: [3, 3] });
    const solutions = report.solutions![0].filter((result) => result.status === 'converged');
    const branches = twoLinkBranches(1, 0.8, 1.1, 0.9);
    expect(solutions.length).toBe(2);
    for (const solution of solutions) expect(distanceToBranch(solution.x, branches)).toBeLessThan(1e-7);
    expect(Math.abs(solutions[0].x[1] - solutions[1].x[1])).toBeGreaterThan(1);
    expect(report.results[0]).toBe(report.solutions![0][0]);
    expect(report.results[0].message).toMatch(/12 starts gave/);
  });

  it('the same seed gives the same answer; another seed other starts', () => {
    const run = (seed: number) => solve(planarArm([1, 0.8, 0.5]), [[1.2, 0.7]], { starts: 4, seed, lower: [-3, -3, -3], upper: [3, 3, 3] });
    const a = run(7), b = run(7), c = run(8);
    expect(Array.from(a.results[0].x)).toEqual(Array.from(b.results[0].x));
    expect(Array.from(a.solutions![0].map((r) => r.start[0]))).toEqual(Array.from(b.solutions![0].map((r) => r.start[0])));
    expect(a.solutions![0].map((r) => r.start[0]).sort()).not.toEqual(c.solutions![0].map((r) => r.start[0]).sort());
  });
});

describe('bad input', () => {
  it('wrong target width, NaN targets, lower > upper, bad method, bad cost length', () => {
    expect(() => solve(sum2(), [[1, 2]])).toThrow(ShapeError);
    expect(() => solve(sum2(), [[1, 2]])).toThrow(/1 outputs \(y1\)/);
    expect(() => solve(sum2(), [[Number.NaN]])).toThrow(NonFiniteError);
    expect(() => solve(sum2(), [[1]], { lower: [1, 0], upper: [0, 1] })).toThrow(InvalidArgumentError);
    expect(() => solve(sum2(), [[1]], { lower: [1, 0], upper: [0, 1] })).toThrow(/x1.*lower 1 > upper 0/);
    expect(() => solve(sum2(), [[1]], { method: 'newton' as never })).toThrow(InvalidArgumentError);
    expect(() => solve(sum2(), [[1]], { cost: [1] })).toThrow(ShapeError);
    expect(() => solve(sum2(), [[1]], { start: [Number.NaN, 0] })).toThrow(NonFiniteError);
    expect(() => solve(sum2(), [[1]], { starts: 0 })).toThrow(InvalidArgumentError);
  });
});
