// The benchmark report as a text table, with the published figures of Ren et al. printed beside
// ours (rows marked "published"), and the run's facts (seed, sizes, times) underneath.
import { formatNumber, formatSeconds } from '../../core/index.ts';
import { type TableCell, textTable } from '../../report/index.ts';
import { BOUNDARY_STDS } from './methods.ts';
import type { BenchmarkReport } from './runner.ts';

const NOT_PUBLISHED = '—';

/** Published value of the neural adjoint at T (only T = 1 and T = 50 are read from the paper). */
function neuralAdjointAt(report: BenchmarkReport, T: number): TableCell {
  if (T === 1) return report.published.neuralAdjoint.t1;
  if (T === 50) return report.published.neuralAdjoint.t50;
  return NOT_PUBLISHED;
}

export function benchmarkTable(report: BenchmarkReport): string {
  const headers = ['method', ...report.tValues.map((T) => `r̂_${T}`), 'time'];
  const rows: TableCell[][] = report.methods.map((outcome) => [
    `inversa ${outcome.method}`,
    ...report.tValues.map((T) => outcome.scores.find((score) => score.T === T)!.score),
    formatSeconds(outcome.seconds),
  ]);
  rows.push(['published neural adjoint', ...report.tValues.map((T) => neuralAdjointAt(report, T)), NOT_PUBLISHED]);
  rows.push(['published tandem', ...report.tValues.map(() => report.published.tandem), NOT_PUBLISHED]);
  const align = headers.map((_, column): 'left' | 'right' => (column === 0 ? 'left' : 'right'));
  const lines = [
    `benchmark ${report.task}: ${report.description}`,
    '',
    textTable(headers, rows, { digits: 3, align }),
    '',
    `r̂_T: mean over ${report.targets} targets of the best true MSE among the T candidates ranked best by the surrogate objective`,
    `(surrogate residual + boundary term beyond ±${BOUNDARY_STDS} training std; the true function is used only to score).`,
    `surrogate: ${report.trainingSamples} samples, seed ${report.seed}, ${report.surrogate.epochs} epochs in ${formatSeconds(report.surrogate.seconds)}, MSE on the targets' inputs ${formatNumber(report.surrogate.testMse, 3)}` +
      (report.inverseNet ? `; inverse net (α = ${report.inverseNet.alpha}) in ${formatSeconds(report.inverseNet.seconds)}` : ''),
    ...report.methods.filter((outcome) => outcome.invalidCandidates > 0).map((outcome) => `${outcome.method}: ${outcome.invalidCandidates} candidates outside the true function's domain (scored +∞)`),
    `published: ${report.published.source}`,
    `time ${formatSeconds(report.seconds)} (training and methods added up)`,
  ];
  return lines.join('\n');
}
