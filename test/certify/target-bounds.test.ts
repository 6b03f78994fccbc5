// Per-target speed-ups of certification, each checked for what it must not change:
//   • bound tightening on a target's band (target-bounds.ts) is sound: every grid point of the box
//     meeting the band (and the objective cutoff) keeps every pre-activation inside the tightened
//     bounds — brute force on small nets;
//   • the objective cutoff at the local solver's point never turns a feasible target 'infeasible'
//     and gives the same optimum as the plain MILP;
//   • answering targets on 1 or 2 HiGHS workers gives identical results.
import { afterAll, describe, expect, it } from 'vitest';
import { MlpModel } from '../../src/model/mlp.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { solve } from '../../src/solve/solve.ts';
import { WorkerSolver } from '../../src/io/highs-worker.ts';
import { randomReluSpec } from '../../src/certify/random-network.ts';
import { extractNetwork } from '../../src/certify/extract.ts';
import { evaluateAffine, evaluateVariables, type PwlNetwork } from '../../src/certify/network.ts';
import { certifyTarget, prepareNetwork, targetObjectiveValue, type PreparedNetwork, type TargetObjective } from '../../src/certify/questions.ts';
import { tightenForTarget } from '../../src/certify/target-bounds.ts';
import { stabilityCounts } from '../../src/certify/bounds.ts';
import type { MilpSolver } from '../../src/certify/solver.ts';
import type { SolveResult } from '../../src/solve/result.ts';

const solverA = new WorkerSolver();
const solverB = new WorkerSolver();
afterAll(async () => { await solverA.close(); await solverB.close(); });

function prepared(widths: number[], seed: number, half: number): { model: MlpModel; prepared: PreparedNetwork } {
  const model = new MlpModel(randomReluSpec(widths, seed));
  const box = { lower: new Float64Array(widths[0]).fill(-half), upper: new Float64Array(widths[0]).fill(half) };
  const extraction = extractNetwork(model, box);
  if (!('network' in extraction)) throw new Error(extraction.reason);
  return { model, prepared: prepareNetwork(extraction.network, box) };
}

/** Every point of a regular grid over a 2-input box, with all network variables evaluated. */
function grid(network: PwlNetwork, box: { lower: Float64Array; upper: Float64Array }, steps: number): { x: Float64Array; values: Float64Array }[] {
  const points = [];
  for (let a = 0; a <= steps; a++) for (let b = 0; b <= steps; b++) {
    const x = Float64Array.of(box.lower[0] + (a / steps) * (box.upper[0] - box.lower[0]), box.lower[1] + (b / steps) * (box.upper[1] - box.lower[1]));
    points.push({ x, values: evaluateVariables(network, x) });
  }
  return points;
}

