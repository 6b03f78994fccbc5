// Write files atomically: write a temporary file beside the target, then rename over it. A crash or
// Ctrl-C mid-write leaves the old file (or none), never a half-written one.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(target: string, contents: string | Uint8Array): void {
  const directory = path.dirname(path.resolve(target));
  mkdirSync(directory, { recursive: true });
  const temporary = path.join(directory, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temporary, contents);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
