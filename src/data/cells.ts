// Parsing single text cells into numbers, strictly: "1e-3", "-2.5", ".5" are numbers; "", "abc",
// "0x10", "1,5" are not (Number() would silently turn "" into 0 and "0x10" into 16). NaN and
// infinity spellings are recognised so errors can say "non-finite" rather than "not a number".

/** Decimal floating-point literal, optional sign and exponent. */
const DECIMAL_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** NaN / infinity as written by NumPy, pandas, R, Julia, Excel exports. */
const NON_FINITE_WORD = /^[+-]?(?:nan|inf|infinity|#num!|#div\/0!)$/i;

export type CellParse =
  | { kind: 'number'; value: number }
  | { kind: 'empty' }
  | { kind: 'non-finite'; text: string }
  | { kind: 'text'; text: string };

/** Classify a (trimmed) cell. Decimal literals that overflow (1e400) count as non-finite. */
export function parseCell(text: string): CellParse {
  const cell = text.trim();
  if (cell === '') return { kind: 'empty' };
  if (DECIMAL_NUMBER.test(cell)) {
    const value = Number(cell);
    return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'non-finite', text: cell };
  }
  if (NON_FINITE_WORD.test(cell)) return { kind: 'non-finite', text: cell };
  return { kind: 'text', text: cell };
}

/** Error values a spreadsheet writes into a cell (#N/A, #DIV/0!, #VALUE!, ...), as exported to CSV. */
export const SPREADSHEET_ERROR = /^#(?:N\/A|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|GETTING_DATA)/i;

/**
 * Whether a first row is a header (every non-empty cell is text), data (no text cell) or a mix,
 * which is neither: reading it as a header would drop a data row, reading it as data would fail
 * later with a less helpful message. A spreadsheet error cell is never a column name.
 */
export function firstRowKind(record: readonly string[]): 'header' | 'data' | 'mixed' {
  let text = 0, data = 0;
  for (const cell of record) {
    const parsed = parseCell(cell);
    if (parsed.kind === 'text' && !SPREADSHEET_ERROR.test(parsed.text)) text++;
    else if (parsed.kind !== 'empty') data++;
  }
  return text === 0 ? 'data' : data === 0 ? 'header' : 'mixed';
}

/**
 * The first line (1-based, counting from `firstLine`) that starts with a spreadsheet error value
 * such as #N/A: CSV readers treat '#' lines as comments, which would silently drop that data row.
 */
export function spreadsheetErrorLine(lines: readonly string[], firstLine = 1): { line: number; value: string } | null {
  for (let index = 0; index < lines.length; index++) {
    const cell = lines[index].replace(/^(?:\uFEFF|\u00EF\u00BB\u00BF)/, '').trimStart().replace(/^"/, '');
    if (cell.startsWith('#') && SPREADSHEET_ERROR.test(cell)) return { line: firstLine + index, value: cell.split(/[,"]/)[0].trim() };
  }
  return null;
}

/** True for cells that could be data (numbers, NaN/Inf spellings, empty): used to detect a header row. */
export function looksNumeric(text: string): boolean {
  return parseCell(text).kind !== 'text';
}

/** Why a cell is not a usable number, for error messages; null when it is fine. */
export function cellProblem(parsed: CellParse): string | null {
  switch (parsed.kind) {
    case 'number':
      return null;
    case 'empty':
      return 'is empty';
    case 'non-finite':
      return `is non-finite ("${parsed.text}")`;
    case 'text':
      if (SPREADSHEET_ERROR.test(parsed.text)) return `is a spreadsheet error ("${parsed.text}")`;
      return `is not a number ("${parsed.text.length > 40 ? parsed.text.slice(0, 40) + '…' : parsed.text}")`;
  }
}

/** Levenshtein edit distance, case-insensitive; used to suggest the closest column/option name. */
export function editDistance(a: string, b: string): number {
  const left = a.toLowerCase(), right = b.toLowerCase();
  let previous = Array.from({ length: right.length + 1 }, (_, j) => j);
  let current = new Array<number>(right.length + 1);
  for (let i = 1; i <= left.length; i++) {
    current[0] = i;
    for (let j = 1; j <= right.length; j++) {
      const substitution = previous[j - 1] + (left[i - 1] === right[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[right.length];
}

/** The candidate closest to `name`, if it is close enough to be a plausible typo (else null). */
export function closestName(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // A typo changes at most about a third of the letters, and never all of them ("z" is not a typo of "y").
  const limit = Math.ceil(name.length / 3);
  return best !== null && bestDistance <= limit && bestDistance < name.length ? best : null;
}
