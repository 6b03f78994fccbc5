// CSV text → numeric table inside the worker. src/io/csv.ts streams through csv-parse's Node
// `stream.Transform`, which does not exist in a browser, so the page parses an uploaded file with
// csv-parse's browser build (synchronous API, own Buffer polyfill) and the data layer's strict cell rules (src/data/cells.ts): a bad cell
// names the line and column, and text is never read as 0. The delimiter (comma, semicolon or tab)
// is detected from the header line; a "name [unit]" header carries its unit.
import { parse } from 'csv-parse/browser/esm/sync';
import { cellProblem, closestName, firstRowKind, parseCell, spreadsheetErrorLine } from '../../src/data/index.ts';
import { InvalidArgumentError, ShapeError } from '../../src/core/index.ts';
import { Matrix } from '../../src/linalg/index.ts';
import type { CsvColumnInfo } from './protocol.ts';

export interface CsvText {
  header: string[];
  /** Data rows × all columns (NaN in text columns that were not asked for). */
  rows: Matrix;
  delimiter: string;
  /** The header cells with a non-numeric cell somewhere below (only when `columns` allowed them). */
  textColumns: string[];
}

const DELIMITERS = [',', ';', '\t'] as const;

/** Human name of a delimiter for messages. */
export function delimiterName(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter === ';' ? 'semicolon' : 'comma';
}

/**
 * The delimiter of a CSV text: the one of comma, semicolon, tab that splits the first non-comment
 * line into the most cells (outside double quotes); comma when none occurs.
 */
export function detectDelimiter(text: string): string {
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((candidate) => candidate.trim() !== '' && !candidate.trimStart().startsWith('#')) ?? '';
  const unquoted = line.replace(/"[^"]*"/g, '');
  let best = ',', bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = unquoted.split(delimiter).length - 1;
    if (count > bestCount) { best = delimiter; bestCount = count; }
  }
  return best;
}

/** "hmt [°C]" or "hmt (°C)" → name "hmt", unit "°C"; anything else is all name. */
export function splitUnit(header: string): { name: string; unit: string } {
  const match = /^(.*?)\s*(?:\[([^\]]*)\]|\(([^)]*)\))\s*$/.exec(header);
  if (!match || match[1].trim() === '') return { name: header.trim(), unit: '' };
  return { name: match[1].trim(), unit: (match[2] ?? match[3] ?? '').trim() };
}

/**
 * Parse CSV text with a header row. Every cell of the columns in `columns` (default: all) must be a
 * finite number; other columns may hold text (they are NaN in `rows` and listed in textColumns).
 */
export function parseCsvText(text: string, name = 'CSV file', columns?: readonly string[]): CsvText {
  const delimiter = detectDelimiter(text);
  // '#' lines are comments, but not a spreadsheet error value (#N/A) in the first cell: that is a data row.
  const spreadsheetError = spreadsheetErrorLine(text.split('\n'));
  if (spreadsheetError) throw new InvalidArgumentError(`${name}, line ${spreadsheetError.line}, column 1: the cell is a spreadsheet error ("${spreadsheetError.value}")`);
  const records = parse(text.replace(/^\uFEFF/, ''), {
    comment: '#',
    delimiter,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  if (records.length === 0) throw new ShapeError(`${name}: no rows (the file is empty)`);
  const header = records[0].record;
  const kind = firstRowKind(header);
  if (kind === 'data') {
    throw new InvalidArgumentError(`${name}: the first row must be a header naming the columns, but it is numeric (${header.slice(0, 4).join(', ')}…)`);
  }
  if (kind === 'mixed') {
    throw new InvalidArgumentError(`${name}: the first row mixes names and numbers (${header.slice(0, 4).join(', ')}…); it must be a header naming every column`);
  }
  const cols = header.length;
  const strict = new Set(columns ?? header);
  const textColumns = new Set<string>();
  const rows = new Matrix(records.length - 1, cols);
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r];
    if (record.length !== cols) {
      const others = DELIMITERS.filter((other) => other !== delimiter && record.join('').includes(other));
      const hint = others.length ? ` (the header was split on ${delimiterName(delimiter)}s; this line also contains ${others.map(delimiterName).join(' and ')}s)` : '';
      throw new ShapeError(`${name}, line ${info.lines}: ${record.length} cells, but the header has ${cols} columns${hint}`);
    }
    for (let c = 0; c < cols; c++) {
      const cell = parseCell(record[c]);
      const problem = cellProblem(cell);
      if (problem !== null || cell.kind !== 'number') {
        if (strict.has(header[c]) || strict.has(splitUnit(header[c]).name)) throw new InvalidArgumentError(`${name}, line ${info.lines}, column "${header[c]}": the cell ${problem ?? 'is not a number'}`);
        textColumns.add(header[c]);
        rows.data[(r - 1) * cols + c] = NaN;
        continue;
      }
      rows.data[(r - 1) * cols + c] = cell.value;
    }
  }
  if (rows.rows === 0) throw new ShapeError(`${name}: a header but no data rows`);
  return { header, rows, delimiter, textColumns: [...textColumns] };
}

/** Per column: name and unit from the header, numeric or text, constant or varying. */
export function describeColumns(table: CsvText): CsvColumnInfo[] {
  const { rows, cols, data } = table.rows;
  return table.header.map((header, c) => {
    const numeric = !table.textColumns.includes(header);
    let constant = numeric;
    for (let r = 1; r < rows && constant; r++) if (data[r * cols + c] !== data[c]) constant = false;
    return { header, ...splitUnit(header), numeric, constant };
  });
}

/** Column names stated by "# inputs: a [u], b" and "# outputs: …" comment lines (units stripped). */
export function statedRoles(text: string): { inputs: string[]; outputs: string[] } {
  const stated = { inputs: [] as string[], outputs: [] as string[] };
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*#\s*(inputs|outputs)\s*:\s*(.+)$/i.exec(line);
    if (!match) continue;
    stated[match[1].toLowerCase() as 'inputs' | 'outputs'] = match[2].split(',').map((part) => splitUnit(part.trim()).name).filter(Boolean);
  }
  return stated;
}

/** The columns `names` of the table, in that order, as a rows×names.length matrix. */
export function selectColumns(table: CsvText, names: readonly string[], name = 'CSV file'): Matrix {
  const indices = names.map((column) => {
    // A column is named by its header cell or by that cell without its "[unit]".
    let index = table.header.indexOf(column);
    if (index < 0) index = table.header.findIndex((header) => splitUnit(header).name === column);
    if (index < 0) {
      const suggestion = closestName(column, table.header);
      throw new InvalidArgumentError(`${name}: no column "${column}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; columns are ${table.header.join(', ')}`);
    }
    return index;
  });
  const { rows, cols, data } = table.rows;
  const out = new Matrix(rows, indices.length);
  for (let r = 0; r < rows; r++) for (let k = 0; k < indices.length; k++) out.data[r * indices.length + k] = data[r * cols + indices[k]];
  return out;
}

/** A matrix as CSV text with a header; numbers in the shortest form that reads back exactly. */
export function toCsvText(names: readonly string[], values: Matrix): string {
  const lines = [names.join(',')];
  for (let r = 0; r < values.rows; r++) lines.push(Array.from(values.row(r), (value) => String(value)).join(','));
  return `${lines.join('\n')}\n`;
}
