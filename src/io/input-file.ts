// Input files must be regular files: a FIFO would block forever and /dev/zero would be read until
// memory runs out. Checked with stat() before any read; the size cap keeps one file from taking
// all the memory (ONNX models are read whole).
import { statSync } from 'node:fs';
import { InvalidArgumentError } from '../core/index.ts';

/** Largest model file read into memory (bytes): 1 GiB. Larger files are refused with a clear error. */
export const MAX_MODEL_FILE_BYTES = 1024 ** 3;

/** What a stat()ed path is, in words, for "is a FIFO, expected a regular file". */
function kindOf(info: import('node:fs').Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Throw a one-line InvalidArgumentError unless `path` is a regular file (symbolic links are
 * followed) of at most `maxBytes`. `what` names the argument, e.g. "--targets". Returns the size.
 * OS errors (ENOENT, EACCES, ELOOP, ...) are rethrown for the CLI to print as one line.
 */
export function assertRegularFile(path: string, what: string, maxBytes = Infinity): number {
  const info = statSync(path);
  if (!info.isFile()) throw new InvalidArgumentError(`${what} '${path}' is ${kindOf(info)}, expected a regular file`);
  if (info.size > maxBytes) {
    throw new InvalidArgumentError(`${what} '${path}' is ${info.size} bytes, more than the limit of ${maxBytes} bytes`);
  }
  return info.size;
}
