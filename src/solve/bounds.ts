// Box bounds on the inputs: resolution from options or model metadata, validation, projection,
// and the active-set rule the solvers use inside every iteration (a coordinate at a bound whose
// step points outward is frozen, the step is recomputed on the free coordinates).
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../core/index.ts';
import type { VectorLike } from '../linalg/index.ts';
import type { Bounds, Model } from '../model/index.ts';

export interface BoundsOptions {
  lower?: VectorLike;
  upper?: VectorLike;
  /** false: ignore the bounds stored in the model's metadata. */
  useModelBounds?: boolean;
}

/** Lower/upper per input (±Infinity where unbounded), checked: same length as the inputs, lower ≤ upper, no NaN. */
export function resolveBounds(model: Model, options: BoundsOptions): Bounds {
  const n = model.inputNames.length;
  const stored = options.useModelBounds === false ? undefined : model.meta?.bounds;
  const lower = boundVector(options.lower, stored?.lower, n, -Infinity, 'lower', model);
  const upper = boundVector(options.upper, stored?.upper, n, Infinity, 'upper', model);
  for (let j = 0; j < n; j++) {
    if (lower[j] > upper[j]) {
      throw new InvalidArgumentError(`bounds for input ${j + 1} (${model.inputNames[j]}): lower ${lower[j]} > upper ${upper[j]}; each lower bound must be ≤ its upper bound`);
    }
  }
  return { lower, upper };
}

function boundVector(given: VectorLike | undefined, stored: Float64Array | undefined, n: number, fill: number, name: string, model: Model): Float64Array {
  const source = given ?? stored;
  if (source === undefined) return new Float64Array(n).fill(fill);
  if (source.length !== n) {
    throw new ShapeError(`${name} bounds have ${source.length} values but the model has ${n} inputs (${model.inputNames.join(', ')})`);
  }
  const out = Float64Array.from(source);
  for (let j = 0; j < n; j++) {
    if (Number.isNaN(out[j])) throw new NonFiniteError(`${name} bound for input ${j + 1} (${model.inputNames[j]}) is NaN; use ±Infinity for "unbounded"`);
    if (name === 'lower' && out[j] === Infinity) throw new InvalidArgumentError(`lower bound for input ${j + 1} (${model.inputNames[j]}) is +Infinity`);
    if (name === 'upper' && out[j] === -Infinity) throw new InvalidArgumentError(`upper bound for input ${j + 1} (${model.inputNames[j]}) is -Infinity`);
  }
  return out;
}

/** True when at least one bound is finite. */
export function hasBounds(bounds: Bounds): boolean {
  for (let j = 0; j < bounds.lower.length; j++) if (Number.isFinite(bounds.lower[j]) || Number.isFinite(bounds.upper[j])) return true;
  return false;
}

/** Clamp n entries of x at offset into the box, in place. Returns how many entries moved. */
export function projectInPlace(x: Float64Array, offset: number, lower: Float64Array, upper: Float64Array): number {
  let moved = 0;
  for (let j = 0; j < lower.length; j++) {
    const value = x[offset + j];
    if (value < lower[j]) { x[offset + j] = lower[j]; moved++; }
    else if (value > upper[j]) { x[offset + j] = upper[j]; moved++; }
  }
  return moved;
}

/** -1 at the lower bound, +1 at the upper bound, 0 inside (a point in the box sits exactly on a bound after projection). */
export function boundSide(value: number, lower: number, upper: number): number {
  if (value <= lower) return -1;
  if (value >= upper) return 1;
  return 0;
}

/**
 * Freeze (mark 1 in `frozen`) every coordinate that sits at a bound while `direction` points out
 * of the box. Returns how many coordinates were newly frozen.
 */
export function freezeOutward(x: Float64Array, xOffset: number, direction: Float64Array, lower: Float64Array, upper: Float64Array, frozen: Uint8Array): number {
  let added = 0;
  for (let j = 0; j < lower.length; j++) {
    if (frozen[j]) continue;
    const side = boundSide(x[xOffset + j], lower[j], upper[j]);
    if ((side < 0 && direction[j] < 0) || (side > 0 && direction[j] > 0)) {
      frozen[j] = 1;
      added++;
    }
  }
  return added;
}

/** The inputs that sit on a bound at x (row at offset), as names and as "name=lower/upper" text. */
export function activeBoundsAt(x: Float64Array, offset: number, bounds: Bounds, names: readonly string[]): { names: string[]; text: string[] } {
  const out = { names: [] as string[], text: [] as string[] };
  for (let j = 0; j < names.length; j++) {
    const side = boundSide(x[offset + j], bounds.lower[j], bounds.upper[j]);
    if (side === 0) continue;
    out.names.push(names[j]);
    out.text.push(`${names[j]} at its ${side < 0 ? 'lower' : 'upper'} bound ${side < 0 ? bounds.lower[j] : bounds.upper[j]}`);
  }
  return out;
}
