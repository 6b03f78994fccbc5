// CSV text → numeric table inside the worker. src/data/csv.ts streams through csv-parse's Node
// `stream.Transform`, which does not exist in a browser, so the page parses an uploaded file with
// csv-parse's browser build (synchronous API, own Buffer polyfill) and the data layer's strict cell rules (src/data/cells.ts): a bad cell
// names the line and column, and text is never read as 0.
import { parse } from 'csv-parse/browser/esm/sync';
import { cellProblem, closestName, firstRowKind, parseCell, spreadsheetErrorLine } from '../../src/data/cells.ts';
import { InvalidArgumentError, ShapeError } from '../../src/linalg/errors.ts';
import { Matrix } from '../../src/linalg/matrix.ts';

export interface CsvText {
  header: string[];
  /** Data rows × all columns. */
  rows: Matrix;
}

/** Parse CSV text with a header row; every data cell must be a finite number. */
export function parseCsvText(text: string, name = 'CSV file'): CsvText {
  // '#' lines are comments, but not a spreadsheet error value (#N/A) in the first cell: that is a data row.
  const spreadsheetError = spreadsheetErrorLine(text.split('\n'));
  if (spreadsheetError) throw new InvalidArgumentError(`${name}, line ${spreadsheetError.line}, column 1: the cell is a spreadsheet error ("${spreadsheetError.value}")`);
  const records = parse(text.replace(/^\uFEFF/, ''), {
    comment: '#',
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
  const rows = new Matrix(records.length - 1, cols);
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r];
    if (record.length !== cols) {
      throw new ShapeError(`${name}, line ${info.lines}: ${record.length} cells, but the header has ${cols} columns`);
    }
    for (let c = 0; c < cols; c++) {
      const cell = parseCell(record[c]);
      const problem = cellProblem(cell);
      if (problem !== null || cell.kind !== 'number') throw new InvalidArgumentError(`${name}, line ${info.lines}, column "${header[c]}": the cell ${problem}`);
      rows.data[(r - 1) * cols + c] = cell.value;
    }
  }
  if (rows.rows === 0) throw new ShapeError(`${name}: a header but no data rows`);
  return { header, rows };
}

/** The columns `names` of the table, in that order, as a rows×names.length matrix. */
export function selectColumns(table: CsvText, names: readonly string[], name = 'CSV file'): Matrix {
  const indices = names.map((column) => {
    const index = table.header.indexOf(column);
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
