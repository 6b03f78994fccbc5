// How a model travels to a worker thread: as plain data a worker can rebuild it from (its MLP spec,
// or the ONNX bytes it was loaded from), never as the live object. Models without such a recipe
// (analytic functions built in code, wrappers) are evaluated in the calling thread instead.
// The recipes are kept beside the models in a WeakMap, so the Model interface does not change.
import { MlpModel } from './mlp.ts';
import type { MlpSpec } from './mlp-spec.ts';
import type { Model } from './model.ts';

export type PortableModel =
  | { kind: 'mlp'; key: string; spec: MlpSpec }
  | { kind: 'onnx'; key: string; bytes: Uint8Array; output?: string; fallback?: 'finite-differences'; source?: string };

/** Recipe contents without the key (assigned here, unique per model in this process). */
export type PortableRecipe = PortableModel extends infer P ? (P extends { key: string } ? Omit<P, 'key'> : never) : never;

const recipes = new WeakMap<object, PortableModel>();
let nextKey = 0;
const processTag = Math.random().toString(36).slice(2, 10);

/** Record how `model` can be rebuilt elsewhere (loaders call this). */
export function markPortable(model: Model, recipe: PortableRecipe): void {
  recipes.set(model, { ...recipe, key: `${processTag}-${nextKey++}` } as PortableModel);
}

/** The recipe of `model`, or null when it cannot be rebuilt in a worker. */
export function portableModel(model: Model): PortableModel | null {
  const known = recipes.get(model);
  if (known) return known;
  if (model instanceof MlpModel) {
    const recipe: PortableModel = { kind: 'mlp', key: `${processTag}-${nextKey++}`, spec: model.spec };
    recipes.set(model, recipe);
    return recipe;
  }
  return null;
}
