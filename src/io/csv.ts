// Reading and writing numeric CSV files: the one place where user data enters inversa.
// Everything goes through one streaming parser (csv-parse), so a 1,000,000-row file is read in
// bounded memory and the small-file reader applies exactly the same checks. Checks are strict and
// explain themselves: a bad cell names the file, the line number as in the file, and the column;
// a missing column lists the available ones and suggests the closest name.
//
// Accepted format: comma-separated; optional UTF-8 BOM; CRLF or LF; lines starting with '#' are
// comments, except a spreadsheet error value such as #N/A or #DIV/0! in the first cell, which is an
// error naming the line (a comment would silently drop the row); blank lines are skipped; fields may
// be quoted; surrounding whitespace is ignored. The header is auto-detected: the first non-comment
// row is a header when all its cells are text, data when none is, and an error when it mixes both
// (so a stray text cell never turns the first data row into a header).
import { createReadStream } from 'node:fs';
import { parse, type Options as CsvParseOptions, type Parser } from 'csv-parse';
import { InvalidArgumentError, InversaError, NonFiniteError, ShapeError, checkInteger } from '../core/index.ts';
import { Matrix } from '../linalg/index.ts';
import { writeFileAtomic } from './atomic.ts';
import { assertRegularFile } from './input-file.ts';
import { osErrorText } from './os-error.ts';
import { cellProblem, closestName, firstRowKind, looksNumeric, parseCell, spreadsheetErrorLine } from '../data/index.ts';
import { Transform, type TransformCallback } from 'node:stream';

/** Where CSV text comes from: a file (streamed) or a string already in memory. */
export type CsvSource = { path: string } | { text: string };

export interface NumericCsvOptions {
  /** Column names to select, in this order (e.g. a model's input names). */
  columns?: readonly string[];
  /** Required number of (selected) columns. */
  expectedColumns?: number;
  /** Name used in error messages (default: the file path, or "CSV text"). */
  name?: string;
  /**
   * With `columns`: take the file's columns in order even when its header names other columns
   * (the --by-position of the CLI). Without it a header must name every requested column.
   */
  byPosition?: boolean;
  /** Appended to the "missing column" error, e.g. how to match by position instead. */
  missingHint?: string;
}

export interface StreamCsvOptions extends NumericCsvOptions {
  /** Data rows per chunk handed to the callback (default 8192). */
  chunkRows?: number;
}

export interface NumericCsv {
  /** The file's header row as written (all columns), or null when the file has none. */
  header: string[] | null;
  /** Data rows × selected columns. */
  rows: Matrix;
  /** For each column of `rows`, its 0-based column index in the file. */
  columnOrder: number[];
}

export interface CsvStreamSummary {
  /** Number of data rows delivered. */
  rows: number;
  header: string[] | null;
  columnOrder: number[];
}

/**
 * Receives one chunk: `rows` (owned by the callback, a fresh matrix each call) and the 0-based index
 * of its first data row within the file's data rows (so chunk row k is data row firstRowNumber + k).
 */
export type CsvChunkHandler = (rows: Matrix, firstRowNumber: number) => void | Promise<void>;

export interface CsvTable {
  x: Matrix;
  y: Matrix;
  inputNames: string[];
  outputNames: string[];
  rows: number;
}

export const DEFAULT_CHUNK_ROWS = 8192;
/** A training column counts as constant when its spread is below this fraction of its magnitude. */
export const CONSTANT_COLUMN_RELATIVE_TOLERANCE = 1e-12;
/** Significant digits that make any float64 round-trip exactly through text. */
const ROUND_TRIP_DIGITS = 17;

const PARSER_OPTIONS: CsvParseOptions = {
  bom: true,
  comment: '#',
  comment_no_infix: true,
  skip_empty_lines: true,
  trim: true,
  relax_column_count: true, // ragged rows are reported by us, with the line and both counts
  info: true,
};

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/** Read a whole numeric CSV into a Matrix (header auto-detected, columns optionally selected by name). */
export async function readNumericCsv(source: CsvSource, options: NumericCsvOptions = {}): Promise<NumericCsv> {
  const chunks: Float64Array[] = [];
  let columnCount = 0;
  const summary = await streamNumericCsv(source, options, (chunk) => {
    chunks.push(chunk.data);
    columnCount = chunk.cols;
  });
  const data = new Float64Array(summary.rows * columnCount);
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.length;
  }
  return { header: summary.header, rows: new Matrix(summary.rows, columnCount, data), columnOrder: summary.columnOrder };
}

