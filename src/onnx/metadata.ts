// The 'inversa.*' metadata_props that inversa writes into the ONNX files it exports and reads back:
// variable names, units, bounds and training mean/std (values are JSON text).
import type { Bounds, ModelMeta } from '../model/index.ts';
import { OnnxFormatError } from './errors.ts';

export const METADATA_KEYS = {
  inputNames: 'inversa.input_names',
  outputNames: 'inversa.output_names',
  inputUnits: 'inversa.input_units',
  outputUnits: 'inversa.output_units',
  bounds: 'inversa.bounds',
  inputMean: 'inversa.input_mean',
  inputStd: 'inversa.input_std',
  outputMean: 'inversa.output_mean',
  outputStd: 'inversa.output_std',
  inputQuantiles: 'inversa.input_quantiles',
  outputQuantiles: 'inversa.output_quantiles',
} as const;

/** A present but unusable 'inversa.*' entry: an error, because ignoring it would, e.g., drop the bounds. */
function corrupt(key: string, text: string, expected: string): OnnxFormatError {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return new OnnxFormatError(`model metadata '${key}' is corrupt: expected ${expected}, got ${JSON.stringify(shown)}`);
}

/** Parse a JSON array of `length` strings (or a comma list); undefined when absent, an error when malformed. */
export function parseNames(text: string | undefined, length: number, key = 'names'): string[] | undefined {
  if (text === undefined) return undefined;
  let values: unknown;
  try { values = JSON.parse(text); } catch { values = text.trim().startsWith('[') ? null : text.split(',').map((s) => s.trim()); }
  if (Array.isArray(values) && values.length === length && values.every((v) => typeof v === 'string')) return values as string[];
  throw corrupt(key, text, `a JSON array of ${length} strings`);
}

/** Parse a JSON array of `length` finite numbers; undefined when absent, an error when malformed. */
export function parseNumbers(text: string | undefined, length: number, key = 'numbers'): Float64Array | undefined {
  if (text === undefined) return undefined;
  let values: unknown;
  try { values = JSON.parse(text); } catch { values = null; }
  if (Array.isArray(values) && values.length === length && values.every((v) => typeof v === 'number' && Number.isFinite(v))) return Float64Array.from(values as number[]);
  throw corrupt(key, text, `a JSON array of ${length} finite numbers`);
}

function parseBounds(text: string | undefined, length: number): Bounds | undefined {
  if (text === undefined) return undefined;
  const key = METADATA_KEYS.bounds;
  let value: unknown;
  try { value = JSON.parse(text); } catch { value = null; }
  const record = value as { lower?: unknown; upper?: unknown } | null;
  const expected = `{"lower": [${length} numbers], "upper": [${length} numbers]} with lower ≤ upper`;
  if (!record || typeof record !== 'object' || !Array.isArray(record.lower) || !Array.isArray(record.upper)) throw corrupt(key, text, expected);
  const lower = parseNumbers(JSON.stringify(record.lower), length, key)!, upper = parseNumbers(JSON.stringify(record.upper), length, key)!;
  if (lower.some((lo, j) => !(lo <= upper[j]))) throw corrupt(key, text, expected);
  return { lower, upper };
}

/** Names and meta stored by inversa's exporter (undefined fields were absent; malformed ones are an OnnxFormatError). */
export function metaFromMetadata(metadata: Record<string, string>, n: number, m: number): { inputNames?: string[]; outputNames?: string[]; meta: ModelMeta } {
  const meta: ModelMeta = {};
  const names = (key: string, length: number) => parseNames(metadata[key], length, key);
  const numbers = (key: string, length: number) => parseNumbers(metadata[key], length, key);
  const inputUnits = names(METADATA_KEYS.inputUnits, n);
  const outputUnits = names(METADATA_KEYS.outputUnits, m);
  if (inputUnits) meta.inputUnits = inputUnits;
  if (outputUnits) meta.outputUnits = outputUnits;
  const bounds = parseBounds(metadata[METADATA_KEYS.bounds], n);
  if (bounds) meta.bounds = bounds;
  const inputMean = numbers(METADATA_KEYS.inputMean, n), inputStd = numbers(METADATA_KEYS.inputStd, n);
  const outputMean = numbers(METADATA_KEYS.outputMean, m), outputStd = numbers(METADATA_KEYS.outputStd, m);
  for (const [key, std] of [[METADATA_KEYS.inputStd, inputStd], [METADATA_KEYS.outputStd, outputStd]] as const) {
    if (std && std.some((s) => !(s > 0))) throw corrupt(key, metadata[key], 'positive standard deviations');
  }
  if ((inputMean === undefined) !== (inputStd === undefined)) throw new OnnxFormatError(`model metadata has only one of '${METADATA_KEYS.inputMean}' and '${METADATA_KEYS.inputStd}'; both or neither`);
  if ((outputMean === undefined) !== (outputStd === undefined)) throw new OnnxFormatError(`model metadata has only one of '${METADATA_KEYS.outputMean}' and '${METADATA_KEYS.outputStd}'; both or neither`);
  if (inputMean && inputStd) { meta.inputMean = inputMean; meta.inputStd = inputStd; }
  if (outputMean && outputStd) { meta.outputMean = outputMean; meta.outputStd = outputStd; }
  return { inputNames: names(METADATA_KEYS.inputNames, n), outputNames: names(METADATA_KEYS.outputNames, m), meta };
}
