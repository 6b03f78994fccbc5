// Charts as pure functions returning self-contained inline SVG strings: line, scatter, histogram,
// bar and heatmap. Every chart has labelled axes with ticks, an accessible name and description,
// and says what it could not draw (non-finite values, non-positive values on a log axis) in a
// visible note instead of dropping them silently. Malformed input (length mismatches) throws.
import { InvalidArgumentError, ShapeError, formatCount, formatNumber } from '../core/index.ts';
import { dataExtent, linearScale, scaleFor, type AxisScale } from './scale.ts';
import {
  AXIS_COLOR, MISSING_COLOR, MUTED_TEXT_COLOR, TEXT_COLOR,
  categoryAxis, coordinate, emptyMessage, escapeXml, footnote, legend, legendWidth, plotArea,
  seriesColor, svgDocument, viridis, xAxis, xPixel, yAxis, yPixel, type PlotArea,
} from './svg.ts';

const DEFAULT_WIDTH = 640;
const DEFAULT_HEIGHT = 400;
/** Series with at most this many points also get a marker on each point. */
const MARKER_POINT_LIMIT = 40;
/** Bars/bins up to this many get their value printed above them. */
const VALUE_LABEL_LIMIT = 24;
/** Heatmap cells get a hover tooltip (<title>) up to this many cells. */
const CELL_TOOLTIP_LIMIT = 10000;
/** On a log axis, bars start this factor below the smallest value (log has no zero to start from). */
const LOG_BAR_BASELINE_FACTOR = 10;
/** Number of color steps drawn in a heatmap's color bar. */
const COLOR_BAR_STEPS = 64;

export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dashed?: boolean;
}

export interface LineChartOptions {
  title?: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
}

/** Line chart of one or more series (x, y) with a legend. Non-finite points break the line. */
export function lineChart(options: LineChartOptions): string {
  return xyChart(options, 'line');
}

export interface ScatterChartOptions extends LineChartOptions {
  /** Draw the reference line y = x (e.g. predicted vs. true). */
  diagonal?: boolean;
}

/** Scatter plot of one or more point series, optionally with the diagonal y = x. */
export function scatterChart(options: ScatterChartOptions): string {
  return xyChart(options, 'scatter');
}

