// The built CLI (bin/inversa.js → dist/cli/bundle.js, made by `npm run build`, which `npm ci` runs
// through `prepare`) really runs --threads work on worker threads. A worker that fails is covered
// up by redoing its chunk on the main thread (same results, only slower), so packaging regressions —
// dist/cli/pool-worker.js missing, the bundle not exporting a task — would otherwise show only as
// lost speed. Here: `parallel` in --json says where the chunks ran, and the stderr warning; plus two
// broken copies of the package, to show that the check fails (and the user is told) when workers cannot run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFile } from '../src/io/model-file.ts';
import { Matrix } from '../src/linalg/matrix.ts';
import { Random } from '../src/linalg/random.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BUNDLE = path.join(ROOT, 'dist', 'cli', 'bundle.js');
const MODEL = path.join(ROOT, 'test', 'fixtures', 'resmlp_blast_furnace.onnx');
const standardization = JSON.parse(readFileSync(path.join(ROOT, 'test', 'fixtures', 'resmlp_blast_furnace.json'), 'utf8')).standardization;
const directory = mkdtempSync(path.join(tmpdir(), 'inversa-dist-workers-'));
const file = (name: string): string => path.join(directory, name);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface Run { code: number | null; stdout: string; stderr: string; json: Record<string, unknown> & { parallel: { threads: number; workerTasks: number; mainThreadTasks: number } } }

/** `node BIN args` with --json; its exit code, output and parsed JSON. */
function runBuilt(bin: string, args: string[]): Run {
  const child = spawnSync(process.execPath, [bin, ...args, '--json'], { encoding: 'utf8', cwd: directory, timeout: 60_000 });
  let json: Run['json'];
  try {
    json = JSON.parse(child.stdout);
  } catch {
    throw new Error(`${bin} ${args.join(' ')}: exit ${child.status}, no JSON on stdout; stderr: ${child.stderr}`);
  }
  return { code: child.status, stdout: child.stdout, stderr: child.stderr, json };
}

/** The check of this file: every chunk ran in a worker, and nothing was said about a fallback. */
function expectWorkersRan(run: Run): void {
  expect(run.json.parallel.threads).toBe(2);
  expect(run.json.parallel.workerTasks).toBeGreaterThan(0);
  expect(run.json.parallel.mainThreadTasks).toBe(0);
  expect(run.stderr).not.toMatch(/worker threads unavailable/);
}

/** The JSON without what depends on the run (where chunks ran, run time). */
function results(run: Run): unknown {
  const { parallel: _parallel, seconds: _seconds, ...rest } = run.json;
  void _parallel, _seconds;
  return rest;
}

/** A copy of the package (bin/, dist/cli/bundle.js, node_modules linked) with `change` applied to dist/cli/. */
function brokenCopy(name: string, change: (cli: string) => void): string {
  const root = file(name);
  mkdirSync(path.join(root, 'bin'), { recursive: true });
  mkdirSync(path.join(root, 'dist', 'cli'), { recursive: true });
  copyFileSync(path.join(ROOT, 'bin', 'inversa.js'), path.join(root, 'bin', 'inversa.js'));
  copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  copyFileSync(BUNDLE, path.join(root, 'dist', 'cli', 'bundle.js'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  change(path.join(root, 'dist', 'cli'));
  return path.join(root, 'bin', 'inversa.js');
}

describe('the built CLI runs --threads chunks on worker threads', async () => {
  it('dist/cli/ exists: run `npm run build` first', () => {
    expect(existsSync(BUNDLE), `${BUNDLE} is missing: run npm run build`).toBe(true);
    expect(existsSync(path.join(ROOT, 'dist', 'cli', 'pool-worker.js'))).toBe(true);
  });

  // 96 reachable targets (3 chunks of ≥ 32 on 2 threads) and 200 points (4 chunks of 50).
  const model = await loadModelFile(MODEL);
  const random = new Random(5);
  const x = Matrix.fromArray(Array.from({ length: 200 }, () => standardization.inputMean.map((mean: number, j: number) => mean + 0.3 * standardization.inputStd[j] * random.normal())));
  const y = model.forward(x);
  const csv = (names: readonly string[], matrix: Matrix, rows: number): string => {
    const lines = [names.join(',')];
    for (let k = 0; k < rows; k++) lines.push(Array.from(matrix.data.subarray(k * matrix.cols, (k + 1) * matrix.cols)).join(','));
    return `${lines.join('\n')}\n`;
  };
  writeFileSync(file('targets.csv'), csv(model.outputNames, y, 96));
  writeFileSync(file('points.csv'), csv(model.inputNames, x, 200));
  const invert = ['invert', MODEL, '--targets', file('targets.csv'), '--threads', '2'];
  const analyze = ['analyze', MODEL, '--points', file('points.csv'), '--chunk-rows', '50', '--threads', '2'];
  const bin = path.join(ROOT, 'bin', 'inversa.js');

  it('invert --threads 2: every chunk in a worker', () => {
    const run = runBuilt(bin, invert);
    expect(run.code).toBe(0);
    expectWorkersRan(run);
    expect(run.json.parallel.workerTasks).toBe(3);
  });

  it('analyze --threads 2: every chunk in a worker', () => {
    const run = runBuilt(bin, analyze);
    expect(run.code).toBe(0);
    expectWorkersRan(run);
    expect(run.json.parallel.workerTasks).toBe(4);
  });

  it('counter-test: without dist/cli/pool-worker.js the same results come from the main thread, the check fails, and stderr says so once', () => {
    const broken = brokenCopy('no-pool-worker', () => {});
    for (const [args, chunks] of [[invert, 3], [analyze, 4]] as const) {
      const good = runBuilt(bin, [...args]), run = runBuilt(broken, [...args]);
      expect(run.code).toBe(good.code);
      expect(results(run)).toEqual(results(good));
      expect(run.json.parallel).toEqual({ threads: 2, workerTasks: 0, mainThreadTasks: chunks });
      expect(() => expectWorkersRan(run)).toThrow();
      expect(run.stderr.split('\n').filter((line) => line !== '')).toEqual([expect.stringMatching(new RegExp(`^inversa: warning: worker threads unavailable \\(Cannot find module '[^']*dist/cli/pool-worker\\.js'.*\\); ran on the main thread \\(${chunks} of ${chunks} tasks\\)$`))]);
    }
  });

  it('counter-test: a bundle that does not export the tasks: main thread, the reason named', () => {
    const broken = brokenCopy('no-task-exports', (cli) => {
      copyFileSync(path.join(ROOT, 'dist', 'cli', 'pool-worker.js'), path.join(cli, 'pool-worker.js'));
      const bundle = readFileSync(path.join(cli, 'bundle.js'), 'utf8');
      const exports = bundle.lastIndexOf('\nexport {'); // the bundle's one export list, at its end
      const withoutTasks = bundle.slice(0, exports) + bundle.slice(exports).replace(/\n\s*(solveChunk|analyzeChunk),/g, '');
      expect(exports).toBeGreaterThan(0);
      expect(withoutTasks.length).toBeLessThan(bundle.length);
      writeFileSync(path.join(cli, 'bundle.js'), withoutTasks);
    });
    const run = runBuilt(broken, invert);
    expect(run.code).toBe(0);
    expect(run.json.parallel).toEqual({ threads: 2, workerTasks: 0, mainThreadTasks: 3 });
    expect(() => expectWorkersRan(run)).toThrow();
    expect(run.stderr).toMatch(/^inversa: warning: worker threads unavailable \(pool task: file:\S*bundle\.js has no function export 'solveChunk'\); ran on the main thread \(3 of 3 tasks\)\n$/);
  });
});
