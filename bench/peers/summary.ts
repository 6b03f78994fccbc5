// The human summary of a bench run, printed on stderr after the JSON lines (stdout stays machine
// readable): one row per line with our figure, the peer's figure and kind, the ratio, the target
// ratio and whether it was met.
import type { CompleteBenchLine } from '../types.ts';

const NAME_WIDTH = 46;
const PEER_WIDTH = 34;

/** A figure with at most 4 significant digits and thousands separators: 89,257 / 23.1 / 0.0123. */
export function formatFigure(value: number | null, unit = ''): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const rounded = Math.abs(value) >= 1000 ? Math.round(value) : Number(value.toPrecision(4));
  const text = rounded.toLocaleString('en-US', { maximumFractionDigits: 6 });
  return unit ? `${text} ${unit}` : text;
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function metWord(met: boolean | null): string {
  return met === null ? '—' : met ? 'yes' : 'NO';
}

/** The rows of the summary table (header first); pure, for testing. */
export function summaryRows(lines: readonly CompleteBenchLine[]): string[][] {
  const header = ['suite', 'line', 'inversa', `peer figure (kind)`, 'ratio', 'target', 'met'];
  const rows = lines.map((line) => [
    line.suite,
    clip(line.name, NAME_WIDTH),
    formatFigure(line.value, line.unit),
    line.peerValue === null ? line.peerKind : clip(`${formatFigure(line.peerValue, line.unit)} (${line.peerKind})`, PEER_WIDTH),
    line.ratio === null ? '—' : `${formatFigure(line.ratio)}×`,
    line.targetRatio === null ? '—' : `≥ ${formatFigure(line.targetRatio)}×`,
    metWord(line.met),
  ]);
  return [header, ...rows];
}

/** The summary as aligned text, with a legend for the ratio direction. */
export function formatSummary(lines: readonly CompleteBenchLine[]): string {
  const rows = summaryRows(lines);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const render = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  const metCount = lines.filter((line) => line.met === true).length;
  const judged = lines.filter((line) => line.met !== null).length;
  return [
    render(rows[0]),
    rule,
    ...rows.slice(1).map(render),
    rule,
    `ratio > 1: inversa is better (faster, or within budget). Targets met: ${metCount} of ${judged} judged.`,
    'peer kinds: measured = timed in this run; published = the issue\'s figure (peer could not run here); budget = a fixed limit.',
  ].join('\n');
}