function xyChart(options: ScatterChartOptions, mode: 'line' | 'scatter'): string {
  const { series } = options;
  const { width, height } = chartSize(options);
  series.forEach((entry, index) => {
    if (entry.x.length !== entry.y.length) {
      throw new ShapeError(`${mode} chart series ${index} ("${entry.name}"): x has ${entry.x.length} values but y has ${entry.y.length}`);
    }
  });
  const logX = options.logX ?? false, logY = options.logY ?? false;
  const usable = (x: number, y: number) => Number.isFinite(x) && Number.isFinite(y) && (!logX || x > 0) && (!logY || y > 0);
  const xs: number[] = [], ys: number[] = [];
  let omitted = 0, total = 0;
  for (const entry of series) {
    for (let k = 0; k < entry.x.length; k++) {
      total++;
      if (usable(entry.x[k], entry.y[k])) {
        xs.push(entry.x[k]);
        ys.push(entry.y[k]);
      } else omitted++;
    }
  }
  let xExtent = dataExtent(xs), yExtent = dataExtent(ys);
  if (options.diagonal && xExtent && yExtent) {
    // Same range on both axes so the diagonal is at 45°.
    const low = Math.min(xExtent[0], yExtent[0]), high = Math.max(xExtent[1], yExtent[1]);
    xExtent = [low, high];
    yExtent = [low, high];
  }
  const xScale = scaleFor(xExtent, logX);
  const yScale = scaleFor(yExtent, logY);
  const names = series.map((entry) => entry.name);
  if (options.diagonal) names.push('y = x');
  const area = plotArea(width, height, { title: options.title, rightSpace: legendWidth(names) });

  const body: string[] = [yAxis(area, yScale, options.yLabel), xAxis(area, xScale, options.xLabel)];
  body.push(`<g class="data">`);
  if (options.diagonal && xExtent) {
    const low = Math.max(xScale.min, yScale.min), high = Math.min(xScale.max, yScale.max);
    body.push(
      `<line class="diagonal" x1="${coordinate(xPixel(area, xScale, low))}" y1="${coordinate(yPixel(area, yScale, low))}" x2="${coordinate(xPixel(area, xScale, high))}" y2="${coordinate(yPixel(area, yScale, high))}" stroke="${AXIS_COLOR}" stroke-width="1.5" stroke-dasharray="4 4"/>`,
    );
  }
  series.forEach((entry, index) => {
    const color = seriesColor(index);
    if (mode === 'line') {
      body.push(linePath(area, xScale, yScale, entry, color, usable));
    } else {
      body.push(pointMarks(area, xScale, yScale, entry, color, usable, total));
    }
  });
  body.push('</g>');
  const entries = series.map((entry, index) => ({
    name: entry.name,
    color: seriesColor(index),
    kind: mode === 'scatter' ? ('dot' as const) : entry.dashed ? ('dashed' as const) : ('line' as const),
  }));
  if (options.diagonal) entries.push({ name: 'y = x', color: AXIS_COLOR, kind: 'dashed' });
  body.push(legend(area, entries));
  if (xs.length === 0) body.push(emptyMessage(area, 'no finite data to plot'));
  if (omitted > 0) body.push(footnote(area, omittedNote(omitted, total, logX || logY, 'point')));

  const kind = mode === 'line' ? 'Line chart' : 'Scatter plot';
  const description =
    `${kind} of ${options.yLabel} against ${options.xLabel}; ` +
    series.map((entry) => `${entry.name}: ${entry.x.length} points${rangeText(entry.y)}`).join('; ') +
    (omitted > 0 ? `; ${omitted} points not drawn (non-finite${logX || logY ? ' or not positive on a log axis' : ''})` : '');
  return svgDocument({ width, height, title: options.title, label: options.title ?? `${kind}: ${options.yLabel} vs ${options.xLabel}`, description }, body);
}

function linePath(area: PlotArea, xScale: AxisScale, yScale: AxisScale, entry: LineSeries, color: string, usable: (x: number, y: number) => boolean): string {
  const commands: string[] = [];
  const markers: string[] = [];
  let penDown = false;
  let drawn = 0;
  for (let k = 0; k < entry.x.length; k++) {
    const x = entry.x[k], y = entry.y[k];
    if (!usable(x, y)) {
      penDown = false; // a gap: the next good point starts a new segment
      continue;
    }
    const px = coordinate(xPixel(area, xScale, x)), py = coordinate(yPixel(area, yScale, y));
    commands.push(`${penDown ? 'L' : 'M'}${px} ${py}`);
    penDown = true;
    drawn++;
    if (entry.x.length <= MARKER_POINT_LIMIT) markers.push(`<circle cx="${px}" cy="${py}" r="2.5" fill="${color}"/>`);
  }
  const dash = entry.dashed ? ' stroke-dasharray="6 4"' : '';
  const path = drawn > 0
    ? `<path class="series-line" d="${commands.join('')}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"${dash}/>`
    : '';
  return `<g class="series"><title>${escapeXml(entry.name)}</title>${path}${markers.join('')}</g>`;
}

function pointMarks(area: PlotArea, xScale: AxisScale, yScale: AxisScale, entry: LineSeries, color: string, usable: (x: number, y: number) => boolean, totalPoints: number): string {
  const radius = totalPoints > 2000 ? 1.6 : 3;
  const parts = [`<g class="series" fill="${color}" fill-opacity="0.75"><title>${escapeXml(entry.name)}</title>`];
  for (let k = 0; k < entry.x.length; k++) {
    const x = entry.x[k], y = entry.y[k];
    if (!usable(x, y)) continue;
    parts.push(`<circle class="point" cx="${coordinate(xPixel(area, xScale, x))}" cy="${coordinate(yPixel(area, yScale, y))}" r="${radius}"/>`);
  }
  parts.push('</g>');
  return parts.join('');
}

export type HistogramBins = { label: string; count: number }[] | { edges: ArrayLike<number>; counts: ArrayLike<number> };

