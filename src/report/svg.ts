// SVG building blocks shared by the charts: escaping, the document wrapper (accessible: role="img",
// aria-label, <title>, <desc>), plot-area layout, axes with ticks/grid/labels, legends and colors.
// Produces plain strings; no DOM, no ids (several charts can share one page), no external resources.
import type { AxisScale } from './scale.ts';

export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
export const TEXT_COLOR = '#1f2933';
export const MUTED_TEXT_COLOR = '#52606d';
export const AXIS_COLOR = '#7b8794';
export const GRID_COLOR = '#e4e7eb';
/** Cells/points that have no finite value. Neutral gray: not part of the viridis map. */
export const MISSING_COLOR = '#b0b0b0';
/** Okabe–Ito palette: distinguishable with common color-vision deficiencies. */
export const SERIES_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

/** Average glyph width at 12px in a sans-serif font; used to size legends and margins. */
export const CHARACTER_WIDTH = 6.6;
const FONT_SIZE = 12;
const TICK_FONT_SIZE = 11;
const TICK_LENGTH = 5;

/** Viridis colormap anchors (matplotlib), evenly spaced from 0 to 1. */
const VIRIDIS = [
  [68, 1, 84], [72, 40, 120], [62, 73, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [110, 206, 88], [181, 222, 43], [253, 231, 37],
];

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);
}

/** Coordinates with one decimal: enough for screens, keeps files small. */
export function coordinate(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}

/** Viridis color for t in [0, 1] (clamped), linear interpolation between anchors. */
export function viridis(t: number): string {
  const position = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const index = Math.min(VIRIDIS.length - 2, Math.floor(position));
  const blend = position - index;
  const [r0, g0, b0] = VIRIDIS[index], [r1, g1, b1] = VIRIDIS[index + 1];
  const channel = (a: number, b: number) => Math.round(a + (b - a) * blend).toString(16).padStart(2, '0');
  return `#${channel(r0, r1)}${channel(g0, g1)}${channel(b0, b1)}`;
}

/** Shorten long legend/label text (the full text stays available in a <title>). */
export function truncate(text: string, maxCharacters: number): string {
  return text.length <= maxCharacters ? text : text.slice(0, Math.max(1, maxCharacters - 1)) + '…';
}

export interface PlotArea {
  width: number;
  height: number;
  left: number;
  top: number;
  plotWidth: number;
  plotHeight: number;
}

/** Place the plot rectangle inside the canvas, leaving room for title, axis labels and a right-hand legend. */
export function plotArea(width: number, height: number, options: { title?: string; rightSpace?: number; bottomSpace?: number; leftSpace?: number }): PlotArea {
  const top = options.title ? 40 : 16;
  const left = options.leftSpace ?? 72;
  const right = 16 + (options.rightSpace ?? 0);
  const bottom = options.bottomSpace ?? 52;
  return { width, height, left, top, plotWidth: Math.max(40, width - left - right), plotHeight: Math.max(40, height - top - bottom) };
}

export function xPixel(area: PlotArea, scale: AxisScale, value: number): number {
  return area.left + scale.fraction(value) * area.plotWidth;
}

export function yPixel(area: PlotArea, scale: AxisScale, value: number): number {
  return area.top + (1 - scale.fraction(value)) * area.plotHeight;
}

/** The outer <svg> element: fixed size, scalable via viewBox, accessible name and description. */
export function svgDocument(options: { width: number; height: number; label: string; description: string; title?: string }, body: string[]): string {
  const { width, height } = options;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="inversa-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.label)}" font-family="${escapeXml(FONT_FAMILY)}" font-size="${FONT_SIZE}">`,
    `<title>${escapeXml(options.label)}</title>`,
    `<desc>${escapeXml(options.description)}</desc>`,
    `<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (options.title) {
    parts.push(`<text class="chart-title" x="${coordinate(width / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="600" fill="${TEXT_COLOR}">${escapeXml(options.title)}</text>`);
  }
  parts.push(...body, '</svg>');
  return parts.join('\n');
}

