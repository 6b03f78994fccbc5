// `annotate`: a copy of an ONNX model with inversa's metadata_props set (names, units, operating box,
// training mean/std/quantiles), the graph untouched — so every command and the web page know what
// a third-party export does not say. Entries given replace entries of the same key; others are kept.
import { OnnxFormatError } from './errors.ts';
import { onnx } from './proto.ts';
import { sortedQuantile } from '../linalg/index.ts';

/** The model bytes with `entries` written into metadata_props (replacing same-named keys). */
export function annotateOnnx(bytes: Uint8Array, entries: Record<string, string>, source = 'ONNX model'): Uint8Array {
  let model: ReturnType<typeof onnx.ModelProto.decode>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new OnnxFormatError(`${source} is not a valid ONNX model (${(error as Error).message})`);
  }
  const kept = (model.metadataProps ?? []).filter((entry) => !(entry.key && entry.key in entries));
  model.metadataProps = [...kept, ...Object.entries(entries).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value }))];
  return onnx.ModelProto.encode(model).finish();
}

/** Column quantiles (linear interpolation) of a row-major rows×cols table, as { "0.01": [...], ... }. */
export function columnQuantiles(data: Float64Array, rows: number, cols: number, levels: readonly number[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const column = new Float64Array(rows);
  for (const level of levels) out[String(level)] = [];
  for (let j = 0; j < cols; j++) {
    for (let k = 0; k < rows; k++) column[k] = data[k * cols + j];
    column.sort();
    for (const level of levels) out[String(level)].push(sortedQuantile(column, level));
  }
  return out;
}
