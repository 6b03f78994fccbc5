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

/**
 * The worker entry next to this file: compiled .js when it exists (dist/), else, when this file is
 * the TypeScript source, the .ts source with tsx. Compiled code missing its pool-worker.js (a
 * packaging regression) names that file: its workers fail to start, with that reason.
 */
function workerEntry(): { filename: string; execArgv: string[] } {
  const compiled = new URL('./pool-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled)) || !import.meta.url.endsWith('.ts')) return { filename: compiled.href, execArgv: [] };
  return { filename: new URL('./pool-worker.ts', import.meta.url).href, execArgv: ['--import', tsxBootstrap()] };
}

/** A data: URL module that registers tsx's ESM loader in the worker, so it can import .ts files. */
function tsxBootstrap(): string {
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = pathToFileURL(packageJson.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  return `data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(api)}; register();`)}`;
}

/** Where the pool tasks of this process ran: answered by a worker, or run on the main thread after a worker failed. */
export interface PoolUsage {
  workerTasks: number;
  mainThreadTasks: number;
  /** The first line of the latest worker failure that sent a task to the main thread ('' when none). */
  lastFailure: string;
}

const usage: PoolUsage = { workerTasks: 0, mainThreadTasks: 0, lastFailure: '' };

/** The counts so far (a copy): a command takes one before and one after, and reports the difference. */
export function poolUsage(): PoolUsage {
  return { ...usage };
}

const pools = new Map<number, Tinypool>();
/** Pools whose workers failed outside any task (could not start): the error, given to every later task. */
const brokenPools = new Map<number, Error>();
/** Per pool, a promise rejected when the pool is retired: settles the tasks it still had queued. */
const retirements = new WeakMap<Tinypool, Promise<never>>();

/** The pool with `threads` workers, started on first use and kept for later calls (idle workers do not keep the process alive). */
function poolOf(threads: number): Tinypool {
  const broken = brokenPools.get(threads);
  if (broken) throw broken;
  let pool = pools.get(threads);
  if (!pool) {
    const { filename, execArgv } = workerEntry();
    const started = new Tinypool({ filename, execArgv, minThreads: threads, maxThreads: threads, idleTimeout: IDLE_MS });
    let retire!: (error: Error) => void;
    const retired = new Promise<never>((_, reject) => { retire = reject; });
    retired.catch(() => undefined);
    retirements.set(started, retired);
    // A worker that fails with no task (typically: it cannot load its entry) would otherwise be an
    // unhandled 'error' event. The pool is retired: later tasks fail at once with this error, and
    // their callers run them on the main thread.
    started.on('error', (error: unknown) => {
      if (pools.get(threads) !== started) return;
      brokenPools.set(threads, error instanceof Error ? error : new Error(String(error)));
      pools.delete(threads);
      // Not destroy(): tinypool has already removed the failed worker, and destroy() waits with
      // events.once() on its worker wrapper, which a second failing worker then crashes (the wrapper
      // has no removeListener: "emitter.removeListener is not a function"). Tasks still queued in the
      // retired pool are settled through its retirement promise instead (see runOnPool).
      retire(brokenPools.get(threads)!);
    });
    pools.set(threads, started);
    pool = started;
  }
  return pool;
}

/** Run one task on the pool of `threads` workers; counts it when a worker answered. */
function runOnPool<Input, Output>(threads: number, task: PoolTask<Input>): Promise<Output> {
  let pool: Tinypool;
  try {
    pool = poolOf(threads);
  } catch (error) {
    return Promise.reject(error);
  }
  const running = pool.run({ module: task.module, name: task.name, input: task.input }, { transferList: task.transfer }) as Promise<Output>;
  const retired = retirements.get(pool);
  return (retired ? Promise.race([running, retired]) : running).then(
    (answer) => { usage.workerTasks++; return answer; },
    (error: unknown) => { throw brokenPools.get(threads) ?? error; }, // tasks cut short by a retired pool report why it was retired
  );
}

/** Workers idle this long exit (a new task starts them again). */
const IDLE_MS = 2_000;

/**
 * Run every task on a pool of `threads` workers; answers in task order. At most `threads`·2 tasks
 * are in flight when `tasks` is an iterator (streams), so inputs are produced only as fast as they
 * are consumed. The first failing task's error is thrown (as the worker threw it).
 */
export async function runTasks<Input, Output>(threads: number, tasks: Iterable<PoolTask<Input>>): Promise<Output[]> {
  const answers: Promise<Output>[] = [];
  for (const task of tasks) answers.push(runOnPool<Input, Output>(threads, task));
  return Promise.all(answers);
}

/** Run one task on the pool of `threads` workers. */
export function runTask<Input, Output>(threads: number, task: PoolTask<Input>): Promise<Output> {
  return runOnPool<Input, Output>(threads, task);
}

/**
 * Run one task on the pool of `threads` workers; if that fails, run `here()` on this thread instead.
 * An error crossing threads loses its class (and the CLI its one-line message): when the task's own
 * input is at fault, `here()` throws the same error as itself. When `here()` succeeds where the
 * worker failed, the workers are at fault (they could not start, or their module lacks the task):
 * that is counted, with the reason, in poolUsage(), so it is never only lost speed.
 */
export async function runTaskOr<Input, Output>(threads: number, task: PoolTask<Input>, here: () => Output | Promise<Output>): Promise<Output> {
  let workerError: unknown;
  try {
    return await runOnPool<Input, Output>(threads, task);
  } catch (error) {
    workerError = error;
  }
  const answer = await here();
  usage.mainThreadTasks++;
  usage.lastFailure = firstLine(workerError);
  return answer;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].trim() || (error instanceof Error ? error.name : 'unknown error');
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
  let pool: Tinypool;
  try {
    pool = poolOf(threads);
  } catch {
    return; // the tasks themselves meet (and report) the same failure
  }
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

/** Tasks that workers of this process have answered (tests check that work really went to workers; failed tasks do not count). */
export function completedPoolTasks(): number {
  return usage.workerTasks;
}

/** Stop every pool's workers (tests and long-lived hosts; a CLI run can simply exit). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  brokenPools.clear();
  await Promise.all(all.map((pool) => pool.destroy()));
}
