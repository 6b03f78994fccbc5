// solveParallel: the same report, byte for byte, for 1, 2 and 3 worker threads (ONNX model rebuilt
// in the workers from its bytes; MlpModel from its spec), with point targets, bands, multi-start
// and per-target starts; targets too few for workers and non-portable models stay in-process.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { closePools, completedPoolTasks } from '../../src/io/pool.ts';
import { stringifyJson } from '../../src/core/json.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { functionModel } from '../../src/model/functions.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { portableModel } from '../../src/model/portable.ts';
import type { Model } from '../../src/model/model.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { solveParallel } from '../../src/io/solve-parallel.ts';
import type { SolveOptions } from '../../src/solve/options.ts';
import { solve, type SolveReport } from '../../src/solve/solve.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/tanh_mlp_7x64x64x4.onnx', import.meta.url));

afterAll(closePools);

/** Targets f(x) at random x (reachable), N×m. */
function reachableTargets(model: Model, count: number, seed: number): Matrix {
  const random = new Random(seed);
  const x = new Matrix(count, model.inputNames.length);
  for (let k = 0; k < x.data.length; k++) x.data[k] = 0.8 * random.normal();
  return model.forward(x);
}

/** The report as bytes: JSON of everything plus the raw bytes of every x (JSON would print −0 as 0). */
function bytesOf(report: SolveReport): string {
  const raw = report.results.map((result) => Buffer.from(result.x.buffer, result.x.byteOffset, result.x.byteLength).toString('hex')).join('');
  return stringifyJson(report) + raw;
}

describe('solveParallel gives the same bytes for any thread count', async () => {
  const model = await loadOnnxModel(new Uint8Array(readFileSync(FIXTURE)), { source: 'tanh_mlp_7x64x64x4.onnx' });
  const targets = reachableTargets(model, 300, 3);
  const box = { lower: new Array(7).fill(-3), upper: new Array(7).fill(3) };

  const cases: [string, SolveOptions][] = [
    ['lm, point targets, box', { ...box }],
    ['gauss-newton, no box (global step cap)', { method: 'gauss-newton' }],
    ['lm, 3 seeded starts per target', { ...box, starts: 3, seed: 5 }],
    // Two iterations per start: most targets escalate to Latin-hypercube starts from (seed, global row).
    ['lm escalating (issue 11), no box (per-row step cap)', { maxIterations: 2, seed: 9 }],
  ];
  for (const [name, options] of cases) {
    it(name, async () => {
      const one = bytesOf(await solveParallel(model, targets, { ...options, threads: 1 }));
      const before = completedPoolTasks();
      const two = bytesOf(await solveParallel(model, targets, { ...options, threads: 2 }));
      const three = bytesOf(await solveParallel(model, targets, { ...options, threads: 3 }));
      expect(completedPoolTasks() - before).toBeGreaterThanOrEqual(4); // the chunks really went to workers
      expect(two).toBe(one);
      expect(three).toBe(one);
      expect(one).toBe(bytesOf(solve(model, targets, options)));
    });
  }

  it('bands and per-target starts (outside the box: the projection warning names global rows)', async () => {
    const m = 4, count = targets.rows;
    const lower = new Matrix(count, m), upper = new Matrix(count, m);
    for (let k = 0; k < count * m; k++) { lower.data[k] = targets.data[k] - 0.01; upper.data[k] = targets.data[k] + 0.01; }
    const start = new Matrix(count, 7);
    const random = new Random(11);
    for (let k = 0; k < start.data.length; k++) start.data[k] = random.normal();
    for (const startMatrix of [start, new Matrix(count, 7, start.data.map((v) => 5 * v))]) {
      const options: SolveOptions = { ...box, start: startMatrix };
      const one = bytesOf(await solveParallel(model, { lower, upper }, { ...options, threads: 1 }));
      expect(bytesOf(await solveParallel(model, { lower, upper }, { ...options, threads: 3 }))).toBe(one);
    }
  });

  it('an MlpModel travels as its spec; results match the in-process solve', async () => {
    const spec = { kind: 'mlp' as const, inputNames: ['a', 'b', 'c'], outputNames: ['y'], activation: 'tanh' as const, layers: [
      { inputs: 3, outputs: 8, weight: Float64Array.from({ length: 24 }, (_, k) => Math.sin(k + 1)), bias: new Float64Array(8).fill(0.1) },
      { inputs: 8, outputs: 1, weight: Float64Array.from({ length: 8 }, (_, k) => Math.cos(k)), bias: new Float64Array(1) },
    ] };
    const mlp = new MlpModel(spec);
    expect(portableModel(mlp)?.kind).toBe('mlp');
    const mlpTargets = reachableTargets(mlp, 200, 9);
    const parallel = await solveParallel(mlp, mlpTargets, { threads: 2, starts: 2 });
    expect(bytesOf(parallel)).toBe(bytesOf(solve(mlp, mlpTargets, { starts: 2 })));
    expect(parallel.results.map((result) => result.target)).toEqual(Array.from({ length: 200 }, (_, k) => k));
  });

  it('a model built in code has no recipe and is solved in-process with the same answer', async () => {
    const square = functionModel({ inputNames: ['x'], outputNames: ['y'], evaluate: (x, out) => { out[0] = x[0] * x[0]; }, jacobian: (x, out) => { out[0] = 2 * x[0]; } });
    expect(portableModel(square)).toBeNull();
    const squareTargets = new Matrix(100, 1, Float64Array.from({ length: 100 }, (_, k) => 1 + k));
    const report = await solveParallel(square, squareTargets, { threads: 2, start: [1] });
    expect(bytesOf(report)).toBe(bytesOf(solve(square, squareTargets, { start: [1] })));
  });

  it('rejects a bad thread count with a clear message', async () => {
    await expect(solveParallel(model, targets, { threads: 0 })).rejects.toThrow('threads must be an integer ≥ 1, got 0');
  });
});
