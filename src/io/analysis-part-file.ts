// Parts of a sharded analysis as files: the CsvAnalysisState of each shard as JSON (typed arrays as
// arrays, non-finite numbers and −0 as {"nonFinite": "Infinity"} so they survive), read back with checks
// that the parts belong to one run and together cover every shard exactly once.
import { InvalidArgumentError } from '../core/index.ts';
import type { CsvAnalysisState } from './csv-analysis.ts';

/** The JSON text of a part. */
export function encodePart(state: CsvAnalysisState): string {
  return `${JSON.stringify(state, (_key, value: unknown) => {
    if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) return { nonFinite: Object.is(value, -0) ? '-0' : String(value) };
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
    return value;
  })}\n`;
}

/** True when a parsed JSON value is an analysis part. */
export function isPart(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'inversa-analyze-part';
}

/** Parse a part's JSON text (`name` for messages). */
export function decodePart(text: string, name: string): CsvAnalysisState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const keys = Object.keys(value);
        if (keys.length === 1 && keys[0] === 'nonFinite') return Number((value as { nonFinite: string }).nonFinite);
      }
      return value;
    });
  } catch (error) {
    throw new InvalidArgumentError(`${name}: not valid JSON (${(error as Error).message})`);
  }
  if (!isPart(parsed)) throw new InvalidArgumentError(`${name}: not a part written by \`inversa analyze --shard K/N --out\``);
  const state = parsed as CsvAnalysisState;
  if (state.version !== 1) throw new InvalidArgumentError(`${name}: part format version ${state.version} is not supported (expected 1)`);
  state.scaling.inputStd = Float64Array.from(state.scaling.inputStd);
  state.scaling.outputStd = Float64Array.from(state.scaling.outputStd);
  return state;
}

/** Check that parts are the N shards of one run: same file, model columns, options and N; each K once. */
export function checkParts(parts: { state: CsvAnalysisState; name: string }[]): void {
  const [first] = parts;
  const shardCount = first.state.shard?.count ?? 1;
  const same = (what: string, value: (state: CsvAnalysisState) => unknown): void => {
    const expected = JSON.stringify(value(first.state));
    for (const part of parts) {
      if (JSON.stringify(value(part.state)) !== expected) throw new InvalidArgumentError(`${part.name} and ${first.name} differ in ${what}; they are not shards of one run`);
    }
  };
  same('the analysed file', (state) => state.file);
  same('the model inputs and outputs', (state) => [state.inputNames, state.outputNames]);
  same('the analysis options', (state) => state.options);
  same('the chunk size', (state) => state.chunkRows);
  same('the shard count N', (state) => state.shard?.count ?? 1);
  const seen = new Map<number, string>();
  for (const part of parts) {
    const index = part.state.shard?.index ?? 0;
    if (seen.has(index)) throw new InvalidArgumentError(`${part.name} and ${seen.get(index)} are both shard ${index}/${shardCount}`);
    seen.set(index, part.name);
  }
  const missing = Array.from({ length: shardCount }, (_, k) => k).filter((k) => !seen.has(k));
  if (missing.length > 0) throw new InvalidArgumentError(`shard(s) ${missing.map((k) => `${k}/${shardCount}`).join(', ')} missing; give all ${shardCount} parts`);
}