describe('bound tightening on a target band', () => {
  for (const seed of [3, 8]) {
    it(`contains every grid point meeting the band (and the cutoff), and fixes neurons (2→8→8→2, seed ${seed})`, async () => {
      const { prepared: p } = prepared([2, 8, 8, 2], seed, 1);
      const { network, box, bounds } = p;
      const points = grid(network, box, 300);
      const outputs = points.map(({ values }) => network.outputs.map((o) => evaluateAffine(o, values)));
      // Band: output 1 within ±3 % of its sampled span around the value at an interior point, output 2 below its median.
      const y1 = outputs.map((y) => y[0]), y2 = outputs.map((y) => y[1]).sort((u, v) => u - v);
      const span = Math.max(...y1) - Math.min(...y1), centre = outputs[Math.floor(points.length / 3)][0];
      const low = [centre - 0.03 * span, -Infinity], high = [centre + 0.03 * span, y2[Math.floor(y2.length / 2)]];
      const prices = Float64Array.of(1, -0.5);
      const inBand = (y: number[]) => y.every((v, i) => v >= low[i] && v <= high[i]);
      const members = points.filter((_, r) => inBand(outputs[r]));
      const cheapest = Math.min(...members.map(({ x }) => targetObjectiveValue({ kind: 'linear-cost', prices }, x)));
      const cutoff = cheapest + 0.2; // a cutoff some band points meet and others do not
      for (const withCutoff of [false, true]) {
        const tightened = await tightenForTarget(network, box, bounds, (builder) => {
          for (let i = 0; i < 2; i++) if (Number.isFinite(low[i]) || Number.isFinite(high[i])) builder.addExpressionRow(network.outputs[i], low[i], high[i]);
          if (withCutoff) builder.addRow([0, 1], Array.from(prices), -Infinity, cutoff);
        }, solverA, 4);
        expect(tightened.infeasible).toBe(false);
        const kept = members.filter(({ x }) => !withCutoff || targetObjectiveValue({ kind: 'linear-cost', prices }, x) <= cutoff);
        expect(kept.length).toBeGreaterThan(20);
        expect(kept.length).toBeLessThan(points.length / 2);
        let outside = 0;
        for (const { values } of kept) {
          network.pre.forEach((pre, k) => {
            const z = evaluateAffine(pre, values);
            if (!(z >= tightened.bounds.lower[k] && z <= tightened.bounds.upper[k])) outside++;
          });
        }
        expect(outside).toBe(0);
        // Tighter than the box-wide bounds, never looser.
        for (let k = 0; k < network.pre.length; k++) {
          expect(tightened.bounds.lower[k]).toBeGreaterThanOrEqual(bounds.lower[k]);
          expect(tightened.bounds.upper[k]).toBeLessThanOrEqual(bounds.upper[k]);
        }
        expect(stabilityCounts(tightened.bounds).unstable).toBeLessThan(stabilityCounts(bounds).unstable);
      }
    });
  }

  it('reports an infeasible LP relaxation for a band beyond every sampled output', async () => {
    const { prepared: p } = prepared([2, 8, 8, 2], 3, 1);
    const { network, box, bounds } = p;
    const highest = Math.max(...grid(network, box, 200).map(({ values }) => evaluateAffine(network.outputs[0], values)));
    const beyond = p.outputUpper[0]; // the sound bound over the box: nothing lies beyond it
    expect(beyond).toBeGreaterThan(highest);
    const tightened = await tightenForTarget(network, box, bounds, (builder) => builder.addExpressionRow(network.outputs[0], beyond + 1e-3, Infinity), solverA, 4);
    expect(tightened.infeasible).toBe(true);
  });
});

