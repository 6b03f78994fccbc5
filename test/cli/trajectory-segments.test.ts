// `invert --trajectory --segment-length L --threads N`: the segments run in workers and the solutions
// file is the same bytes for 1 and 2 threads; --segment-length alone is a usage error.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closePools, completedPoolTasks } from '../../src/io/pool.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { loadModelFile } from '../../src/io/model-file.ts';
import { useCli } from '../helpers/cli.ts';

const fixture = path.resolve(import.meta.dirname, '../fixtures/tanh_mlp_7x64x64x4.onnx');
const directory = mkdtempSync(path.join(tmpdir(), 'inversa-trajectory-'));
const file = (name: string): string => path.join(directory, name);
const cli = useCli();

afterAll(closePools);

describe('invert --trajectory --segment-length', async () => {
  const model = await loadModelFile(fixture);
  const steps = 60;
  const x = new Matrix(steps, 7);
  for (let t = 0; t < steps; t++) for (let j = 0; j < 7; j++) x.data[t * 7 + j] = 0.5 * Math.cos(0.07 * t * (j + 1));
  const y = model.forward(x);
  const lines = [model.outputNames.join(',')];
  for (let t = 0; t < steps; t++) lines.push(Array.from(y.data.subarray(t * 4, (t + 1) * 4)).join(','));
  writeFileSync(file('path.csv'), `${lines.join('\n')}\n`);
  const common = ['invert', fixture, '--targets', file('path.csv'), '--trajectory', '--smoothness', '0.05', '--lower', '-3,-3,-3,-3,-3,-3,-3', '--upper', '3,3,3,3,3,3,3'];

  it('writes the same file on 1 and 2 threads, the segments in workers', async () => {
    expect(await cli.run([...common, '--segment-length', '15', '--threads', '1', '--out', file('one.csv')])).toBe(0);
    const before = completedPoolTasks();
    expect(await cli.run([...common, '--segment-length', '15', '--threads', '2', '--out', file('two.csv')])).toBe(0);
    expect(completedPoolTasks() - before).toBe(4);
    expect(readFileSync(file('two.csv'), 'utf8')).toBe(readFileSync(file('one.csv'), 'utf8'));
    expect(cli.stdout).toContain('in 4 independent segments of 15 steps (each cold-started)');
    // Without segments: the sequential run, whatever --threads says.
    expect(await cli.run([...common, '--threads', '1', '--out', file('seq1.csv')])).toBe(0);
    expect(await cli.run([...common, '--threads', '2', '--out', file('seq2.csv')])).toBe(0);
    expect(readFileSync(file('seq2.csv'), 'utf8')).toBe(readFileSync(file('seq1.csv'), 'utf8'));
  });

  it('--segment-length without --trajectory, or below 1, is a usage error', async () => {
    expect(await cli.run(['invert', fixture, '--targets', file('path.csv'), '--segment-length', '5'])).toBe(2);
    expect(cli.stderr).toContain('--segment-length applies only with --trajectory');
    expect(await cli.run([...common, '--segment-length', '0'])).toBe(2);
  });
});
