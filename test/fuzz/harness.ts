// Shared pieces of the seeded fuzz suite: a small exported model with inversa.* metadata, the
// mutators (ONNX bytes, CSV text, option values) and the property every run must satisfy:
// exit 0, or exit 1/2 with one line on stderr — never a stack trace or an "unexpected error".
import { Random } from '../../src/linalg/random.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { onnx, type OnnxTypes } from '../../src/onnx/proto.ts';
import { exportMlpToOnnx } from '../../src/onnx/write.ts';
import { randomMlpSpec } from '../model/mlp-random-spec.ts';

/** Cases per family: FUZZ_CASES (npm run fuzz sets a large number), else a CI-sized default. */
export function caseCount(ciDefault: number): number {
  const value = Number(process.env.FUZZ_CASES);
  return Number.isInteger(value) && value > 0 ? value : ciDefault;
}

/** Base seed of the suite: FUZZ_SEED, else 1 (so CI runs are reproducible). */
export const FUZZ_SEED = Number.isInteger(Number(process.env.FUZZ_SEED)) && process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 1;

/** A 3-input, 2-output tanh MLP with names, bounds and standardization in its metadata. */
export function fuzzModel(): { bytes: Uint8Array; model: MlpModel; inputNames: string[]; outputNames: string[] } {
  const spec = randomMlpSpec({ inputs: 3, outputs: 2, hidden: [8], seed: 5 });
  spec.meta = { bounds: { lower: Float64Array.of(-2, -2, -2), upper: Float64Array.of(2, 2, 2) } };
  // A plain copy: protobufjs may return a Buffer, whose slice() is a view (mutations would leak).
  const bytes = new Uint8Array(exportMlpToOnnx(spec, { float64: true }));
  return { bytes, model: new MlpModel(spec), inputNames: spec.inputNames, outputNames: spec.outputNames };
}

/** Reachable targets: f at random points of the box. */
export function reachableTargets(model: MlpModel, rows: number, random: Random): number[][] {
  const x = new Matrix(rows, 3);
  for (let k = 0; k < x.data.length; k++) x.data[k] = random.between(-1.5, 1.5);
  const y = model.forward(x);
  return Array.from({ length: rows }, (_, k) => Array.from(y.data.subarray(k * y.cols, (k + 1) * y.cols)));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[random.integer(items.length)];
}

// ---------------------------------------------------------------- ONNX mutations

/** `mustFail`: loading this model for a solve must be an error (it is never a usable model). */
export type OnnxMutation = { kind: string; bytes: Uint8Array; mustFail?: boolean };

/** Values that break tensor shapes: huge, negative, beyond 2^53, too many axes. */
const DIMS_BOMBS: number[][] = [[1e12], [-1], [2 ** 53], [2 ** 53 + 2], Array.from({ length: 64 }, () => 2), [2 ** 31, 2 ** 31], [0, 1e15], [3, -5]];
const CORRUPT_METADATA = ['', '[', '{}', 'null', '[1,2]', '["a"]', '[NaN]', '{"lower": [0], "upper": [1]}', '"x"', '[1e400, 1, 1]', '{"lower":[1,1,1],"upper":[0,0,0]}', 'a,b'];

export function mutateOnnx(bytes: Uint8Array, random: Random): OnnxMutation {
  const choice = random.integer(6);
  if (choice === 0) {
    const length = random.integer(bytes.length);
    return { kind: `truncate to ${length}`, bytes: bytes.slice(0, length) };
  }
  if (choice === 1) {
    const out = bytes.slice();
    const flips = 1 + random.integer(8);
    for (let k = 0; k < flips; k++) out[random.integer(out.length)] ^= 1 << random.integer(8);
    return { kind: `${flips} bit flips`, bytes: out };
  }
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph!;
  let kind: string;
  let mustFail = false;
  if (choice === 2) {
    mustFail = true;
    const tensor = pick(random, graph.initializer!);
    const dims = pick(random, DIMS_BOMBS);
    tensor.dims = dims;
    kind = `dims [${dims.length > 4 ? `${dims.length} axes` : dims.join(', ')}] on ${tensor.name}`;
  } else if (choice === 3) {
    const own = (model.metadataProps ?? []).filter((p) => p.key!.startsWith('inversa.'));
    const entry = own.length > 0 ? pick(random, own) : { key: 'inversa.bounds', value: '' };
    if (own.length === 0) model.metadataProps = [...(model.metadataProps ?? []), entry];
    entry.value = pick(random, CORRUPT_METADATA);
    // 'a,b' is a valid comma list of two names (for a model with two outputs or inputs).
    mustFail = entry.value !== 'a,b' || entry.key === 'inversa.bounds';
    kind = `metadata ${entry.key} = ${JSON.stringify(entry.value)}`;
  } else if (choice === 4) {
    const field = random.integer(2);
    const value = pick(random, [0, 1, 6, 25, 99, 999, -1]);
    if (field === 0) model.opsetImport = [{ domain: '', version: value }];
    else model.irVersion = value;
    mustFail = field === 0 || value < 3 || value > 12;
    kind = `${field === 0 ? 'opset' : 'IR version'} ${value}`;
  } else {
    // Structural damage: drop or rename a node input, duplicate nodes, point an input at a missing value.
    const node: OnnxTypes.INodeProto = pick(random, graph.node!);
    const action = random.integer(3);
    if (action === 0) node.input = node.input!.slice(0, Math.max(0, node.input!.length - 1));
    else if (action === 1) node.input = node.input!.map((name, k) => (k === 0 ? `${name}_missing` : name));
    else graph.node = [...graph.node!, ...graph.node!];
    kind = `graph damage ${action} at ${node.opType}`;
  }
  return { kind, bytes: onnx.ModelProto.encode(model).finish(), mustFail };
}

