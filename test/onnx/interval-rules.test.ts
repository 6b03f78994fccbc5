// Soundness and tightness of the interval rule of each operator (onnx/intervals.ts and
// onnx/interval-rules.ts): for many random boxes — wide, narrow, straddling 0, around the
// operator's turning points — the values the interpreter's forward pass computes at densely sampled
// points (a quarter of them on the faces of the box) never leave the computed interval; the
// interval is finite, and for narrow boxes it is narrow too.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/linalg/random.ts';
import type { AttributeValue, GraphNode } from '../../src/onnx/graph.ts';
import { intervalOfNode, type IntervalTensor } from '../../src/onnx/intervals.ts';
import { operatorRule } from '../../src/onnx/ops/registry.ts';
import { freshForwardContext } from '../../src/onnx/ops/types.ts';
import type { Tensor } from '../../src/onnx/tensor.ts';

interface Case {
  name: string;
  op: string;
  opset: number;
  dims: number[];
  attributes?: Record<string, AttributeValue>;
  /** Number of data inputs (Sum/Mean: 2), all shaped `dims`. */
  dataInputs?: number;
  /** The one data input fed twice (x·x). */
  sameInput?: boolean;
  /** Constant inputs after the data (scale/bias, axes). */
  constants?: (dims: number[], random: Random) => Tensor[];
  /** Centres that matter to the operator (turning points, kinks). */
  special?: number[];
  /** Largest output width allowed for a narrow box of width w around centre c (tightness). */
  narrowWidth: number;
  /** An extra bound every output must respect (e.g. the √(n − 1) of LayerNormalization). */
  limit?: (lo: Float64Array, hi: Float64Array, constants: Tensor[]) => void;
}

const BOXES = 120, SAMPLES = 150;

function makeNode(c: Case, constantCount: number): GraphNode {
  const inputs = Array.from({ length: (c.dataInputs ?? 1) + constantCount }, (_, k) => `in${k}`);
  if (c.sameInput) inputs.unshift('in0');
  return { opType: c.op, domain: '', name: `test_${c.name}`, inputs, outputs: ['y'], attributes: new Map(Object.entries(c.attributes ?? {})) };
}

/** A box of the given kind for every element: wide, narrow, straddling 0, or around a special point. */
function randomBox(random: Random, size: number, kind: number, special: number[]): IntervalTensor {
  const lo = new Float64Array(size), hi = new Float64Array(size);
  for (let e = 0; e < size; e++) {
    const centre = kind === 3 && special.length > 0 ? special[Math.floor(random.uniform() * special.length)] + random.between(-0.05, 0.05) : random.between(-4, 4);
    const half = kind === 0 ? random.between(0, 3) : kind === 1 ? 1e-7 * (1 + Math.abs(centre)) : kind === 2 ? 0 : random.between(0, 0.3);
    if (kind === 2) { lo[e] = -random.between(0, 3); hi[e] = random.between(0, 3); continue; }
    lo[e] = centre - half;
    hi[e] = centre + half;
  }
  return { dims: [], lo, hi };
}

function checkCase(c: Case, seed: number): { samples: number; narrowWorst: number } {
  const random = new Random(seed);
  const rule = operatorRule(c.op, '')!;
  const size = c.dims.reduce((a, b) => a * b, 1);
  const constants = c.constants ? c.constants(c.dims, random) : [];
  const node = makeNode(c, constants.length);
  const dataCount = c.dataInputs ?? 1;
  let samples = 0, narrowWorst = 0;
  for (let b = 0; b < BOXES; b++) {
    const kind = b % 4;
    const boxes = Array.from({ length: dataCount }, () => ({ ...randomBox(random, size, kind, c.special ?? []), dims: c.dims }));
    if (c.sameInput) boxes.push(boxes[0]);
    const bound = intervalOfNode(node, rule, [...boxes, ...constants.map((t) => ({ dims: t.dims, lo: t.data, hi: t.data }))], c.opset)[0];
    for (let e = 0; e < bound.lo.length; e++) {
      expect(Number.isFinite(bound.lo[e]) && Number.isFinite(bound.hi[e])).toBe(true);
      if (kind === 1) narrowWorst = Math.max(narrowWorst, bound.hi[e] - bound.lo[e]);
    }
    c.limit?.(bound.lo, bound.hi, constants);
    for (let s = 0; s < SAMPLES; s++) {
      const points = boxes.slice(0, dataCount).map((box) => {
        const data = new Float64Array(size);
        for (let e = 0; e < size; e++) {
          const u = s % 4 === 0 ? (random.uniform() < 0.5 ? 0 : 1) : random.uniform();
          data[e] = Math.min(box.hi[e], box.lo[e] + u * (box.hi[e] - box.lo[e]));
        }
        return { dims: c.dims, data };
      });
      if (c.sameInput) points.push(points[0]);
      const y = rule.forward([...points, ...constants], freshForwardContext(node, c.opset))[0].data;
      for (let e = 0; e < y.length; e++) {
        if (!(y[e] >= bound.lo[e] && y[e] <= bound.hi[e])) {
          throw new Error(`${c.name}: box ${b} sample ${s} element ${e}: ${y[e]} outside [${bound.lo[e]}, ${bound.hi[e]}]`);
        }
      }
      samples += y.length;
    }
  }
  return { samples, narrowWorst };
}

