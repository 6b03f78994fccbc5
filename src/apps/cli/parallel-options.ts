// The two options that spread a run: --threads N (worker threads on this machine) and --shard K/N
// (this process does work items with index ≡ K mod N, K = 0 … N−1, e.g. a Slurm array task or a
// Kubernetes Indexed Job pod; `inversa merge` joins the N outputs into the file of one run).
import { UsageError } from '../../core/index.ts';
import { poolUsage, type PoolUsage } from '../../io/index.ts';
import { integerOption } from './option-text.ts';

export interface Shard {
  index: number;
  count: number;
}

/** --threads: an integer ≥ 1 (undefined: the available cores). */
export function parseThreads(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  return integerOption(text, '--threads', 1);
}

/** --shard K/N with 0 ≤ K < N (undefined when not given). */
export function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN, count = match ? Number(match[2]) : NaN;
  if (!match || !(count >= 1) || !(index < count)) throw new UsageError(`--shard must be K/N with 0 ≤ K < N (e.g. 0/4 … 3/4), got "${text}"`);
  return { index, count };
}

/** Indices i < total with i ≡ K (mod N). */
export function shardIndices(total: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let i = shard.index; i < total; i += shard.count) out.push(i);
  return out;
}

/** Where a command's chunks ran, in its --json output: workers, or the main thread after a worker failed. */
export interface ParallelUsage {
  threads: number;
  workerTasks: number;
  mainThreadTasks: number;
}

/** The pool tasks since `before` (a poolUsage() taken when the command started). */
export function parallelUsageSince(before: PoolUsage, threads: number): ParallelUsage {
  const now = poolUsage();
  return { threads, workerTasks: now.workerTasks - before.workerTasks, mainThreadTasks: now.mainThreadTasks - before.mainThreadTasks };
}

/** One line for stderr when tasks since `before` fell back to the main thread (null when none did). */
export function workerFallbackWarning(before: PoolUsage): string | null {
  const now = poolUsage();
  const fellBack = now.mainThreadTasks - before.mainThreadTasks;
  if (fellBack === 0) return null;
  const total = fellBack + now.workerTasks - before.workerTasks;
  return `worker threads unavailable (${now.lastFailure}); ran on the main thread (${fellBack} of ${total} tasks)`;
}
