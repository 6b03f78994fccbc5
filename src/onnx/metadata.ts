// The 'inversa.*' metadata_props that inversa writes into the ONNX files it exports and reads back:
// variable names, units, bounds and training mean/std (values are JSON text).
import type { Bounds, ModelMeta } from '../model/model.ts';

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

/** Parse a JSON array of `length` strings (or a comma list), else undefined. */
export function parseNames(text: string | undefined, length: number): string[] | undefined {
  if (!text) return undefined;
  let values: unknown;
  try { values = JSON.parse(text); } catch { values = text.split(',').map((s) => s.trim()); }
  return Array.isArray(values) && values.length === length && values.every((v) => typeof v === 'string') ? (values as string[]) : undefined;
}

/** Parse a JSON array of `length` finite numbers, else undefined. */
export function parseNumbers(text: string | undefined, length: number): Float64Array | undefined {
  if (!text) return undefined;
  try {
    const values: unknown = JSON.parse(text);
    if (Array.isArray(values) && values.length === length && values.every((v) => typeof v === 'number' && Number.isFinite(v))) return Float64Array.from(values as number[]);
  } catch { /* not JSON: ignored */ }
  return undefined;
}

function parseBounds(text: string | undefined, length: number): Bounds | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { lower?: unknown; upper?: unknown };
    const lower = parseNumbers(JSON.stringify(value.lower), length), upper = parseNumbers(JSON.stringify(value.upper), length);
    return lower && upper ? { lower, upper } : undefined;
  } catch { return undefined; }
}

/** Names and meta stored by inversa's exporter (undefined fields were absent or malformed). */
export function metaFromMetadata(metadata: Record<string, string>, n: number, m: number): { inputNames?: string[]; outputNames?: string[]; meta: ModelMeta } {
  const meta: ModelMeta = {};
  const inputUnits = parseNames(metadata[METADATA_KEYS.inputUnits], n);
  const outputUnits = parseNames(metadata[METADATA_KEYS.outputUnits], m);
  if (inputUnits) meta.inputUnits = inputUnits;
  if (outputUnits) meta.outputUnits = outputUnits;
  const bounds = parseBounds(metadata[METADATA_KEYS.bounds], n);
  if (bounds) meta.bounds = bounds;
  const inputMean = parseNumbers(metadata[METADATA_KEYS.inputMean], n), inputStd = parseNumbers(metadata[METADATA_KEYS.inputStd], n);
  const outputMean = parseNumbers(metadata[METADATA_KEYS.outputMean], m), outputStd = parseNumbers(metadata[METADATA_KEYS.outputStd], m);
  if (inputMean && inputStd) { meta.inputMean = inputMean; meta.inputStd = inputStd; }
  if (outputMean && outputStd) { meta.outputMean = outputMean; meta.outputStd = outputStd; }
  return { inputNames: parseNames(metadata[METADATA_KEYS.inputNames], n), outputNames: parseNames(metadata[METADATA_KEYS.outputNames], m), meta };
}