/**
 * Stream a numeric CSV in chunks of `chunkRows` rows with the same validation as readNumericCsv.
 * Memory stays bounded by one chunk (plus whatever the callback keeps). The callback is awaited,
 * so a slow consumer applies back-pressure to the file read.
 */
export async function streamNumericCsv(
  source: CsvSource,
  options: StreamCsvOptions,
  onChunk: CsvChunkHandler,
): Promise<CsvStreamSummary> {
  const name = sourceName(source, options.name);
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  checkInteger(chunkRows, 'chunkRows', 1);
  if (options.columns && options.columns.length === 0) {
    throw new InvalidArgumentError(`${name}: columns is empty; give at least one column name or omit it to read all columns`);
  }

  let header: string[] | null = null;
  let fileColumns = 0;
  let columnOrder: number[] = [];
  let columnNames: string[] = [];
  let buffer = new Float64Array(0);
  let filled = 0; // rows in the current chunk
  let delivered = 0; // rows already handed to onChunk
  let seenFirstRecord = false;

  const flush = async () => {
    if (filled === 0) return;
    const chunk = new Matrix(filled, columnOrder.length, filled === chunkRows ? buffer : buffer.slice(0, filled * columnOrder.length));
    const first = delivered;
    delivered += filled;
    filled = 0;
    buffer = new Float64Array(chunkRows * columnOrder.length);
    await onChunk(chunk, first);
  };

  for await (const { record, info } of openRecords(source, name)) {
    const line = info.lines;
    if (!seenFirstRecord) {
      seenFirstRecord = true;
      fileColumns = record.length;
      const kind = firstRowKind(record);
      if (kind === 'mixed') {
        const cells = record.map((cell, index) => ({ cell, index })).filter(({ cell }) => !looksNumeric(cell));
        const shown = cells.slice(0, 3).map(({ cell, index }) => `column ${index + 1} "${cell.length > 40 ? `${cell.slice(0, 40)}…` : cell}"`).join(', ');
        throw new InvalidArgumentError(
          `${name}: line ${line} mixes numbers and text (${shown}): a header row must name every column and a data row must hold only numbers`,
        );
      }
      const isHeader = kind === 'header';
      if (isHeader) header = record.map((cell) => cell.trim());
      columnOrder = resolveColumns(name, options.byPosition ? null : header, fileColumns, options.columns, line, options.missingHint);
      columnNames = columnOrder.map((index) => (header ? `"${header[index]}"` : `column ${index + 1}`));
      if (options.expectedColumns !== undefined && columnOrder.length !== options.expectedColumns) {
        throw new ShapeError(
          `${name}: expected ${options.expectedColumns} columns but ${options.columns ? 'selected' : 'found'} ${columnOrder.length}` +
            (header ? ` (${header.join(', ')})` : ` on line ${line}`),
        );
      }
      buffer = new Float64Array(chunkRows * columnOrder.length);
      if (isHeader) continue;
    }
    if (record.length !== fileColumns) {
      throw new ShapeError(
        `${name}: line ${line} has ${record.length} fields but ${header ? 'the header has' : 'the first row has'} ${fileColumns}`,
      );
    }
    const offset = filled * columnOrder.length;
    for (let k = 0; k < columnOrder.length; k++) {
      const parsed = parseCell(record[columnOrder[k]]);
      if (parsed.kind !== 'number') {
        const message = `${name}: line ${line}, column ${columnNames[k]}: value ${cellProblem(parsed)}; every selected cell must be a finite number`;
        throw parsed.kind === 'non-finite' ? new NonFiniteError(message) : new InvalidArgumentError(message);
      }
      buffer[offset + k] = parsed.value;
    }
    filled++;
    if (filled === chunkRows) await flush();
  }
  await flush();

  if (!seenFirstRecord) throw new ShapeError(`${name}: no data (the file is empty or has only comments and blank lines)`);
  if (delivered === 0) throw new ShapeError(`${name}: has a header (${header!.join(', ')}) but zero data rows`);
  return { rows: delivered, header, columnOrder };
}

/**
 * Read a training table: named input and output columns (header required). Rejects misspelled or
 * overlapping names and constant columns, which cannot be standardized.
 */
