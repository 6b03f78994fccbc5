// `inversa datasets` and `inversa datasets export` through run(argv): the list, a CSV that reads
// back (csv-parse based reader) to exactly the generated numbers, the SYNTHETIC label on plant, and
// errors for unknown names and a missing --out.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCli } from '../helpers/cli.ts';
import { readCsvTable } from '../../src/io/csv.ts';
import { generateDataset } from '../../src/data/datasets/index.ts';

const directory = mkdtempSync(path.join(tmpdir(), 'inversa-cli-datasets-'));
const cli = useCli();

describe('inversa datasets', () => {
  it('lists every built-in dataset with its shape; plant is marked SYNTHETIC', async () => {
    expect(await cli.run(['datasets'])).toBe(0);
    for (const name of ['arm', 'plant', 'sine', 'ballistics']) expect(cli.stdout).toMatch(new RegExp(`^${name}\\s`, 'm'));
    expect(cli.stdout).toMatch(/^plant\s+7→4\s.*SYNTHETIC/m);
    cli.stdout = '';
    expect(await cli.run(['datasets', '--json'])).toBe(0);
    const list = JSON.parse(cli.stdout);
    expect(list.find((entry: { name: string }) => entry.name === 'plant').synthetic).toBe(true);
    expect(list.find((entry: { name: string }) => entry.name === 'arm').synthetic).toBe(false);
  });

  it('export writes a CSV that reads back to exactly the generated values, with a SYNTHETIC comment header', async () => {
    const file = path.join(directory, 'plant.csv');
    expect(await cli.run(['datasets', 'export', 'plant', '--rows', '120', '--seed', '5', '--out', file]), cli.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# SYNTHETIC DATA/);
    const generated = generateDataset('plant', 120, 5);
    const table = await readCsvTable({ path: file }, { inputs: generated.inputNames, outputs: generated.outputNames });
    expect(Array.from(table.x.data)).toEqual(Array.from(generated.inputs.data));
    expect(Array.from(table.y.data)).toEqual(Array.from(generated.outputs.data));
  });

  it('arm export is not labelled synthetic; same seed → same file', async () => {
    const first = path.join(directory, 'arm1.csv'), second = path.join(directory, 'arm2.csv');
    expect(await cli.run(['datasets', 'export', 'arm', '--rows', '30', '--seed', '2', '--out', first])).toBe(0);
    expect(await cli.run(['datasets', 'export', 'arm', '--rows', '30', '--seed', '2', '--out', second])).toBe(0);
    expect(readFileSync(first, 'utf8')).toBe(readFileSync(second, 'utf8'));
    expect(readFileSync(first, 'utf8')).not.toMatch(/SYNTHETIC/);
  });

  it('unknown dataset → exit 1 listing the available ones; no --out → exit 2', async () => {
    expect(await cli.run(['datasets', 'export', 'furnace', '--out', path.join(directory, 'x.csv')])).toBe(1);
    expect(cli.stderr).toMatch(/available: arm, plant, sine, ballistics/);
    cli.stderr = '';
    expect(await cli.run(['datasets', 'export', 'plant'])).toBe(2);
    expect(cli.stderr).toMatch(/--out/);
  });
});