export interface HistogramChartOptions {
  title?: string;
  xLabel: string;
  yLabel?: string;
  bins: HistogramBins;
  width?: number;
  height?: number;
}

/**
 * Histogram: either labelled categories (e.g. Jacobian rank 0..n) or numeric bins given by
 * edges (length counts + 1, increasing) and counts.
 */
export function histogramChart(options: HistogramChartOptions): string {
  const { width, height } = chartSize(options);
  const yLabel = options.yLabel ?? 'count';
  const { bins } = options;
  if (Array.isArray(bins)) {
    return categoricalBars({
      title: options.title, xLabel: options.xLabel, yLabel, width, height, kind: 'Histogram',
      bars: bins.map((bin) => ({ label: bin.label, value: bin.count })), counts: true,
    });
  }
  const { edges, counts } = bins as { edges: ArrayLike<number>; counts: ArrayLike<number> };
  if (edges.length !== counts.length + 1) {
    throw new ShapeError(`histogram: edges has ${edges.length} values but counts has ${counts.length}; expected edges = counts + 1`);
  }
  if (counts.length === 0) throw new ShapeError('histogram: no bins (counts is empty)');
  for (let k = 0; k < edges.length; k++) {
    if (!Number.isFinite(edges[k])) throw new InvalidArgumentError(`histogram: edge ${k} is ${edges[k]}; edges must be finite`);
    if (k > 0 && !(edges[k] > edges[k - 1])) throw new InvalidArgumentError(`histogram: edges must increase, but edge ${k} (${edges[k]}) ≤ edge ${k - 1} (${edges[k - 1]})`);
  }
  checkCounts(counts);
  const maxCount = Math.max(0, ...Array.from(counts));
  const xScale = linearScale(edges[0], edges[edges.length - 1], { exact: true });
  const yScale = linearScale(0, Math.max(1, maxCount), { integerTicks: allIntegers(counts) });
  const area = plotArea(width, height, { title: options.title });
  const body = [yAxis(area, yScale, yLabel), xAxis(area, xScale, options.xLabel, { grid: false }), '<g class="data">'];
  const baseline = yPixel(area, yScale, 0);
  for (let k = 0; k < counts.length; k++) {
    const left = xPixel(area, xScale, edges[k]), right = xPixel(area, xScale, edges[k + 1]);
    const top = yPixel(area, yScale, counts[k]);
    body.push(
      `<rect class="bar" x="${coordinate(left + 0.5)}" y="${coordinate(top)}" width="${coordinate(Math.max(0.5, right - left - 1))}" height="${coordinate(baseline - top)}" fill="${seriesColor(0)}"><title>[${formatNumber(edges[k])}, ${formatNumber(edges[k + 1])}): ${formatCount(counts[k])}</title></rect>`,
    );
    if (counts.length <= VALUE_LABEL_LIMIT && counts[k] > 0) body.push(valueLabel((left + right) / 2, top, formatCount(counts[k])));
  }
  body.push('</g>');
  const total = Array.from(counts).reduce((sum, count) => sum + count, 0);
  const description = `Histogram of ${options.xLabel}: ${counts.length} bins from ${formatNumber(edges[0])} to ${formatNumber(edges[edges.length - 1])}, ${formatCount(total)} values in total, largest bin ${formatCount(maxCount)}`;
  return svgDocument({ width, height, title: options.title, label: options.title ?? `Histogram of ${options.xLabel}`, description }, body);
}

export interface BarChartOptions {
  title?: string;
  xLabel?: string;
  yLabel: string;
  bars: { label: string; value: number }[];
  logY?: boolean;
  width?: number;
  height?: number;
}

/** Bar chart of labelled values (e.g. singular values σ₁…σₙ, with logY). */
export function barChart(options: BarChartOptions): string {
  const { width, height } = chartSize(options);
  return categoricalBars({ ...options, xLabel: options.xLabel ?? '', width, height, kind: 'Bar chart', counts: false });
}

