// The page's charts: thin adapters from worker responses to the report layer's SVG chart functions
// (src/report/charts.ts), so the browser draws exactly the charts the HTML reports draw.
import { DEFAULT_ILL_CONDITIONED } from '../../../src/analyze/index.ts';
import { heatmapChart, histogramChart, lineChart } from '../../../src/report/index.ts';
import type { ConvergenceHistory, SliceResponse } from '../protocol.ts';
import { svgBlock } from './dom.ts';

const WIDTH = 560;
const HEIGHT = 320;
/** Narrowest chart drawn: below this the plot area gets too small to read. */
const MIN_WIDTH = 300;

/**
 * Chart width for a container: its own width up to WIDTH, so an SVG is never scaled down on a
 * phone and its 11–12 px text stays 11–12 px on screen.
 */
export function chartWidth(container: Element): number {
  // A few pixels to spare: a chart nested one level deeper (padding, borders) must not be scaled down.
  const available = Math.floor(container.clientWidth || WIDTH) - 4;
  return Math.max(MIN_WIDTH, Math.min(WIDTH, available));
}

/**
 * Live responsive charts: figure → how to redraw it. One observer for all hosts; figures no longer
 * in the page are dropped when it next fires (a new figure is appended in the task that made it).
 */
const responsive = new Map<HTMLElement, { host: Element; draw: (width: number) => string; width: number }>();
let resizeObserver: ResizeObserver | null = null;

function redrawResized(): void {
  for (const [figure, chart] of responsive) {
    if (!figure.isConnected) {
      responsive.delete(figure);
      continue;
    }
    if (chart.host.clientWidth === 0) continue; // hidden: redrawn once shown
    const width = chartWidth(chart.host);
    if (width === chart.width) continue;
    chart.width = width;
    figure.innerHTML = chart.draw(width);
  }
}

/**
 * A chart figure drawn at its host's width and redrawn when that width changes (phone rotation,
 * window resize, a hidden tab shown again), so its text keeps its size.
 */
export function responsiveChart(host: Element, draw: (width: number) => string, label: string, id?: string): HTMLElement {
  const width = chartWidth(host);
  const figure = svgBlock(draw(width), label, id);
  responsive.set(figure, { host, draw, width });
  resizeObserver ??= new ResizeObserver(redrawResized);
  resizeObserver.observe(host);
  return figure;
}

/** Chart height for a width: the desktop aspect ratio, but never flatter than 3:2. */
function heightFor(width: number, base = HEIGHT): number {
  return Math.round(Math.max(base * (width / WIDTH), (width * 2) / 3));
}
/** Bins of the log10(cond) histogram. */
const CONDITION_BINS = 20;

/** Residual norm per iteration, log y axis (non-positive values are noted by the chart, not dropped). */
export function convergenceChart(history: ConvergenceHistory, width = WIDTH): string {
  return lineChart({
    title: 'Convergence',
    xLabel: 'iteration',
    yLabel: '‖f(x) − y*‖ (weighted, in output std)',
    series: [{ name: 'residual norm', x: history.iteration, y: history.residual }],
    logY: history.residual.every((value) => value > 0),
    width,
    height: heightFor(width),
  });
}

/**
 * Condition number over two inputs on a log color scale labelled in cond itself, with the
 * ill-conditioned verdict threshold marked on the color bar; singular cells (rank-deficient
 * Jacobian, cond = ∞) are gray.
 */
export function conditionHeatmap(slice: SliceResponse, xName: string, yName: string, width = WIDTH, rankLimit?: number): string {
  return heatmapChart({
    title: `Condition number over ${xName} × ${yName}`,
    xLabel: xName,
    yLabel: yName,
    xs: slice.xs,
    ys: slice.ys,
    values: slice.log10Cond.map((value) => 10 ** value),
    logColor: true,
    colorLabel: `cond (${slice.basis})`,
    colorMarks: [{ value: DEFAULT_ILL_CONDITIONED, label: `cond = ${DEFAULT_ILL_CONDITIONED}: above it a point is called ill-conditioned` }],
    missingLabel: rankLimit ? `singular (rank < ${rankLimit})` : 'singular',
    width,
    height: heightFor(width, HEIGHT + 40),
  });
}

export function rankHistogram(bins: { rank: number; count: number }[], width = WIDTH): string {
  return histogramChart({
    title: 'Jacobian rank over the box sample',
    xLabel: 'rank',
    bins: bins.map((bin) => ({ label: String(bin.rank), count: bin.count })),
    width,
    height: heightFor(width),
  });
}

/** Histogram of log10(cond) with equal-width bins over the finite values. */
export function conditionHistogram(log10Cond: number[], width = WIDTH): string {
  const finite = log10Cond.filter(Number.isFinite);
  if (finite.length === 0) {
    return histogramChart({ title: 'Condition numbers', xLabel: 'log10 cond', bins: [{ label: 'all singular', count: log10Cond.length }], width, height: heightFor(width) });
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
  return histogramChart({ title: 'Condition number (standardized) over the box sample', xLabel: `log10 cond (${Math.log10(DEFAULT_ILL_CONDITIONED)} = cond ${DEFAULT_ILL_CONDITIONED}, the ill-conditioned limit)`, bins: { edges, counts }, width, height: heightFor(width) });
}

/** Training and validation loss per epoch (log y). */
export function lossChart(curves: { train: number[]; validation: number[] }, title: string, width = WIDTH): string {
  const series = [{ name: 'train', x: curves.train.map((_, k) => k + 1), y: curves.train }];
  if (curves.validation.length) series.push({ name: 'validation', x: curves.validation.map((_, k) => k + 1), y: curves.validation });
  const positive = [...curves.train, ...curves.validation].every((value) => value > 0);
  return lineChart({ title, xLabel: 'epoch', yLabel: 'loss (standardized MSE)', series, logY: positive, width, height: heightFor(width) });
}
