// How a pool task hands fresh result buffers back without copying them (see pool-worker.ts).
// Plain data with no dependency, so task modules can use it in any environment.

const MARK = 'inversa.movedAnswer';

export interface MovedAnswer<T> {
  [MARK]: true;
  value: T;
  buffers: ArrayBuffer[];
}

/** Answer `value`, moving `buffers` (which the worker must not use afterwards) to the caller. */
export function movedAnswer<T>(value: T, buffers: ArrayBuffer[]): T {
  return { [MARK]: true, value, buffers } as unknown as T;
}

export function isMovedAnswer(value: unknown): value is MovedAnswer<unknown> {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[MARK] === true;
}
