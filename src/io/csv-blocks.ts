// A CSV file as blocks of text, each holding exactly `rows` data lines (the header line repeated on
// top), so that parsing — most of the time of an analysis on one thread — can move to the workers
// with the chunks: a worker parses its block with the same streamNumericCsv as the file path, so the
// numbers and column selection are identical, and the block index is the chunk index of the file.
// Only "plain" files are split this way: no quote and no '#' anywhere, and no line of blanks only
// (empty lines are fine; they are skipped like csv-parse skips them). Then a data row is exactly a
// non-empty line, so the split cannot disagree with the parser; other files take the
// ordinary streamed path. The check reads the bytes once, quickly, before anything is analysed.
import { createReadStream } from 'node:fs';

const QUOTE = 0x22, HASH = 0x23, NEWLINE = 0x0a, RETURN = 0x0d, SPACE = 0x20, TAB = 0x09;

/** True when the file can be split into blocks by lines (see the file comment). */
export async function isPlainCsv(path: string): Promise<boolean> {
  let lineLength = 0, lineHasText = false;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    for (let k = 0; k < bytes.length; k++) {
      const byte = bytes[k];
      if (byte === QUOTE || byte === HASH) return false;
      if (byte === NEWLINE) {
        if (lineLength > 0 && !lineHasText) return false;
        lineLength = 0;
        lineHasText = false;
      } else if (byte !== RETURN) {
        lineLength++;
        if (byte !== SPACE && byte !== TAB) lineHasText = true;
      }
    }
  }
  return !(lineLength > 0 && !lineHasText);
}

export interface TextBlock {
  /** Index of the block (= chunk index of the file's data rows). */
  index: number;
  /** 0-based row of the block's first data row in the whole file. */
  firstRow: number;
  rows: number;
  /** Header line (when the file has one) and the block's data lines, '\n'-separated. */
  text: string;
}

/**
 * The blocks of a plain CSV (isPlainCsv) in order. `hasHeader`: the first non-empty line is a
 * header (peekFirstRecord decides, as for the streamed path). `wanted(index)` false skips a block
 * without building its text (shards).
 */
export async function* csvTextBlocks(path: string, rows: number, hasHeader: boolean, wanted: (index: number) => boolean = () => true): AsyncGenerator<TextBlock> {
  let header: string | null = null, pending = '', first = true;
  let lines: string[] = [], index = 0, dataRows = 0;
  const take = (raw: string): TextBlock | null => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (first && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line === '') return null;
    if (first) {
      first = false;
      if (hasHeader) { header = line; return null; }
    }
    if (wanted(index)) lines.push(line);
    dataRows++;
    if (dataRows % rows !== 0) return null;
    return flush();
  };
  const flush = (): TextBlock | null => {
    const count = dataRows - index * rows;
    if (count === 0) return null;
    const block = wanted(index) ? { index, firstRow: index * rows, rows: count, text: [...(header !== null ? [header] : []), ...lines].join('\n') } : null;
    lines = [];
    index++;
    return block;
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
    const parts = (pending + (chunk as string)).split('\n');
    pending = parts.pop()!;
    for (const part of parts) {
      const block = take(part);
      if (block) yield block;
    }
  }
  const last = take(pending);
  if (last) yield last;
  const rest = flush();
  if (rest) yield rest;
}