/** Horizontal gridlines, y ticks and labels, and the rotated y-axis title. */
export function yAxis(area: PlotArea, scale: AxisScale, label: string, options: { grid?: boolean } = {}): string {
  const parts: string[] = ['<g class="axis y-axis">'];
  const x0 = area.left;
  for (const tick of scale.ticks) {
    const y = coordinate(yPixel(area, scale, tick));
    if (options.grid !== false) {
      parts.push(`<line class="grid" x1="${x0}" x2="${coordinate(x0 + area.plotWidth)}" y1="${y}" y2="${y}" stroke="${GRID_COLOR}" stroke-width="1"/>`);
    }
    parts.push(`<line x1="${x0 - TICK_LENGTH}" x2="${x0}" y1="${y}" y2="${y}" stroke="${AXIS_COLOR}"/>`);
    parts.push(`<text x="${x0 - TICK_LENGTH - 3}" y="${y}" dy="0.35em" text-anchor="end" font-size="${TICK_FONT_SIZE}" fill="${MUTED_TEXT_COLOR}">${escapeXml(scale.label(tick))}</text>`);
  }
  parts.push(`<line x1="${x0}" x2="${x0}" y1="${area.top}" y2="${coordinate(area.top + area.plotHeight)}" stroke="${AXIS_COLOR}"/>`);
  const centerY = coordinate(area.top + area.plotHeight / 2);
  parts.push(`<text class="axis-label" transform="translate(16 ${centerY}) rotate(-90)" text-anchor="middle" fill="${TEXT_COLOR}">${escapeXml(label + (scale.log ? ' (log scale)' : ''))}</text>`);
  parts.push('</g>');
  return parts.join('\n');
}

/** Vertical gridlines, x ticks and labels, and the x-axis title (numeric axis). */
export function xAxis(area: PlotArea, scale: AxisScale, label: string, options: { grid?: boolean } = {}): string {
  const parts: string[] = ['<g class="axis x-axis">'];
  const y0 = area.top + area.plotHeight;
  // Thin out labels that would collide.
  const longest = Math.max(1, ...scale.ticks.map((tick) => scale.label(tick).length));
  const room = area.plotWidth / Math.max(1, scale.ticks.length);
  const every = Math.max(1, Math.ceil((longest * CHARACTER_WIDTH + 8) / room));
  scale.ticks.forEach((tick, index) => {
    const x = coordinate(xPixel(area, scale, tick));
    if (options.grid !== false) {
      parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${area.top}" y2="${coordinate(y0)}" stroke="${GRID_COLOR}" stroke-width="1"/>`);
    }
    parts.push(`<line x1="${x}" x2="${x}" y1="${coordinate(y0)}" y2="${coordinate(y0 + TICK_LENGTH)}" stroke="${AXIS_COLOR}"/>`);
    if (index % every === 0) {
      parts.push(`<text x="${x}" y="${coordinate(y0 + TICK_LENGTH + 13)}" text-anchor="middle" font-size="${TICK_FONT_SIZE}" fill="${MUTED_TEXT_COLOR}">${escapeXml(scale.label(tick))}</text>`);
    }
  });
  parts.push(axisBaseline(area));
  parts.push(xAxisTitle(area, label + (scale.log ? ' (log scale)' : '')));
  parts.push('</g>');
  return parts.join('\n');
}

