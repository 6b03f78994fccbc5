// Rebuild a model from its portable recipe (src/model/portable.ts) inside a worker thread, once per
// recipe key: later tasks with the same key reuse the model (and its WebAssembly weight layout).
import { MlpModel, type Model, type PortableModel } from '../model/index.ts';
import { loadOnnxModel } from './load.ts';

const rebuilt = new Map<string, Promise<Model>>();
/** Models kept per worker (a pool serves one or two models at a time). */
const KEEP = 4;

export function rebuildModel(recipe: PortableModel): Promise<Model> {
  let model = rebuilt.get(recipe.key);
  if (!model) {
    model = recipe.kind === 'mlp'
      ? Promise.resolve(new MlpModel(recipe.spec))
      : loadOnnxModel(recipe.bytes, { output: recipe.output, fallback: recipe.fallback, source: recipe.source });
    if (rebuilt.size >= KEEP) rebuilt.delete(rebuilt.keys().next().value!);
    rebuilt.set(recipe.key, model);
    model.catch(() => rebuilt.delete(recipe.key));
  }
  return model;
}
