// The benchmark's work items (tasks × seeds × methods) on the worker pool and over shards: the file
// `benchmark --out` writes is the same bytes for 1, 2 and 3 threads, and 4 shards joined by
// `inversa merge` are byte for byte that file; the file holds no timings (--json keeps them); merge
// refuses parts that do not make up one run. Tiny configuration (few samples, epochs, targets):
// this checks determinism and the wiring, not the scores.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closePools, completedPoolTasks } from '../../src/io/pool.ts';
import { useCli } from '../helpers/cli.ts';

const cli = useCli();
const directory = mkdtempSync(path.join(tmpdir(), 'inversa-bench-parallel-'));
const file = (name: string): string => path.join(directory, name);
const RUN = ['benchmark', 'arm,sine', '--seed', '0,1', '--methods', 'lm,inverse-net,hybrid', '--targets', '4', '--T', '1,3', '--samples', '300', '--epochs', '2'];

afterAll(closePools);

describe('benchmark: --threads and --shard/merge give the bytes of one run', () => {
  it('threads 1, 2 and 3 write the same file; the work went to workers; no timings in the file', async () => {
    expect(await cli.run([...RUN, '--threads', '1', '--out', file('one.json')])).toBe(0);
    const one = readFileSync(file('one.json'), 'utf8');
    const before = completedPoolTasks();
    for (const threads of ['2', '3']) {
      expect(await cli.run([...RUN, '--threads', threads, '--out', file(`t${threads}.json`)])).toBe(0);
      expect(readFileSync(file(`t${threads}.json`), 'utf8')).toBe(one);
    }
    // 4 trainings + 12 method items per run, twice.
    expect(completedPoolTasks() - before).toBeGreaterThanOrEqual(2 * 16);
    const written = JSON.parse(one);
    expect(written.runs.map((run: { task: string; seed: number }) => `${run.task}/${run.seed}`)).toEqual(['arm/0', 'arm/1', 'sine/0', 'sine/1']);
    expect(one).not.toContain('seconds');
    expect(written.runs[1].methods.map((m: { method: string }) => m.method)).toEqual(['lm', 'inverse-net', 'hybrid']);
    // Different seeds train different surrogates: the runs are not copies of each other.
    expect(written.runs[0].surrogate.testMse).not.toBe(written.runs[1].surrogate.testMse);
  });

  it('4 shards (any thread count) merged in any order = the file of one run', async () => {
    const parts = [0, 1, 2, 3].map((k) => file(`part-${k}.json`));
    for (let k = 0; k < 4; k++) {
      expect(await cli.run([...RUN, '--threads', String(1 + (k % 2)), '--shard', `${k}/4`, '--out', parts[k]])).toBe(0);
    }
    expect(cli.stdout).toContain('shard 3/4: 3 work item(s)');
    expect(await cli.run(['merge', parts[2], parts[0], parts[3], parts[1], '--out', file('merged.json')])).toBe(0);
    expect(readFileSync(file('merged.json'), 'utf8')).toBe(readFileSync(file('one.json'), 'utf8'));
  });

  it('one task and one seed: the file is that run\'s report; --json prints it with timings', async () => {
    const args = ['benchmark', 'arm', '--methods', 'lm,hybrid', '--targets', '4', '--T', '1,3', '--samples', '300', '--epochs', '2'];
    expect(await cli.run([...args, '--threads', '2', '--json', '--out', file('single.json')])).toBe(0);
    const printed = JSON.parse(cli.stdout), written = JSON.parse(readFileSync(file('single.json'), 'utf8'));
    expect(written.task).toBe('arm');
    expect(printed.seconds).toBeGreaterThan(0);
    expect(printed.methods[0].seconds).toBeGreaterThanOrEqual(0);
    const withoutTimings = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, entry: unknown) => (key === 'seconds' ? undefined : entry)));
    expect(written).toEqual(withoutTimings(printed));
    const parts = [0, 1].map((k) => file(`single-${k}.json`));
    for (let k = 0; k < 2; k++) expect(await cli.run([...args, '--shard', `${k}/2`, '--out', parts[k]])).toBe(0);
    expect(await cli.run(['merge', ...parts, '--out', file('single-merged.json')])).toBe(0);
    expect(readFileSync(file('single-merged.json'), 'utf8')).toBe(readFileSync(file('single.json'), 'utf8'));
  });

  it('merge refuses a missing shard, a doubled shard and parts of another run (exit 1, one line)', async () => {
    const parts = [0, 1, 2, 3].map((k) => file(`part-${k}.json`));
    expect(await cli.run(['merge', parts[0], parts[1], parts[2], '--out', file('bad.json')])).toBe(1);
    expect(cli.stderr).toMatch(/^inversa: shard 3\/4 is missing; give all 4 parts of the run\n$/);
    cli.stderr = '';
    expect(await cli.run(['merge', parts[0], parts[0], parts[1], parts[2], '--out', file('bad.json')])).toBe(1);
    expect(cli.stderr).toContain('are both shard 0/4');
    cli.stderr = '';
    expect(await cli.run([...RUN.slice(0, -2), '--epochs', '3', '--threads', '1', '--shard', '3/4', '--out', file('other-3.json')])).toBe(0);
    expect(await cli.run(['merge', parts[0], parts[1], parts[2], file('other-3.json'), '--out', file('bad.json')])).toBe(1);
    expect(cli.stderr).toContain('is a shard of another benchmark run');
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    cli.stderr = '';
    expect(await cli.run(['merge', parts[0], file('one.json'), '--out', file('bad.json')])).toBe(2);
    expect(cli.stderr).toContain('give parts of one kind');
  });

  it('--shard needs --out and refuses --json; bad --threads is a usage error (exit 2)', async () => {
    expect(await cli.run([...RUN, '--shard', '0/2'])).toBe(2);
    expect(cli.stderr).toContain('--shard needs --out');
    expect(await cli.run([...RUN, '--shard', '0/2', '--out', file('x.json'), '--json'])).toBe(2);
    expect(await cli.run([...RUN, '--shard', '2/2', '--out', file('x.json')])).toBe(2);
    expect(await cli.run([...RUN, '--threads', '0'])).toBe(2);
    expect(await cli.run(['benchmark', 'arm', '--seed', '1,x'])).toBe(2);
  });
});