const layerNormConstants = (n: number) => (_dims: number[], random: Random): Tensor[] => [
  { dims: [n], data: Float64Array.from({ length: n }, () => random.between(-2, 2)) },
  { dims: [n], data: Float64Array.from({ length: n }, () => random.between(-1, 1)) },
];

/**
 * |y_k − bias_k| ≤ √(reach)·|scale_k| (plus rounding): never looser than the classical √(n − 1) when ε > 0.
 * With ε = 0 the interpreter's value at a near-constant input is only known to be ≤ √n (rounding of x − mean).
 */
const layerNormLimit = (n: number, reachSquared = n - 1) => (lo: Float64Array, hi: Float64Array, constants: Tensor[]) => {
  for (let e = 0; e < lo.length; e++) {
    const k = e % n, reach = Math.sqrt(reachSquared) * Math.abs(constants[0].data[k]) * (1 + 1e-6) + 1e-12;
    expect(hi[e]).toBeLessThanOrEqual(constants[1].data[k] + reach);
    expect(lo[e]).toBeGreaterThanOrEqual(constants[1].data[k] - reach);
  }
};

const CASES: Case[] = [
  { name: 'Softmax axis −1', op: 'Softmax', opset: 13, dims: [2, 5], narrowWidth: 1e-5, limit: (lo, hi) => { for (let e = 0; e < lo.length; e++) { expect(lo[e]).toBeGreaterThanOrEqual(0); expect(hi[e]).toBeLessThanOrEqual(1); } } },
  { name: 'Softmax axis 1 of 3-D', op: 'Softmax', opset: 13, dims: [2, 3, 4], attributes: { axis: 1 }, narrowWidth: 1e-5 },
  { name: 'Softmax opset 11 (2-D coercion)', op: 'Softmax', opset: 11, dims: [2, 3, 2], attributes: { axis: 1 }, narrowWidth: 1e-5 },
  { name: 'LogSoftmax axis −1', op: 'LogSoftmax', opset: 13, dims: [2, 5], narrowWidth: 1e-5, limit: (_lo, hi) => { for (const v of hi) expect(v).toBeLessThanOrEqual(0); } },
  { name: 'LogSoftmax axis 0', op: 'LogSoftmax', opset: 13, dims: [3, 2], attributes: { axis: 0 }, narrowWidth: 1e-5 },
  { name: 'LayerNormalization n = 6', op: 'LayerNormalization', opset: 17, dims: [3, 6], constants: layerNormConstants(6), narrowWidth: 1e-4, limit: layerNormLimit(6) },
  { name: 'LayerNormalization ε = 0', op: 'LayerNormalization', opset: 17, dims: [2, 4], attributes: { epsilon: 0 }, constants: layerNormConstants(4), narrowWidth: 1e-4, limit: layerNormLimit(4, 4) },
  { name: 'LayerNormalization n = 2 (|z| = 1)', op: 'LayerNormalization', opset: 17, dims: [3, 2], attributes: { epsilon: 1e-9 }, constants: layerNormConstants(2), narrowWidth: 1e-4, limit: layerNormLimit(2) },
  { name: 'LayerNormalization axis 1 of 3-D', op: 'LayerNormalization', opset: 17, dims: [2, 3, 4], attributes: { axis: 1 }, constants: layerNormConstants(12), narrowWidth: 1e-4, limit: layerNormLimit(12) },
  {
    name: 'InstanceNormalization', op: 'InstanceNormalization', opset: 13, dims: [2, 3, 4], narrowWidth: 1e-4,
    constants: (_dims, random) => [0, 1].map(() => ({ dims: [3], data: Float64Array.from({ length: 3 }, () => random.between(-2, 2)) })),
  },
  {
    name: 'GroupNormalization (opset 18)', op: 'GroupNormalization', opset: 18, dims: [2, 4, 3], attributes: { num_groups: 2 }, narrowWidth: 1e-4,
    constants: (_dims, random) => [0, 1].map(() => ({ dims: [2], data: Float64Array.from({ length: 2 }, () => random.between(-2, 2)) })),
  },
  { name: 'Mul of a value by itself', op: 'Mul', opset: 13, dims: [16], sameInput: true, special: [0], narrowWidth: 1e-5, limit: (lo) => { for (const v of lo) expect(v).toBeGreaterThanOrEqual(0); } },
  { name: 'Sin', op: 'Sin', opset: 13, dims: [16], special: [Math.PI / 2, -Math.PI / 2, 3 * Math.PI / 2], narrowWidth: 1e-6 },
  { name: 'Cos', op: 'Cos', opset: 13, dims: [16], special: [0, Math.PI, -Math.PI, 2 * Math.PI], narrowWidth: 1e-6 },
  { name: 'HardSigmoid', op: 'HardSigmoid', opset: 13, dims: [16], special: [-2.5, 2.5], narrowWidth: 1e-6 },
  { name: 'HardSigmoid α < 0', op: 'HardSigmoid', opset: 13, dims: [16], attributes: { alpha: -0.5, beta: 0.3 }, special: [0.6, -1.4], narrowWidth: 1e-6 },
  { name: 'HardSwish', op: 'HardSwish', opset: 14, dims: [16], special: [-1.5, -3, 3], narrowWidth: 1e-5 },
  { name: 'Elu', op: 'Elu', opset: 13, dims: [16], special: [0], narrowWidth: 1e-5 },
  { name: 'Elu α < 0', op: 'Elu', opset: 13, dims: [16], attributes: { alpha: -0.7 }, special: [0], narrowWidth: 1e-5 },
  { name: 'Selu', op: 'Selu', opset: 13, dims: [16], special: [0], narrowWidth: 1e-5 },
  { name: 'Selu α < 0', op: 'Selu', opset: 13, dims: [16], attributes: { alpha: -1.2 }, special: [0], narrowWidth: 1e-5 },
  { name: 'Celu', op: 'Celu', opset: 13, dims: [16], attributes: { alpha: 0.8 }, special: [0], narrowWidth: 1e-5 },
  { name: 'Mish', op: 'Mish', opset: 18, dims: [16], special: [-1.19228], narrowWidth: 1e-5 },
  { name: 'Softsign', op: 'Softsign', opset: 13, dims: [16], special: [0], narrowWidth: 1e-5 },
  { name: 'ThresholdedRelu', op: 'ThresholdedRelu', opset: 13, dims: [16], attributes: { alpha: 0.7 }, special: [0.7], narrowWidth: 1e-5 },
  { name: 'ThresholdedRelu α < 0', op: 'ThresholdedRelu', opset: 13, dims: [16], attributes: { alpha: -0.6 }, special: [-0.6, 0], narrowWidth: 1e-5 },
  {
    name: 'PRelu (mixed slopes)', op: 'PRelu', opset: 13, dims: [2, 8], special: [0], narrowWidth: 1e-5,
    constants: (_dims, random) => [{ dims: [8], data: Float64Array.from({ length: 8 }, () => random.between(-1, 1)) }],
  },
  { name: 'Floor', op: 'Floor', opset: 13, dims: [16], special: [1, -2], narrowWidth: 1.5 },
  { name: 'ReduceMean (axes attribute)', op: 'ReduceMean', opset: 13, dims: [3, 5], attributes: { axes: [1] }, narrowWidth: 1e-5 },
  {
    name: 'ReduceSum (axes input)', op: 'ReduceSum', opset: 13, dims: [3, 5], attributes: { keepdims: 0 }, narrowWidth: 1e-5,
    constants: () => [{ dims: [1], data: Float64Array.of(1) }],
  },
  { name: 'ReduceL2', op: 'ReduceL2', opset: 13, dims: [3, 5], attributes: { axes: [1] }, narrowWidth: 1e-5 },
  { name: 'ReduceMax', op: 'ReduceMax', opset: 13, dims: [3, 5], attributes: { axes: [0] }, narrowWidth: 1e-5 },
  { name: 'Sum of two', op: 'Sum', opset: 13, dims: [8], dataInputs: 2, narrowWidth: 1e-5 },
  { name: 'Mean of two', op: 'Mean', opset: 13, dims: [8], dataInputs: 2, narrowWidth: 1e-5 },
];

describe('interval rules are sound (dense sampling) and not vacuous', () => {
  CASES.forEach((c, index) => {
    it(`${c.name}: ${BOXES} boxes × ${SAMPLES} samples stay inside`, () => {
      const { samples, narrowWorst } = checkCase(c, 100 + index);
      expect(samples).toBeGreaterThanOrEqual(BOXES * SAMPLES);
      expect(narrowWorst).toBeLessThan(c.narrowWidth);
    });
  });
});
