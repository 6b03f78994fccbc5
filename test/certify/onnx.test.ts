// Certification of PyTorch-exported ReLU-type ONNX models (test/fixtures/make_certify_fixtures.py),
// the encoder's operator coverage on hand-made graphs, and the refusal of smooth graphs.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { extractNetwork } from '../../src/certify/extract.ts';
import { pwlNetworkFromOnnx } from '../../src/certify/from-onnx.ts';
import { evaluateNetwork } from '../../src/certify/network.ts';
import { prepareNetwork, reachableRange } from '../../src/certify/questions.ts';
import { tightenWithLp } from '../../src/certify/tighten-lp.ts';
import { WorkerSolver } from '../../src/io/highs-worker.ts';
import { solve } from '../../src/solve/solve.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import type { GraphNode, OnnxGraph } from '../../src/onnx/graph.ts';

const solver = new WorkerSolver();
afterAll(() => solver.close());

async function load(name: string) {
  const bytes = readFileSync(`test/fixtures/${name}`);
  return loadOnnxModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { source: name });
}

describe('PyTorch ReLU net with scaling in the graph (certify_relu_2d.onnx)', () => {
  const lower = [250, 1.5], upper = [350, 2.5];
  const box = { lower: Float64Array.from(lower), upper: Float64Array.from(upper) };

  it('has a certified range that a 401×401 grid never exceeds, attained at the certified points', async () => {
    const model = await load('certify_relu_2d.onnx');
    const extraction = extractNetwork(model, box);
    if (!('network' in extraction)) throw new Error(extraction.reason);
    const prepared = prepareNetwork(extraction.network, box);
    await tightenWithLp(prepared, solver);
    const [range] = await reachableRange(prepared, solver);
    expect(range.min.status).toBe('optimal');
    expect(range.max.status).toBe('optimal');
    const steps = 400, grid = new Matrix((steps + 1) ** 2, 2);
    for (let a = 0, r = 0; a <= steps; a++) for (let b = 0; b <= steps; b++, r++) {
      grid.data[2 * r] = 250 + (100 * a) / steps;
      grid.data[2 * r + 1] = 1.5 + b / steps;
    }
    const values = model.forward(grid).data;
    let lo = Infinity, hi = -Infinity;
    for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const scale = 1 + Math.abs(hi);
    expect(range.max.objective).toBeGreaterThanOrEqual(hi - 1e-7 * scale);
    expect(range.min.objective).toBeLessThanOrEqual(lo + 1e-7 * scale);
    expect(range.max.objective - hi).toBeLessThan(0.02 * (hi - lo)); // the grid comes close
    // the certified extremes are values the ONNX model really takes
    const at = model.forward(new Matrix(2, 2, Float64Array.from([...range.min.x!, ...range.max.x!]))).data;
    expect(Math.abs(at[0] - range.min.objective)).toBeLessThanOrEqual(1e-6 * scale);
    expect(Math.abs(at[1] - range.max.objective)).toBeLessThanOrEqual(1e-6 * scale);
  });

  it('invert --certify semantics: infeasible 1 % beyond the max, optimal (residual ≤ 1e-9) just inside', async () => {
    const model = await load('certify_relu_2d.onnx');
    const extraction = extractNetwork(model, box);
    if (!('network' in extraction)) throw new Error(extraction.reason);
    const [range] = await reachableRange(prepareNetwork(extraction.network, box), solver);
    const span = range.max.objective - range.min.objective;
    const targets = [[range.max.objective + 0.01 * span], [range.max.objective - 0.01 * span], [range.min.objective - 0.01 * span]];
    const report = await solve(model, targets, { certify: true, lower, upper, milpSolver: solver });
    expect(report.results.map((r) => r.status)).toEqual(['infeasible', 'optimal', 'infeasible']);
    // Beside a proof, the message keeps only the local solver's facts, never its "may still be reachable".
    for (const result of [report.results[0], report.results[2]]) {
      expect(result.message).toMatch(/infeasible/);
      expect(result.message).not.toMatch(/may still be reachable|another start may reach it/);
      expect(result.message).toMatch(/closest point the local solver found \(\d+ start\(s\), scaled residual/);
    }
    const inside = report.results[1];
    expect(Math.abs(inside.y[0] - targets[1][0])).toBeLessThanOrEqual(1e-9 * Math.abs(targets[1][0]));
  });

  // Regression (issue 14c): the MILP's cheapest point sits on the band edge at a ReLU ridge, where lm
  // stalled with residual = the band half-width; the face step onto the target must reach it.
  it('polishes the certified cheapest / nearest point 1 % below the max onto the target (ReLU kink at the MILP point)', async () => {
    const model = await load('certify_relu_2d.onnx');
    const extraction = extractNetwork(model, box);
    if (!('network' in extraction)) throw new Error(extraction.reason);
    const [range] = await reachableRange(prepareNetwork(extraction.network, box), solver);
    const target = range.max.objective - 0.01 * (range.max.objective - range.min.objective);
    for (const objective of [{ cost: [1, 0] }, { cost: [0, 1] }, { cost: [-1, 0] }, { reference: [260, 1.6] }]) {
      const [result] = (await solve(model, [[target]], { certify: true, lower, upper, milpSolver: solver, ...objective })).results;
      const label = JSON.stringify(objective);
      expect(result.status, label).toBe('optimal');
      expect(Math.abs(result.y[0] - target), label).toBeLessThanOrEqual(1e-9 * Math.abs(target));
      const certificate = result.certificate!;
      // never below the proven bound, and next to the MILP point (the band only moves it a little)
      expect(result.objective!, label).toBeGreaterThanOrEqual(certificate.bound - 1e-9 * (1 + Math.abs(certificate.bound)));
      for (let j = 0; j < 2; j++) expect(Math.abs(result.x[j] - certificate.x![j]) / (upper[j] - lower[j]), label).toBeLessThanOrEqual(1e-3);
      expect(result.message, label).toMatch(/proven lower bound/);
      expect(result.message, label).not.toMatch(/more than the band/);
      // issue 14: an `optimal` answer is within 1e-6 (relative) of the proven bound — the polished
      // point on the exact target, not only the MILP's point on its band (the band is narrowed if needed).
      expect((result.objective! - certificate.bound) / Math.max(1, Math.abs(result.objective!)), label).toBeLessThanOrEqual(1e-6);
      expect(certificate.gap, label).toBeLessThanOrEqual(1e-6);
      expect(certificate.objective, label).toBe(result.objective);
    }
  });
});

describe('PyTorch residual net with BatchNorm, LeakyRelu, Relu, Clip, Abs (certify_mixed_3d.onnx)', () => {
  it('is encoded exactly and its certified range brackets 2,000 random evaluations', async () => {
    const model = await load('certify_mixed_3d.onnx');
    const box = { lower: Float64Array.of(-1, -1, -1), upper: Float64Array.of(1, 1, 1) };
    const extraction = extractNetwork(model, box);
    if (!('network' in extraction)) throw new Error(extraction.reason);
    const prepared = prepareNetwork(extraction.network, box);
    await tightenWithLp(prepared, solver);
    const ranges = await reachableRange(prepared, solver);
    const random = new Random(5);
    const points = new Matrix(2000, 3, Float64Array.from({ length: 6000 }, () => random.between(-1, 1)));
    const values = model.forward(points).data;
    for (const entry of ranges) {
      expect(entry.min.status).toBe('optimal');
      expect(entry.max.status).toBe('optimal');
      for (let r = 0; r < 2000; r++) {
        const v = values[2 * r + entry.output];
        expect(v).toBeGreaterThanOrEqual(entry.min.objective - 1e-7 * (1 + Math.abs(v)));
        expect(v).toBeLessThanOrEqual(entry.max.objective + 1e-7 * (1 + Math.abs(v)));
      }
    }
  });
});

function node(opType: string, inputs: string[], outputs: string[], attributes: Record<string, number> = {}): GraphNode {
  return { opType, domain: '', name: outputs[0], inputs, outputs, attributes: new Map(Object.entries(attributes)) };
}

function graphOf(nodes: GraphNode[], initializers: Record<string, [number[], number[]]>, output: string): OnnxGraph {
  return {
    inputs: [{ name: 'x', elementType: 'float64', shape: ['batch', 2] }],
    outputs: [{ name: output, elementType: 'float64', shape: ['batch', 1] }],
    initializers: new Map(Object.entries(initializers).map(([name, [dims, data]]) => [name, { dims, data: Float64Array.from(data) }])),
    initializerTypes: new Map(), nodes, opset: 17, irVersion: 8, producer: 'test', metadata: {},
  };
}

describe('encoder operator coverage (hand-made graphs)', () => {
  it('encodes PRelu, Max, Min, HardSigmoid, Sum, Neg, Mul/Div by constants exactly', () => {
    const graph = graphOf([
      node('MatMul', ['x', 'W'], ['h']),
      node('PRelu', ['h', 'slope'], ['p']),
      node('HardSigmoid', ['h'], ['s'], { alpha: 0.3, beta: 0.4 }),
      node('Max', ['p', 's', 'c'], ['mx']),
      node('Min', ['p', 's'], ['mn']),
      node('Neg', ['mn'], ['ng']),
      node('Sum', ['mx', 'ng', 'h'], ['sm']),
      node('Mul', ['sm', 'two'], ['ml']),
      node('Div', ['ml', 'four'], ['dv']),
      node('MatMul', ['dv', 'V'], ['y']),
    ], {
      W: [[2, 3], [1, -2, 0.5, 0.7, 1, -1]], slope: [[3], [0.1, -0.2, 0.3]], c: [[], [0.2]],
      two: [[], [2]], four: [[3], [4, 4, -4]], V: [[3, 1], [1, -1, 0.5]],
    }, 'y');
    const network = pwlNetworkFromOnnx(graph);
    const random = new Random(2);
    for (let t = 0; t < 200; t++) {
      const x = [random.between(-3, 3), random.between(-3, 3)];
      const h = [x[0] * 1 + x[1] * 0.7, x[0] * -2 + x[1] * 1, x[0] * 0.5 + x[1] * -1];
      const slope = [0.1, -0.2, 0.3];
      const p = h.map((v, i) => (v >= 0 ? v : slope[i] * v));
      const s = h.map((v) => Math.min(1, Math.max(0, 0.3 * v + 0.4)));
      const mx = p.map((v, i) => Math.max(v, s[i], 0.2));
      const mn = p.map((v, i) => Math.min(v, s[i]));
      const dv = mx.map((v, i) => ((v - mn[i] + h[i]) * 2) / [4, 4, -4][i]);
      const expected = dv[0] - dv[1] + 0.5 * dv[2];
      expect(evaluateNetwork(network, x)[0]).toBeCloseTo(expected, 12);
    }
  });

  it('refuses a smooth graph and names the operator', () => {
    const graph = graphOf([node('MatMul', ['x', 'W'], ['h']), node('Tanh', ['h'], ['y'])], { W: [[2, 1], [1, 1]] }, 'y');
    expect(() => pwlNetworkFromOnnx(graph)).toThrow(/Tanh \(node 'y'\) \[smooth\]/);
  });

  it('refuses a product of two input-dependent values', () => {
    const graph = graphOf([node('Mul', ['x', 'x'], ['y'])], {}, 'y');
    expect(() => pwlNetworkFromOnnx(graph)).toThrow(/two input-dependent/);
  });
});
