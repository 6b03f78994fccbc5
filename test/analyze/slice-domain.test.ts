// The condition-number slice against direct computation (closed-form 2-link arm Jacobian and
// ml-matrix SVDs of MLP Jacobians), and the training-range check against hand counts.
import { describe, expect, it } from 'vitest';
import { Matrix as ReferenceMatrix, SingularValueDecomposition } from 'ml-matrix';
import { domainCheck } from '../../src/analyze/domain.ts';
import { resolveScaling } from '../../src/analyze/scaling.ts';
import { conditionSlice, gridAxis, parseSliceInputs } from '../../src/analyze/slice.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { planarArm } from '../../src/model/functions.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { randomMlpSpec } from '../model/mlp-random-spec.ts';

describe('conditionSlice', () => {
  it('2-link arm: raw cond at every grid point equals the closed form; singular exactly on θ2 = 0', () => {
    const [l1, l2] = [1, 0.8];
    const arm = planarArm([l1, l2]);
    const slice = conditionSlice(arm, Float64Array.of(0, 0), 0, 1, { resolution: [7, 11], bounds: [[-2, 2], [-1, 1]], rtol: 1e-12 });
    expect(slice.basis).toBe('raw');
    expect(slice.xs.length).toBe(7);
    expect(slice.ys.length).toBe(11);
    for (let b = 0; b < 11; b++) {
      for (let a = 0; a < 7; a++) {
        const t1 = slice.xs[a], t2 = slice.ys[b];
        const J = [[-l1 * Math.sin(t1) - l2 * Math.sin(t1 + t2), -l2 * Math.sin(t1 + t2)], [l1 * Math.cos(t1) + l2 * Math.cos(t1 + t2), l2 * Math.cos(t1 + t2)]];
        const value = slice.log10Cond[b * 7 + a];
        if (t2 === 0) {
          expect(value).toBe(Infinity);
          expect(slice.rank[b * 7 + a]).toBe(1);
          continue;
        }
        // σ_max·σ_min = |det| = l1·l2·|sin θ2|, σ_max² + σ_min² = ‖J‖_F²
        const S = J.flat().reduce((sum, entry) => sum + entry * entry, 0), D = l1 * l2 * Math.abs(Math.sin(t2));
        const largest = Math.sqrt((S + Math.sqrt((S - 2 * D) * (S + 2 * D))) / 2);
        expect(value).toBeCloseTo(Math.log10((largest * largest) / D), 10);
      }
    }
    expect(slice.singularCount).toBe(7);
    expect(slice.message).toMatch(/singular at 7 grid points/);
  });

  it('MLP with training scalings: standardized log10 cond equals ml-matrix SVD of the scaled Jacobian', () => {
    const spec = randomMlpSpec({ inputs: 5, outputs: 3, hidden: [8], scaling: true, seed: 51 });
    const model = new MlpModel(spec);
    const base = Float64Array.from(spec.inputScaling!.mean);
    const bounds: [[number, number], [number, number]] = [[base[1] - 2, base[1] + 2], [base[3] - 1, base[3] + 3]];
    const slice = conditionSlice(model, base, 1, 3, { resolution: 5, bounds });
    expect(slice.basis).toBe('standardized');
    expect(slice.inputNames).toEqual(['x2', 'x4']);
    for (const [a, b] of [[0, 0], [4, 1], [2, 3], [3, 4]]) {
      const x = Float64Array.from(base);
      x[1] = gridAxis(bounds[0][0], bounds[0][1], 5)[a];
      x[3] = gridAxis(bounds[1][0], bounds[1][1], 5)[b];
      const J = model.jacobian(new Matrix(1, 5, x)).view(0).toArray()
        .map((row, i) => row.map((value, j) => (value * spec.inputScaling!.std[j]) / spec.outputScaling!.std[i]));
      const s = new SingularValueDecomposition(new ReferenceMatrix(J), { autoTranspose: true }).diagonal;
      expect(slice.log10Cond[b * 5 + a]).toBeCloseTo(Math.log10(s[0] / s[2]), 9);
    }
    // explicit scaling 'none' gives raw cond instead
    const raw = conditionSlice(model, base, 1, 3, { resolution: 5, bounds, scaling: resolveScaling(model, 'none') });
    expect(raw.log10Cond[0]).not.toBeCloseTo(slice.log10Cond[0], 3);
  });

  it('bounds default to model.meta.bounds, and their absence is a clear error', () => {
    const arm = planarArm([1, 1]);
    expect(() => conditionSlice(arm, Float64Array.of(0, 0), 0, 1)).toThrow(/needs bounds: the model has none/);
    const bounded = { ...arm, meta: { bounds: { lower: Float64Array.of(-1, 0.5), upper: Float64Array.of(1, 2) } } };
    const slice = conditionSlice(bounded, Float64Array.of(0, 1), 0, 1, { resolution: 3 });
    expect(Array.from(slice.ys)).toEqual([0.5, 1.25, 2]);
    expect(() => conditionSlice(arm, Float64Array.of(0, 0), 0, 0, { bounds: [[0, 1], [0, 1]] })).toThrow(/two different inputs/);
    expect(() => conditionSlice(arm, Float64Array.of(0, 0), 0, 1, { bounds: [[1, 0], [0, 1]] })).toThrow(/theta1.*low < high/);
  });

  it('parseSliceInputs accepts names and 1-based positions, rejects unknown names', () => {
    const names = ['h2i_rate', 'pci_rate', 'ngi_rate', 'o2_volfract'];
    expect(parseSliceInputs('pci_rate,o2_volfract', names)).toEqual([1, 3]);
    expect(parseSliceInputs('1, 3', names)).toEqual([0, 2]);
    expect(() => parseSliceInputs('pci,o2_volfract', names)).toThrow(/'pci' is not an input of the model; inputs are h2i_rate/);
    expect(() => parseSliceInputs('pci_rate', names)).toThrow(/two input names/);
  });
});

describe('domainCheck', () => {
  const points = Matrix.fromArray([[0, 0], [5, 0], [0, -7], [2.9, 2.9], [10, 10]]);
  it('mean ± 3 std from the training statistics', () => {
    const model = { ...planarArm([1, 1]), meta: { inputMean: Float64Array.of(0, 0), inputStd: Float64Array.of(1, 2) } };
    // limits ±3 and ±6: rows 1 (x1 = 5), 2 (x2 = −7) and 4 (both) are outside.
    const report = domainCheck(model, points);
    expect(report.basis).toBe('mean-std');
    expect(report.outside).toBe(3);
    expect(report.exampleRows).toEqual([1, 2, 4]);
    expect(report.perInput).toEqual([
      { name: 'theta1', low: -3, high: 3, below: 0, above: 2 },
      { name: 'theta2', low: -6, high: 6, below: 1, above: 1 },
    ]);
    expect(report.warning).toMatch(/3 of 5 points \(60.0%\) lie outside the training mean ± 3 std/);
  });
  it('operating bounds take precedence; no statistics means no check (and says so)', () => {
    const model = { ...planarArm([1, 1]), meta: { bounds: { lower: Float64Array.of(-1, -1), upper: Float64Array.of(3, 3) }, inputMean: Float64Array.of(0, 0), inputStd: Float64Array.of(100, 100) } };
    const report = domainCheck(model, points);
    expect(report.basis).toBe('bounds');
    expect(report.outside).toBe(3);
    const unknown = domainCheck(planarArm([1, 1]), points);
    expect(unknown.basis).toBe('none');
    expect(unknown.warning).toBeNull();
    expect(unknown.message).toMatch(/Training range unknown/);
  });
});
