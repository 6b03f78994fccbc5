// Certified ranges and targets on small ReLU nets whose truth is known independently: for one hidden
// layer over a 2-D box, f is linear between the neurons' lines, so its extrema over the box are at
// intersections of two lines among {neuron lines, box edges} — enumerate them all.
import { afterAll, describe, expect, it } from 'vitest';
import { MlpModel } from '../../src/model/mlp.ts';
import { extractNetwork } from '../../src/certify/extract.ts';
import { certifyTarget, prepareNetwork, reachableRange } from '../../src/certify/questions.ts';
import { WorkerSolver } from '../../src/io/highs-worker.ts';
import { randomReluSpec } from '../../src/certify/random-network.ts';
import { evaluateNetwork, type PwlNetwork } from '../../src/certify/network.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import type { MlpSpec } from '../../src/model/mlp-spec.ts';

const solver = new WorkerSolver();
afterAll(() => solver.close());

const box = { lower: Float64Array.of(-1, -2), upper: Float64Array.of(2, 1) };

function networkOf(spec: MlpSpec): PwlNetwork {
  const extraction = extractNetwork(new MlpModel(spec), box);
  if (!('network' in extraction)) throw new Error(extraction.reason);
  return extraction.network;
}

/** Exact min/max of output `i` of a one-hidden-layer net over the 2-D box by vertex enumeration. */
function vertexTruth(spec: MlpSpec, i: number): [number, number] {
  const model = new MlpModel(spec);
  const lines: [number, number, number][] = []; // a·x + b·y = c
  const hidden = spec.layers[0];
  for (let k = 0; k < hidden.outputs; k++) lines.push([hidden.weight[2 * k], hidden.weight[2 * k + 1], -hidden.bias[k]]);
  lines.push([1, 0, box.lower[0]], [1, 0, box.upper[0]], [0, 1, box.lower[1]], [0, 1, box.upper[1]]);
  const points: number[] = [];
  for (let p = 0; p < lines.length; p++) {
    for (let q = p + 1; q < lines.length; q++) {
      const [a, b, c] = lines[p], [d, e, f] = lines[q];
      const det = a * e - b * d;
      if (Math.abs(det) < 1e-14) continue;
      const x = (c * e - b * f) / det, y = (a * f - c * d) / det;
      const slack = 1e-12;
      if (x < box.lower[0] - slack || x > box.upper[0] + slack || y < box.lower[1] - slack || y > box.upper[1] + slack) continue;
      points.push(Math.min(Math.max(x, box.lower[0]), box.upper[0]), Math.min(Math.max(y, box.lower[1]), box.upper[1]));
    }
  }
  const values = model.forward(new Matrix(points.length / 2, 2, Float64Array.from(points)));
  let lo = Infinity, hi = -Infinity;
  for (let r = 0; r < points.length / 2; r++) {
    const v = values.data[r * values.cols + i];
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return [lo, hi];
}

describe('reachable range', () => {
  for (const seed of [1, 2, 3]) {
    it(`equals the vertex-enumeration truth on a 2→8→2 ReLU net (seed ${seed})`, async () => {
      const spec = randomReluSpec([2, 8, 2], seed);
      const prepared = prepareNetwork(networkOf(spec), box);
      const ranges = await reachableRange(prepared, solver);
      for (const entry of ranges) {
        const [lo, hi] = vertexTruth(spec, entry.output);
        expect(entry.min.status).toBe('optimal');
        expect(entry.max.status).toBe('optimal');
        expect(entry.min.objective).toBeCloseTo(lo, 6);
        expect(entry.max.objective).toBeCloseTo(hi, 6);
        expect(entry.min.gap).toBeLessThanOrEqual(1e-6);
        // the MILP's point really gives that value
        expect(evaluateNetwork(prepared.network, entry.max.x!)[entry.output]).toBeCloseTo(hi, 5);
      }
    });
  }

  it('brackets a dense grid on a deeper 2→6→6→1 net, and the sound bounds bracket both', async () => {
    const spec = randomReluSpec([2, 6, 6, 1], 7);
    const network = networkOf(spec);
    const prepared = prepareNetwork(network, box);
    const [entry] = await reachableRange(prepared, solver);
    let lo = Infinity, hi = -Infinity;
    const steps = 300;
    for (let a = 0; a <= steps; a++) {
      for (let b = 0; b <= steps; b++) {
        const x = [box.lower[0] + (a / steps) * 3, box.lower[1] + (b / steps) * 3];
        const v = evaluateNetwork(network, x)[0];
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    // the grid never beats the certified optimum, and comes close to it (grid spacing 0.01)
    expect(entry.min.objective).toBeLessThanOrEqual(lo + 1e-9);
    expect(entry.max.objective).toBeGreaterThanOrEqual(hi - 1e-9);
    expect(hi - entry.max.objective).toBeGreaterThan(-0.2);
    expect(lo - entry.min.objective).toBeLessThan(0.2);
    expect(prepared.outputLower[0]).toBeLessThanOrEqual(entry.min.objective + 1e-9);
    expect(prepared.outputUpper[0]).toBeGreaterThanOrEqual(entry.max.objective - 1e-9);
  });
});

describe('targets', () => {
  const spec = randomReluSpec([2, 8, 2], 1);
  const [lo, hi] = vertexTruth(spec, 0);
  const network = networkOf(spec);
  const prepared = prepareNetwork(network, box);
  const span = hi - lo;

  it('proves a target 1 % beyond the true maximum infeasible', async () => {
    const target = hi + 0.01 * span;
    const certificate = await certifyTarget(prepared, [target, -Infinity], [target, Infinity], { kind: 'feasibility' }, solver);
    expect(certificate.status).toBe('infeasible');
  });

  it('reaches a target just inside the true maximum, at a point that gives it', async () => {
    const target = hi - 0.001 * span;
    const certificate = await certifyTarget(prepared, [target - 1e-9, -Infinity], [target + 1e-9, Infinity], { kind: 'feasibility' }, solver);
    expect(certificate.status).toBe('optimal');
    expect(evaluateNetwork(network, certificate.x!)[0]).toBeCloseTo(target, 6);
  });

  it('minimizes a linear cost subject to a band, below every grid point in the band', async () => {
    const band: [number, number] = [lo + 0.4 * span, lo + 0.6 * span];
    const prices = Float64Array.of(1, -0.5);
    const certificate = await certifyTarget(prepared, [band[0], -Infinity], [band[1], Infinity], { kind: 'linear-cost', prices }, solver);
    expect(certificate.status).toBe('optimal');
    let best = Infinity;
    for (let a = 0; a <= 200; a++) for (let b = 0; b <= 200; b++) {
      const x = [-1 + (a / 200) * 3, -2 + (b / 200) * 3];
      const v = evaluateNetwork(network, x)[0];
      if (v >= band[0] && v <= band[1]) best = Math.min(best, x[0] - 0.5 * x[1]);
    }
    expect(certificate.objective).toBeLessThanOrEqual(best + 1e-9);
    expect(certificate.objective).toBeGreaterThan(best - 0.05);
  });
});

describe('an MLP with layer normalizations', () => {
  it('is refused: LayerNorm is not piecewise linear, so no MILP certificate is claimed', () => {
    const spec = randomReluSpec([2, 6, 1], 3);
    const width = spec.layers[0].outputs;
    const withNorm: MlpSpec = { ...spec, layerNorms: [{ scale: new Float64Array(width).fill(1), bias: new Float64Array(width), epsilon: 1e-5 }] };
    expect(extractNetwork(new MlpModel(withNorm), box)).toEqual({ reason: expect.stringMatching(/layer normalizations.*not piecewise linear/) });
  });
});
