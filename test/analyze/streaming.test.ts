// The streaming accumulator gives the same summary as the in-memory analysis (counts exactly,
// quantiles within the histogram's stated resolution), and the log histogram's quantile estimates
// are within one bin of NumPy-style exact quantiles.
import { describe, expect, it } from 'vitest';
import { InvertibilityAccumulator, HISTOGRAM_BINS_PER_DECADE } from '../../src/analyze/accumulator.ts';
import { analyzeInvertibility } from '../../src/analyze/invertibility.ts';
import { LogHistogram } from '../../src/analyze/log-histogram.ts';
import { sortedQuantile as exactQuantile } from '../../src/linalg/statistics.ts';
import { resolveScaling, pointSpreadOf } from '../../src/analyze/scaling.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { randomMlpSpec, randomPoints, type RandomSpecOptions } from '../model/mlp-random-spec.ts';

describe('LogHistogram', () => {
  it('quantile estimates are within the bin resolution of exact quantiles (log-normal sample)', () => {
    const random = new Random(31);
    const values = Float64Array.from({ length: 20_000 }, () => Math.exp(random.normal(3, 2)));
    const histogram = new LogHistogram({ minLog10: -10, maxLog10: 10, binsPerDecade: 50 });
    histogram.addAll(values);
    const sorted = Float64Array.from(values).sort();
    for (const q of [0, 0.01, 0.1, 0.5, 0.9, 0.99, 1]) {
      const exact = exactQuantile(sorted, q), estimate = histogram.quantile(q);
      expect(Math.abs(estimate / exact - 1), `q = ${q}`).toBeLessThanOrEqual(histogram.relativeResolution);
    }
    expect(histogram.quantile(0)).toBe(sorted[0]);
    expect(histogram.quantile(1)).toBe(sorted[sorted.length - 1]);
  });

  it('zeros, out-of-range values and Infinity are counted apart and ordered correctly', () => {
    const histogram = new LogHistogram({ minLog10: 0, maxLog10: 2, binsPerDecade: 10 });
    histogram.addAll([0, 0.5, 5, 50, 500, Infinity]);
    expect([histogram.zeros, histogram.below, histogram.above, histogram.infinite, histogram.total]).toEqual([1, 1, 1, 1, 6]);
    expect(histogram.quantile(0)).toBe(0);
    expect(histogram.quantile(0.2)).toBe(0.5); // rank 1: the below-range minimum
    expect(histogram.quantile(0.8)).toBe(500); // rank 4: the maximum
    expect(histogram.quantile(0.9)).toBe(Infinity); // between 500 and Infinity
    expect(exactQuantile(Float64Array.of(0, 0.5, 5, 50, 500, Infinity), 0.9)).toBe(Infinity);
    const bins = histogram.coarseBins(2);
    expect(bins.counts.reduce((sum, count) => sum + count, 0) + bins.zeros + bins.infinite).toBe(6);
    expect(bins.log10Edges[0]).toBe(0);
  });

  it('merge equals adding everything to one histogram', () => {
    const a = new LogHistogram({ minLog10: 0, maxLog10: 4, binsPerDecade: 10 });
    const b = new LogHistogram({ minLog10: 0, maxLog10: 4, binsPerDecade: 10 });
    const all = new LogHistogram({ minLog10: 0, maxLog10: 4, binsPerDecade: 10 });
    [1, 3, 30, Infinity].forEach((value) => { a.add(value); all.add(value); });
    [2, 300, 3000].forEach((value) => { b.add(value); all.add(value); });
    a.merge(b);
    expect(Array.from(a.counts)).toEqual(Array.from(all.counts));
    expect([a.minimum, a.maximum, a.total, a.infinite]).toEqual([all.minimum, all.maximum, all.total, all.infinite]);
  });
});