describe('certifyTarget with the band tightening and the objective cutoff', () => {
  const { model, prepared: p } = prepared([3, 12, 12, 2], 5, 0.5);
  const random = (k: number) => Float64Array.from({ length: 3 }, (_, j) => 0.45 * Math.sin(1.3 * k + 2.1 * j + 0.4));
  const objective: TargetObjective = { kind: 'linear-cost', prices: Float64Array.of(1, -2, 0.5) };
  const band = (y: Float64Array) => ({ low: y.map((v) => v - 1e-6 * (1 + Math.abs(v))), high: y.map((v) => v + 1e-6 * (1 + Math.abs(v))) });

  it('gives the plain MILP\'s optimum on 6 targets (cut off at the local solver\'s point)', async () => {
    for (let k = 0; k < 6; k++) {
      const y = model.forward(new Matrix(1, 3, random(k))).data;
      const { low, high } = band(y);
      const local = solve(model, [Array.from(y)], { lower: [-0.5, -0.5, -0.5], upper: [0.5, 0.5, 0.5], cost: Array.from(objective.kind === 'linear-cost' ? objective.prices : []) }).results[0];
      const plain = await certifyTarget(p, low, high, objective, solverA);
      const fast = await certifyTarget(p, low, high, objective, solverA, { tightenRounds: 4, incumbent: local.x });
      expect(plain.status).toBe('optimal');
      expect(fast.status).toBe('optimal');
      expect(fast.gap).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(fast.objective - plain.objective)).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(plain.objective)));
      expect(fast.binaries).toBeLessThanOrEqual(plain.binaries);
      if (local.status === 'converged') expect(plain.objective).toBeLessThanOrEqual(targetObjectiveValue(objective, local.x) + 1e-7);
    }
  });

  it('asks again without the cutoff when the cut-off question comes out infeasible', async () => {
    const y = model.forward(new Matrix(1, 3, random(1))).data;
    const { low, high } = band(y);
    const local = solve(model, [Array.from(y)], { lower: [-0.5, -0.5, -0.5], upper: [0.5, 0.5, 0.5], cost: [1, -2, 0.5] }).results[0];
    expect(local.status).toBe('converged');
    // A solver that calls everything infeasible while the cutoff is in place (as HiGHS could within its tolerances).
    let cutoffCalls = 0;
    const stubborn: MilpSolver = {
      solve: async (problem, options) => {
        const hasCutoff = Array.from({ length: problem.numRows }, (_, r) => r).some((r) => {
          const from = problem.starts[r], to = problem.starts[r + 1];
          return to - from === 3 && problem.rowLower[r] === -Infinity && [0, 1, 2].every((j) => problem.indices[from + j] === j && problem.values[from + j] === [1, -2, 0.5][j]);
        });
        if (hasCutoff) { cutoffCalls++; return { status: 'infeasible', objective: NaN, bound: NaN, gap: NaN, x: null, nodes: 0, seconds: 0, message: 'stub' }; }
        return solverA.solve(problem, options);
      },
      minimizeEach: (problem, objectives) => solverA.minimizeEach(problem, objectives),
      close: async () => {},
    };
    const answer = await certifyTarget(p, low, high, objective, stubborn, { tightenRounds: 4, incumbent: local.x });
    expect(cutoffCalls).toBeGreaterThan(0);
    expect(answer.status).toBe('optimal');
    const plain = await certifyTarget(p, low, high, objective, solverA);
    expect(Math.abs(answer.objective - plain.objective)).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(plain.objective)));
  });

  it('ignores an incumbent that does not meet the band', async () => {
    const y = model.forward(new Matrix(1, 3, random(2))).data;
    const { low, high } = band(y);
    const plain = await certifyTarget(p, low, high, objective, solverA);
    const wrong = await certifyTarget(p, low, high, objective, solverA, { tightenRounds: 2, incumbent: Float64Array.of(0.5, -0.5, -0.5) });
    expect(wrong.status).toBe('optimal');
    expect(wrong.message).not.toMatch(/cut off/);
    expect(Math.abs(wrong.objective - plain.objective)).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(plain.objective)));
  });
});

describe('solve with certify on 1 or 2 MILP workers', () => {
  it('gives identical results (statuses, points, objectives, certificates)', async () => {
    const model = new MlpModel(randomReluSpec([4, 16, 16, 2], 9));
    const lower = [-0.3, -0.3, -0.3, -0.3], upper = [0.3, 0.3, 0.3, 0.3];
    const xs = new Matrix(6, 4, Float64Array.from({ length: 24 }, (_, t) => 0.25 * Math.sin(0.7 * t + 0.3)));
    const y = model.forward(xs);
    const rowsLow: number[][] = [], rowsHigh: number[][] = [];
    for (let k = 0; k < 6; k++) {
      const row = Array.from(y.data.subarray(2 * k, 2 * k + 2));
      if (k % 3 === 2) { rowsLow.push([row[0] + 10, -Infinity]); rowsHigh.push([row[0] + 10, Infinity]); } // far beyond: infeasible
      else { rowsLow.push(row); rowsHigh.push(row); }
    }
    const targets = { lower: rowsLow, upper: rowsHigh };
    const options = { certify: true as const, lower, upper, cost: [1, -1, 0.5, 2] };
    const one = await solve(model, targets, { ...options, milpSolvers: [solverA] });
    const two = await solve(model, targets, { ...options, milpSolvers: [solverA, solverB] });
    const strip = (results: SolveResult[]) => JSON.stringify(results.map((r) => ({ ...r, certificate: { ...r.certificate, seconds: 0 } })), (_, v) => (v instanceof Float64Array ? Array.from(v) : v));
    expect(one.results.map((r) => r.status)).toEqual(['optimal', 'optimal', 'infeasible', 'optimal', 'optimal', 'infeasible']);
    expect(strip(two.results)).toBe(strip(one.results));
  });
});
