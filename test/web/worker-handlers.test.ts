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
import type { ModelCard, SolveRequest, TrainProgress } from '../../web/src/protocol.ts';

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
    // A text column is reported (not usable), and training on it names the line and column.
    const header = await handlers.csvHeader({ csvText: 'a,b\n1,zz\n' }, noProgress);
    expect(header.info.map((column) => column.numeric)).toEqual([true, false]);
    await expect(async () => handlers.train({ csvText: 'a,b\n1,zz\n', inputColumns: ['a'], outputColumns: ['b'], alpha: 0, epochs: 1, hidden: 2, seed: 1 }, noProgress))
      .rejects.toThrow(/line 2, column "b"/);
    await expect(async () => handlers.train({ csvText: 'a,b\n1,2\n', inputColumns: ['a', 'b'], outputColumns: ['b'], alpha: 0, epochs: 1, hidden: 2, seed: 1 }, noProgress))
      .rejects.toThrow(/both input and output: b/);
    // A new forward model unloads the inverse: inverse-net now explains what is missing.
    await handlers.load({ role: 'forward', name: 'demo-forward.onnx', bytes: bytes('demo-forward.onnx') }, noProgress);
    await expect(async () => handlers.solve(request('inverse-net'), noProgress)).rejects.toThrow(/needs an inverse model/);
  });
});

describe('worker handlers on a model without metadata, described by a Model card', () => {
  const fixture = () => { const data = readFileSync(path.resolve('test/fixtures/tanh_mlp_7x64x64x4.onnx')); return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength); };
  const card: ModelCard = {
    inputNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
    outputNames: ['p', 'q', 'r', 's'],
    inputUnits: ['K', 'bar', '', '', '', '', 'kg/h'],
    outputUnits: ['°C', '', '', ''],
    lower: [-1, -1, -1, -1, -1, -1, -1],
    upper: [1, 1, 1, 1, 1, 1, 1],
    inputMean: [null, null, null, null, null, null, null],
    inputStd: [null, null, null, null, null, null, null],
    outputMean: [null, null, null, null],
    outputStd: [null, null, null, null],
  };

  it('knows nothing at first: generic names, no units, no box, training range unknown (null)', async () => {
    const info = await handlers.load({ role: 'forward', name: 'plain.onnx', bytes: fixture() }, noProgress);
    expect(info.inputNames).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6']);
    expect(info.inputUnits.every((unit) => unit === '')).toBe(true);
    expect(info.bounds).toBeNull();
    expect(info.boxStored).toBe(false);
    const response = await handlers.solve({
      targets: [0.1, 0.2, 0.3, 0.4].map((value) => ({ mode: 'point' as const, value })), weights: [1, 1, 1, 1],
      bounds: { lower: new Array(7).fill(-1), upper: new Array(7).fill(1) }, method: 'lm', starts: 2, seed: 1, objective: { kind: 'none' },
    }, noProgress);
    expect(response.best.inTrainingRange).toBeNull();
  });

  it('applies a card: names, units and box reach the model, and the annotated file reads back the same', async () => {
    const info = await handlers.load({ role: 'forward', name: 'plain.onnx', bytes: fixture(), card }, noProgress);
    expect(info.inputNames).toEqual(card.inputNames);
    expect(info.outputUnits[0]).toBe('°C');
    expect(info.bounds?.lower).toEqual(card.lower);
    expect(info.boxStored).toBe(true);
    const { bytes: annotated } = await handlers.annotate({ card }, noProgress);
    const reloaded = await loadOnnxModel(annotated, { source: 'annotated' });
    expect(reloaded.inputNames).toEqual(card.inputNames);
    expect(reloaded.meta?.inputUnits).toEqual(card.inputUnits);
    expect(Array.from(reloaded.meta!.bounds!.upper)).toEqual(card.upper);
    // Same function: the card changes metadata only.
    const plain = await loadOnnxModel(new Uint8Array(fixture()), { source: 'plain' });
    const x = new Matrix(1, 7, Float64Array.of(0.1, -0.2, 0.3, 0.5, -0.7, 0.2, 0));
    expect(Array.from(reloaded.forward(x).data)).toEqual(Array.from(plain.forward(x).data));
    // A card that does not fit is refused with the reason.
    await expect(async () => handlers.load({ role: 'forward', name: 'plain.onnx', bytes: fixture(), card: { ...card, lower: [2, -1, -1, -1, -1, -1, -1] } }, noProgress))
      .rejects.toThrow(/operating box of a: lower \(2\) must be below upper \(1\)/);
  });

  it('ranks distinct solutions by the named criterion (distance to the reference) with matches first', async () => {
    const plain = await loadOnnxModel(new Uint8Array(fixture()), { source: 'plain' });
    const x0 = [0.2, -0.1, 0.3, 0.1, -0.4, 0.25, 0.05];
    const target = Array.from(plain.forward(new Matrix(1, 7, Float64Array.from(x0))).data);
    const reference = [0, 0, 0, 0, 0, 0, 0];
    const response = await handlers.solve({
      targets: target.map((value) => ({ mode: 'point' as const, value })), weights: [1, 1, 1, 1],
      bounds: { lower: card.lower as number[], upper: card.upper as number[] }, method: 'lm', starts: 8, seed: 3, objective: { kind: 'reference', reference },
    }, noProgress);
    expect(response.criterion).toMatch(/^distance to the reference point/);
    expect(response.startsRun).toBe(8);
    const matches = response.solutions.map((solution) => solution.withinTolerance.every(Boolean));
    expect(matches[0]).toBe(true);
    for (let k = 1; k < response.solutions.length; k++) {
      if (matches[k] === matches[k - 1]) expect(response.solutions[k].criterionValue).toBeGreaterThanOrEqual(response.solutions[k - 1].criterionValue);
      else expect(matches[k - 1]).toBe(true);
    }
    // No training std: distances are in units of the box's uniform std, (upper − lower)/√12 per input.
    expect(response.criterion).toMatch(/box width\/√12/);
    const lower = card.lower as number[], upper = card.upper as number[];
    const distance = Math.hypot(...response.best.x.map((value, j) => (value - reference[j]) / ((upper[j] - lower[j]) / Math.sqrt(12))));
    expect(response.best.criterionValue).toBeCloseTo(distance, 12);
  });
});

describe('inverse nets side by side', () => {
  it('one row per net plus their mean, each re-simulated through the forward model', async () => {
    await handlers.load({ role: 'forward', name: 'demo-forward.onnx', bytes: bytes('demo-forward.onnx') }, noProgress);
    await handlers.load({ role: 'inverse', name: 'one.onnx', bytes: bytes('demo-inverse.onnx') }, noProgress);
    await handlers.load({ role: 'inverse', name: 'two.onnx', bytes: bytes('demo-inverse.onnx') }, noProgress);
    const response = await handlers.compareInverse({ targets: target, bounds: request('lm').bounds }, noProgress);
    expect(response.rows.map((row) => row.name)).toEqual(['one.onnx', 'two.onnx', 'mean of the 2 inverse models']);
    for (const row of response.rows) {
      const independent = Array.from(reference.forward(new Matrix(1, 7, Float64Array.from(row.x))).data);
      expect(row.y).toEqual(independent);
      row.residual.forEach((residual, i) => expect(residual).toBe(independent[i] - target[i]));
    }
    expect(response.rows[2].x).toEqual(response.rows[0].x.map((value, j) => (value + response.rows[1].x[j]) / 2));
  });
});