function categoricalBars(options: {
  title?: string; xLabel: string; yLabel: string; width: number; height: number; kind: string;
  bars: { label: string; value: number }[]; counts: boolean; logY?: boolean;
}): string {
  const { bars, width, height } = options;
  const logY = options.logY ?? false;
  if (bars.length === 0) throw new ShapeError(`${options.kind.toLowerCase()}: no bars given`);
  if (options.counts) checkCounts(bars.map((bar) => bar.value));
  const usable = (value: number) => Number.isFinite(value) && (!logY || value > 0);
  const values = bars.map((bar) => bar.value).filter(usable);
  let yScale: AxisScale;
  if (logY) {
    // The baseline of a log bar chart sits one decade below the smallest bar, so every bar is visible.
    const extent = dataExtent(values, true);
    yScale = scaleFor(extent && [extent[0] / LOG_BAR_BASELINE_FACTOR, extent[1]], true);
  } else {
    const extent = dataExtent([0, ...values])!;
    yScale = linearScale(extent[0], extent[1] > extent[0] ? extent[1] : 1, { integerTicks: options.counts && values.every(Number.isInteger) });
  }
  const area = plotArea(width, height, { title: options.title });
  const body = [yAxis(area, yScale, options.yLabel), categoryAxis(area, bars.map((bar) => bar.label), options.xLabel), '<g class="data">'];
  const band = area.plotWidth / bars.length;
  const gap = Math.min(8, band * 0.15);
  const baselineValue = logY ? yScale.min : 0;
  const baseline = yPixel(area, yScale, baselineValue);
  let omitted = 0;
  bars.forEach((bar, index) => {
    if (!usable(bar.value)) {
      omitted++;
      body.push(`<text class="missing-bar" x="${coordinate(area.left + band * (index + 0.5))}" y="${coordinate(baseline - 4)}" text-anchor="middle" font-size="11" fill="${MUTED_TEXT_COLOR}">${escapeXml(formatNumber(bar.value))}</text>`);
      return;
    }
    const top = yPixel(area, yScale, bar.value);
    const y = Math.min(top, baseline), barHeight = Math.abs(baseline - top);
    const x = area.left + band * index + gap / 2;
    body.push(
      `<rect class="bar" x="${coordinate(x)}" y="${coordinate(y)}" width="${coordinate(Math.max(0.5, band - gap))}" height="${coordinate(barHeight)}" fill="${seriesColor(0)}"><title>${escapeXml(bar.label)}: ${formatNumber(bar.value, 6)}</title></rect>`,
    );
    if (bars.length <= VALUE_LABEL_LIMIT) body.push(valueLabel(x + (band - gap) / 2, y, options.counts ? formatCount(bar.value) : formatNumber(bar.value, 3)));
  });
  body.push('</g>');
  if (omitted > 0) body.push(footnote(area, omittedNote(omitted, bars.length, logY, 'bar')));
  const description = `${options.kind} of ${options.yLabel}${options.xLabel ? ` by ${options.xLabel}` : ''}: ` +
    bars.slice(0, 50).map((bar) => `${bar.label} = ${formatNumber(bar.value)}`).join(', ') + (bars.length > 50 ? ', …' : '');
  return svgDocument({ width, height, title: options.title, label: options.title ?? `${options.kind}: ${options.yLabel}`, description }, body);
}

export interface HeatmapChartOptions {
  title?: string;
  xLabel: string;
  yLabel: string;
  /** Grid coordinates along x (increasing), length nx. */
  xs: ArrayLike<number>;
  /** Grid coordinates along y (increasing), length ny. */
  ys: ArrayLike<number>;
  /** Row-major ny × nx: values[j * nx + i] belongs to (xs[i], ys[j]). */
  values: ArrayLike<number>;
  colorLabel?: string;
  /** Color by log10 of the value (e.g. condition numbers); values ≤ 0 count as missing. */
  logColor?: boolean;
  /** Values marked on the color bar by a heavy line (e.g. a verdict threshold); the color range always includes them. */
  colorMarks?: { value: number; label: string }[];
  /** Legend text for cells without a usable value (default: "non-finite", or "non-finite or ≤ 0" with logColor). */
  missingLabel?: string;
  width?: number;
  height?: number;
}

