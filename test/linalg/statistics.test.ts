// Descriptive statistics (src/linalg/statistics.ts): mean and median against hand-computed values
// and their definitions, column means and standard deviations (population and sample) against
// ml-matrix, on data with very different column scales.
import { Matrix as PeerMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { columnMeanAndStd, mean, median } from '../../src/linalg/statistics.ts';

describe('mean and median', () => {
  it('known small cases', () => {
    expect(mean([1, 2, 3, 10])).toBe(4);
    expect(median([7, 1, 3])).toBe(3);
    expect(median(Float64Array.of(10, 1, 4, 2))).toBe(3); // (2 + 4) / 2
    expect(median([-Infinity, 5, Infinity])).toBe(5);
  });

  it('no values → NaN (not 0)', () => {
    expect(mean([])).toBeNaN();
    expect(median([])).toBeNaN();
  });

  it('median splits a shuffled sample in half and leaves its input unsorted', () => {
    const random = new Random(3);
    const values = Float64Array.from({ length: 101 }, () => random.normal());
    const copy = values.slice();
    const middle = median(values);
    expect(values.filter((value) => value < middle).length).toBe(50);
    expect(values.filter((value) => value > middle).length).toBe(50);
    expect(values).toEqual(copy);
  });
});

/** Agreement expected with ml-matrix: a few hundred ε (different summation orders). */
const RELATIVE_TOLERANCE = 1e-13;

describe('columnMeanAndStd', () => {
  const random = new Random(11);
  const rows = 57, cols = 4;
  const x = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) x.data[i * cols + j] = 10 ** (2 * j - 3) * random.normal() + 100 * j;
  const peer = new PeerMatrix(x.toArray());

  it('means and sample / population standard deviations agree with ml-matrix', () => {
    const peerMean = peer.mean('column');
    const sample = peer.standardDeviation('column', { unbiased: true });
    const population = peer.standardDeviation('column', { unbiased: false });
    const withSample = columnMeanAndStd(x, 1), withPopulation = columnMeanAndStd(x, 0);
    for (let j = 0; j < cols; j++) {
      expect(Math.abs(withSample.mean[j] - peerMean[j])).toBeLessThanOrEqual(RELATIVE_TOLERANCE * (Math.abs(peerMean[j]) + population[j]));
      expect(Math.abs(withSample.std[j] / sample[j] - 1)).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
      expect(Math.abs(withPopulation.std[j] / population[j] - 1)).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
      expect(withPopulation.mean[j]).toBe(withSample.mean[j]);
    }
  });

  it('a single row has zero spread (divisor at least 1), not NaN', () => {
    const single = Matrix.fromArray([[3, -4]]);
    expect(Array.from(columnMeanAndStd(single, 1).std)).toEqual([0, 0]);
    expect(Array.from(columnMeanAndStd(single, 1).mean)).toEqual([3, -4]);
  });
});
