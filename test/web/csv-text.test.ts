// Browser-side CSV parsing for the training panel: strict cells, named errors, exact round trip.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { describeColumns, detectDelimiter, parseCsvText, selectColumns, splitUnit, statedRoles, toCsvText } from '../../web/src/csv-text.ts';

describe('parseCsvText', () => {
  it('reads a header and numeric rows, skipping comments and blank lines', () => {
    const table = parseCsvText('\uFEFF# comment\na,b,c\n1,2,3\n\n4.5,-1e-3, 6 \r\n');
    expect(table.header).toEqual(['a', 'b', 'c']);
    expect(table.rows.toArray()).toEqual([[1, 2, 3], [4.5, -0.001, 6]]);
  });
  it('rejects text cells and empty cells naming line and column (never 0)', () => {
    expect(() => parseCsvText('a,b\n1,2\n3,abc\n', 'data.csv')).toThrow(/data\.csv, line 3, column "b".*not a number/);
    expect(() => parseCsvText('a,b\n1,\n')).toThrow(/column "b".*empty/);
  });
  it('requires a header row and equal row lengths', () => {
    expect(() => parseCsvText('1,2\n3,4\n')).toThrow(/header/);
    expect(() => parseCsvText('a,b\n1,2,3\n')).toThrow(/3 cells.*2 columns/);
  });
  it('never drops a row: #N/A in the first cell and a mixed first row are errors (issue 18)', () => {
    expect(() => parseCsvText('a,b\n1,2\n#N/A,3\n', 'data.csv')).toThrow(/data\.csv, line 3, column 1: the cell is a spreadsheet error \("#N\/A"\)/);
    expect(() => parseCsvText('1,temperature\n3,4\n')).toThrow(/first row mixes names and numbers/);
    expect(parseCsvText('# #N/A appears in comments only\na,b\n1,2\n').rows.rows).toBe(1);
  });
  it('selects columns by name with a suggestion for typos', () => {
    const table = parseCsvText('x1,x2,y\n1,2,3\n4,5,6\n');
    expect(selectColumns(table, ['y', 'x1']).toArray()).toEqual([[3, 1], [6, 4]]);
    expect(() => selectColumns(table, ['x3'])).toThrow(/no column "x3".*did you mean/);
  });
  it('round-trips float64 values exactly through toCsvText', () => {
    const values = new Matrix(2, 2, Float64Array.of(0.1 + 0.2, -1 / 3, 1e-300, 12345.678901234567));
    const table = parseCsvText(toCsvText(['p', 'q'], values));
    expect(Array.from(table.rows.data)).toEqual(Array.from(values.data));
  });
});

describe('delimiters, units and stated roles', () => {
  it('detects comma, semicolon and tab from the header line', () => {
    expect(detectDelimiter('a,b\n1,2\n')).toBe(',');
    expect(detectDelimiter('# x, y, z\na;b;c\n1;2;3\n')).toBe(';');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(parseCsvText('p;q\n1.5;2\n3;4\n').rows.toArray()).toEqual([[1.5, 2], [3, 4]]);
    expect(parseCsvText('p\tq\n1\t2\n').header).toEqual(['p', 'q']);
  });
  it('splits "name [unit]" and "name (unit)" headers', () => {
    expect(splitUnit('hmt [°C]')).toEqual({ name: 'hmt', unit: '°C' });
    expect(splitUnit('flow (kg/h)')).toEqual({ name: 'flow', unit: 'kg/h' });
    expect(splitUnit('plain')).toEqual({ name: 'plain', unit: '' });
  });
  it('reads "# inputs:" / "# outputs:" comment lines', () => {
    expect(statedRoles('# inputs: a [K], b\n# outputs: y [°C]\na,b,y\n')).toEqual({ inputs: ['a', 'b'], outputs: ['y'] });
  });
  it('reports text and constant columns instead of failing when they are not asked for', () => {
    const table = parseCsvText('id,name,x,c\n1,a,0.5,7\n2,b,0.7,7\n', 'f.csv', []);
    expect(describeColumns(table).map((column) => [column.numeric, column.constant])).toEqual([[true, false], [false, false], [true, false], [true, true]]);
  });
});

describe('columns named without their unit', () => {
  it('selects "x1 [K]" as x1 and checks its cells', () => {
    const table = parseCsvText('x1 [K];note;y [m]\n1;a;2\n3;b;4\n', 'f.csv', ['x1', 'y']);
    expect(selectColumns(table, ['y', 'x1']).toArray()).toEqual([[2, 1], [4, 3]]);
    expect(() => parseCsvText('x1 [K];y\n1;2\nz;4\n', 'f.csv', ['x1'])).toThrow(/line 3, column "x1 \[K\]"/);
  });
});

describe('a line that does not split like the header', () => {
  it('says which delimiter the header used and which the line contains', () => {
    expect(() => parseCsvText('a,b\n1;2\n', 'mixed.csv')).toThrow('mixed.csv, line 2: 1 cells, but the header has 2 columns (the header was split on commas; this line also contains semicolons)');
  });
});