/**
 * Heatmap of values on a rectangular grid, with a viridis color bar. Cells without a finite value
 * (or ≤ 0 with logColor) are gray, and the legend says how many there are.
 */
export function heatmapChart(options: HeatmapChartOptions): string {
  const { xs, ys, values } = options;
  const { width, height } = chartSize(options);
  const nx = xs.length, ny = ys.length;
  if (nx === 0 || ny === 0) throw new ShapeError(`heatmap: empty grid (xs has ${nx}, ys has ${ny} values)`);
  if (values.length !== nx * ny) {
    throw new ShapeError(`heatmap: values has ${values.length} entries, expected ys.length × xs.length = ${ny}×${nx} = ${nx * ny} (row-major, one row per y)`);
  }
  checkIncreasing(xs, 'xs');
  checkIncreasing(ys, 'ys');
  const logColor = options.logColor ?? false;
  const colorLabel = options.colorLabel ?? 'value';
  const usable = (value: number) => Number.isFinite(value) && (!logColor || value > 0);
  const xEdges = cellEdges(xs), yEdges = cellEdges(ys);
  const xScale = linearScale(xEdges[0], xEdges[nx], { exact: true });
  const yScale = linearScale(yEdges[0], yEdges[ny], { exact: true });

  const finite: number[] = [];
  for (let k = 0; k < values.length; k++) if (usable(values[k])) finite.push(values[k]);
  const missing = values.length - finite.length;
  const marks = (options.colorMarks ?? []).filter((mark) => usable(mark.value));
  // A mark near the data (within a decade on a log scale, one data width on a linear one) widens the
  // color range to include it; a far one is shown as an arrow off the end of the bar, keeping the contrast.
  const dataRange = dataExtent(finite, logColor);
  const near = (value: number) => {
    if (!dataRange) return false;
    if (logColor) return Math.log10(value) >= Math.log10(dataRange[0]) - 1 && Math.log10(value) <= Math.log10(dataRange[1]) + 1;
    const span = dataRange[1] - dataRange[0] || Math.abs(dataRange[0]) || 1;
    return value >= dataRange[0] - span && value <= dataRange[1] + span;
  };
  const colorScale = scaleFor(dataExtent([...finite, ...marks.filter((mark) => near(mark.value)).map((mark) => mark.value)], logColor), logColor, { exact: true });
  const colorOf = (value: number) => (usable(value) ? viridis(colorScale.fraction(value)) : MISSING_COLOR);

  const colorBarSpace = 96 + Math.min(20, colorLabel.length) * 2;
  const area = plotArea(width, height, { title: options.title, rightSpace: colorBarSpace });
  const body = [yAxis(area, yScale, options.yLabel, { grid: false }), xAxis(area, xScale, options.xLabel, { grid: false })];
  body.push('<g class="data" shape-rendering="crispEdges">');
  const tooltips = values.length <= CELL_TOOLTIP_LIMIT;
  for (let j = 0; j < ny; j++) {
    const top = yPixel(area, yScale, yEdges[j + 1]), bottom = yPixel(area, yScale, yEdges[j]);
    for (let i = 0; i < nx; i++) {
      const left = xPixel(area, xScale, xEdges[i]), right = xPixel(area, xScale, xEdges[i + 1]);
      const value = values[j * nx + i];
      // Cells overlap by a fraction of a pixel so no white seams show between them.
      const rect = `<rect class="cell" x="${coordinate(left)}" y="${coordinate(top)}" width="${coordinate(right - left + 0.3)}" height="${coordinate(bottom - top + 0.3)}" fill="${colorOf(value)}"`;
      body.push(tooltips ? `${rect}><title>${escapeXml(options.xLabel)} = ${formatNumber(xs[i])}, ${escapeXml(options.yLabel)} = ${formatNumber(ys[j])}: ${formatNumber(value)}</title></rect>` : `${rect}/>`);
    }
  }
  body.push('</g>');
  body.push(`<rect x="${area.left}" y="${area.top}" width="${coordinate(area.plotWidth)}" height="${coordinate(area.plotHeight)}" fill="none" stroke="${AXIS_COLOR}"/>`);
  body.push(colorBar(area, colorScale, colorLabel, finite.length > 0, missing, logColor, marks, options.missingLabel));

  const extent = dataExtent(finite);
  const description = `Heatmap of ${colorLabel} over ${options.xLabel} (${nx} values from ${formatNumber(xs[0])} to ${formatNumber(xs[nx - 1])}) and ${options.yLabel} (${ny} values from ${formatNumber(ys[0])} to ${formatNumber(ys[ny - 1])})` +
    (extent ? `; ${colorLabel} ranges from ${formatNumber(extent[0])} to ${formatNumber(extent[1])}` : '; no finite values') +
    (missing > 0 ? `; ${missing} cells have no ${logColor ? 'positive finite' : 'finite'} value (gray)` : '');
  return svgDocument({ width, height, title: options.title, label: options.title ?? `Heatmap of ${colorLabel}`, description }, body);
}

