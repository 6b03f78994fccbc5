// PCA: explained variance against the eigenvalues of the correlation / covariance matrix (ml-matrix),
// exact round trips, and the reference project's mistake made visible: on unstandardized
// blast-furnace-like inputs the small-spread variables (O2 fraction, wind rate) are lost, by name.
import { EigenvalueDecomposition, Matrix as PeerMatrix, correlation, covariance } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { fitPca } from '../../src/linalg/pca.ts';
import { Random } from '../../src/linalg/random.ts';
import { randomMatrix, relativeDifference } from './helpers.ts';

const NAMES = ['h2i_rate', 'pci_rate', 'ngi_rate', 'o2_volfract', 'h2_temp', 'hbtemp', 'wind_rt'];
const MEANS = [12.5, 18.6, 41.3, 25.6, 271.8, 1438.1, 198.7];
const STDS = [15.2, 45.3, 46.6, 3.3, 363.3, 157.4, 26.6];

/** Independent inputs with the reference project's means and standard deviations (seed README). */
function blastFurnaceInputs(rows: number, seed: number): Matrix {
  const random = new Random(seed);
  const out = new Matrix(rows, 7);
  for (let i = 0; i < rows; i++) for (let j = 0; j < 7; j++) out.data[i * 7 + j] = random.normal(MEANS[j], STDS[j]);
  return out;
}

/** Correlated data: random mixing of independent columns plus offsets. */
function correlatedData(rows: number, cols: number, seed: number): Matrix {
  const latent = randomMatrix(rows, cols, seed);
  const mixing = randomMatrix(cols, cols, seed + 1);
  const out = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    let sum = 10 * j;
    for (let k = 0; k < cols; k++) sum += latent.data[i * cols + k] * mixing.data[k * cols + j] * (j + 1);
    out.data[i * cols + j] = sum;
  }
  return out;
}

function descendingEigenvalues(symmetric: PeerMatrix): number[] {
  return new EigenvalueDecomposition(symmetric, { assumeSymmetric: true }).realEigenvalues.sort((a, b) => b - a);
}