describe('InvertibilityAccumulator vs analyzeInvertibility', () => {
  // A ReLU resmlp (exact zero derivatives make some Jacobians rank-deficient) and a narrow tanh net.
  const cases: [string, RandomSpecOptions][] = [
    ['relu resmlp 7→12→12→4', { kind: 'resmlp' as const, activation: 'relu' as const, hidden: [12, 12], seed: 41 }],
    ['tanh mlp 7→6→4 (narrow: some ill-conditioned points)', { activation: 'tanh' as const, hidden: [6], seed: 42 }],
  ];
  for (const [label, options] of cases) {
    it(label, () => {
      const spec = randomMlpSpec({ inputs: 7, outputs: 4, scaling: true, ...options });
      const model = new MlpModel(spec);
      const x = new Matrix(3000, 7, randomPoints(spec, 3000, 43));
      const deltaY = Float64Array.from(spec.outputScaling!.std, (std) => 0.05 * std);
      const batch = analyzeInvertibility(model, x, { deltaY, illConditioned: 30 });
      const accumulator = new InvertibilityAccumulator(model, { deltaY, illConditioned: 30, scaling: resolveScaling(model, 'auto', pointSpreadOf(model, x)) });
      for (let start = 0; start < 3000; start += 700) {
        const rows = Math.min(700, 3000 - start);
        accumulator.add(new Matrix(rows, 7, x.data.slice(start * 7, (start + rows) * 7)));
      }
      const streamed = accumulator.summary();
      const exact = batch.summary;
      expect(streamed.count).toBe(3000);
      expect(streamed.rankHistogram).toEqual(exact.rankHistogram);
      expect(streamed.verdictShares).toEqual(exact.verdictShares);
      expect(streamed.condHistogram).toEqual(exact.condHistogram);
      expect(streamed.worstPoints).toEqual(exact.worstPoints);
      expect(streamed.condQuantiles.method).toBe('histogram-estimate');
      const resolution = 10 ** (1 / HISTOGRAM_BINS_PER_DECADE) - 1;
      for (let q = 0; q < exact.condQuantiles.levels.length; q++) {
        for (const kind of ['raw', 'standardized'] as const) {
          const e = exact.condQuantiles[kind][q], s = streamed.condQuantiles[kind][q];
          if (e === Infinity) expect(s).toBe(Infinity);
          else expect(Math.abs(s / e - 1)).toBeLessThanOrEqual(resolution);
        }
        // The exact quantile interpolates between two order statistics; where they are far apart
        // (sparse tails, rounding-level errors) the histogram estimate is only bound to lie between
        // them, widened by one bin.
        const errors = Float64Array.from(batch.points.oneStepError!).sort();
        const rank = exact.condQuantiles.levels[q] * (errors.length - 1);
        const low = errors[Math.floor(rank)], high = errors[Math.ceil(rank)];
        const s = streamed.oneStep!.error[q];
        expect(s).toBeGreaterThanOrEqual(low / (1 + resolution));
        expect(s).toBeLessThanOrEqual(high * (1 + resolution));
      }
      // The sample really exercises more than one verdict / rank.
      const verdictKinds = Object.values(exact.verdictShares).filter((entry) => entry.count > 0).length;
      expect(verdictKinds).toBeGreaterThan(1);
      // Worst points are the largest standardized conds, in order.
      const sortedCond = Float64Array.from(batch.points.condStandardized).sort().reverse();
      expect(exact.worstPoints.map((point) => point.condStandardized)).toEqual(Array.from(sortedCond.subarray(0, 10)));
      expect(batch.points.condStandardized[exact.worstPoints[0].row]).toBe(exact.worstPoints[0].condStandardized);
    });
  }

  it('chunk size does not change the per-point results', () => {
    const spec = randomMlpSpec({ inputs: 3, outputs: 2, hidden: [5], seed: 44 });
    const model = new MlpModel(spec);
    const x = new Matrix(101, 3, randomPoints(spec, 101, 45));
    const one = analyzeInvertibility(model, x);
    const many = analyzeInvertibility(model, x, { chunkRows: 10 });
    expect(Array.from(many.points.condStandardized)).toEqual(Array.from(one.points.condStandardized));
    expect(Array.from(many.points.verdict)).toEqual(Array.from(one.points.verdict));
  });
});