/** Vertical color bar right of the plot, with ticks, its label and the gray "missing" swatch. */
function colorBar(area: PlotArea, scale: AxisScale, label: string, hasData: boolean, missing: number, logColor: boolean, marks: { value: number; label: string }[] = [], missingLabel?: string): string {
  const x = area.left + area.plotWidth + 18;
  const barWidth = 16;
  const top = area.top, barHeight = Math.max(40, area.plotHeight - (missing > 0 ? 44 : 0));
  const parts = ['<g class="color-bar" shape-rendering="crispEdges">'];
  if (hasData) {
    const step = barHeight / COLOR_BAR_STEPS;
    for (let k = 0; k < COLOR_BAR_STEPS; k++) {
      const y = top + barHeight - (k + 1) * step;
      parts.push(`<rect class="color-step" x="${x}" y="${coordinate(y)}" width="${barWidth}" height="${coordinate(step + 0.4)}" fill="${viridis((k + 0.5) / COLOR_BAR_STEPS)}"/>`);
    }
    parts.push(`<rect x="${x}" y="${top}" width="${barWidth}" height="${coordinate(barHeight)}" fill="none" stroke="${AXIS_COLOR}"/>`);
    for (const tick of scale.ticks) {
      const y = coordinate(top + (1 - scale.fraction(tick)) * barHeight);
      parts.push(`<line x1="${x + barWidth}" x2="${x + barWidth + 4}" y1="${y}" y2="${y}" stroke="${AXIS_COLOR}"/>`);
      parts.push(`<text x="${x + barWidth + 7}" y="${y}" dy="0.35em" font-size="11" fill="${MUTED_TEXT_COLOR}">${escapeXml(scale.label(tick))}</text>`);
    }
    for (const mark of marks) {
      const fraction = scale.fraction(mark.value);
      if (fraction > 1 || fraction < 0) {
        // Off the scale: an arrow beyond the end of the bar, pointing away from it.
        const above = fraction > 1, tip = above ? top - 12 : top + barHeight + 12, base = above ? top - 3 : top + barHeight + 3;
        parts.push(`<g class="color-mark off-scale"><title>${escapeXml(`${mark.label} (${above ? 'above' : 'below'} this color range)`)}</title><path d="M${x + 2},${coordinate(base)} L${x + barWidth / 2},${coordinate(tip)} L${x + barWidth - 2},${coordinate(base)} Z" fill="${TEXT_COLOR}"/></g>`);
        continue;
      }
      const y = coordinate(top + (1 - fraction) * barHeight);
      parts.push(`<g class="color-mark"><title>${escapeXml(mark.label)}</title><line x1="${x - 5}" x2="${x + barWidth + 5}" y1="${y}" y2="${y}" stroke="${TEXT_COLOR}" stroke-width="2.5"/><path d="M${x - 10},${coordinate(Number(y) - 4)} L${x - 4},${y} L${x - 10},${coordinate(Number(y) + 4)} Z" fill="${TEXT_COLOR}"/></g>`);
    }
  }
  const labelX = coordinate(x + barWidth + 62);
  const labelY = coordinate(top + barHeight / 2);
  parts.push(`<text class="axis-label" transform="translate(${labelX} ${labelY}) rotate(90)" text-anchor="middle" fill="${TEXT_COLOR}">${escapeXml(label + (logColor ? ' (log color scale)' : ''))}</text>`);
  if (missing > 0) {
    const y = top + barHeight + 14;
    parts.push(`<g class="legend-entry missing"><rect class="swatch" x="${x}" y="${y}" width="${barWidth}" height="12" fill="${MISSING_COLOR}" stroke="${AXIS_COLOR}"/>`);
    parts.push(`<text x="${x + barWidth + 6}" y="${y + 6}" dy="0.35em" font-size="11" fill="${TEXT_COLOR}">${escapeXml(missingLabel ?? (logColor ? 'non-finite or ≤ 0' : 'non-finite'))}</text>`);
    parts.push(`<text x="${x + barWidth + 6}" y="${y + 22}" dy="0.35em" font-size="11" fill="${MUTED_TEXT_COLOR}">${formatCount(missing)} cell${missing === 1 ? '' : 's'}</text></g>`);
  }
  parts.push('</g>');
  return parts.join('\n');
}

