// A pool of worker threads for the Node side (tinypool: measured against piscina in
// bench/pool/choice.ts — same per-task cost, half the start-up time, no dependencies; see
// docs/scaling.md). Work is sent as tasks {module, name, input}: the worker imports `module` (a file
// URL, normally the caller's own `import.meta.url`) and calls its export `name` with `input`.
// Because the module URL is the caller's, the same code runs from TypeScript sources (.ts, under
// vitest or tsx) and from compiled JavaScript (dist/*.js): when the worker entry is a .ts file the
// workers start with tsx's loader registered (execArgv --import), otherwise as plain Node.
//
// Determinism is the callers' job and easy to keep: they split work into items that do not depend
// on the thread count (rows, fixed-size chunks), and put the answers back in item order.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Tinypool from 'tinypool';
import { checkInteger } from '../core/index.ts';

/** A unit of work for a worker: call export `name` of `module` (file URL) with `input`. */
export interface PoolTask<Input> {
  module: string;
  name: string;
  input: Input;
  /** ArrayBuffers moved (not copied) to the worker; the caller must not use them afterwards. */
  transfer?: ArrayBuffer[];
}

/** Cores this process may use (os.availableParallelism: honours CPU affinity). */
export function availableThreads(): number {
  return Math.max(1, availableParallelism());
}

/** The `threads` option resolved: undefined → available cores; otherwise an integer ≥ 1. */
export function resolveThreads(threads: number | undefined, name = 'threads'): number {
  if (threads === undefined) return availableThreads();
  return checkInteger(threads, name, 1);
}

/** The worker entry next to this file: compiled .js when it exists (dist/), else the .ts source. */
function workerEntry(): { filename: string; execArgv: string[] } {
  const compiled = new URL('./pool-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return { filename: compiled.href, execArgv: [] };
  return { filename: new URL('./pool-worker.ts', import.meta.url).href, execArgv: ['--import', tsxBootstrap()] };
}

/** A data: URL module that registers tsx's ESM loader in the worker, so it can import .ts files. */
function tsxBootstrap(): string {
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = pathToFileURL(packageJson.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  return `data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(api)}; register();`)}`;
}

const pools = new Map<number, Tinypool>();

/** The pool with `threads` workers, started on first use and kept for later calls (idle workers do not keep the process alive). */
function poolOf(threads: number): Tinypool {
  let pool = pools.get(threads);
  if (!pool) {
    const { filename, execArgv } = workerEntry();
    pool = new Tinypool({ filename, execArgv, minThreads: threads, maxThreads: threads, idleTimeout: IDLE_MS });
    pools.set(threads, pool);
  }
  return pool;
}

/** Workers idle this long exit (a new task starts them again). */
const IDLE_MS = 2_000;

/**
 * Run every task on a pool of `threads` workers; answers in task order. At most `threads`·2 tasks
 * are in flight when `tasks` is an iterator (streams), so inputs are produced only as fast as they
 * are consumed. The first failing task's error is thrown (as the worker threw it).
 */
export async function runTasks<Input, Output>(threads: number, tasks: Iterable<PoolTask<Input>>): Promise<Output[]> {
  const pool = poolOf(threads);
  const answers: Promise<Output>[] = [];
  for (const task of tasks) {
    answers.push(pool.run({ module: task.module, name: task.name, input: task.input }, { transferList: task.transfer }) as Promise<Output>);
  }
  return Promise.all(answers);
}

/** Run one task on the pool of `threads` workers. */
export function runTask<Input, Output>(threads: number, task: PoolTask<Input>): Promise<Output> {
  return poolOf(threads).run({ module: task.module, name: task.name, input: task.input }, { transferList: task.transfer }) as Promise<Output>;
}

/**
 * Start the pool's workers now and let each load `modules` (file URLs), without waiting: a command
 * that will need workers calls this first, so the workers' start-up (module loading, compiling;
 * from TypeScript sources also transpiling) overlaps its own reading of files. With `inputFile`,
 * only when that file is large enough for the work to go to workers at all.
 */
export function prewarmPool(threads: number, modules: string[], inputFile?: string): void {
  if (threads < 2) return;
  if (inputFile !== undefined && !(fileSize(inputFile) >= PREWARM_MIN_BYTES)) return;
  const pool = poolOf(threads);
  for (let k = 0; k < threads; k++) {
    for (const module of modules) void pool.run({ module, name: '', input: null }).catch(() => undefined);
  }
}

/** Input files smaller than this are (nearly always) done in-process: no workers are started for them in advance. */
const PREWARM_MIN_BYTES = 256 * 1024;

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // a missing file is reported by the command that reads it
  }
}

/** Tasks the pools of this process have completed (tests check that work really went to workers). */
export function completedPoolTasks(): number {
  let total = 0;
  for (const pool of pools.values()) total += pool.completed;
  return total;
}

/** Stop every pool's workers (tests and long-lived hosts; a CLI run can simply exit). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((pool) => pool.destroy()));
}
