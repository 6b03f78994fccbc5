// Matching the columns of a points CSV to a model's inputs: by name when the header names every
// input (extra columns are ignored, order does not matter), by position when the file has no header
// (or with byPosition) and exactly one column per input; anything else is an error that lists both
// sides. A header naming other columns is never read by position silently.
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { ShapeError } from '../core/index.ts';
import { firstRowKind } from '../data/index.ts';
import { assertRegularFile } from './input-file.ts';

export interface ColumnMatch {
  /** Column names to select (by name), or undefined to take all columns in order (by position). */
  columns?: string[];
  matchedBy: 'name' | 'position';
  /** Said to the user when matching by position although the file has a header. */
  note: string | null;
}

/** Decide how the file's columns map to the model inputs (header: the file's header row or null). */
export function matchColumns(header: readonly string[] | null, fileColumns: number, inputNames: readonly string[], fileName = 'points', byPosition = false): ColumnMatch {
  if (header && !byPosition && inputNames.every((name) => header.includes(name))) return { columns: [...inputNames], matchedBy: 'name', note: null };
  if (header && !byPosition) {
    const missing = inputNames.filter((name) => !header.includes(name));
    throw new ShapeError(
      `${fileName}: the header (${header.join(', ')}) does not name the model input${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (inputs: ${inputNames.join(', ')}); rename the columns, or pass --by-position to take the first ${inputNames.length} columns in order`,
    );
  }
  if (fileColumns === inputNames.length) {
    const note = header
      ? `the header of ${fileName} (${header.join(', ')}) does not name the model inputs (${inputNames.join(', ')}); columns were matched by position`
      : null;
    return { matchedBy: 'position', note };
  }
  const missing = header ? inputNames.filter((name) => !header.includes(name)) : [];
  throw new ShapeError(
    `${fileName} has ${fileColumns} columns${header ? ` (${header.join(', ')})` : ' and no header'} but the model has ${inputNames.length} inputs (${inputNames.join(', ')}); ` +
      (header ? `missing by name: ${missing.join(', ')}; ` : '') +
      `give a header that names every input, or exactly ${inputNames.length} columns in the model's input order`,
  );
}

/** Bytes read to find the first record (a header longer than this is not supported). */
const PEEK_BYTES = 1 << 16;

/** The first non-comment, non-blank record of a CSV file and whether it is a header (has a non-numeric cell). */
export async function peekFirstRecord(path: string): Promise<{ record: string[]; isHeader: boolean } | null> {
  assertRegularFile(path, 'CSV file');
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(PEEK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, PEEK_BYTES, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    for (const line of text.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const [record] = parse(trimmed, { trim: true, relax_quotes: true }) as string[][];
      if (!record) continue;
      return { record, isHeader: firstRowKind(record) !== 'data' };
    }
    return null;
  } finally {
    await handle.close();
  }
}