/** Cell boundaries: midpoints between grid values, extended by half a step at both ends. */
function cellEdges(values: ArrayLike<number>): Float64Array {
  const count = values.length;
  const edges = new Float64Array(count + 1);
  if (count === 1) {
    const half = Math.abs(values[0]) * 0.5 || 0.5;
    edges[0] = values[0] - half;
    edges[1] = values[0] + half;
    return edges;
  }
  for (let k = 1; k < count; k++) edges[k] = (values[k - 1] + values[k]) / 2;
  edges[0] = values[0] - (values[1] - values[0]) / 2;
  edges[count] = values[count - 1] + (values[count - 1] - values[count - 2]) / 2;
  return edges;
}

function valueLabel(x: number, top: number, text: string): string {
  return `<text class="value-label" x="${coordinate(x)}" y="${coordinate(top - 4)}" text-anchor="middle" font-size="11" fill="${MUTED_TEXT_COLOR}">${escapeXml(text)}</text>`;
}

function omittedNote(omitted: number, total: number, log: boolean, unit: string): string {
  return `${formatCount(omitted)} of ${formatCount(total)} ${unit}s not drawn: non-finite${log ? ' or ≤ 0 on a log axis' : ''}`;
}

function rangeText(values: ArrayLike<number>): string {
  const extent = dataExtent(Array.from(values));
  return extent ? `, from ${formatNumber(extent[0])} to ${formatNumber(extent[1])}` : '';
}

/** The chart's size in pixels (defaults DEFAULT_WIDTH×DEFAULT_HEIGHT), at least 120×100. */
function chartSize(options: { width?: number; height?: number }): { width: number; height: number } {
  const width = options.width ?? DEFAULT_WIDTH, height = options.height ?? DEFAULT_HEIGHT;
  if (!(width >= 120 && height >= 100 && Number.isFinite(width) && Number.isFinite(height))) {
    throw new InvalidArgumentError(`chart size must be at least 120×100 pixels, got ${width}×${height}`);
  }
  return { width, height };
}

function checkIncreasing(values: ArrayLike<number>, name: string): void {
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k])) throw new InvalidArgumentError(`heatmap: ${name}[${k}] is ${values[k]}; grid coordinates must be finite`);
    if (k > 0 && !(values[k] > values[k - 1])) {
      throw new InvalidArgumentError(`heatmap: ${name} must be strictly increasing, but ${name}[${k}] = ${values[k]} ≤ ${name}[${k - 1}] = ${values[k - 1]}`);
    }
  }
}

function checkCounts(counts: ArrayLike<number>): void {
  for (let k = 0; k < counts.length; k++) {
    if (!(Number.isFinite(counts[k]) && counts[k] >= 0)) {
      throw new InvalidArgumentError(`histogram: count ${k} is ${counts[k]}; counts must be finite and ≥ 0`);
    }
  }
}

function allIntegers(values: ArrayLike<number>): boolean {
  for (let k = 0; k < values.length; k++) if (!Number.isInteger(values[k])) return false;
  return true;
}
