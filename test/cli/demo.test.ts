// `inversa demo` with reduced sizes (the full demo is timed in the report, not here): the summary
// says the data is synthetic, shows targets / achieved outputs / residuals / cond / cost for the
// default solver and for the inverse net alone, and the files it names exist and load.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_INPUT_PRICES, runDemo } from '../../src/apps/cli/demo.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';

describe('inversa demo (small settings)', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'inversa-demo-'));
  const { text, json } = await runDemo({
    out, seed: 42, progress: false,
    settings: { rows: 800, forwardEpochs: 15, inverseEpochs: 10, hidden: [32, 32], analysisPoints: 50, targets: 3, alphaEndEpoch: 5 },
  });

  it('prints a summary that says the data is synthetic, with the inversion table', () => {
    expect(text).toMatch(/SYNTHETIC/);
    expect(text).toMatch(/#\s+what\s+tgt\s+hmt\s+prod_rt\s+fta\s+residual\s+true-f residual\s+cond\s+cost\s+status/);
    expect(text.match(/solve \(lm\) {2,}/g)).toHaveLength(3);
    expect(text.match(/solve \(lm\) \+ min cost/g)).toHaveLength(3);
    expect(text.match(/inverse net alone/g)).toHaveLength(3);
    expect(text).toMatch(/invertibility at 50 held-out points: full rank 4/);
  });

  it('the default solver meets the targets through the trained net; cost is p·x with the reference prices', () => {
    const rows = json.inversions as { method: string; residual: number; cost: number; status: string }[];
    for (const row of rows.filter((entry) => entry.method.startsWith('solve'))) {
      expect(row.status).toBe('converged');
      expect(row.residual).toBeLessThan(1e-6);
    }
    expect(DEMO_INPUT_PRICES).toEqual([4, 1, 0.5, 0, 0, 0, 0]);
  });

  it('the min-cost solution meets the same targets at a cost no higher than the plain solve', () => {
    const rows = json.inversions as { target: number; method: string; cost: number }[];
    for (let target = 1; target <= 3; target++) {
      const plain = rows.find((row) => row.target === target && row.method === 'solve (lm)')!;
      const cheap = rows.find((row) => row.target === target && row.method === 'solve (lm) + min cost')!;
      expect(cheap.cost).toBeLessThanOrEqual(plain.cost + 1e-9 * Math.abs(plain.cost));
    }
    const costs = rows.filter((row) => row.method.endsWith('min cost')).map((row) => row.cost);
    const plainCosts = rows.filter((row) => row.method === 'solve (lm)').map((row) => row.cost);
    expect(costs.reduce((a, b) => a + b, 0)).toBeLessThan(plainCosts.reduce((a, b) => a + b, 0));
  });

  it('writes the files it lists, and the models load back', async () => {
    const files = json.files as Record<string, string>;
    for (const file of Object.values(files)) expect(existsSync(file)).toBe(true);
    expect(readFileSync(files.data, 'utf8').startsWith('# SYNTHETIC DATA')).toBe(true);
    const forward = await loadOnnxModel(readFileSync(files.forward));
    expect(forward.outputNames).toEqual(['tgt', 'hmt', 'prod_rt', 'fta']);
    expect(text).toContain(files.forward);
  });
});