export async function readCsvTable(
  source: CsvSource,
  options: { inputs: readonly string[]; outputs: readonly string[]; name?: string },
): Promise<CsvTable> {
  const name = sourceName(source, options.name);
  const { inputs, outputs } = options;
  if (inputs.length === 0) throw new InvalidArgumentError(`${name}: no input columns given (inputs is empty)`);
  if (outputs.length === 0) throw new InvalidArgumentError(`${name}: no output columns given (outputs is empty)`);
  for (const [list, label] of [[inputs, 'inputs'], [outputs, 'outputs']] as const) {
    const repeated = list.filter((column, index) => list.indexOf(column) !== index);
    if (repeated.length > 0) throw new InvalidArgumentError(`${name}: ${label} name column "${repeated[0]}" more than once`);
  }
  const overlap = inputs.filter((column) => outputs.includes(column));
  if (overlap.length > 0) {
    throw new InvalidArgumentError(
      `${name}: column${overlap.length > 1 ? 's' : ''} ${overlap.map((c) => `"${c}"`).join(', ')} given as both input and output; each column must be one or the other`,
    );
  }
  const table = await readNumericCsv(source, { columns: [...inputs, ...outputs], name });
  if (table.header === null) {
    throw new InvalidArgumentError(
      `${name}: a training table needs a header row naming its columns (inputs ${inputs.join(', ')}; outputs ${outputs.join(', ')}), but the first row is numeric`,
    );
  }
  const all = table.rows;
  const x = selectColumns(all, 0, inputs.length);
  const y = selectColumns(all, inputs.length, outputs.length);
  const names = [...inputs, ...outputs];
  for (let column = 0; column < all.cols; column++) {
    const spread = columnSpread(all, column);
    if (spread.range <= CONSTANT_COLUMN_RELATIVE_TOLERANCE * spread.magnitude) {
      throw new InvalidArgumentError(
        `${name}: column "${names[column]}" is constant (all ${all.rows} rows are ${spread.min}): cannot standardize a column with zero standard deviation; drop it from the ${column < inputs.length ? 'inputs' : 'outputs'} or use data where it varies`,
      );
    }
  }
  return { x, y, inputNames: [...inputs], outputNames: [...outputs], rows: all.rows };
}

/**
 * Write a numeric CSV atomically. Numbers are printed in the shortest form that reads back to the
 * identical float64 (or with `digits` significant digits). `comment` lines are prefixed with "# ".
 */
export function writeCsv(
  path: string,
  header: string[],
  rows: Matrix | number[][],
  options: { comment?: string; digits?: number } = {},
): void {
  const matrix = rows instanceof Matrix ? rows : Matrix.fromArray(rows, path);
  if (header.length !== matrix.cols) {
    throw new ShapeError(`writeCsv ${path}: header has ${header.length} names (${header.join(', ')}) but the rows have ${matrix.cols} columns`);
  }
  const digits = options.digits;
  if (digits !== undefined) checkInteger(digits, 'writeCsv: digits', 1, ROUND_TRIP_DIGITS);
  const format = digits === undefined ? (value: number) => String(value) : (value: number) => String(Number(value.toPrecision(digits)));
  const lines: string[] = [];
  if (options.comment !== undefined) for (const line of options.comment.split(/\r?\n/)) lines.push(`# ${line}`.trimEnd());
  lines.push(header.map(quoteField).join(','));
  const { cols, data } = matrix;
  const cells = new Array<string>(cols);
  for (let i = 0; i < matrix.rows; i++) {
    for (let j = 0; j < cols; j++) {
      const value = data[i * cols + j];
      if (!Number.isFinite(value)) {
        throw new NonFiniteError(`writeCsv ${path}: row ${i + 1}, column "${header[j]}" is ${value}; CSV output must be finite`);
      }
      cells[j] = format(value);
    }
    lines.push(cells.join(','));
  }
  writeFileAtomic(path, lines.join('\n') + '\n');
}

/**
 * Parse a comma-separated number list from a command-line option, e.g. `--lower 0,0,1`.
 * `name` is the option as the user typed it (for messages).
 */
export function parseNumberList(text: string, name: string, expectedLength?: number): Float64Array {
  const trimmed = text.trim();
  if (trimmed === '') throw new InvalidArgumentError(`${name}: expected a comma-separated list of numbers, got an empty string`);
  const parts = trimmed.split(',');
  const values = new Float64Array(parts.length);
  parts.forEach((part, index) => {
    const parsed = parseCell(part);
    if (parsed.kind !== 'number') {
      throw new InvalidArgumentError(
        `${name}: value ${index + 1} of ${parts.length} ${cellProblem(parsed)} in "${trimmed}"; expected finite numbers separated by commas, e.g. 0,0.5,1e-3`,
      );
    }
    values[index] = parsed.value;
  });
  if (expectedLength !== undefined && values.length !== expectedLength) {
    throw new ShapeError(`${name}: expected ${expectedLength} comma-separated numbers, got ${values.length} ("${trimmed}")`);
  }
  return values;
}

