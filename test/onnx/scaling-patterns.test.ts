// PyTorch exports of every input/output scaling pattern (test/fixtures/make_scaling_fixtures.py):
// the interpreter reproduces PyTorch, the scaling is recovered where it is separable, and — the
// promise of issue 11 — the default invert re-simulates ≥ 99.5 % of reachable in-box targets to
// 1e-6 output std and calls none of them unreachable, whether or not the scaling was recognised.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { solve } from '../../src/solve/solve.ts';

const DIRECTORY = path.resolve(import.meta.dirname, '..', 'fixtures', 'scaling');
const PATTERNS = ['sub_div', 'mul_add', 'reciprocal', 'cast_unsqueeze', 'cast_float64', 'neg_identity', 'folded_gemm'];
const TARGETS = 200;
const REQUIRED_FRACTION = 0.995;
const RESIMULATION_TOLERANCE = 1e-6;

interface Fixture {
  lower: number[]; upper: number[]; inputMean: number[]; inputStd: number[]; outputMean: number[]; outputStd: number[];
  scalingDetectable: boolean; points: number[][]; outputs: number[][];
}

async function load(name: string) {
  const fixture = JSON.parse(readFileSync(path.join(DIRECTORY, `${name}.json`), 'utf8')) as Fixture;
  const model = await loadOnnxModel(new Uint8Array(readFileSync(path.join(DIRECTORY, `${name}.onnx`))), { source: `${name}.onnx` });
  return { fixture, model };
}

describe.each(PATTERNS)('scaling pattern %s', (name) => {
  it('evaluates like PyTorch and recovers the scaling when it is separable', async () => {
    const { fixture, model } = await load(name);
    const y = model.forward(Matrix.from(fixture.points, 'points'));
    fixture.outputs.forEach((row, k) => row.forEach((value, i) => {
      expect(Math.abs(y.data[k * 3 + i] - value) / fixture.outputStd[i]).toBeLessThan(1e-4);
    }));
    if (fixture.scalingDetectable) {
      for (let j = 0; j < 5; j++) {
        expect(model.meta.inputMean![j]).toBeCloseTo(fixture.inputMean[j], 6 - Math.ceil(Math.log10(Math.abs(fixture.inputMean[j]) + 1)));
        expect(model.meta.inputStd![j] / fixture.inputStd[j]).toBeCloseTo(1, 6);
      }
      for (let i = 0; i < 3; i++) {
        expect(model.meta.outputStd![i] / fixture.outputStd[i]).toBeCloseTo(1, 6);
        expect(model.meta.outputMean![i] / fixture.outputMean[i]).toBeCloseTo(1, 6);
      }
    } else {
      expect(model.meta.inputStd).toBeUndefined();
      expect(model.meta.outputStd).toBeUndefined();
    }
  });

  it(`default invert re-simulates ≥ ${REQUIRED_FRACTION * 100}% of ${TARGETS} reachable in-box targets to ${RESIMULATION_TOLERANCE} output std, none called unreachable`, async () => {
    const { fixture, model } = await load(name);
    const random = new Random(2026);
    const truth = new Matrix(TARGETS, 5);
    for (let k = 0; k < TARGETS; k++) for (let j = 0; j < 5; j++) truth.data[k * 5 + j] = random.between(fixture.lower[j], fixture.upper[j]);
    const targets = model.forward(truth);
    const report = solve(model, targets, { lower: fixture.lower, upper: fixture.upper });
    const answers = new Matrix(TARGETS, 5);
    report.results.forEach((result, k) => answers.data.set(result.x, k * 5));
    const resimulated = model.forward(answers);
    let good = 0;
    for (let k = 0; k < TARGETS; k++) {
      let worst = 0;
      for (let i = 0; i < 3; i++) worst = Math.max(worst, Math.abs(resimulated.data[k * 3 + i] - targets.data[k * 3 + i]) / fixture.outputStd[i]);
      for (let j = 0; j < 5; j++) {
        expect(answers.data[k * 5 + j]).toBeGreaterThanOrEqual(fixture.lower[j]);
        expect(answers.data[k * 5 + j]).toBeLessThanOrEqual(fixture.upper[j]);
      }
      if (worst <= RESIMULATION_TOLERANCE) good++;
    }
    expect(report.summary.counts['infeasible-within-bounds'], report.message).toBe(0);
    // A model with no metadata and no separable scaling: nothing is known about its training range.
    const expectedBasis = fixture.scalingDetectable ? 'mean±3std:graph-scaling' : 'none';
    for (const result of report.results) {
      expect(result.domainBasis).toBe(expectedBasis);
      if (!fixture.scalingDetectable) expect(result.inTrainingRange).toBeNull();
      // The box is half the mean ± 3 std range of a uniform training set, so every in-box answer is inside.
      else expect(result.inTrainingRange).toBe(true);
    }
    expect(good / TARGETS, report.message).toBeGreaterThanOrEqual(REQUIRED_FRACTION);
  });
});
