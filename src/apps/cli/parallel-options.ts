// The two options that spread a run: --threads N (worker threads on this machine) and --shard K/N
// (this process does work items with index ≡ K mod N, K = 0 … N−1, e.g. a Slurm array task or a
// Kubernetes Indexed Job pod; `inversa merge` joins the N outputs into the file of one run).
import { UsageError } from '../../core/index.ts';
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