describe('fitPca against theory', () => {
  const x = correlatedData(300, 5, 3);

  it('standardized: explained variances are the eigenvalues of the correlation matrix; ratios sum to 1', () => {
    const pca = fitPca(x);
    const eigenvalues = descendingEigenvalues(correlation(x.toArray()));
    pca.explainedVariance.forEach((value, c) => expect(Math.abs(value - eigenvalues[c])).toBeLessThan(1e-12 * eigenvalues[0]));
    expect(pca.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(pca.warnings).toEqual([]);
  });

  it('unstandardized: explained variances are the eigenvalues of the covariance matrix', () => {
    const pca = fitPca(x, { standardize: false });
    const eigenvalues = descendingEigenvalues(covariance(x.toArray()));
    pca.explainedVariance.forEach((value, c) => expect(Math.abs(value - eigenvalues[c])).toBeLessThan(1e-12 * eigenvalues[0]));
    expect(Array.from(pca.scale)).toEqual([1, 1, 1, 1, 1]);
  });

  it('components are orthonormal with the largest entry positive; scores have the explained variances', () => {
    const pca = fitPca(x, { components: 3 });
    const { components } = pca;
    for (let c = 0; c < 3; c++) {
      const row = components.row(c);
      expect(Math.max(...row)).toBeGreaterThanOrEqual(Math.max(...row.map(Math.abs)));
      for (let d = 0; d < 3; d++) {
        const dot = row.reduce((sum, value, j) => sum + value * components.get(d, j), 0);
        expect(dot).toBeCloseTo(c === d ? 1 : 0, 13);
      }
    }
    const scores = pca.transform(x);
    for (let c = 0; c < 3; c++) {
      const column = scores.column(c);
      const mean = column.reduce((a, b) => a + b, 0) / column.length;
      const variance = column.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (column.length - 1);
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      expect(variance).toBeCloseTo(pca.explainedVariance[c], 10);
    }
  });

  it('all components: inverseTransform(transform(x)) = x and no variable loses variance', () => {
    const pca = fitPca(x);
    expect(relativeDifference(pca.inverseTransform(pca.transform(x)), x)).toBeLessThan(1e-14);
    pca.variableReconstructionError(x).forEach((value) => expect(value).toBeLessThan(1e-26));
  });

  it('per-variable losses add up to the dropped eigenvalues (in standardized units)', () => {
    const k = 2;
    const pca = fitPca(x, { components: k });
    const all = fitPca(x);
    const droppedShare = 1 - pca.explainedVarianceRatio.reduce((a, b) => a + b, 0);
    const lost = pca.variableReconstructionError(x);
    // Each standardized variable has unit variance, so Σ_j lost_j = n · (dropped share of total variance).
    expect(lost.reduce((a, b) => a + b, 0)).toBeCloseTo(5 * droppedShare, 12);
    expect(all.explainedVarianceRatio.slice(k).reduce((a, b) => a + b, 0)).toBeCloseTo(droppedShare, 12);
  });

  it('varianceToKeep picks the fewest components reaching the share', () => {
    const all = fitPca(x);
    const cumulative = Array.from(all.explainedVarianceRatio).map((_, c, ratios) => ratios.slice(0, c + 1).reduce((a, b) => a + b, 0));
    const target = (cumulative[1] + cumulative[2]) / 2;
    expect(fitPca(x, { varianceToKeep: target }).components.rows).toBe(3);
    expect(fitPca(x, { varianceToKeep: cumulative[1] }).components.rows).toBe(2);
    expect(fitPca(x, { varianceToKeep: 1 }).components.rows).toBe(5);
  });
});

describe('fitPca on blast-furnace-like inputs (the reference project lost O2 and wind this way)', () => {
  const x = blastFurnaceInputs(2000, 42);
  const index = (name: string) => NAMES.indexOf(name);

  it('unstandardized with 4 components: O2 fraction and wind rate are lost and named in a warning', () => {
    const pca = fitPca(x, { components: 4, standardize: false, names: NAMES });
    const lost = pca.variableReconstructionError(x);
    // Independent inputs: raw-variance PCA keeps the 4 largest stds (h2_temp, hbtemp, ngi, pci) and drops the rest.
    for (const name of ['o2_volfract', 'wind_rt', 'h2i_rate']) expect(lost[index(name)]).toBeGreaterThan(0.95);
    for (const name of ['h2_temp', 'hbtemp']) expect(lost[index(name)]).toBeLessThan(0.01);
    expect(pca.warnings).toHaveLength(1);
    expect(pca.warnings[0]).toMatch(/'o2_volfract' \(\d+% of its variance lost, std 3\.\d+\)/);
    expect(pca.warnings[0]).toMatch(/'wind_rt'/);
    expect(pca.warnings[0]).toMatch(/unstandardized data.*fit with standardize: true/);
    expect(pca.warnings[0]).not.toMatch(/'h2_temp'/);
  });

  it('standardized with all 7 components keeps every variable; with 4, no variable is singled out by scale', () => {
    expect(fitPca(x, { names: NAMES }).variableReconstructionError(x).every((value) => value < 1e-20)).toBe(true);
    const pca = fitPca(x, { components: 4, names: NAMES });
    const lost = pca.variableReconstructionError(x);
    // Independent standardized inputs: the 3 dropped components take ~3/7 spread over all variables, none entirely.
    expect(Math.max(...lost)).toBeLessThan(0.95);
    expect(lost[index('o2_volfract')]).toBeLessThan(0.95);
    pca.warnings.forEach((warning) => expect(warning).not.toMatch(/unstandardized/));
  });
});

describe('fitPca bad input', () => {
  const x = randomMatrix(10, 3, 1);
  it('typed errors naming the argument', () => {
    expect(() => fitPca(x, { components: 2, varianceToKeep: 0.9 })).toThrow(/either components or varianceToKeep, not both/);
    expect(() => fitPca(x, { components: 4 })).toThrow(/components must be an integer in \[1, 3\], got 4/);
    expect(() => fitPca(x, { varianceToKeep: 0 })).toThrow(/varianceToKeep must be a number in \(0, 1\]/);
    expect(() => fitPca(x, { names: ['a', 'b'] })).toThrow(/names has 2 entries but x has 3 columns/);
    expect(() => fitPca([[1, 2, 3]])).toThrow(/x is 1×3; a variance needs at least 2 rows/);
    expect(() => fitPca([[1, 2], [3, NaN]])).toThrow(/x has a non-finite entry \(NaN\) at row 1, column 1/);
    const pca = fitPca(x, { components: 2 });
    expect(() => pca.transform([[1, 2]])).toThrow(/Pca.transform: x is 1×2 but needs 3 columns/);
    expect(() => pca.inverseTransform([[1, 2, 3]])).toThrow(/Pca.inverseTransform: z is 1×3 but needs 2 columns/);
  });

  it('a constant column is reported, not divided by zero', () => {
    const data = x.toArray().map((row) => [row[0], 5, row[2]]);
    const pca = fitPca(data, { names: ['a', 'flat', 'c'] });
    expect(pca.warnings.some((warning) => /variable 'flat' is constant/.test(warning))).toBe(true);
    expect(pca.transform(data).data.every(Number.isFinite)).toBe(true);
    expect(relativeDifference(pca.inverseTransform(pca.transform(data)), Matrix.fromArray(data))).toBeLessThan(1e-14);
  });
});
