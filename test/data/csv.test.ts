// CSV reading/writing: header detection, column selection by name (with typo suggestions), strict
// cell checks reported by line and column, ragged rows, comments, quoting, and that streaming in
// chunks delivers exactly what a whole read does. Expected values come from the CSV text itself.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InversaError, NonFiniteError, ShapeError } from '../../src/core/errors.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { readCsvTable, readNumericCsv, streamNumericCsv, writeCsv } from '../../src/io/csv.ts';

const directory = mkdtempSync(path.join(tmpdir(), 'inversa-csv-'));
const fileWith = (name: string, text: string): string => {
  const file = path.join(directory, name);
  writeFileSync(file, text);
  return file;
};
const rowsOf = (matrix: Matrix): number[][] =>
  Array.from({ length: matrix.rows }, (_, i) => Array.from(matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols)));

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

describe('readNumericCsv', () => {
  it('reads a file with a header', async () => {
    const file = fileWith('header.csv', 'a,b,c\n1,2,3\n4.5,-6,7e-3\n');
    const csv = await readNumericCsv({ path: file });
    expect(csv.header).toEqual(['a', 'b', 'c']);
    expect(rowsOf(csv.rows)).toEqual([[1, 2, 3], [4.5, -6, 0.007]]);
    expect(csv.columnOrder).toEqual([0, 1, 2]);
  });

  it('reads a file without a header (first row numeric)', async () => {
    const csv = await readNumericCsv({ text: '1,2\n3,4\n' });
    expect(csv.header).toBeNull();
    expect(rowsOf(csv.rows)).toEqual([[1, 2], [3, 4]]);
  });

  it('selects columns by name, in the requested order', async () => {
    const csv = await readNumericCsv({ text: 'a,b,c\n1,2,3\n4,5,6\n' }, { columns: ['c', 'a'] });
    expect(rowsOf(csv.rows)).toEqual([[3, 1], [6, 4]]);
    expect(csv.columnOrder).toEqual([2, 0]);
  });

  it('names a misspelled column, suggests the closest name and lists the available ones', async () => {
    const error = await rejection(readNumericCsv({ text: 'h2i_rate,pci_rate,tgt\n1,2,3\n' }, { columns: ['h2i_rate', 'pci_rte'] }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toContain('"pci_rte"');
    expect(error.message).toContain('did you mean "pci_rate"');
    expect(error.message).toContain('available columns: h2i_rate, pci_rate, tgt');
  });

  it('does not suggest a name that is nothing like the missing one', async () => {
    const error = await rejection(readNumericCsv({ text: 'alpha,beta\n1,2\n' }, { columns: ['zzz'] }));
    expect(error.message).toContain('"zzz"');
    expect(error.message).not.toContain('did you mean');
  });

  it('without a header, matches selected columns by position and rejects a count mismatch', async () => {
    const csv = await readNumericCsv({ text: '1,2\n3,4\n' }, { columns: ['u', 'v'] });
    expect(rowsOf(csv.rows)).toEqual([[1, 2], [3, 4]]);
    const error = await rejection(readNumericCsv({ text: '1,2,3\n' }, { columns: ['u', 'v'] }));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toMatch(/expected 2 columns .* has 3/);
  });

  it('reports a non-numeric cell with its line and column name', async () => {
    const error = await rejection(readNumericCsv({ text: 'a,b\n1,2\n3,abc\n' }, { name: 'points.csv' }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toContain('points.csv');
    expect(error.message).toContain('line 3');
    expect(error.message).toContain('column "b"');
    expect(error.message).toContain('abc');
  });

  it('reports NaN and Inf cells as non-finite, with line and column', async () => {
    for (const [cell, line] of [['NaN', 2], ['inf', 3], ['-Infinity', 2], ['1e400', 3]] as const) {
      const text = line === 2 ? `x,y\n1,${cell}\n2,3\n` : `x,y\n1,2\n${cell},3\n`;
      const error = await rejection(readNumericCsv({ text }));
      expect(error, cell).toBeInstanceOf(NonFiniteError);
      expect(error.message).toContain(`line ${line}`);
      expect(error.message).toContain(line === 2 ? 'column "y"' : 'column "x"');
      expect(error.message).toContain('non-finite');
    }
  });

  it('reports an empty cell and does not read it as 0', async () => {
    const error = await rejection(readNumericCsv({ text: 'a,b\n1,\n' }));
    expect(error.message).toMatch(/line 2, column "b": value is empty/);
  });

  it('does not accept hex or comma-decimal cells (Number() would)', async () => {
    const hex = await rejection(readNumericCsv({ text: 'a,b\n0x10,1\n' }));
    expect(hex.message).toContain('is not a number ("0x10")');
    const error = await rejection(readNumericCsv({ text: 'a\n"1,5"\n' }));
    expect(error.message).toContain('"1,5"');
  });

  it('reports ragged rows with both field counts, without a header too', async () => {
    const withHeader = await rejection(readNumericCsv({ text: 'a,b,c\n1,2,3\n4,5\n' }));
    expect(withHeader).toBeInstanceOf(ShapeError);
    expect(withHeader.message).toContain('line 3 has 2 fields but the header has 3');
    const noHeader = await rejection(readNumericCsv({ text: '1,2\n3,4,5\n' }));
    expect(noHeader.message).toContain('line 2 has 3 fields but the first row has 2');
  });

  it('skips comment lines and blank lines; line numbers stay those of the file', async () => {
    const text = '# synthetic data\n# second comment\na,b\n\n1,2\n# inside\n3,4\n\n5,x\n';
    const error = await rejection(readNumericCsv({ text }));
    expect(error.message).toContain('line 9');
    const csv = await readNumericCsv({ text: text.replace('5,x\n', '') });
    expect(csv.header).toEqual(['a', 'b']);
    expect(rowsOf(csv.rows)).toEqual([[1, 2], [3, 4]]);
  });

  it('handles quoted fields, CRLF line ends, a BOM and surrounding spaces', async () => {
    const text = '\uFEFF"name, with comma","say ""hi"""\r\n"1.5" , 2\r\n 3 ,"4"\r\n';
    const csv = await readNumericCsv({ text });
    expect(csv.header).toEqual(['name, with comma', 'say "hi"']);
    expect(rowsOf(csv.rows)).toEqual([[1.5, 2], [3, 4]]);
    const selected = await readNumericCsv({ text }, { columns: ['say "hi"'] });
    expect(rowsOf(selected.rows)).toEqual([[2], [4]]);
  });

  it('rejects a malformed quote, empty input and a header without data', async () => {
    expect(await rejection(readNumericCsv({ text: 'a,b\n"1,2\n' }))).toBeInstanceOf(InversaError);
    const empty = await rejection(readNumericCsv({ text: '# only a comment\n\n' }));
    expect(empty.message).toContain('no data');
    const headerOnly = await rejection(readNumericCsv({ text: 'a,b\n' }));
    expect(headerOnly.message).toContain('zero data rows');
  });

  it('checks expectedColumns and names a missing file', async () => {
    const error = await rejection(readNumericCsv({ text: 'a,b\n1,2\n' }, { expectedColumns: 3 }));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toContain('expected 3 columns');
    const missing = await rejection(readNumericCsv({ path: path.join(directory, 'does-not-exist.csv') }));
    expect(missing).toBeInstanceOf(InvalidArgumentError);
    expect(missing.message).toContain('does-not-exist.csv');
  });
});

describe('streamNumericCsv', () => {
  it('delivers in chunks exactly what a whole read returns, with correct row offsets', async () => {
    const lines = ['p,q,r'];
    const expected: number[][] = [];
    for (let i = 0; i < 1003; i++) {
      const row = [i, i * 0.5 - 7, (i % 13) * 1e-3];
      expected.push(row);
      lines.push(row.join(','));
      if (i % 100 === 0) lines.push('# a comment in the middle');
    }
    const file = fileWith('big.csv', lines.join('\n') + '\n');
    const whole = await readNumericCsv({ path: file });
    expect(rowsOf(whole.rows)).toEqual(expected);
    for (const chunkRows of [1, 7, 100, 1003, 5000]) {
      const collected: number[][] = [];
      const firsts: number[] = [];
      const sizes: number[] = [];
      const summary = await streamNumericCsv({ path: file }, { chunkRows, columns: ['r', 'p'] }, (chunk, first) => {
        firsts.push(first);
        sizes.push(chunk.rows);
        collected.push(...rowsOf(chunk));
      });
      expect(summary.rows).toBe(1003);
      expect(collected).toEqual(expected.map(([p, , r]) => [r, p]));
      expect(Math.max(...sizes)).toBeLessThanOrEqual(chunkRows);
      // Each chunk starts where the previous one ended.
      firsts.forEach((first, index) => expect(first).toBe(index === 0 ? 0 : firsts[index - 1] + sizes[index - 1]));
    }
  });

  it('awaits an async consumer before reading on', async () => {
    const text = 'a\n' + Array.from({ length: 50 }, (_, i) => String(i)).join('\n') + '\n';
    const order: string[] = [];
    await streamNumericCsv({ text }, { chunkRows: 10 }, async (_chunk, first) => {
      order.push(`start ${first}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
      order.push(`end ${first}`);
    });
    expect(order).toEqual([0, 10, 20, 30, 40].flatMap((first) => [`start ${first}`, `end ${first}`]));
  });

  it('rejects a bad chunk size', async () => {
    await expect(streamNumericCsv({ text: '1\n' }, { chunkRows: 0 }, () => {})).rejects.toThrow(/chunkRows must be an integer ≥ 1, got 0/);
  });
});

describe('readCsvTable', () => {
  it('splits named inputs and outputs', async () => {
    const table = await readCsvTable({ text: 'x1,y,x2\n1,10,2\n3,30,5\n' }, { inputs: ['x1', 'x2'], outputs: ['y'] });
    expect(rowsOf(table.x)).toEqual([[1, 2], [3, 5]]);
    expect(rowsOf(table.y)).toEqual([[10], [30]]);
    expect(table.rows).toBe(2);
  });

  it('rejects constant columns, overlap, repeats and headerless files', async () => {
    const constant = await rejection(readCsvTable({ text: 'a,b\n1,5\n2,5\n' }, { inputs: ['a'], outputs: ['b'] }));
    expect(constant.message).toMatch(/column "b" is constant/);
    const overlap = await rejection(readCsvTable({ text: 'a,b\n1,5\n2,6\n' }, { inputs: ['a', 'b'], outputs: ['b'] }));
    expect(overlap.message).toContain('both input and output');
    const repeated = await rejection(readCsvTable({ text: 'a,b\n1,5\n2,6\n' }, { inputs: ['a', 'a'], outputs: ['b'] }));
    expect(repeated.message).toContain('more than once');
    const headerless = await rejection(readCsvTable({ text: '1,5\n2,6\n' }, { inputs: ['a'], outputs: ['b'] }));
    expect(headerless.message).toContain('needs a header row');
  });
});

describe('writeCsv', () => {
  it('round-trips float64 values exactly, with a comment and a quoted header', async () => {
    const values = [[Math.PI, -1e-300, 0.1 + 0.2], [1 / 3, 123456789.123, -0]];
    const file = path.join(directory, 'out.csv');
    writeCsv(file, ['x, first', 'y', 'z'], values, { comment: 'synthetic\nsecond line' });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# synthetic\n# second line\n"x, first",y,z\n')).toBe(true);
    const back = await readNumericCsv({ path: file });
    expect(back.header).toEqual(['x, first', 'y', 'z']);
    expect(rowsOf(back.rows)).toEqual(values.map((row) => row.map((value) => (Object.is(value, -0) ? 0 : value))));
  });

  it('rounds to the requested digits and refuses non-finite values', () => {
    const file = path.join(directory, 'digits.csv');
    writeCsv(file, ['a'], [[Math.PI]], { digits: 3 });
    expect(readFileSync(file, 'utf8')).toBe('a\n3.14\n');
    expect(() => writeCsv(file, ['a'], new Matrix(1, 1, Float64Array.of(NaN)))).toThrow(NonFiniteError);
    expect(() => writeCsv(file, ['a', 'b'], [[1]])).toThrow(ShapeError);
  });
});
