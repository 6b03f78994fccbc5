// Write JSON (inversa's plain-JSON rules, see src/core/json.ts) to a file atomically.
import { stringifyJson } from '../core/index.ts';
import { writeFileAtomic } from './atomic.ts';

/** Write JSON to a file atomically. */
export function writeJson(path: string, value: unknown, indent = 2): void {
  writeFileAtomic(path, stringifyJson(value, indent));
}
