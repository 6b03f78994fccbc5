// solve(model, targets, { certify: true }): statuses optimal / infeasible with certificates, MILP
// points polished so f(x) meets the target in Float64, smooth networks say they have no certificate.
import { afterAll, describe, expect, it } from 'vitest';
import { MlpModel } from '../../src/model/mlp.ts';
import { solve } from '../../src/solve/solve.ts';
import { WorkerSolver } from '../../src/io/highs-worker.ts';
import { randomReluSpec } from '../../src/certify/random-network.ts';
import { extractNetwork } from '../../src/certify/extract.ts';
import { prepareNetwork, reachableRange } from '../../src/certify/questions.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import type { MlpSpec } from '../../src/model/mlp-spec.ts';

const milpSolver = new WorkerSolver();
afterAll(() => milpSolver.close());

/** A residual ReLU net with input and output standardization (as trained models are). */
function scaledResidualSpec(): MlpSpec {
  const spec = randomReluSpec([3, 10, 10, 2], 11, 'resmlp');
  spec.inputScaling = { mean: Float64Array.of(500, 2, -30), std: Float64Array.of(100, 0.5, 10) };
  spec.outputScaling = { mean: Float64Array.of(2000, 0.3), std: Float64Array.of(150, 0.05) };
  return spec;
}

const model = new MlpModel(scaledResidualSpec());
const lower = [300, 1, -50], upper = [700, 3, -10];

async function trueRange(): Promise<{ min: number[]; max: number[] }> {
  const box = { lower: Float64Array.from(lower), upper: Float64Array.from(upper) };
  const extraction = extractNetwork(model, box);
  if (!('network' in extraction)) throw new Error(extraction.reason);
  const ranges = await reachableRange(prepareNetwork(extraction.network, box), milpSolver);
  return { min: ranges.map((r) => r.min.objective), max: ranges.map((r) => r.max.objective) };
}

describe('solve with certify on a residual ReLU net with input/output scaling', () => {
  it('proves a target 1 % beyond the reachable maximum infeasible, and reaches one just inside', async () => {
    const range = await trueRange();
    const span = range.max[0] - range.min[0];
    const beyond = range.max[0] + 0.01 * span, inside = range.max[0] - 0.01 * span;
    const report = await solve(model, { lower: [[beyond, -Infinity], [inside, -Infinity]], upper: [[beyond, Infinity], [inside, Infinity]] }, { certify: true, lower, upper, milpSolver });
    expect(report.results[0].status).toBe('infeasible');
    expect(report.results[0].certificate?.status).toBe('infeasible');
    expect(report.results[1].status).toBe('optimal');
    const y = model.forward(new Matrix(1, 3, report.results[1].x)).data[0];
    expect(Math.abs(y - inside)).toBeLessThanOrEqual(1e-9 * Math.abs(inside));
  });

  it('finds the certified cheapest input for a point target and polishes it to 1e-9', async () => {
    const target = Array.from(model.forward(new Matrix(1, 3, Float64Array.of(520, 1.7, -33))).data);
    const cost = [1, 50, -3];
    const report = await solve(model, [target], { certify: true, lower, upper, cost, milpSolver });
    const result = report.results[0];
    expect(result.status).toBe('optimal');
    const y = model.forward(new Matrix(1, 3, result.x)).data;
    for (let i = 0; i < 2; i++) expect(Math.abs(y[i] - target[i])).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(target[i])));
    const certificate = result.certificate!;
    expect(certificate.gap).toBeLessThanOrEqual(1e-6);
    // the polished point costs no less than the proven bound (up to the band's slack)
    expect(result.objective!).toBeGreaterThanOrEqual(certificate.bound - 1e-4 * (1 + Math.abs(certificate.bound)));
    expect(result.objective!).toBeLessThanOrEqual(certificate.bound + 1e-3 * (1 + Math.abs(certificate.bound)));
    // and no local solution from many starts is cheaper than the bound
    const local = solve(model, [target], { lower, upper, cost, starts: 12, seed: 3 });
    for (const solution of local.solutions![0]) {
      if (solution.status === 'converged') expect(solution.objective!).toBeGreaterThanOrEqual(certificate.bound - 1e-4 * (1 + Math.abs(certificate.bound)));
    }
  });

  it('uses the local point as the witness of a reachable target (no MILP)', async () => {
    const x = [450, 2.2, -25];
    const y = Array.from(model.forward(new Matrix(1, 3, Float64Array.from(x))).data);
    const report = await solve(model, [y], { certify: true, lower, upper, milpSolver });
    expect(report.results[0].status).toBe('optimal');
    expect(report.results[0].certificate?.proof).toBe('witness');
  });
});

describe('solve with certify on a smooth network', () => {
  it('gives no certificate and says why, keeping the local answer', async () => {
    const spec = randomReluSpec([2, 5, 1], 4);
    spec.activation = 'tanh';
    const smooth = new MlpModel(spec);
    const report = await solve(smooth, [[0.1]], { certify: true, lower: [-1, -1], upper: [1, 1], milpSolver });
    expect(report.results[0].certificate?.status).toBe('not-certified');
    expect(report.results[0].certificate?.message).toMatch(/tanh/);
    expect(['converged', 'stalled', 'max-iterations', 'infeasible-within-bounds']).toContain(report.results[0].status);
  });

  it('refuses an unbounded box with a clear error', async () => {
    await expect(solve(model, [[2000, 0.3]], { certify: true, milpSolver })).rejects.toThrow(/finite box/);
  });
});
