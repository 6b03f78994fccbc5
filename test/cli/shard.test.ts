// --threads and --shard/merge end to end: `invert` and `analyze` write the same bytes for 1 and 2
// threads, and 4 shards joined by `inversa merge` are byte for byte the file of one run; merge
// refuses parts that do not make up one run, with one-line errors.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closePools } from '../../src/io/pool.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { loadModelFile } from '../../src/io/model-file.ts';
import { useCli } from '../helpers/cli.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures');
const blastFurnace = path.join(fixtures, 'resmlp_blast_furnace.onnx');
const standardization = JSON.parse(readFileSync(path.join(fixtures, 'resmlp_blast_furnace.json'), 'utf8')).standardization;
const directory = mkdtempSync(path.join(tmpdir(), 'inversa-shard-'));
const file = (name: string): string => path.join(directory, name);
const cli = useCli();

afterAll(closePools);

/** Points around the training mean (spread `spread` std), deterministic. */
function points(count: number, seed: number, spread: number): number[][] {
  const random = new Random(seed);
  return Array.from({ length: count }, () => standardization.inputMean.map((mean: number, j: number) => mean + spread * standardization.inputStd[j] * random.normal()));
}

describe('invert: --threads and --shard/merge give the bytes of one run', async () => {
  const model = await loadModelFile(blastFurnace);
  const x = points(150, 21, 0.5);
  const y = model.forward(Matrix.fromArray(x));
  const targets = file('targets.csv');
  const lines = [model.outputNames.join(',')];
  for (let k = 0; k < y.rows; k++) lines.push(Array.from(y.data.subarray(k * 4, (k + 1) * 4)).join(','));
  writeFileSync(targets, `${lines.join('\n')}\n`);

  for (const extra of [[], ['--starts', '2', '--seed', '3']]) {
    it(`4 shards merged = one run ${extra.join(' ')}`, async () => {
      expect(await cli.run(['invert', blastFurnace, '--targets', targets, '--out', file('one.csv'), '--threads', '1', ...extra])).toBe(0);
      expect(await cli.run(['invert', blastFurnace, '--targets', targets, '--out', file('two.csv'), '--threads', '2', ...extra])).toBe(0);
      const one = readFileSync(file('one.csv'), 'utf8');
      expect(readFileSync(file('two.csv'), 'utf8')).toBe(one);
      const parts = [0, 1, 2, 3].map((k) => file(`part-${k}.csv`));
      for (let k = 0; k < 4; k++) {
        expect(await cli.run(['invert', blastFurnace, '--targets', targets, '--shard', `${k}/4`, '--out', parts[k], ...extra])).toBe(0);
      }
      expect(readFileSync(parts[1], 'utf8').split('\n')[1].startsWith('2,')).toBe(true); // shard 1 starts at target 2
      expect(await cli.run(['merge', parts[2], parts[0], parts[3], parts[1], '--out', file('merged.csv')])).toBe(0);
      expect(readFileSync(file('merged.csv'), 'utf8')).toBe(one);
      expect(one.split('\n').length).toBeGreaterThan(150);
    });
  }

  it('merge refuses a missing shard and overlapping parts (exit 1, one line)', async () => {
    const parts = [0, 1, 2].map((k) => file(`part-${k}.csv`));
    expect(await cli.run(['merge', ...parts, '--out', file('bad.csv')])).toBe(1);
    expect(cli.stderr).toMatch(/^inversa: target 4 is in no part; give all N parts of the run\n$/);
    cli.stderr = '';
    expect(await cli.run(['merge', parts[0], parts[0], '--out', file('bad.csv')])).toBe(1);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('bad --shard and --threads values are usage errors (exit 2)', async () => {
    expect(await cli.run(['invert', blastFurnace, '--targets', targets, '--shard', '4/4', '--out', file('x.csv')])).toBe(2);
    expect(cli.stderr).toContain('--shard must be K/N with 0 ≤ K < N');
    expect(await cli.run(['invert', blastFurnace, '--targets', targets, '--threads', '0'])).toBe(2);
    expect(await cli.run(['invert', blastFurnace, '--targets', targets, '--shard', '0/2'])).toBe(2);
    expect(cli.stderr).toContain('--shard needs --out');
  });
});

describe('analyze: --threads and --shard/merge give the bytes of one run', () => {
  const pointsFile = file('points.csv');
  const header = JSON.parse(readFileSync(path.join(fixtures, 'resmlp_blast_furnace.json'), 'utf8')).inputNames as string[] | undefined;
  const rows = points(2600, 5, 1.5);
  writeFileSync(pointsFile, `${[...(header ? [header.join(',')] : []), ...rows.map((row) => row.join(','))].join('\n')}\n`);
  const common = ['--points', pointsFile, '--chunk-rows', '300', '--delta-y', '0.01,0.01,0.01,0.01', '--slice', '1,2', '--slice-resolution', '7'];

  it('4 shards merged = one run; 2 threads = 1 thread', async () => {
    expect(await cli.run(['analyze', blastFurnace, ...common, '--threads', '1', '--out', file('one.json')])).toBe(0);
    expect(await cli.run(['analyze', blastFurnace, ...common, '--threads', '2', '--out', file('two.json')])).toBe(0);
    const one = readFileSync(file('one.json'), 'utf8');
    expect(readFileSync(file('two.json'), 'utf8')).toBe(one);
    const parts = [0, 1, 2, 3].map((k) => file(`analysis-${k}.json`));
    for (let k = 0; k < 4; k++) expect(await cli.run(['analyze', blastFurnace, ...common, '--shard', `${k}/4`, '--out', parts[k]])).toBe(0);
    expect(await cli.run(['merge', ...parts.reverse(), '--model', blastFurnace, '--out', file('merged.json')])).toBe(0);
    expect(readFileSync(file('merged.json'), 'utf8')).toBe(one);
    const report = JSON.parse(one);
    expect(report.summary.count).toBe(2600);
    expect(report.domain.outside).toBeGreaterThan(0); // the example rows were merged, not just counted
  });

  it('merge refuses parts of different runs and a missing shard', async () => {
    const parts = [0, 1, 2, 3].map((k) => file(`analysis-${k}.json`));
    expect(await cli.run(['merge', parts[0], parts[1], parts[2], '--model', blastFurnace, '--out', file('bad.json')])).toBe(1);
    expect(cli.stderr).toContain('shard(s) 3/4 missing');
    expect(await cli.run(['analyze', blastFurnace, ...common, '--rtol', '1e-9', '--shard', '3/4', '--out', file('other.json')])).toBe(0);
    cli.stderr = '';
    expect(await cli.run(['merge', parts[0], parts[1], parts[2], file('other.json'), '--model', blastFurnace, '--out', file('bad.json')])).toBe(1);
    expect(cli.stderr).toContain('differ in the analysis options');
    expect(await cli.run(['merge', parts[0], parts[1], parts[2], parts[3], '--out', file('bad.json')])).toBe(2);
  });
});
