// What the page shows about a loaded model, as plain data: names, units, operating box (from the
// model's metadata, else the training range of src/model/domain.ts: mean ± 3 std), training
// statistics, and a sentence on the standardization found inside the model.
import { modelDomain, TRAINING_RANGE_STDS, trainingRange, type Model, type ModelMeta } from '../../src/model/index.ts';
import type { ModelInfo, ModelRole } from './protocol.ts';

/** Without a stored box, the range shown is the training mean ± this many std (the one rule of src/model/domain.ts). */
export const BOX_STD_MULTIPLE = TRAINING_RANGE_STDS;

const toArray = (values: ArrayLike<number> | undefined): number[] | null => (values ? Array.from(values) : null);

export function describeModel(model: Model, role: ModelRole, name: string): ModelInfo {
  const meta = model.meta ?? {};
  const n = model.inputNames.length;
  const m = model.outputNames.length;
  const inputMean = toArray(meta.inputMean);
  const inputStd = toArray(meta.inputStd);
  let bounds: ModelInfo['bounds'] = null;
  const range = trainingRange(modelDomain(model));
  if (range) {
    bounds = {
      lower: Array.from(range.low), upper: Array.from(range.high),
      origin: range.basis === 'operating-box' ? 'stored in the model’s metadata' : `${range.text}; the model stores no box`,
    };
  }
  return {
    role,
    name,
    inputNames: [...model.inputNames],
    outputNames: [...model.outputNames],
    inputUnits: Array.from({ length: n }, (_, i) => meta.inputUnits?.[i] ?? ''),
    outputUnits: Array.from({ length: m }, (_, i) => meta.outputUnits?.[i] ?? ''),
    bounds,
    inputMean,
    inputStd,
    outputMean: toArray(meta.outputMean),
    outputStd: toArray(meta.outputStd),
    standardization: standardizationText(meta),
    notes: [...(meta.notes ?? [])],
    source: meta.source ?? name,
    approximateJacobian: meta.approximateJacobian ?? false,
  };
}

/**
 * One sentence per side: standardization found as graph nodes (the ONNX loader's notes), or only
 * training mean/std from the metadata, or nothing (then condition numbers are in raw units).
 */
export function standardizationText(meta: ModelMeta): string {
  const notes = meta.notes ?? [];
  const side = (which: 'input' | 'output', known: boolean, formula: string) => {
    if (notes.some((note) => note.startsWith(`${which} standardization in the graph`))) return `${which}s: ${formula} found in the graph`;
    if (known) return `${which}s: training mean/std known from the model’s metadata (no scaling nodes found in the graph)`;
    return `${which}s: none detected (raw units)`;
  };
  const inputs = side('input', meta.inputMean !== undefined && meta.inputStd !== undefined, '(x − mean)/std');
  const outputs = side('output', meta.outputMean !== undefined && meta.outputStd !== undefined, 'y = z·std + mean');
  const basis = meta.inputStd && meta.outputStd
    ? 'condition numbers are also reported in these standardized units'
    : 'without both stds, condition numbers depend on the units chosen';
  return `${inputs}; ${outputs}; ${basis}.`;
}
