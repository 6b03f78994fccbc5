// Eckart–Young: ‖A − A_r‖_F = sqrt(Σ_{k>r} σ_k²) for every rank, checked on the approximation matrix
// itself, with singular values cross-checked against ml-matrix's SVD.
import { Matrix as ReferenceMatrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { generatedImage, runLowRank } from '../../src/apps/lab/lowrank.ts';

describe('lab lowrank', () => {
  const result = runLowRank({ rows: 40, cols: 30, seed: 2 });

  it('Eckart–Young equality holds for every rank 0..min(m, n)', () => {
    expect(result.table).toHaveLength(31);
    for (const row of result.table) {
      expect(Math.abs(row.measuredError - row.tailError)).toBeLessThanOrEqual(1e-10 * result.frobeniusNorm);
    }
    expect(result.table[0].measuredError).toBeCloseTo(result.frobeniusNorm, 10);
    expect(result.table[30].measuredError).toBeLessThan(1e-10 * result.frobeniusNorm);
    expect(result.status).toBe('ok');
  });

  it('singular values agree with ml-matrix', () => {
    const image = generatedImage(40, 30, 0.02, new Random(2));
    const reference = new SingularValueDecomposition(new ReferenceMatrix(image.toArray())).diagonal;
    reference.forEach((value, k) => expect(Math.abs(value - result.singularValues[k])).toBeLessThan(1e-10 * reference[0]));
  });

  it('a rank-2 outer-product matrix is reproduced exactly at rank 2', () => {
    const m = new Matrix(6, 5);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 5; j++) m.set(i, j, (i + 1) * (j - 2) + 0.5 * (i % 2) * (j + 1));
    const exact = runLowRank({ matrix: m });
    expect(exact.table[2].measuredError).toBeLessThan(1e-12 * exact.frobeniusNorm);
    expect(exact.table[1].measuredError).toBeGreaterThan(1e-3 * exact.frobeniusNorm);
  });

  it('the chosen rank is the smallest that meets the requested relative error', () => {
    for (const requested of [0.3, 0.1, 0.02]) {
      const run = runLowRank({ rows: 40, cols: 30, seed: 2, relativeError: requested });
      expect(run.chosenRelativeError).toBeLessThanOrEqual(requested);
      if (run.chosenRank > 0) expect(run.table[run.chosenRank - 1].relativeError).toBeGreaterThan(requested);
    }
  });

  it('rejects a negative rank or a bad relative error with the valid range', () => {
    expect(() => runLowRank({ rows: 20, cols: 10, rank: -1 })).toThrow(InvalidArgumentError);
    expect(() => runLowRank({ rows: 20, cols: 10, rank: -1 })).toThrow(/rank must be an integer in \[0, 10\]/);
    expect(() => runLowRank({ relativeError: 0 })).toThrow(/relativeError must be a number in \(0, 1\], got 0/);
    expect(() => runLowRank({ rows: 1 })).toThrow(/rows must be an integer in \[2, 400\]/);
  });
});
