// Issue 18 regressions, CSV: no row is ever dropped or re-labelled silently. A spreadsheet error in
// the first cell (#N/A, #DIV/0!) is an error naming the line and column (it used to turn the row into
// a comment); a text cell in the first row of a header-less file is an error (it used to turn a data
// row into a header); a targets header naming other columns is an error unless --by-position (it
// used to be read by position without a word). Also: invert streams targets in chunks and numbers
// its solutions exactly like a single solve of all targets.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNumericCsv } from '../../src/io/csv.ts';
import { Random } from '../../src/linalg/random.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { solve } from '../../src/solve/solve.ts';
import { useCli } from '../helpers/cli.ts';
import { fuzzModel, reachableTargets } from '../fuzz/harness.ts';

const cli = useCli();
const directory = mkdtempSync(path.join(tmpdir(), 'inversa-csv-contracts-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const base = fuzzModel();
const model = path.join(directory, 'model.onnx');
writeFileSync(model, base.bytes);
let counter = 0;
function file(text: string): string {
  const name = path.join(directory, `f${counter++}.csv`);
  writeFileSync(name, text);
  return name;
}

describe('readNumericCsv never drops or re-labels a row', () => {
  const cases: [string, string, RegExp][] = [
    ['#N/A in the first cell', 'a,b\n1,2\n#N/A,3\n4,5\n', /line 3, column 1: value is a spreadsheet error \("#N\/A"\)/],
    ['#DIV/0! in the first cell, no header', '1,2\n#DIV/0!,3\n', /line 2, column 1: value is a spreadsheet error \("#DIV\/0!"\)/],
    ['"#VALUE!" quoted in the first cell', 'a,b\n"#VALUE!",3\n', /line 2, column 1: value is a spreadsheet error \("#VALUE!"\)/],
    ['#REF! in another column', 'a,b\n1,#REF!\n', /line 2, column "b": value is a spreadsheet error \("#REF!"\)/],
    ['a text cell in row 1 of a header-less file', '1,temperature\n3,4\n', /line 1 mixes numbers and text \(column 2 "temperature"\)/],
    ['#N/A in row 1 of a header-less file', '#N/A,2\n3,4\n', /line 1, column 1: value is a spreadsheet error/],
  ];
  for (const [label, text, pattern] of cases) {
    it(label, async () => {
      await expect(readNumericCsv({ text })).rejects.toThrow(pattern);
      await expect(readNumericCsv({ path: file(text) })).rejects.toThrow(pattern);
    });
  }

  it('real comments, a header of names and a header-less numeric file still read every row', async () => {
    expect((await readNumericCsv({ text: '# units: K\na,b\n# note\n1,2\n3,4\n' })).rows.rows).toBe(2);
    expect((await readNumericCsv({ text: '1,2\n3,4\n' })).rows.rows).toBe(2);
    expect((await readNumericCsv({ path: file('#comment about #N/A later\n1,2\n') })).rows.rows).toBe(1);
  });

  it('a spreadsheet error line split across stream chunks is still found', async () => {
    const rows = Array.from({ length: 20_000 }, (_, k) => `${k},${k + 1}`);
    rows.splice(15_000, 0, '#N/A,1');
    await expect(readNumericCsv({ path: file(`a,b\n${rows.join('\n')}\n`) })).rejects.toThrow(/line 15002, column 1: value is a spreadsheet error/);
  });
});

describe('invert: targets headers', () => {
  it('a header that names other columns is an error; --by-position reads them in order', async () => {
    const targets = file('p,q\n0.1,0.2\n');
    expect(await cli.run(['invert', model, '--targets', targets])).toBe(1);
    expect(cli.stderr).toMatch(/missing columns "y1", "y2"; available columns: p, q; to take the columns in order instead, pass --by-position\n$/);
    cli.stderr = '';
    expect(await cli.run(['invert', model, '--targets', targets, '--by-position', '--max-iterations', '5'])).toBe(0);
  });

  it('a header naming the outputs in another order selects them by name', async () => {
    const [target] = reachableTargets(base.model, 1, new Random(3));
    const out = path.join(directory, 'swapped.csv');
    expect(await cli.run(['invert', model, '--targets', file(`y2,y1\n${target[1]},${target[0]}\n`), '--out', out])).toBe(0);
    const [header, row] = readFileSync(out, 'utf8').trim().split('\n').map((line) => line.split(','));
    expect(Number(row[header.indexOf('f_y1')])).toBeCloseTo(target[0], 8);
  });

  it('#N/A in a targets file is an error, not a dropped target', async () => {
    expect(await cli.run(['invert', model, '--targets', file('y1,y2\n0.1,0.2\n#N/A,0.3\n0.2,0.1\n')])).toBe(1);
    expect(cli.stderr).toMatch(/line 3, column 1: value is a spreadsheet error/);
  });

  it('train --data with #N/A is an error naming the line', async () => {
    const rows = Array.from({ length: 30 }, (_, k) => `${k},${k * k % 7},${Math.sin(k)}`);
    rows[10] = `#N/A,1,2`;
    expect(await cli.run(['train', '--data', file(`a,b,c\n${rows.join('\n')}\n`), '--inputs', 'a,b', '--outputs', 'c', '--out', path.join(directory, 'tr')])).toBe(1);
    expect(cli.stderr).toMatch(/line 12, column 1: value is a spreadsheet error/);
  });
});

describe('invert streams targets', () => {
  it('more targets than one chunk: same solutions, numbered 1..N, as one solve of all targets', async () => {
    const targets = reachableTargets(base.model, 4096 + 37, new Random(9));
    const out = path.join(directory, 'many.csv');
    const code = await cli.run(['invert', model, '--targets', file(`y1,y2\n${targets.map((row) => row.join(',')).join('\n')}\n`), '--out', out, '--max-iterations', '8']);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(targets.length + 1);
    const header = lines[0].split(',');
    const loaded = await loadOnnxModel(base.bytes);
    const reference = solve(loaded, Matrix.fromArray(targets), { maxIterations: 8 });
    // Exit 1 exactly when some target was not met (the file is still written).
    expect(code).toBe(reference.results.every((result) => result.status === 'converged') ? 0 : 1);
    for (const k of [0, 4095, 4096, targets.length - 1]) {
      const cells = lines[k + 1].split(',');
      expect(Number(cells[0])).toBe(k + 1);
      expect(cells.slice(2, 5).map(Number)).toEqual(Array.from(reference.results[k].x));
      expect(cells[header.indexOf('status')]).toBe(reference.results[k].status);
    }
    expect(cli.stdout).toContain(reference.message);
  });
});