// ---------------------------------------------------------------- CSV mutations

/** Cells a spreadsheet or a careless export can put into a numeric CSV. */
const BAD_CELLS = ['#N/A', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#NULL!', 'NaN', 'inf', '-Infinity', '', ' ', 'abc', '1,5', '0x10', '1e400', '-1e400', '"3"', '1e308', '--1', '١٢'];

export interface CsvCase {
  kind: string;
  text: string;
  /** Data rows the file holds if it is read correctly (null when the mutation must make it an error). */
  rows: number | null;
  /** With rows set: an error is acceptable too (e.g. a value that is a valid number but no valid target). */
  mayFail?: boolean;
}

/** A targets CSV (header y1,y2 or none) with one mutation; `rows` says what a correct reader must deliver. */
export function mutateTargetsCsv(targets: number[][], names: string[], random: Random): CsvCase {
  const header = random.uniform() < 0.7 ? names.join(',') : null;
  const lines = targets.map((row) => row.map((v) => String(v)).join(','));
  const choice = random.integer(8);
  const withHeader = (body: string[]) => [...(header ? [header] : []), ...body];
  switch (choice) {
    case 0: { // a bad cell anywhere, including the first column
      const r = random.integer(lines.length), c = random.integer(names.length);
      const cells = lines[r].split(',');
      const bad = pick(random, BAD_CELLS);
      cells[c] = bad.includes(',') ? `"${bad}"` : bad;
      const body = lines.map((line, k) => (k === r ? cells.join(',') : line));
      // '"3"' is a quoted number and 1e308 a finite one: the file may be read (or 1e308 refused as a target).
      const stillNumber = bad === '"3"' || bad === '1e308';
      return { kind: `cell (${r + 1}, ${c + 1}) = ${bad}`, text: withHeader(body).join('\n'), rows: stillNumber ? lines.length : null, mayFail: stillNumber };
    }
    case 1: // comments, blank lines, BOM, CRLF: all rows must survive
      return {
        kind: 'comments, blank lines, BOM, CRLF',
        text: '\uFEFF# made by the fuzzer\r\n' + withHeader(lines.flatMap((line, k) => (k % 3 === 0 ? ['', `# note ${k}`, line] : [line]))).join('\r\n') + '\r\n',
        rows: lines.length,
      };
    case 2: { // a text cell in the first row of a header-less file
      const cells = lines[0].split(',');
      cells[random.integer(cells.length)] = 'temperature';
      return { kind: 'text cell in row 1, no header', text: [cells.join(','), ...lines.slice(1)].join('\n'), rows: null };
    }
    case 3: // a header that names other columns
      return { kind: 'foreign header', text: [names.map((name) => `${name}_other`).join(','), ...lines].join('\n'), rows: null };
    case 4: { // a ragged row
      const r = random.integer(lines.length);
      return { kind: `ragged row ${r + 1}`, text: withHeader(lines.map((line, k) => (k === r ? `${line},1` : line))).join('\n'), rows: null };
    }
    case 5: { // a file cut inside its last line, before the last comma: that row has too few fields
      const text = withHeader(lines).join('\n');
      return { kind: 'cut last line', text: text.slice(0, text.lastIndexOf(',') - random.integer(3)), rows: null };
    }
    case 6: // quotes and whitespace around numbers: still numbers
      return { kind: 'quoted and padded', text: withHeader(lines.map((line) => line.split(',').map((cell) => ` "${cell}" `).join(','))).join('\n'), rows: lines.length };
    default: // only a header, or nothing
      return { kind: 'empty', text: random.uniform() < 0.5 ? `${names.join(',')}\n` : '# nothing\n\n', rows: null };
  }
}

// ---------------------------------------------------------------- the property

/** Lines of stderr that are not warnings. */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('inversa: warning:'));
}

/** True when an invert summary says that fewer targets (or trajectory steps) converged than were asked for. */
function notAllMet(stdout: string): boolean {
  const match = /(\d+) of (\d+) (?:target|trajectory step)/.exec(stdout);
  return match !== null && Number(match[1]) < Number(match[2]);
}

/** Why a run broke the contract, or null when it kept it. */
export function contractViolation(code: number, stderr: string, stdout = ''): string | null {
  if (![0, 1, 2].includes(code)) return `exit code ${code}`;
  if (/unexpected error|\n\s+at |RangeError|TypeError|ReferenceError/.test(stderr)) return `stack trace or internal error: ${stderr.slice(0, 400)}`;
  const errors = errorLines(stderr);
  if (code === 0) return null;
  // invert's documented exit 1 without an error: some target not met, said in the summary (the file is still written).
  if (code === 1 && errors.length === 0 && notAllMet(stdout)) return null;
  if (errors.length !== 1) return `exit ${code} with ${errors.length} error lines: ${stderr.slice(0, 400)}`;
  if (!errors[0].startsWith('inversa: ') && !errors[0].startsWith('error: ')) return `error line without prefix: ${errors[0]}`;
  return null;
}
