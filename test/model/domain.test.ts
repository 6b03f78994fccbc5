// The one Domain concept: what is known about where a model is valid, and null when nothing is.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { DensityCheck, domainBasis, inTrainingRange, modelDomain, targetsOutsideOutputRange, trainingRange } from '../../src/model/domain.ts';
import { linearModel } from '../../src/model/functions.ts';
import { solve } from '../../src/solve/solve.ts';

const plane = () => linearModel([[1, 1], [1, -1]]);

describe('Domain', () => {
  it('knows nothing about a bare model: inTrainingRange is null, basis none', () => {
    const domain = modelDomain(plane());
    expect(trainingRange(domain)).toBeNull();
    expect(inTrainingRange(domain, Float64Array.of(1e9, -1e9))).toBeNull();
    expect(domainBasis(domain)).toBe('none');
    const result = solve(plane(), [[1, 0]]).results[0];
    expect(result.inTrainingRange).toBeNull();
    expect(result.domainBasis).toBe('none');
  });

  it('a stored box wins; else mean ± 3 std', () => {
    const withBox = { ...plane(), meta: { bounds: { lower: Float64Array.of(0, 0), upper: Float64Array.of(1, 1) }, inputMean: Float64Array.of(0, 0), inputStd: Float64Array.of(10, 10) } };
    expect(inTrainingRange(modelDomain(withBox), Float64Array.of(2, 0.5))).toBe(false);
    const withStats = { ...plane(), meta: { inputMean: Float64Array.of(0, 0), inputStd: Float64Array.of(1, 1) } };
    expect(inTrainingRange(modelDomain(withStats), Float64Array.of(2.9, -2.9))).toBe(true);
    expect(inTrainingRange(modelDomain(withStats), Float64Array.of(3.1, 0))).toBe(false);
    expect(domainBasis(modelDomain(withStats))).toBe('mean±3std:metadata');
  });

  it('the density check flags a point inside the range but far from every training sample', () => {
    // Training data on two clusters at (±2, ±2): (0, 0) is inside mean ± 3 std but in an empty region.
    const random = new Random(9);
    const rows = 400, x = new Matrix(rows, 2), y = new Matrix(rows, 2);
    for (let k = 0; k < rows; k++) {
      const sign = k % 2 === 0 ? 1 : -1;
      x.data[2 * k] = 2 * sign + 0.2 * random.normal();
      x.data[2 * k + 1] = 2 * sign + 0.2 * random.normal();
      y.data[2 * k] = x.data[2 * k] + x.data[2 * k + 1];
      y.data[2 * k + 1] = x.data[2 * k] - x.data[2 * k + 1];
    }
    const domain = modelDomain(plane(), { x, y });
    expect(domain.density).toBeInstanceOf(DensityCheck);
    expect(domainBasis(domain)).toBe('mean±3std:training-data+density:5-NN');
    expect(inTrainingRange(domain, Float64Array.of(2, 2))).toBe(true);
    expect(inTrainingRange(domain, Float64Array.of(0, 0))).toBe(false);
    // About 1 % of the training points themselves lie beyond the 99 % quantile of their own distances.
    let flagged = 0;
    for (let k = 0; k < rows; k++) if (!domain.density!.dense(x.data, 2 * k)) flagged++;
    expect(flagged).toBeLessThanOrEqual(Math.ceil(0.02 * rows));
    // Targets: y1 in training spans about [−4.6, 4.6]; 10 is outside, and solve warns with a count.
    const outside = targetsOutsideOutputRange(domain, Float64Array.of(0, 0, 10, 0), Float64Array.of(0, 0, 10, 0), 2);
    expect(outside).toEqual({ outside: 1, rows: [1] });
    const report = solve(plane(), [[0, 0], [10, 0]], { domain });
    expect(report.warnings.join(' ')).toMatch(/1 of 2 target\(s\) lie outside the outputs' minimum and maximum in the training data \(first rows 2\)/);
    expect(report.results[0].inTrainingRange).toBe(false);
  });
});
