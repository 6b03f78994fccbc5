// `inversa benchmark` end to end on a tiny configuration (few samples, epochs and targets: this
// checks the wiring, the table and the JSON, not the scores), its usage errors, and the PyTorch
// peer script's behaviour (skip message without torch; machine line with it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCli } from '../helpers/cli.ts';

const cli = useCli();

const TINY = ['--targets', '4', '--T', '1,3', '--samples', '300', '--epochs', '2'];

describe('inversa benchmark', () => {
  it('prints the table with published figures beside ours', async () => {
    const code = await cli.run(['benchmark', 'sine', ...TINY, '--methods', 'lm,inverse-net,hybrid']);
    expect(cli.stderr).toBe('');
    expect(code).toBe(0);
    expect(cli.stdout).toMatch(/method\s+r̂_1\s+r̂_3\s+time/);
    expect(cli.stdout).toMatch(/inversa lm\s/);
    expect(cli.stdout).toMatch(/inversa hybrid\s/);
    expect(cli.stdout).toMatch(/published neural adjoint\s+0\.0003\s+—/);
    expect(cli.stdout).toMatch(/published tandem\s+0\.03\s+0\.03/);
    expect(cli.stdout).toContain('300 samples, seed 0');
  });

  it('--json and --out give the same report (the file without timings); hybrid at T = 1 uses one candidate', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'inversa-bench-')), 'report.json');
    const code = await cli.run(['benchmark', 'arm', ...TINY, '--methods', 'inverse-net,hybrid', '--json', '--out', out]);
    expect(code).toBe(0);
    const printed = JSON.parse(cli.stdout), written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(printed, (key, value: unknown) => (key === 'seconds' ? undefined : value))));
    expect(printed.task).toBe('arm');
    expect(printed.tValues).toEqual([1, 3]);
    expect(printed.published.neuralAdjoint).toEqual({ t1: 2e-4, t50: 2.5e-6 });
    const inverseNet = printed.methods.find((m: { method: string }) => m.method === 'inverse-net');
    expect(inverseNet.candidatesPerTarget).toBe(1);
    // A single-candidate method is flat in T.
    expect(inverseNet.scores[0].score).toBe(inverseNet.scores[1].score);
    for (const method of printed.methods) for (const score of method.scores) expect(score.score).toBeGreaterThanOrEqual(0);
  });

  it('usage errors exit with 2 and name the problem', async () => {
    expect(await cli.run(['benchmark', 'robot'])).toBe(2);
    expect(cli.stderr).toContain("unknown task 'robot'; available: arm, sine, ballistics");
    expect(await cli.run(['benchmark', 'arm', '--T', '0,5'])).toBe(2);
    expect(cli.stderr).toContain('--T values must be integers ≥ 1, got 0');
    expect(await cli.run(['benchmark', 'arm', '--methods', 'lm,magic'])).toBe(2);
    expect(cli.stderr).toContain("unknown method 'magic'");
    expect(await cli.run(['benchmark', 'arm', '--targets', 'many'])).toBe(2);
  });
});

describe('bench/peers/pytorch_peer.py', () => {
  it('prints a skip message without PyTorch, or a machine line with it', () => {
    const script = path.join(import.meta.dirname, '../../bench/peers/pytorch_peer.py');
    const hasTorch = spawnSync('python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
    // With torch present, run only the cheapest suite.
    const result = spawnSync('python3', [script, 'svd'], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status).toBe(0);
    const first = JSON.parse(result.stdout.split('\n')[0]);
    if (hasTorch) {
      expect(first.kind).toBe('machine');
      expect(result.stdout).toContain('"name": "svd-rank-cond-10k-4x7"');
    } else {
      expect(first).toMatchObject({ kind: 'skipped', peer: 'pytorch' });
      expect(first.message).toContain('python3-torch');
    }
  });
});
