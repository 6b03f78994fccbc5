// Aligned monospaced text tables for terminal output. Numbers go through formatNumber and are
// right-aligned by default; text is left-aligned. Pure: returns a string, prints nothing.
import { ShapeError, formatNumber } from '../core/index.ts';

export type Alignment = 'left' | 'right';
export type TableCell = string | number;

export interface TextTableOptions {
  /** Per-column alignment; default: right for columns whose cells are all numbers, else left. */
  align?: Alignment[];
  /** Significant digits for numeric cells (default 4). */
  digits?: number;
}

/** Gap between columns. */
const COLUMN_SEPARATOR = '  ';

/**
 * Render a table:
 *   name   value
 *   -----  -----
 *   alpha  1.235
 */
export function textTable(headers: string[], rows: TableCell[][], options: TextTableOptions = {}): string {
  const columnCount = headers.length;
  if (columnCount === 0) throw new ShapeError('textTable: headers is empty (need at least one column)');
  rows.forEach((row, index) => {
    if (row.length !== columnCount) {
      throw new ShapeError(`textTable: row ${index + 1} has ${row.length} cells but there are ${columnCount} headers (${headers.join(', ')})`);
    }
  });
  if (options.align && options.align.length !== columnCount) {
    throw new ShapeError(`textTable: align has ${options.align.length} entries, expected one per column (${columnCount})`);
  }
  const digits = options.digits ?? 4;
  const text = rows.map((row) => row.map((cell) => cellText(cell, digits)));
  const alignment = options.align ?? headers.map((_, column) => defaultAlignment(rows, column));
  const widths = headers.map((header, column) =>
    Math.max(displayWidth(header), ...text.map((row) => displayWidth(row[column]))),
  );
  const formatLine = (cells: string[]) =>
    cells.map((cell, column) => pad(cell, widths[column], alignment[column])).join(COLUMN_SEPARATOR).trimEnd();
  const lines = [formatLine(headers), formatLine(widths.map((width) => '-'.repeat(width))), ...text.map(formatLine)];
  return lines.join('\n');
}

export function cellText(cell: TableCell, digits = 4): string {
  return typeof cell === 'number' ? formatNumber(cell, digits) : cell;
}

/** Right for all-number columns (an empty table aligns left). */
function defaultAlignment(rows: TableCell[][], column: number): Alignment {
  return rows.length > 0 && rows.every((row) => typeof row[column] === 'number') ? 'right' : 'left';
}

/** Length in code points (so "σ" or "Δ" count as one). */
function displayWidth(text: string): number {
  let width = 0;
  for (const _ of text) width++;
  return width;
}

function pad(text: string, width: number, alignment: Alignment): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return alignment === 'right' ? fill + text : text + fill;
}