/** Category labels centred under bands of equal width (bar charts, labelled histograms). */
export function categoryAxis(area: PlotArea, labels: string[], label: string): string {
  const parts: string[] = ['<g class="axis x-axis">'];
  const band = area.plotWidth / Math.max(1, labels.length);
  const longest = Math.max(1, ...labels.map((text) => text.length));
  const every = Math.max(1, Math.ceil((Math.min(longest, 14) * CHARACTER_WIDTH + 6) / band));
  const y0 = area.top + area.plotHeight;
  labels.forEach((text, index) => {
    if (index % every !== 0) return;
    const x = coordinate(area.left + band * (index + 0.5));
    parts.push(`<text x="${x}" y="${coordinate(y0 + 18)}" text-anchor="middle" font-size="${TICK_FONT_SIZE}" fill="${MUTED_TEXT_COLOR}">${escapeXml(truncate(text, 14))}</text>`);
  });
  parts.push(axisBaseline(area));
  parts.push(xAxisTitle(area, label));
  parts.push('</g>');
  return parts.join('\n');
}

function axisBaseline(area: PlotArea): string {
  const y0 = coordinate(area.top + area.plotHeight);
  return `<line x1="${area.left}" x2="${coordinate(area.left + area.plotWidth)}" y1="${y0}" y2="${y0}" stroke="${AXIS_COLOR}"/>`;
}

function xAxisTitle(area: PlotArea, label: string): string {
  return `<text class="axis-label" x="${coordinate(area.left + area.plotWidth / 2)}" y="${coordinate(area.top + area.plotHeight + 40)}" text-anchor="middle" fill="${TEXT_COLOR}">${escapeXml(label)}</text>`;
}

export interface LegendEntry {
  name: string;
  color: string;
  /** How the swatch looks: a line (optionally dashed), a filled square or a dot. */
  kind: 'line' | 'dashed' | 'square' | 'dot';
}

export const LEGEND_MAX_CHARACTERS = 28;

/** Width needed for a right-hand legend with these names. */
export function legendWidth(names: string[]): number {
  if (names.length === 0) return 0;
  const longest = Math.max(...names.map((name) => Math.min(name.length, LEGEND_MAX_CHARACTERS)));
  return Math.ceil(30 + longest * CHARACTER_WIDTH) + 8;
}

/** Legend column to the right of the plot area. */
export function legend(area: PlotArea, entries: LegendEntry[]): string {
  if (entries.length === 0) return '';
  const x = area.left + area.plotWidth + 16;
  const parts = ['<g class="legend">'];
  entries.forEach((entry, index) => {
    const y = area.top + 8 + index * 20;
    parts.push(`<g class="legend-entry"><title>${escapeXml(entry.name)}</title>`);
    if (entry.kind === 'square') {
      parts.push(`<rect class="swatch" x="${x}" y="${y - 6}" width="18" height="12" fill="${entry.color}"/>`);
    } else if (entry.kind === 'dot') {
      parts.push(`<circle class="swatch" cx="${x + 9}" cy="${y}" r="4" fill="${entry.color}"/>`);
    } else {
      const dash = entry.kind === 'dashed' ? ' stroke-dasharray="6 4"' : '';
      parts.push(`<line class="swatch" x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${entry.color}" stroke-width="2.5"${dash}/>`);
    }
    parts.push(`<text x="${x + 24}" y="${y}" dy="0.35em" fill="${TEXT_COLOR}">${escapeXml(truncate(entry.name, LEGEND_MAX_CHARACTERS))}</text></g>`);
  });
  parts.push('</g>');
  return parts.join('\n');
}

/** Small note under the plot, right-aligned (e.g. "3 points omitted: non-finite"). */
export function footnote(area: PlotArea, text: string): string {
  return `<text class="chart-note" x="${coordinate(area.width - 8)}" y="${coordinate(area.height - 6)}" text-anchor="end" font-size="11" fill="${MUTED_TEXT_COLOR}">${escapeXml(text)}</text>`;
}

/** Centered "no data" message when nothing can be drawn. */
export function emptyMessage(area: PlotArea, text: string): string {
  return `<text class="chart-empty" x="${coordinate(area.left + area.plotWidth / 2)}" y="${coordinate(area.top + area.plotHeight / 2)}" text-anchor="middle" fill="${MUTED_TEXT_COLOR}">${escapeXml(text)}</text>`;
}
