// The Model card as ONNX metadata: the same 'inversa.*' keys (and JSON value formats) the exporter
// writes (src/onnx/write.ts, src/onnx/metadata.ts), so a card typed into the page and downloaded
// reads back in every inversa command (`inversa inspect` lists it) and in this page. Unknown items
// are left out (never written as guesses); other metadata of the file is kept.
import { InvalidArgumentError } from '../../src/core/index.ts';
import { METADATA_KEYS } from '../../src/onnx/index.ts';
import { onnx } from '../../src/onnx/proto.ts';
import type { ModelCard } from './protocol.ts';

const allKnown = (values: (number | null)[]): values is number[] => values.every((value) => value !== null && Number.isFinite(value));

/** The card's metadata entries: names always, units when any is known, box and statistics when complete. */
export function cardMetadata(card: ModelCard): Record<string, string> {
  const out: Record<string, string> = {
    [METADATA_KEYS.inputNames]: JSON.stringify(card.inputNames),
    [METADATA_KEYS.outputNames]: JSON.stringify(card.outputNames),
  };
  if (card.inputUnits.some(Boolean)) out[METADATA_KEYS.inputUnits] = JSON.stringify(card.inputUnits);
  if (card.outputUnits.some(Boolean)) out[METADATA_KEYS.outputUnits] = JSON.stringify(card.outputUnits);
  if (allKnown(card.lower) && allKnown(card.upper)) out[METADATA_KEYS.bounds] = JSON.stringify({ lower: card.lower, upper: card.upper });
  if (allKnown(card.inputMean) && allKnown(card.inputStd)) {
    out[METADATA_KEYS.inputMean] = JSON.stringify(card.inputMean);
    out[METADATA_KEYS.inputStd] = JSON.stringify(card.inputStd);
  }
  if (allKnown(card.outputMean) && allKnown(card.outputStd)) {
    out[METADATA_KEYS.outputMean] = JSON.stringify(card.outputMean);
    out[METADATA_KEYS.outputStd] = JSON.stringify(card.outputStd);
  }
  return out;
}

/** Problems that make a card unusable (one line each); empty when it can be applied. */
export function cardProblems(card: ModelCard, n: number, m: number): string[] {
  const problems: string[] = [];
  const lengths: [string, unknown[], number][] = [
    ['input names', card.inputNames, n], ['output names', card.outputNames, m], ['input units', card.inputUnits, n], ['output units', card.outputUnits, m],
    ['lower bounds', card.lower, n], ['upper bounds', card.upper, n], ['input means', card.inputMean, n], ['input stds', card.inputStd, n],
    ['output means', card.outputMean, m], ['output stds', card.outputStd, m],
  ];
  for (const [what, values, expected] of lengths) if (values.length !== expected) problems.push(`${what}: ${values.length} given, the model has ${expected}`);
  if (problems.length) return problems;
  const names = [...card.inputNames, ...card.outputNames];
  const empty = names.findIndex((name) => name.trim() === '');
  if (empty >= 0) problems.push(`${empty < n ? `input ${empty + 1}` : `output ${empty - n + 1}`} has no name`);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) problems.push(`the name "${name}" is used twice`);
    seen.add(name);
  }
  const someBox = [...card.lower, ...card.upper].some((value) => value !== null);
  if (someBox && !(allKnown(card.lower) && allKnown(card.upper))) problems.push('operating box: give lower and upper for every input, or leave them all empty');
  card.lower.forEach((low, i) => {
    const high = card.upper[i];
    if (low !== null && high !== null && !(low < high)) problems.push(`operating box of ${card.inputNames[i]}: lower (${low}) must be below upper (${high})`);
  });
  for (const [side, mean, std] of [['input', card.inputMean, card.inputStd], ['output', card.outputMean, card.outputStd]] as const) {
    const some = [...mean, ...std].some((value) => value !== null);
    if (some && !(allKnown(mean) && allKnown(std))) problems.push(`${side} training statistics: give mean and std for every ${side}, or leave them all empty`);
    if (std.some((value) => value !== null && !(value > 0))) problems.push(`${side} training std must be greater than 0`);
  }
  return [...new Set(problems)];
}

/** A copy of the ONNX bytes with the card written as 'inversa.*' metadata (old 'inversa.*' name/unit/box/statistics entries replaced). */
export function annotateOnnx(bytes: Uint8Array, card: ModelCard): Uint8Array {
  let model: ReturnType<typeof onnx.ModelProto.decode>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new InvalidArgumentError(`cannot annotate: the file is not a readable ONNX model (${(error as Error).message})`);
  }
  const replaced = new Set<string>(Object.values(METADATA_KEYS));
  const kept = (model.metadataProps ?? []).filter((entry) => !replaced.has(entry.key ?? ''));
  const added = Object.entries(cardMetadata(card)).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value }));
  model.metadataProps = [...kept, ...added];
  return onnx.ModelProto.encode(model).finish();
}
