// Reading the PyTorch peer's JSON lines and choosing each suite's peer figure: measured in this run
// beats published, published stands in when PyTorch did not run. The real peer script is run once
// against a stand-in `torch` that fails to import, to check its "skipped" line (no PyTorch needed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_PYTORCH, PYTORCH_PEER_KEYS } from '../../bench/peers/published.ts';
import { PEER_SCRIPT, parsePeerOutput, peerSuitesFor, resolvePeer } from '../../bench/peers/pytorch.ts';

const hasPython3 = spawnSync('python3', ['--version']).status === 0;

const SAMPLE = [
  '{"kind": "machine", "cpu": "x86_64", "cores": 2, "python": "3.11.2", "torch": "1.13.0a0", "threads": 1}',
  '{"suite": "svd", "name": "svd-rank-cond-10k-4x7", "value": 23.1, "unit": "ms", "peer": "PyTorch svdvals"}',
  '{"suite": "solve", "name": "gauss-newton-20-pinv-tanh-7x64x64x4-10k", "value": 3.96, "unit": "s", "peer": "PyTorch GN", "solvedFraction": 0.998, "method": "gauss-newton"}',
  '{"suite": "jacobian", "error": "RuntimeError: out of memory"}',
  'Warning: some library chatter',
  '{"suite": "train", "name": "train-7x64x64x4-batch64-float32", "value": "fast", "unit": "samples/s"}',
  '[1, 2]',
  '',
].join('\n');

describe('parsePeerOutput', () => {
  const run = parsePeerOutput(SAMPLE, 'peer script, torch 1.13.0a0');

  it('keys figures by suite/name with value, unit, peer words and the other keys as details', () => {
    expect([...run.figures.keys()]).toEqual(['svd/svd-rank-cond-10k-4x7', 'solve/gauss-newton-20-pinv-tanh-7x64x64x4-10k']);
    expect(run.figures.get('solve/gauss-newton-20-pinv-tanh-7x64x64x4-10k')).toEqual({
      peer: 'PyTorch GN', value: 3.96, unit: 's', kind: 'measured', source: 'peer script, torch 1.13.0a0',
      details: { solvedFraction: 0.998, method: 'gauss-newton' },
    });
  });

  it('keeps the machine line and reports failed suites and unreadable lines instead of crashing', () => {
    expect(run.machine).toMatchObject({ torch: '1.13.0a0', threads: 1 });
    expect(run.skipped).toBeNull();
    expect(run.errors).toHaveLength(4);
    expect(run.errors[0]).toBe('jacobian: RuntimeError: out of memory');
    expect(run.errors[1]).toMatch(/^unreadable peer line: Warning/);
    expect(run.errors[2]).toMatch(/finite numeric value/);
    expect(run.errors[3]).toMatch(/not an object/);
  });

  it('reads the skipped line', () => {
    const skipped = parsePeerOutput('{"kind": "skipped", "peer": "pytorch", "message": "PyTorch is not installed"}\n', 'x');
    expect(skipped.skipped).toBe('PyTorch is not installed');
    expect(skipped.figures.size).toBe(0);
  });
});

describe('resolvePeer', () => {
  const measuredRun = parsePeerOutput(SAMPLE, 'peer script');

  it('prefers the figure measured in this run and attaches the published one', () => {
    const figure = resolvePeer(PYTORCH_PEER_KEYS.gaussNewton, measuredRun, PUBLISHED_PYTORCH);
    expect(figure).toMatchObject({ kind: 'measured', value: 3.96, unit: 's', publishedValue: 1.6 });
  });

  it('falls back to the issue\'s published figure when PyTorch did not run or did not print it', () => {
    expect(resolvePeer(PYTORCH_PEER_KEYS.gaussNewton, null, PUBLISHED_PYTORCH)).toMatchObject({ kind: 'published', value: 1.6, unit: 's' });
    // jacobian failed in the sample run: published 30 ms from issue 3.
    expect(resolvePeer(PYTORCH_PEER_KEYS.jacobian, measuredRun, PUBLISHED_PYTORCH)).toMatchObject({ kind: 'published', value: 30, unit: 'ms' });
    expect(resolvePeer(PYTORCH_PEER_KEYS.train, null, PUBLISHED_PYTORCH)).toMatchObject({ kind: 'published', value: 317_000, unit: 'samples/s' });
  });

  it('has nothing for work without a published figure when PyTorch is absent', () => {
    expect(resolvePeer(PYTORCH_PEER_KEYS.svdValues, null, PUBLISHED_PYTORCH)).toBeUndefined();
    expect(resolvePeer(PYTORCH_PEER_KEYS.svdValues, measuredRun, PUBLISHED_PYTORCH)).toMatchObject({ kind: 'measured', value: 23.1 });
  });
});

describe('peer suites and names', () => {
  it('runs only the peer suites the requested bench suites need', () => {
    expect(peerSuitesFor(['analyze'])).toEqual([]);
    expect(peerSuitesFor(['solve', 'svd'])).toEqual(['solve', 'svd']);
    expect(peerSuitesFor(['jacobian', 'mlp'])).toEqual(['jacobian']);
  });

  it('every key the suites look up is a name the peer script emits', () => {
    const script = readFileSync(PEER_SCRIPT, 'utf8');
    for (const key of Object.values(PYTORCH_PEER_KEYS)) {
      const [suite, name] = key.split('/');
      // '<name>-Nthreads' keys (issue 16) are the 1-thread name plus thread_suffix(threads), run at N threads.
      const threaded = /^(.*)-(\d+)threads$/.exec(name);
      if (!threaded) {
        expect(script, key).toMatch(new RegExp(`emit\\("${suite}", "${name}"`));
        continue;
      }
      expect(script, key).toMatch(new RegExp(`emit\\("${suite}", "${threaded[1]}" \\+ thread_suffix\\(threads\\)`));
      expect(script, key).toContain(`torch.set_num_threads(${threaded[2]})`);
    }
  });

  it.skipIf(!hasPython3)('the real peer script prints one "skipped" line and exits 0 when torch cannot be imported', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'inversa-no-torch-'));
    try {
      writeFileSync(path.join(directory, 'torch.py'), 'raise ImportError("no torch in this test")\n');
      const result = spawnSync('python3', [PEER_SCRIPT, 'svd', '--quick'], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: directory } });
      expect(result.status).toBe(0);
      const run = parsePeerOutput(result.stdout, 'test');
      expect(run.skipped).toMatch(/PyTorch is not installed/);
      expect(run.figures.size).toBe(0);
      expect(run.errors).toEqual([]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
