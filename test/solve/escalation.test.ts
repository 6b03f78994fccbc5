// Escalation of the default solve: a start that fails is followed by the training mean / box
// centre and seeded Latin-hypercube starts; "unreachable" only with a proof; every random start of
// target k comes from (seed, firstTargetIndex + k) alone, so chunked solves give identical bytes.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { functionModel, linearModel } from '../../src/model/functions.ts';
import { loadModelFile } from '../../src/io/model-file.ts';
import { solve } from '../../src/solve/solve.ts';
import type { SolveResult } from '../../src/solve/result.ts';

const FIXTURE = path.resolve(import.meta.dirname, '..', 'fixtures', 'tanh_mlp_7x64x64x4.onnx');

/** y = x²: the box centre 0 is a stationary start for any target y > 0. */
const square = () => functionModel({
  inputNames: ['x'], outputNames: ['y'],
  evaluate: (x, out) => { out[0] = x[0] * x[0]; },
  jacobian: (x, out) => { out[0] = 2 * x[0]; },
});

/** Everything of a result except its row number, as bytes-comparable JSON. */
function fingerprint(result: SolveResult): string {
  const { target: _target, ...rest } = result;
  void _target;
  return JSON.stringify(rest, (_key, value) => (value instanceof Float64Array ? Array.from(value, (v) => v.toString()) : value));
}

describe('escalation of the default solve', () => {
  it('a stationary first start (box centre of y = x²) is rescued by Latin-hypercube starts', () => {
    const single = solve(square(), [[4]], { lower: [-3], upper: [3], maxStarts: 1 }).results[0];
    expect(single.status).toBe('stalled');
    const result = solve(square(), [[4]], { lower: [-3], upper: [3] }).results[0];
    expect(result.status, result.message).toBe('converged');
    expect(Math.abs(result.x[0])).toBeCloseTo(2, 9);
    expect(result.startsTried).toBeGreaterThan(1);
    expect(result.success).toBe(true);
  });

  it('an unreachable target the model cannot bound is "not-reached" with the starts tried, never "infeasible"', () => {
    const report = solve(square(), [[-1]], { lower: [-3], upper: [3] });
    const result = report.results[0];
    expect(result.status).toBe('not-reached');
    expect(result.startsTried).toBe(16);
    expect(result.message).toMatch(/not reached after 16 start\(s\); best scaled residual/);
    expect(result.message).toMatch(/reachability is unknown/);
    expect(report.summary.counts['infeasible-within-bounds']).toBe(0);
  });

  it('a target outside the sound bound of f over the box is proven unreachable without escalating', () => {
    const result = solve(linearModel([[1, 2]]), [[100]], { lower: [0, 0], upper: [1, 1] }).results[0];
    expect(result.status).toBe('infeasible-within-bounds');
    expect(result.startsTried).toBe(1);
    expect(result.message).toMatch(/proven/);
  });

  it('targets solved together or one by one (with firstTargetIndex) give identical bytes, escalation included', async () => {
    const model = await loadModelFile(FIXTURE);
    const random = new Random(17);
    const truth = new Matrix(3, 7);
    for (let k = 0; k < truth.data.length; k++) truth.data[k] = random.between(-1, 1);
    const targets = model.forward(truth);
    // Two iterations per start: most first starts fail, so the escalation and its random starts run.
    const options = { lower: new Float64Array(7).fill(-1), upper: new Float64Array(7).fill(1), maxIterations: 2, seed: 5 };
    const together = solve(model, targets, options).results;
    expect(together.some((result) => result.startsTried > 2)).toBe(true);
    for (let k = 0; k < 3; k++) {
      const alone = solve(model, new Matrix(1, 4, targets.data.slice(k * 4, (k + 1) * 4)), { ...options, firstTargetIndex: k }).results[0];
      expect(fingerprint(alone)).toBe(fingerprint(together[k]));
    }
    // Another seed draws other starts (the seed is used).
    const reseeded = solve(model, targets, { ...options, seed: 6 }).results;
    expect(reseeded.map(fingerprint)).not.toEqual(together.map(fingerprint));
  });
});

describe('default answer on a solution set of dimension > 0', () => {
  it('x1 + x2 = 3 in [0, 4]²: the solution nearest (standardized) to the box centre, said in the message', () => {
    const result = solve(linearModel([[1, 1]]), [[3]], { lower: [0, 0], upper: [4, 4], start: [3, 0] }).results[0];
    expect(result.status).toBe('converged');
    expect(result.x[0]).toBeCloseTo(1.5, 8);
    expect(result.x[1]).toBeCloseTo(1.5, 8);
    expect(result.message).toMatch(/nearest \(standardized units\) to the centre of the box/);
    // --reference wins over the default.
    const referenced = solve(linearModel([[1, 1]]), [[3]], { lower: [0, 0], upper: [4, 4], reference: [3, 3] }).results[0];
    expect(referenced.x[0]).toBeCloseTo(1.5, 8);
    const toCorner = solve(linearModel([[1, 1]]), [[3]], { lower: [0, 0], upper: [4, 4], reference: [3, 0] }).results[0];
    expect(toCorner.x[0]).toBeCloseTo(3, 8);
    // nearest: false returns the point the iteration reached from the start.
    const reached = solve(linearModel([[1, 1]]), [[3]], { lower: [0, 0], upper: [4, 4], start: [3, 0], nearest: false }).results[0];
    expect(reached.x[0]).toBeCloseTo(3, 8);
  });
});

describe('the batched nearest-solution refinement (default answer)', () => {
  it('on the nonlinear tanh 7→64→64→4 fixture it lands where the per-target reference objective does, to 1e-8', async () => {
    const model = await loadModelFile(FIXTURE);
    const random = new Random(23);
    const truth = new Matrix(60, 7);
    for (let k = 0; k < truth.data.length; k++) truth.data[k] = random.between(-1, 1);
    const targets = model.forward(truth);
    const batched = solve(model, targets, { start: new Float64Array(7) }).results;
    const reference = solve(model, targets, { start: new Float64Array(7), reference: new Float64Array(7) }).results;
    const reached = solve(model, targets, { start: new Float64Array(7), nearest: false }).results;
    const norm = (x: Float64Array) => Math.hypot(...x);
    let nearer = 0;
    batched.forEach((result, k) => {
      expect(result.status).toBe('converged');
      expect(Math.abs(norm(result.x) - norm(reference[k].x))).toBeLessThan(1e-8);
      expect(norm(result.x)).toBeLessThanOrEqual(norm(reached[k].x) + 1e-12);
      if (norm(result.x) < norm(reached[k].x) - 1e-6) nearer++;
      expect(result.message).toMatch(/3-dimensional solution set, x is the point nearest \(standardized units\) to the default start/);
    });
    // The refinement does something: most answers are nearer than the point the iteration reached.
    expect(nearer).toBeGreaterThan(30);
  });
});
