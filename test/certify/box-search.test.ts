// The input-box branch and bound behind reachableRange: on nets deep and wide enough that it splits
// (more than LEAF_UNSTABLE unstable neurons), its optimum equals the whole-box big-M MILP solved
// directly by HiGHS (an independent path), its point attains the value in Float64, its bound is
// never below a dense grid; from a poor starting point it still ends at the optimum.
import { afterAll, describe, expect, it } from 'vitest';
import { MlpModel } from '../../src/model/mlp.ts';
import { extractNetwork } from '../../src/certify/extract.ts';
import { prepareNetwork, reachableRange } from '../../src/certify/questions.ts';
import { tightenWithLp } from '../../src/certify/tighten-lp.ts';
import { searchBox, LEAF_UNSTABLE } from '../../src/certify/box-search.ts';
import { encodeNetwork } from '../../src/certify/milp.ts';
import { WorkerSolver } from '../../src/io/highs-worker.ts';
import { randomReluSpec } from '../../src/certify/random-network.ts';
import { evaluateNetwork, type PwlNetwork } from '../../src/certify/network.ts';

const solver = new WorkerSolver();
afterAll(() => solver.close());

const box = { lower: Float64Array.of(-1, -0.5, -0.8), upper: Float64Array.of(1, 1.5, 0.4) };

function networkOf(widths: number[], seed: number, kind: 'mlp' | 'resmlp' = 'mlp'): PwlNetwork {
  const extraction = extractNetwork(new MlpModel(randomReluSpec(widths, seed, kind)), box);
  if (!('network' in extraction)) throw new Error(extraction.reason);
  return extraction.network;
}

function grid(steps: number): Float64Array[] {
  const points: Float64Array[] = [];
  for (let a = 0; a <= steps; a++) for (let b = 0; b <= steps; b++) for (let c = 0; c <= steps; c++) {
    points.push(Float64Array.from([a, b, c], (t, j) => box.lower[j] + (t / steps) * (box.upper[j] - box.lower[j])));
  }
  return points;
}

describe('input-box branch and bound for output ranges', () => {
  for (const [widths, seed, kind] of [[[3, 12, 12, 2], 1, 'mlp'], [[3, 10, 10, 10, 1], 2, 'mlp'], [[3, 12, 12, 2], 3, 'resmlp']] as const) {
    it(`equals the whole-box MILP and brackets a grid (${widths.join('→')}, seed ${seed}, ${kind})`, async () => {
      const network = networkOf([...widths], seed, kind);
      const prepared = prepareNetwork(network, box);
      await tightenWithLp(prepared, solver);
      expect(prepared.neurons.unstable).toBeGreaterThan(LEAF_UNSTABLE); // so the search really splits
      const ranges = await reachableRange(prepared, solver);
      const points = grid(20);
      const values = points.map((x) => evaluateNetwork(network, x));
      for (const entry of ranges) {
        const i = entry.output;
        for (const [certificate, sense] of [[entry.min, 'minimize'], [entry.max, 'maximize']] as const) {
          expect(certificate.status).toBe('optimal');
          expect(certificate.gap).toBeLessThanOrEqual(1e-6);
          expect(certificate.message).toMatch(/sub-boxes/);
          // The point attains the value in Float64.
          expect(evaluateNetwork(network, certificate.x!)[i]).toBeCloseTo(certificate.objective, 12);
          // Independent truth: the whole-box MILP solved directly.
          const encoding = encodeNetwork(network, box, prepared.bounds);
          encoding.builder.setObjective(network.outputs[i], sense);
          const direct = await solver.solve(encoding.builder.build());
          expect(direct.status).toBe('optimal');
          expect(Math.abs(certificate.objective - direct.objective)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(direct.objective)));
          // The bound is never beaten by the grid.
          const gridBest = sense === 'maximize' ? Math.max(...values.map((v) => v[i])) : Math.min(...values.map((v) => v[i]));
          if (sense === 'maximize') expect(certificate.bound).toBeGreaterThanOrEqual(gridBest - 1e-9);
          else expect(certificate.bound).toBeLessThanOrEqual(gridBest + 1e-9);
        }
      }
    });
  }

  it('ends at the optimum from the optimal starting point and from a poor one (then HiGHS or an LP closes boxes)', async () => {
    const network = networkOf([3, 12, 12, 2], 1);
    const prepared = prepareNetwork(network, box);
    // A starting point at the true maximum: every sub-box is eventually bounded below it, or a leaf proves it.
    const encoding = encodeNetwork(network, box, prepared.bounds);
    encoding.builder.setObjective(network.outputs[0], 'maximize');
    const direct = await solver.solve(encoding.builder.build());
    const x = Float64Array.from(direct.x!.subarray(0, 3));
    const value = evaluateNetwork(network, x)[0];
    const search = await searchBox(network, box, prepared.bounds, network.outputs[0], 1, { x, value }, solver);
    expect(search.status).toBe('optimal');
    expect(search.value).toBeGreaterThanOrEqual(value);
    expect(search.bound).toBeGreaterThanOrEqual(search.value);
    expect(search.bound - search.value).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(search.value)));
    expect(search.boxes).toBeGreaterThan(1);
    // A poor starting point (the box centre, worse than the optimum) must still end at the optimum.
    const centre = Float64Array.of(0, 0.5, -0.2);
    const poor = await searchBox(network, box, prepared.bounds, network.outputs[0], 1, { x: centre, value: evaluateNetwork(network, centre)[0] }, solver);
    expect(poor.status).toBe('optimal');
    expect(Math.abs(poor.value - direct.objective)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(direct.objective)));
    expect(poor.milps + poor.lpPruned).toBeGreaterThan(0);
  });

  it('answers from the bounds alone when every neuron is stable in a tiny box (the ascent reaches the corner the bound names)', async () => {
    const network = networkOf([3, 12, 12, 2], 1);
    const centre = Float64Array.of(0.1, 0.2, -0.3);
    const tiny = { lower: centre.map((v) => v - 1e-4), upper: centre.map((v) => v + 1e-4) };
    const prepared = prepareNetwork(network, tiny);
    expect(prepared.neurons.unstable).toBe(0);
    const ranges = await reachableRange(prepared, solver);
    for (const entry of ranges) {
      for (const certificate of [entry.min, entry.max]) {
        expect(certificate.status).toBe('optimal');
        expect(certificate.proof).toBe('bounds');
        expect(certificate.gap).toBeLessThanOrEqual(1e-9);
        expect(evaluateNetwork(network, certificate.x!)[entry.output]).toBeCloseTo(certificate.objective, 14);
      }
      // f is affine on the tiny box: its extremes are at opposite corners, and they differ.
      expect(entry.max.objective).toBeGreaterThan(entry.min.objective);
    }
  });
});