/** Quote a header field when it contains a comma, quote, newline or surrounding space (RFC 4180). */
function quoteField(field: string): string {
  return /[",\r\n#]|^\s|\s$/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

function sourceName(source: CsvSource, name: string | undefined): string {
  if (name) return name;
  return 'path' in source ? source.path : 'CSV text';
}

/** csv-parse records with their line numbers; file and syntax errors become InversaErrors. */
async function* openRecords(source: CsvSource, name: string): AsyncGenerator<ParsedRecord> {
  let parser: Parser;
  if ('path' in source) {
    try {
      assertRegularFile(source.path, 'CSV file');
    } catch (error) {
      if (error instanceof InversaError) throw error;
      throw new InvalidArgumentError(`CSV file not found or not readable: ${osErrorText(error as NodeJS.ErrnoException)}`);
    }
    parser = parse(PARSER_OPTIONS);
    const input = createReadStream(source.path);
    const guard = spreadsheetErrorGuard(name);
    input.on('error', (error) => parser.destroy(error));
    guard.on('error', (error) => parser.destroy(error));
    input.pipe(guard).pipe(parser);
  } else {
    checkCommentLines(source.text.split('\n'), 1, name);
    parser = parse(source.text, PARSER_OPTIONS);
  }
  try {
    for await (const item of parser) yield item as ParsedRecord;
  } catch (error) {
    if (error instanceof InversaError) throw error;
    const details = error as Error & { code?: string; lines?: number };
    const where = details.lines !== undefined ? ` at line ${details.lines}` : '';
    throw new InvalidArgumentError(`${name}: malformed CSV${where}: ${details.message}`);
  } finally {
    parser.destroy();
  }
}

/**
 * csv-parse drops lines starting with '#' as comments; a spreadsheet error value (#N/A, #DIV/0!)
 * in the first cell would silently drop a data row, so such a line is an error instead.
 */
function checkCommentLines(lines: readonly string[], firstLine: number, name: string): void {
  const found = spreadsheetErrorLine(lines, firstLine);
  if (found) {
    throw new InvalidArgumentError(`${name}: line ${found.line}, column 1: value is a spreadsheet error ("${found.value}"); every cell must be a finite number (a line is a comment only when it starts with '#' followed by other text)`);
  }
}

/** A pass-through stream that applies checkCommentLines to every complete line of a file. */
function spreadsheetErrorGuard(name: string): Transform {
  let pending = '';
  let nextLine = 1;
  const check = (text: string, final: boolean) => {
    const lines = (pending + text).split('\n');
    pending = final ? '' : lines.pop()!;
    checkCommentLines(lines, nextLine, name);
    nextLine += lines.length;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      try {
        check(chunk.toString('latin1'), false);
        done(null, chunk);
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        check('', true);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

/** Map requested column names (or all columns) to file column indices. */
function resolveColumns(
  name: string,
  header: string[] | null,
  fileColumns: number,
  columns: readonly string[] | undefined,
  line: number,
  missingHint?: string,
): number[] {
  if (!columns) return Array.from({ length: fileColumns }, (_, index) => index);
  if (header === null) {
    if (fileColumns !== columns.length) {
      throw new ShapeError(
        `${name}: columns are matched by position: expected ${columns.length} columns (${columns.join(', ')}) but line ${line} has ${fileColumns}. Add a header row to select columns by name.`,
      );
    }
    return columns.map((_, index) => index);
  }
  const missing = columns.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    const described = missing.map((column) => {
      const suggestion = closestName(column, header);
      return suggestion ? `"${column}" (did you mean "${suggestion}"?)` : `"${column}"`;
    });
    throw new InvalidArgumentError(
      `${name}: missing column${missing.length > 1 ? 's' : ''} ${described.join(', ')}; available columns: ${header.join(', ')}${missingHint ? `; ${missingHint}` : ''}`,
    );
  }
  return columns.map((column) => {
    const first = header.indexOf(column);
    if (header.indexOf(column, first + 1) !== -1) {
      throw new InvalidArgumentError(`${name}: the header names column "${column}" more than once, so it is ambiguous; rename one of them`);
    }
    return first;
  });
}

function selectColumns(matrix: Matrix, start: number, count: number): Matrix {
  const out = new Matrix(matrix.rows, count);
  for (let i = 0; i < matrix.rows; i++) {
    for (let j = 0; j < count; j++) out.data[i * count + j] = matrix.data[i * matrix.cols + start + j];
  }
  return out;
}

function columnSpread(matrix: Matrix, column: number): { min: number; range: number; magnitude: number } {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < matrix.rows; i++) {
    const value = matrix.data[i * matrix.cols + column];
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, range: max - min, magnitude: Math.max(Math.abs(min), Math.abs(max)) };
}
