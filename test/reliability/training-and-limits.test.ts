// Issue 18 regressions: a diverged training run (non-finite loss, or validation loss far above that
// of predicting the mean) is exit 1 and leaves the previous artifacts byte for byte, in both
// precisions; sizes chosen on the command line are capped by a memory budget with one-line errors.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { capFromMemory, checkWithinLimit, memoryBudgetBytes } from '../../src/core/limits.ts';
import { useCli } from '../helpers/cli.ts';

const cli = useCli();
const directory = mkdtempSync(path.join(tmpdir(), 'inversa-diverge-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function snapshot(folder: string): Record<string, string> {
  return Object.fromEntries(readdirSync(folder).sort().map((name) => [name, readFileSync(path.join(folder, name)).toString('base64')]));
}

describe('training that diverges', () => {
  for (const precision of ['float64', 'float32']) {
    it(`--precision ${precision} --lr 1e10: exit 1, one line, previous artifacts kept`, async () => {
      const out = path.join(directory, precision);
      expect(await cli.run(['train', '--dataset', 'sine', '--epochs', '3', '--precision', precision, '--inverse', '--out', out, '--no-progress'])).toBe(0);
      const before = snapshot(out);
      expect(Object.keys(before)).toEqual(['forward.onnx', 'inverse.onnx', 'training-report.json']);
      cli.stderr = '';
      expect(await cli.run(['train', '--dataset', 'sine', '--epochs', '3', '--precision', precision, '--lr', '1e10', '--out', out, '--no-progress'])).toBe(1);
      expect(cli.stderr.trim().split('\n')).toHaveLength(1);
      expect(cli.stderr).toMatch(/training diverged/);
      expect(snapshot(out)).toEqual(before);
    });
  }
});

describe('memory-derived limits', () => {
  afterEach(() => { delete process.env.INVERSA_MEMORY_MB; });

  it('the budget follows INVERSA_MEMORY_MB (else a quarter of RAM) and caps counts', () => {
    process.env.INVERSA_MEMORY_MB = '64';
    expect(memoryBudgetBytes()).toBe(64 * 2 ** 20);
    expect(capFromMemory(1024)).toBe(65536);
    expect(capFromMemory(1024, 100)).toBe(100);
    expect(() => checkWithinLimit(65537, '--x', 1024)).toThrow(/--x 65537 is more than the limit of 65536 \(about 1\.0 KiB each against a budget of 64\.0 MiB/);
    expect(() => checkWithinLimit(65536, '--x', 1024)).not.toThrow();
  });

  it('--hidden too wide for the budget is a one-line error before any allocation', async () => {
    process.env.INVERSA_MEMORY_MB = '64';
    expect(await cli.run(['train', '--dataset', 'sine', '--hidden', '2000,2000', '--out', path.join(directory, 'wide'), '--no-progress'])).toBe(2);
    expect(cli.stderr).toMatch(/^inversa: --hidden 2000,2000 with --batch 64 needs about .* to train, more than the budget of 64\.0 MiB/);
  });

  it('--batch far above the rows trains like a batch of all rows', async () => {
    const a = path.join(directory, 'batch-all'), b = path.join(directory, 'batch-huge');
    expect(await cli.run(['train', '--dataset', 'sine', '--rows', '200', '--epochs', '2', '--batch', '1000000000', '--out', b, '--no-progress', '--json'])).toBe(0);
    const huge = JSON.parse(cli.stdout);
    cli.stdout = '';
    expect(await cli.run(['train', '--dataset', 'sine', '--rows', '200', '--epochs', '2', '--batch', '200', '--out', a, '--no-progress', '--json'])).toBe(0);
    const all = JSON.parse(cli.stdout);
    expect(huge.forward.test).toEqual(all.forward.test);
  });
});
