// Write JSON (inversa's plain-JSON rules, see src/common/json.ts) to a file atomically.
import { stringifyJson } from '../common/json.ts';
import { writeFileAtomic } from './atomic.ts';

/** Write JSON to a file atomically. */
export function writeJson(path: string, value: unknown, indent = 2): void {
  writeFileAtomic(path, stringifyJson(value, indent));
}
