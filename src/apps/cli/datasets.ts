// `inversa datasets` lists the built-in datasets; `inversa datasets export NAME --rows N --seed S
// --out file.csv` writes one as CSV (atomically), with a comment header saying what it is — and, for
// `plant`, that it is SYNTHETIC.
import type { Command } from 'commander';
import { writeCsv } from '../../io/index.ts';
import { datasetCsvComment, DATASETS, generateDataset, getDataset } from '../../data/index.ts';
import { Matrix } from '../../linalg/index.ts';
import { stringifyJson, UsageError } from '../../core/index.ts';
import { textTable } from '../../report/index.ts';
import { integerOption } from './option-text.ts';

export const DEFAULT_EXPORT_SEED = 1;

export function register(program: Command): void {
  const command = program
    .command('datasets')
    .description('list the built-in datasets (known forward functions; every inverse can be checked by re-simulation)')
    .option('--json', 'machine-readable list')
    .action((options: { json?: boolean }) => {
      if (options.json) {
        process.stdout.write(stringifyJson(DATASETS.map((dataset) => ({
          name: dataset.name,
          summary: dataset.summary,
          description: dataset.description,
          synthetic: dataset.synthetic,
          inputs: dataset.inputNames,
          outputs: dataset.outputNames,
          inputUnits: dataset.inputUnits,
          outputUnits: dataset.outputUnits,
          bounds: dataset.bounds ?? null,
          noiseFraction: dataset.noiseFraction,
          defaultRows: dataset.defaultRows,
        }))));
        return;
      }
      const rows = DATASETS.map((dataset) => [
        dataset.name,
        `${dataset.inputNames.length}→${dataset.outputNames.length}`,
        dataset.inputNames.join(','),
        dataset.outputNames.join(','),
        dataset.summary,
      ]);
      process.stdout.write(textTable(['name', 'shape', 'inputs', 'outputs', 'what'], rows) + '\n');
      process.stdout.write('\nexport one: inversa datasets export NAME --rows N --seed S --out file.csv\n');
    });

  command
    .command('export <name>')
    .description('write a built-in dataset as CSV (same rows and seed → same file)')
    .option('--rows <n>', 'number of rows (default: the dataset\'s own, e.g. 5000)')
    .option('--seed <n>', 'seed of the random draws', String(DEFAULT_EXPORT_SEED))
    .option('--out <file.csv>', 'output CSV file')
    .option('--json', 'print a JSON summary')
    .action((name: string, options: { rows?: string; seed: string; out?: string; json?: boolean }) => {
      if (!options.out) throw new UsageError('datasets export needs --out FILE.csv');
      const dataset = getDataset(name);
      const rows = options.rows === undefined ? dataset.defaultRows : integerOption(options.rows, '--rows', 1);
      const generated = generateDataset(dataset.name, rows, integerOption(options.seed, '--seed'));
      const table = new Matrix(rows, generated.inputNames.length + generated.outputNames.length);
      const n = generated.inputNames.length, m = generated.outputNames.length;
      for (let r = 0; r < rows; r++) {
        table.data.set(generated.inputs.data.subarray(r * n, (r + 1) * n), r * (n + m));
        table.data.set(generated.outputs.data.subarray(r * m, (r + 1) * m), r * (n + m) + n);
      }
      writeCsv(options.out, [...generated.inputNames, ...generated.outputNames], table, { comment: datasetCsvComment(generated) });
      const summary = { dataset: dataset.name, rows, seed: generated.seed, synthetic: generated.synthetic, inputs: generated.inputNames, outputs: generated.outputNames, file: options.out };
      if (options.json) process.stdout.write(stringifyJson(summary));
      else process.stdout.write(`wrote ${rows} rows of '${dataset.name}'${generated.synthetic ? ' (SYNTHETIC data)' : ''} to ${options.out}\n  inputs: ${generated.inputNames.join(', ')}\n  outputs: ${generated.outputNames.join(', ')}\n`);
    });
}
