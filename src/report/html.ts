// Self-contained HTML reports: one file with inline CSS and inline SVG charts, no scripts and no
// external URLs (a Content-Security-Policy forbids any), so a report opens offline, can be mailed,
// and renders the same everywhere. Pure string building.
import { ShapeError, formatNumber } from '../core/index.ts';
import type { TableCell } from './table.ts';

export interface HtmlSection {
  heading: string;
  /** Trusted HTML (build it with escapeHtml / htmlTable / the chart functions). */
  html: string;
}

export interface HtmlPageOptions {
  title: string;
  subtitle?: string;
  sections: HtmlSection[];
  footer?: string;
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);
}

/** Forbid every network request: only inline styles and data: images are allowed. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
:root { color-scheme: light; --text: #1f2933; --muted: #52606d; --line: #d9dee3; --soft: #f5f7fa; --accent: #0072b2; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f4; color: var(--text); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 28px 20px 40px; }
header.page { margin-bottom: 20px; }
h1 { font-size: 26px; line-height: 1.25; margin: 0 0 4px; }
.subtitle { color: var(--muted); margin: 0; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 22px 20px; margin: 0 0 18px; }
h2 { font-size: 18px; margin: 0 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 16px 0 8px; }
p { margin: 0 0 10px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto; }
.table-wrap { overflow-x: auto; margin: 0 0 10px; }
table { border-collapse: collapse; font-size: 14px; }
th, td { padding: 5px 12px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; border-bottom: 2px solid var(--line); }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: #fafbfc; }
figure { margin: 8px 0 14px; }
figure svg, svg.inversa-chart { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.status { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 13px; font-weight: 600; }
.status.ok { background: #e3f4ea; color: #1b6b3a; }
.status.warn { background: #fff3d6; color: #8a5a00; }
.status.fail { background: #fde4e1; color: #a0231b; }
.note { border-left: 4px solid var(--accent); background: var(--soft); padding: 8px 12px; margin: 0 0 10px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 10px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 13px; text-align: center; margin-top: 24px; }
@media print { body { background: #fff; } section { break-inside: avoid; border-color: #bbb; } }
`;

/** A complete HTML document: title, optional subtitle, one card per section, optional footer. */
export function htmlPage(options: HtmlPageOptions): string {
  const sections = options.sections
    .map((section) => `<section>\n<h2>${escapeHtml(section.heading)}</h2>\n${section.html}\n</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${escapeHtml(options.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header class="page">
<h1>${escapeHtml(options.title)}</h1>
${options.subtitle ? `<p class="subtitle">${escapeHtml(options.subtitle)}</p>` : ''}
</header>
${sections}
${options.footer ? `<footer>${escapeHtml(options.footer)}</footer>` : ''}
</main>
</body>
</html>
`;
}

/** HTML table; numbers are formatted with formatNumber and right-aligned. */
export function htmlTable(headers: string[], rows: TableCell[][], options: { digits?: number; caption?: string } = {}): string {
  rows.forEach((row, index) => {
    if (row.length !== headers.length) {
      throw new ShapeError(`htmlTable: row ${index + 1} has ${row.length} cells but there are ${headers.length} headers (${headers.join(', ')})`);
    }
  });
  const digits = options.digits ?? 4;
  const numeric = headers.map((_, column) => rows.length > 0 && rows.every((row) => typeof row[column] === 'number'));
  const head = headers.map((header, column) => `<th scope="col"${numeric[column] ? ' class="number"' : ''}>${escapeHtml(header)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell) => (typeof cell === 'number'
      ? `<td class="number" title="${escapeHtml(String(cell))}">${escapeHtml(formatNumber(cell, digits))}</td>`
      : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`)
    .join('\n');
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  return `<div class="table-wrap"><table>${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/** A chart (SVG string) with an optional caption. */
export function htmlFigure(svg: string, caption?: string): string {
  return `<figure>${svg}${caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ''}</figure>`;
}

/** Paragraph of escaped text. */
export function htmlParagraph(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}

/** Colored verdict badge, e.g. htmlStatus('warn', 'ill-conditioned'). */
export function htmlStatus(kind: 'ok' | 'warn' | 'fail', text: string): string {
  return `<span class="status ${kind}">${escapeHtml(text)}</span>`;
}

/** Label/value list ("facts") for result summaries; numbers formatted with formatNumber. */
export function htmlFacts(entries: [label: string, value: string | number][], digits = 4): string {
  const items = entries
    .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(typeof value === 'number' ? formatNumber(value, digits) : value)}</dd>`)
    .join('');
  return `<dl class="facts">${items}</dl>`;
}
