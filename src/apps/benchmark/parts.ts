// Sharded benchmark runs: `inversa benchmark --shard K/N` runs the work items with index ≡ K (mod N)
// (items: tasks × seeds × methods, src/apps/benchmark/items.ts) and writes a part — the request, the
// shard and each item's answer without timings. `inversa merge` checks that the parts are the N
// shards of one request and assembles exactly the file one unsharded run writes. Numbers are written
// as the report file writes them (stringifyJson), so they reach the merged file unchanged.
import { stringifyJson, InvalidArgumentError } from '../../core/index.ts';
import { resolveThreads } from '../../io/index.ts';
import { type BenchmarkRequest, workItems } from './items.ts';
import { assembleRuns, type BenchmarkOptions, type BenchmarkReport, type ItemAnswer, resolveRequest, runItems } from './runner.ts';

const KIND = 'inversa-benchmark-part';

export interface Shard {
  index: number;
  count: number;
}

/** A shard's answers, as its file holds them (no timings). */
export interface BenchmarkPart {
  kind: typeof KIND;
  version: 1;
  shard: Shard;
  request: BenchmarkRequest;
  items: ItemAnswer[];
}

/** Run the items of shard K/N; `seconds` is this shard's wall time (not written into the part). */
export async function runBenchmarkShard(options: BenchmarkOptions, shard: Shard): Promise<{ part: BenchmarkPart; seconds: number }> {
  const started = performance.now();
  const request = resolveRequest(options);
  if (!(Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count)) {
    throw new InvalidArgumentError(`shard must be K/N with 0 ≤ K < N, got ${shard.index}/${shard.count}`);
  }
  const items = workItems(request).filter((item) => item.index % shard.count === shard.index);
  const answers = await runItems(request, items, resolveThreads(options.threads), options.onStage);
  return { part: { kind: KIND, version: 1, shard, request, items: answers }, seconds: (performance.now() - started) / 1000 };
}

/** The part's file text: the answers without their timings. */
export function encodeBenchmarkPart(part: BenchmarkPart): string {
  const items = part.items.map(({ item, surrogate: { seconds: _s, ...surrogate }, outcome: { seconds: _o, ...outcome } }) => {
    void _s; void _o;
    return { item, surrogate, outcome };
  });
  return stringifyJson({ ...part, items });
}

/** True when a parsed JSON value is a benchmark part. */
export function isBenchmarkPart(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === KIND;
}

/** Parse a part's text (`name` for messages); timings come back as 0. */
export function decodeBenchmarkPart(text: string, name: string): BenchmarkPart {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`${name}: not valid JSON (${(error as Error).message})`);
  }
  if (!isBenchmarkPart(parsed)) throw new InvalidArgumentError(`${name}: not a part written by \`inversa benchmark --shard K/N --out\``);
  const part = parsed as BenchmarkPart;
  if (part.version !== 1) throw new InvalidArgumentError(`${name}: benchmark part version ${String(part.version)} is not supported (expected 1)`);
  if (!Array.isArray(part.items) || typeof part.shard?.count !== 'number' || typeof part.request !== 'object') throw new InvalidArgumentError(`${name}: benchmark part is incomplete (shard, request or items missing)`);
  for (const answer of part.items) {
    answer.surrogate.seconds = 0;
    answer.outcome.seconds = 0;
  }
  return part;
}

/**
 * The runs of the whole request from its N parts (any order), checked: one request, one N, every K
 * once, every work item once and in the shard its index says, the same nets' facts wherever a
 * (task, seed) appears. Timings are 0 (the merged file has none).
 */
export function mergeBenchmarkParts(parts: { part: BenchmarkPart; name: string }[]): BenchmarkReport[] {
  const [first] = parts;
  const request = JSON.stringify(first.part.request), count = first.part.shard.count;
  const seen = new Map<number, string>();
  for (const { part, name } of parts) {
    if (JSON.stringify(part.request) !== request) throw new InvalidArgumentError(`${name} is a shard of another benchmark run than ${first.name} (tasks, seeds, methods, T, targets, samples or network differ)`);
    if (part.shard.count !== count) throw new InvalidArgumentError(`${name} is shard ${part.shard.index}/${part.shard.count} but ${first.name} is one of ${count}`);
    const previous = seen.get(part.shard.index);
    if (previous !== undefined) throw new InvalidArgumentError(`${name} and ${previous} are both shard ${part.shard.index}/${count}; the parts overlap`);
    seen.set(part.shard.index, name);
  }
  for (let k = 0; k < count; k++) if (!seen.has(k)) throw new InvalidArgumentError(`shard ${k}/${count} is missing; give all ${count} parts of the run`);
  const expected = workItems(first.part.request);
  const answers: ItemAnswer[] = [];
  const facts = new Map<string, string>();
  for (const { part, name } of parts) {
    for (const answer of part.items) {
      const want = expected[answer.item.index];
      if (!want || want.task !== answer.item.task || want.seed !== answer.item.seed || want.method !== answer.item.method || answer.item.index % count !== part.shard.index) {
        throw new InvalidArgumentError(`${name}: work item ${answer.item.index} (${answer.item.task}, seed ${answer.item.seed}, ${answer.item.method}) does not belong to shard ${part.shard.index}/${count} of this run`);
      }
      const key = `${want.task}|${want.seed}`, nets = JSON.stringify(answer.surrogate);
      if (facts.has(key) && facts.get(key) !== nets) throw new InvalidArgumentError(`${name}: the surrogate of ${want.task} seed ${want.seed} differs from another part's (different inversa versions?)`);
      facts.set(key, nets);
      answers.push(answer);
    }
  }
  return assembleRuns(first.part.request, answers);
}
