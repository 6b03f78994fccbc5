// `inversa annotate MODEL.onnx --out FILE.onnx [--input-names a,b] [--output-names u,v]
// [--units a=°C,u=kg/s] [--lower ..] [--upper ..] [--data train.csv]`: write a copy of a model with
// inversa metadata (names, units, operating box, training mean/std/quantiles of x and y from data),
// so `inspect`, `invert`, `analyze` and the web page know them. The graph is not changed.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { writeFileAtomic, parseNumberList, readNumericCsv } from '../../io/index.ts';
import { annotateOnnx, columnQuantiles, loadOnnxModel, METADATA_KEYS } from '../../onnx/index.ts';
import { UsageError } from '../../core/index.ts';

/** Quantiles of x and y stored from --data. */
export const ANNOTATE_QUANTILES = [0.01, 0.5, 0.99] as const;

interface AnnotateOptions {
  out: string;
  inputNames?: string;
  outputNames?: string;
  units?: string;
  lower?: string;
  upper?: string;
  data?: string;
}

export function register(program: Command): void {
  program
    .command('annotate')
    .description('write a copy of an ONNX model with inversa metadata: names, units, operating box, training statistics')
    .argument('<model>', 'ONNX model file (.onnx)')
    .requiredOption('--out <file>', 'the annotated copy (.onnx)')
    .option('--input-names <names>', 'input names, comma-separated, in input order')
    .option('--output-names <names>', 'output names, comma-separated, in output order')
    .option('--units <pairs>', 'units as name=unit pairs, comma-separated (e.g. temp=°C,rate=kg/s)')
    .option('--lower <values>', 'operating box: lower bound per input, comma-separated')
    .option('--upper <values>', 'operating box: upper bound per input, comma-separated')
    .option('--data <file>', 'training data CSV with columns named like the inputs and outputs: stores their mean, std and 1/50/99 % quantiles')
    .action(async (modelPath: string, options: AnnotateOptions) => {
      const bytes = new Uint8Array(await readFile(modelPath));
      const source = modelPath.split(/[\\/]/).pop() ?? modelPath;
      const model = await loadOnnxModel(bytes, { source });
      const n = model.inputNames.length, m = model.outputNames.length;
      const inputNames = options.inputNames ? names(options.inputNames, '--input-names', n) : [...model.inputNames];
      const outputNames = options.outputNames ? names(options.outputNames, '--output-names', m) : [...model.outputNames];
      const entries: Record<string, string> = {
        [METADATA_KEYS.inputNames]: JSON.stringify(inputNames),
        [METADATA_KEYS.outputNames]: JSON.stringify(outputNames),
      };
      if (options.units) Object.assign(entries, units(options.units, inputNames, outputNames, model.meta.inputUnits, model.meta.outputUnits));
      if ((options.lower === undefined) !== (options.upper === undefined)) throw new UsageError('give both --lower and --upper (the operating box)');
      if (options.lower !== undefined && options.upper !== undefined) {
        const lower = parseNumberList(options.lower, '--lower', n), upper = parseNumberList(options.upper, '--upper', n);
        lower.forEach((value, j) => { if (value > upper[j]) throw new UsageError(`--lower ${value} > --upper ${upper[j]} for input ${inputNames[j]}`); });
        entries[METADATA_KEYS.bounds] = JSON.stringify({ lower: Array.from(lower), upper: Array.from(upper) });
      }
      if (options.data) Object.assign(entries, await statistics(options.data, inputNames, outputNames));
      writeFileAtomic(options.out, annotateOnnx(bytes, entries, source));
      process.stdout.write(`${options.out}: ${source} with inversa metadata (${Object.keys(entries).map((key) => key.replace('inversa.', '')).join(', ')}); run inversa inspect ${options.out} to check\n`);
    });
}

function names(text: string, option: string, count: number): string[] {
  const list = text.split(',').map((name) => name.trim());
  if (list.length !== count || list.some((name) => name === '')) throw new UsageError(`${option}: expected ${count} non-empty names, got "${text}"`);
  if (new Set(list).size !== list.length) throw new UsageError(`${option}: names must be distinct, got "${text}"`);
  return list;
}

function units(text: string, inputNames: string[], outputNames: string[], inputUnits?: string[], outputUnits?: string[]): Record<string, string> {
  const inputs = inputNames.map((_, j) => inputUnits?.[j] ?? ''), outputs = outputNames.map((_, i) => outputUnits?.[i] ?? '');
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim(), unit = pair.slice(at + 1).trim();
    if (at < 0 || name === '') throw new UsageError(`--units: expected name=unit pairs, got "${pair}"`);
    const j = inputNames.indexOf(name), i = outputNames.indexOf(name);
    if (j >= 0) inputs[j] = unit;
    else if (i >= 0) outputs[i] = unit;
    else throw new UsageError(`--units: "${name}" is neither an input (${inputNames.join(', ')}) nor an output (${outputNames.join(', ')})`);
  }
  return { [METADATA_KEYS.inputUnits]: JSON.stringify(inputs), [METADATA_KEYS.outputUnits]: JSON.stringify(outputs) };
}

/** Mean, std (population) and quantiles of the input and (when present) output columns of a CSV. */
async function statistics(path: string, inputNames: string[], outputNames: string[]): Promise<Record<string, string>> {
  const header = (await readFile(path, 'utf8')).split(/\r?\n/).find((line) => line.trim() !== '' && !line.trimStart().startsWith('#')) ?? '';
  const cells = header.split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''));
  const out: Record<string, string> = {};
  const side = async (columns: string[], meanKey: string, stdKey: string, quantileKey: string) => {
    const table = (await readNumericCsv({ path }, { columns, expectedColumns: columns.length })).rows;
    if (table.rows < 2) throw new UsageError(`--data ${path}: needs at least 2 rows, found ${table.rows}`);
    const cols = columns.length, mean = new Array<number>(cols).fill(0), std = new Array<number>(cols).fill(0);
    for (let k = 0; k < table.rows; k++) for (let j = 0; j < cols; j++) mean[j] += table.data[k * cols + j] / table.rows;
    for (let k = 0; k < table.rows; k++) for (let j = 0; j < cols; j++) std[j] += (table.data[k * cols + j] - mean[j]) ** 2 / table.rows;
    std.forEach((value, j) => {
      std[j] = Math.sqrt(value);
      if (!(std[j] > 0)) throw new UsageError(`--data ${path}: column "${columns[j]}" is constant; a training std must be positive`);
    });
    out[meanKey] = JSON.stringify(mean);
    out[stdKey] = JSON.stringify(std);
    out[quantileKey] = JSON.stringify(columnQuantiles(table.data, table.rows, cols, ANNOTATE_QUANTILES));
  };
  if (!inputNames.every((name) => cells.includes(name))) throw new UsageError(`--data ${path}: the header must name every input (${inputNames.join(', ')}); found ${cells.join(', ')}`);
  await side(inputNames, METADATA_KEYS.inputMean, METADATA_KEYS.inputStd, METADATA_KEYS.inputQuantiles);
  if (outputNames.every((name) => cells.includes(name))) await side(outputNames, METADATA_KEYS.outputMean, METADATA_KEYS.outputStd, METADATA_KEYS.outputQuantiles);
  return out;
}
