// The worker's request handlers run in Node too (no DOM needed): every inverse method re-simulates
// to the target within the shown tolerance, the re-simulation is recomputed independently here,
// shapes are checked, and wrong requests get messages that say what was wrong.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import type { Model } from '../../src/model/model.ts';
import { handlers } from '../../web/src/worker-handlers.ts';
import type { SolveRequest, TrainProgress } from '../../web/src/protocol.ts';

const models = path.resolve('web/public/models');
const bytes = (name: string) => { const data = readFileSync(path.join(models, name)); return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength); };
const noProgress = (_: TrainProgress) => undefined;
const PLANT_POINT = [30, 100, 150, 28, 600, 1350, 200];
let reference: Model;
let target: number[];

beforeAll(async () => {
  reference = await loadOnnxModel(new Uint8Array(bytes('demo-forward.onnx')), { source: 'reference copy' });
  target = Array.from(reference.forward(new Matrix(1, 7, Float64Array.from(PLANT_POINT))).data);
  await handlers.load({ role: 'forward', name: 'demo-forward.onnx', bytes: bytes('demo-forward.onnx') }, noProgress);
  await handlers.load({ role: 'inverse', name: 'demo-inverse.onnx', bytes: bytes('demo-inverse.onnx') }, noProgress);
});

function request(method: SolveRequest['method'], starts = 4): SolveRequest {
  return {
    targets: target.map((value) => ({ mode: 'point', value })),
    weights: [1, 1, 1, 1],
    bounds: { lower: [0, 0, 0, 21, 0, 1200, 150], upper: [100, 300, 300, 40, 1500, 1500, 250] },
    method, starts, seed: 42, objective: { kind: 'none' },
  };
}

describe('worker handlers on the demo pair', () => {
  it.each(['lm', 'inverse-net', 'min-norm', 'nio'] as const)('%s: the shown f(x) is the forward model at x, and the match flags follow the shown tolerance', async (method) => {
    const response = await handlers.solve(request(method), noProgress);
    const { best } = response;
    const independent = Array.from(reference.forward(new Matrix(1, 7, Float64Array.from(best.x))).data);
    expect(best.y).toEqual(independent);
    best.residual.forEach((residual, i) => {
      expect(residual).toBe(independent[i] - target[i]);
      expect(best.withinTolerance[i]).toBe(Math.abs(residual) <= best.tolerance[i]);
    });
    best.x.forEach((value, i) => {
      expect(value).toBeGreaterThanOrEqual(request(method).bounds.lower[i]);
      expect(value).toBeLessThanOrEqual(request(method).bounds.upper[i]);
    });
    if (method === 'lm' || method === 'inverse-net') expect(best.withinTolerance.every(Boolean)).toBe(true);
    expect(best.history.iteration.length).toBe(best.history.residual.length);
    process.stdout.write(`[web] ${method}: status ${best.status}, ‖r‖ = ${best.residualNorm.toExponential(2)}, ${response.solutions.length} distinct, ${response.elapsedMs.toFixed(1)} ms\n`);
  });

  it('the replayed convergence curve ends at the final scaled residual and does not increase (lm accepts only improving steps)', async () => {
    const { best } = await handlers.solve(request('lm', 1), noProgress);
    const curve = best.history.residual;
    expect(curve.length).toBeGreaterThan(1);
    for (let k = 1; k < curve.length; k++) expect(curve[k]).toBeLessThanOrEqual(curve[k - 1] * (1 + 1e-12));
    expect(best.history.iteration.at(-1)).toBe(best.iterations);
  });

  it('forward flags inputs outside the stored box', async () => {
    const response = await handlers.forward({ x: [150, 100, 150, 28, 600, 1100, 200] }, noProgress);
    expect(response.outOfRange).toEqual([true, false, false, false, false, true, false]);
    expect(response.y).toEqual(Array.from(reference.forward(new Matrix(1, 7, Float64Array.of(150, 100, 150, 28, 600, 1100, 200))).data));
  });

  it('slice returns a resolution² grid spanning the requested ranges; analyze counts every sample once', async () => {
    const slice = await handlers.slice({ inputs: [0, 5], base: PLANT_POINT, ranges: [[0, 100], [1200, 1500]], resolution: 6 }, noProgress);
    expect(slice.xs[0]).toBe(0);
    expect(slice.xs.at(-1)).toBe(100);
    expect(slice.ys[0]).toBe(1200);
    expect(slice.ys.at(-1)).toBe(1500);
    expect(slice.log10Cond).toHaveLength(36);
    const analysis = await handlers.analyze({ samples: 50, seed: 7 }, noProgress);
    expect(analysis.rankHistogram.reduce((sum, bin) => sum + bin.count, 0)).toBe(50);
    expect(analysis.log10Cond).toHaveLength(50);
  });

  it('wrong requests fail with messages naming what was wrong', async () => {
    await expect(async () => handlers.forward({ x: [1, 2] }, noProgress)).rejects.toThrow('x has 2 values, the model needs 7');
    await expect(async () => handlers.load({ role: 'inverse', name: 'wrong.onnx', bytes: bytes('demo-forward.onnx') }, noProgress))
      .rejects.toThrow(/wrong\.onnx maps 7 → 4 values, but an inverse of the loaded forward model must map its 4 outputs to its 7 inputs/);
    await expect(async () => handlers.csvHeader({ csvText: 'a,b\n1,zz\n' }, noProgress)).rejects.toThrow(/line 2, column "b"/);
    // A new forward model unloads the inverse: inverse-net now explains what is missing.
    await handlers.load({ role: 'forward', name: 'demo-forward.onnx', bytes: bytes('demo-forward.onnx') }, noProgress);
    await expect(async () => handlers.solve(request('inverse-net'), noProgress)).rejects.toThrow(/needs an inverse model/);
  });
});
