// Double descent with random cos features and the minimum-norm fit: the test error peaks at the
// interpolation threshold p = n and falls again for p ≫ n; training error vanishes once p ≥ n.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.ts';
import { runDoubleDescent } from '../../src/apps/lab/double-descent.ts';

describe('lab double-descent', () => {
  const result = runDoubleDescent({ seed: 1 });
  const at = (p: number) => result.rows.find((row) => row.features === p)!;

  it('the median test error peaks near p = n', () => {
    expect(Math.abs(result.peakRatio - 1)).toBeLessThanOrEqual(0.2);
    expect(result.status).toBe('peak-at-threshold');
  });

  it('the peak is far above both descents, and the second descent goes lower', () => {
    const peak = at(result.samples).medianTestError;
    expect(peak).toBeGreaterThan(10 * result.bestUnderparameterized!.medianTestError);
    expect(peak).toBeGreaterThan(10 * result.bestOverparameterized!.medianTestError);
    expect(at(4 * result.samples).medianTestError).toBeLessThan(at(result.samples).medianTestError / 10);
  });

  it('interpolation: training error is zero for p ≥ n and not for p < n; ‖θ‖ is largest near p = n', () => {
    for (const row of result.rows) {
      if (row.features >= result.samples) expect(row.meanTrainError).toBeLessThan(1e-12);
      else if (row.features <= result.samples / 2) expect(row.meanTrainError).toBeGreaterThan(1e-4);
    }
    const largestNorm = result.rows.reduce((best, row) => (row.meanThetaNorm > best.meanThetaNorm ? row : best));
    expect(Math.abs(largestNorm.ratio - 1)).toBeLessThanOrEqual(0.2);
  });

  it('the peak holds for other seeds and sample sizes', () => {
    for (const options of [{ seed: 7, trials: 10 }, { seed: 9, samples: 16, trials: 12 }, { seed: 2, samples: 30, trials: 10 }]) {
      expect(Math.abs(runDoubleDescent(options).peakRatio - 1)).toBeLessThanOrEqual(0.2);
    }
  });

  it('rejects p ≤ 0 and feature lists that do not straddle n', () => {
    expect(() => runDoubleDescent({ features: [0, 10, 30] })).toThrow(InvalidArgumentError);
    expect(() => runDoubleDescent({ features: [0, 10, 30] })).toThrow(/features\[0\] \(p\) must be an integer in \[1, 2000\]/);
    expect(() => runDoubleDescent({ features: [5, 10, 15] })).toThrow(/some p < n and some p > n/);
    expect(() => runDoubleDescent({ trials: 0 })).toThrow(/trials must be an integer in \[1, 1000\]/);
  });
});
