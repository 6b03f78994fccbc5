// The page's charts: thin adapters from worker responses to the report layer's SVG chart functions
// (src/report/charts.ts), so the browser draws exactly the charts the HTML reports draw.
import { heatmapChart, histogramChart, lineChart } from '../../../src/report/charts.ts';
import type { ConvergenceHistory, SliceResponse } from '../protocol.ts';

const WIDTH = 560;
const HEIGHT = 320;
/** Bins of the log10(cond) histogram. */
const CONDITION_BINS = 20;

/** Residual norm per iteration, log y axis (non-positive values are noted by the chart, not dropped). */
export function convergenceChart(history: ConvergenceHistory): string {
  return lineChart({
    title: 'Convergence',
    xLabel: 'iteration',
    yLabel: '‖f(x) − y*‖ (weighted, in output std)',
    series: [{ name: 'residual norm', x: history.iteration, y: history.residual }],
    logY: history.residual.every((value) => value > 0),
    width: WIDTH,
    height: HEIGHT,
  });
}

/** log10 condition number over two inputs; non-finite cells (singular Jacobians) are drawn gray. */
export function conditionHeatmap(slice: SliceResponse, xName: string, yName: string): string {
  return heatmapChart({
    title: `log10 cond over ${xName} × ${yName}`,
    xLabel: xName,
    yLabel: yName,
    xs: slice.xs,
    ys: slice.ys,
    values: slice.log10Cond,
    colorLabel: 'log10 cond (standardized)',
    width: WIDTH,
    height: HEIGHT + 40,
  });
}

export function rankHistogram(bins: { rank: number; count: number }[]): string {
  return histogramChart({
    title: 'Jacobian rank over the box sample',
    xLabel: 'rank',
    bins: bins.map((bin) => ({ label: String(bin.rank), count: bin.count })),
    width: WIDTH,
    height: HEIGHT,
  });
}

/** Histogram of log10(cond) with equal-width bins over the finite values. */
export function conditionHistogram(log10Cond: number[]): string {
  const finite = log10Cond.filter(Number.isFinite);
  if (finite.length === 0) {
    return histogramChart({ title: 'Condition numbers', xLabel: 'log10 cond', bins: [{ label: 'all singular', count: log10Cond.length }], width: WIDTH, height: HEIGHT });
  }
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  if (!(high > low)) {
    low -= 0.5;
    high += 0.5;
  }
  const edges = Array.from({ length: CONDITION_BINS + 1 }, (_, k) => low + ((high - low) * k) / CONDITION_BINS);
  const counts = new Array<number>(CONDITION_BINS).fill(0);
  for (const value of finite) counts[Math.min(CONDITION_BINS - 1, Math.floor(((value - low) / (high - low)) * CONDITION_BINS))]++;
  return histogramChart({ title: 'Condition number (standardized) over the box sample', xLabel: 'log10 cond', bins: { edges, counts }, width: WIDTH, height: HEIGHT });
}

/** Training and validation loss per epoch (log y). */
export function lossChart(curves: { train: number[]; validation: number[] }, title: string): string {
  const series = [{ name: 'train', x: curves.train.map((_, k) => k + 1), y: curves.train }];
  if (curves.validation.length) series.push({ name: 'validation', x: curves.validation.map((_, k) => k + 1), y: curves.validation });
  const positive = [...curves.train, ...curves.validation].every((value) => value > 0);
  return lineChart({ title, xLabel: 'epoch', yLabel: 'loss (standardized MSE)', series, logY: positive, width: WIDTH, height: HEIGHT });
}
