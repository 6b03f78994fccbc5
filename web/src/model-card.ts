// The Model card in force for a loaded forward model: the saved one, else what the file itself
// says (a derived box, e.g. training mean ± k std, is not a fact and starts empty).
import type { App } from './app.ts';
import type { ModelCard, ModelInfo } from './protocol.ts';

export function currentCard(app: App, info: ModelInfo): ModelCard {
  if (app.card) return structuredClone(app.card.card);
  const n = info.inputNames.length, m = info.outputNames.length;
  const values = (source: number[] | null, count: number) => Array.from({ length: count }, (_, i) => (source && Number.isFinite(source[i]) ? source[i] : null));
  return {
    inputNames: [...info.inputNames],
    outputNames: [...info.outputNames],
    inputUnits: [...info.inputUnits],
    outputUnits: [...info.outputUnits],
    lower: values(info.boxStored && info.bounds ? info.bounds.lower : null, n),
    upper: values(info.boxStored && info.bounds ? info.bounds.upper : null, n),
    inputMean: values(info.inputMean, n),
    inputStd: values(info.inputStd, n),
    outputMean: values(info.outputMean, m),
    outputStd: values(info.outputStd, m),
  };
}
