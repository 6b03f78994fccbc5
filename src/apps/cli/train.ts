// `inversa train`: train a forward net x → y (and with --inverse an inverse net y → x with the
// consistency loss and α) on a CSV file or a built-in dataset, then write forward.onnx,
// inverse.onnx and training-report.json into --out. Every option and the data are checked before
// training starts; files are written atomically after training, so an interrupted run leaves no
// half-written model. A progress bar (epoch, losses, ETA) goes to stderr when it is a terminal.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { readCsvTable, readNumericCsv, writeTrainingArtifacts, type WrittenArtifacts } from '../../io/index.ts';
import { datasetNames, generateDataset, getDataset } from '../../data/index.ts';
import { InvalidArgumentError, UsageError, formatNumber, formatSeconds, stringifyJson } from '../../core/index.ts';
import { Matrix } from '../../linalg/index.ts';
import type { Bounds, Model } from '../../model/index.ts';
import { textTable } from '../../report/index.ts';
import { type TrainingPrecision, NETWORK_DEFAULTS, DEFAULT_ALPHA, parseAlphaSchedule, type EpochProgress, type PcaOptions, type TrainingRun, type TrainingRunOptions, type TrainingStage, trainModels, type TrainingTable, trainingReport, DEFAULT_SEED } from '../../train/index.ts';
import { integerOption, parseNumberOption } from './option-text.ts';

export const DEFAULT_OUT_DIRECTORY = './inversa-out';
/** Seed of a generated --dataset table (separate from --seed, which drives split and training). */
export const DEFAULT_DATA_SEED = 1;

interface TrainCliOptions {
  data?: string;
  dataset?: string;
  rows?: string;
  dataSeed: string;
  inputs?: string;
  outputs?: string;
  arch: string;
  hidden: string;
  activation: string;
  epochs: string;
  batch: string;
  lr: string;
  patience: string;
  dropout: string;
  seed: string;
  pca?: string;
  inverse?: boolean;
  alpha?: string;
  alphaSchedule: string;
  bounds?: string;
  out: string;
  json?: boolean;
  progress?: boolean;
  precision?: string;
}

export function register(program: Command): void {
  program
    .command('train')
    .description('train a forward net x → y (and with --inverse an inverse net y → x) from a CSV or a built-in dataset; writes ONNX models and a JSON report')
    .option('--data <file.csv>', 'CSV file with a header row naming its columns')
    .option('--dataset <name>', `built-in dataset instead of a CSV (${datasetNames().join(', ')})`)
    .option('--rows <n>', 'rows to generate for --dataset (default: the dataset\'s own, e.g. 5000)')
    .option('--data-seed <n>', 'seed of the generated --dataset rows', String(DEFAULT_DATA_SEED))
    .option('--inputs <names>', 'input columns, comma-separated (default for --dataset: all its inputs)')
    .option('--outputs <names>', 'output columns, comma-separated (default for --dataset: all its outputs)')
    .option('--arch <kind>', 'mlp or resmlp (hidden layers + a linear skip, the reference shape)', NETWORK_DEFAULTS.arch)
    .option('--hidden <widths>', 'hidden layer widths, comma-separated', NETWORK_DEFAULTS.hidden.join(','))
    .option('--activation <name>', 'relu or tanh', NETWORK_DEFAULTS.activation)
    .option('--epochs <n>', 'maximum epochs per net', String(NETWORK_DEFAULTS.epochs))
    .option('--batch <n>', 'mini-batch size', String(NETWORK_DEFAULTS.batchSize))
    .option('--lr <rate>', 'Adam learning rate', String(NETWORK_DEFAULTS.learningRate))
    .option('--patience <n>', 'early stopping: epochs without a better validation loss', String(NETWORK_DEFAULTS.patience))
    .option('--dropout <p>', 'dropout on hidden layers while training (always off when evaluating)', String(NETWORK_DEFAULTS.dropout))
    .option('--seed <n>', 'seed of the split, initialization, shuffles and dropout', String(DEFAULT_SEED))
    .option('--precision <p>', 'training arithmetic: float32 (WebAssembly SIMD, default) or float64; models, Jacobians and solvers are float64 either way')
    .option('--pca <k|share>', 'PCA on standardized inputs: an integer K keeps K components, a share in (0, 1) keeps that variance')
    .option('--inverse', 'also train the inverse net y → x with loss (1 − α)·MSE(I(y), x) + α·MSE(F(I(y)), y)')
    .option('--alpha <a>', `consistency weight α in [0, 1] (default ${DEFAULT_ALPHA})`)
    .option('--alpha-schedule <s>', "'constant' or 'linear:E' (α decays linearly to 0 at epoch E)", 'constant')
    .option('--bounds <box>', 'operating box stored in the models: lower:upper per input, comma-separated (default: from the data)')
    .option('--out <dir>', 'directory for forward.onnx, inverse.onnx and training-report.json', DEFAULT_OUT_DIRECTORY)
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print the training report as JSON')
    .action(async (options: TrainCliOptions) => {
      const { table, referenceModel } = await loadTrainingTable(options);
      const runOptions = trainingRunOptions(options, referenceModel);
      const progress = createProgress(options.progress !== false && !options.json);
      let run: TrainingRun;
      try {
        run = trainModels(table, { ...runOptions, onEpoch: progress.onEpoch });
      } finally {
        progress.stop();
      }
      const written = writeTrainingArtifacts(run, options.out);
      if (options.json) process.stdout.write(stringifyJson(trainingReport(run, filesOf(written))));
      else process.stdout.write(trainingSummary(run, written) + '\n');
    });
}

function filesOf(written: WrittenArtifacts): Record<string, string> {
  return { forward: written.forward, ...(written.inverse ? { inverse: written.inverse } : {}), report: written.report };
}

/** Read the CSV or generate the dataset; checks columns by name (misspelled names list the available ones). */
export async function loadTrainingTable(options: Pick<TrainCliOptions, 'data' | 'dataset' | 'rows' | 'dataSeed' | 'inputs' | 'outputs' | 'bounds'>): Promise<{ table: TrainingTable; referenceModel?: Model }> {
  if (options.data !== undefined && options.dataset !== undefined) throw new UsageError('give either --data FILE.csv or --dataset NAME, not both');
  if (options.data === undefined && options.dataset === undefined) {
    throw new UsageError(`give the training data: --data FILE.csv (with --inputs and --outputs) or --dataset NAME (${datasetNames().join(', ')})`);
  }
  let table: TrainingTable;
  let referenceModel: Model | undefined;
  if (options.dataset !== undefined) {
    const dataset = getDataset(options.dataset);
    const rows = options.rows === undefined ? dataset.defaultRows : integerOption(options.rows, '--rows', 1);
    const generated = generateDataset(dataset.name, rows, integerOption(options.dataSeed, '--data-seed'));
    const inputs = options.inputs === undefined ? generated.inputNames : parseNames(options.inputs, '--inputs');
    const outputs = options.outputs === undefined ? generated.outputNames : parseNames(options.outputs, '--outputs');
    const inputIndex = columnIndices(inputs, generated.inputNames, `dataset '${dataset.name}' inputs`, '--inputs');
    const outputIndex = columnIndices(outputs, generated.outputNames, `dataset '${dataset.name}' outputs`, '--outputs');
    table = {
      x: selectColumns(generated.inputs, inputIndex),
      y: selectColumns(generated.outputs, outputIndex),
      inputNames: inputs,
      outputNames: outputs,
      inputUnits: inputIndex.map((j) => generated.units.inputs[j]),
      outputUnits: outputIndex.map((j) => generated.units.outputs[j]),
      ...(generated.bounds ? { bounds: { lower: Float64Array.from(inputIndex, (j) => generated.bounds!.lower[j]), upper: Float64Array.from(inputIndex, (j) => generated.bounds!.upper[j]) } } : {}),
      source: `dataset:${dataset.name} (${rows} rows, data seed ${generated.seed}${dataset.synthetic ? ', SYNTHETIC' : ''})`,
    };
    if (table.inputUnits!.every((unit) => unit === '')) delete table.inputUnits;
    if (table.outputUnits!.every((unit) => unit === '')) delete table.outputUnits;
    const complete = inputIndex.every((j, k) => j === k) && inputIndex.length === generated.inputNames.length
      && outputIndex.every((j, k) => j === k) && outputIndex.length === generated.outputNames.length;
    if (complete) referenceModel = dataset.model();
  } else {
    const file = options.data!;
    if (options.inputs === undefined || options.outputs === undefined) {
      const { header } = await readNumericCsv({ path: file });
      const available = header ? `; available columns: ${header.join(', ')}` : ' (the file has no header row)';
      throw new UsageError(`--data needs --inputs and --outputs naming the columns${available}`);
    }
    const csv = await readCsvTable({ path: file }, { inputs: parseNames(options.inputs, '--inputs'), outputs: parseNames(options.outputs, '--outputs') });
    table = { x: csv.x, y: csv.y, inputNames: csv.inputNames, outputNames: csv.outputNames, source: file };
  }
  if (options.bounds !== undefined) table.bounds = parseBounds(options.bounds, table.inputNames);
  return { table, ...(referenceModel ? { referenceModel } : {}) };
}

/** The library options from the command line (numbers parsed strictly; ranges checked by the library). */
function trainingRunOptions(options: TrainCliOptions, referenceModel?: Model): TrainingRunOptions {
  const network = {
    arch: options.arch as 'mlp' | 'resmlp',
    hidden: options.hidden.split(',').map((width) => integerOption(width, '--hidden', 1)),
    activation: options.activation as 'relu' | 'tanh',
    epochs: integerOption(options.epochs, '--epochs', 1),
    batchSize: integerOption(options.batch, '--batch', 1),
    learningRate: parseNumberOption(options.lr, '--lr'),
    patience: integerOption(options.patience, '--patience', 1),
    dropout: parseNumberOption(options.dropout, '--dropout'),
    ...(options.precision !== undefined ? { precision: options.precision as TrainingPrecision } : {}),
  };
  if (!options.inverse && (options.alpha !== undefined || options.alphaSchedule !== 'constant')) {
    throw new UsageError('--alpha and --alpha-schedule apply to the inverse net: add --inverse');
  }
  const runOptions: TrainingRunOptions = {
    seed: integerOption(options.seed, '--seed'),
    network,
    inverse: options.inverse === true,
    ...(options.pca !== undefined ? { pca: parsePca(options.pca) } : {}),
    ...(options.alpha !== undefined ? { alpha: parseNumberOption(options.alpha, '--alpha') } : {}),
    ...(options.inverse ? { alphaSchedule: parseAlphaSchedule(options.alphaSchedule) } : {}),
    ...(referenceModel ? { referenceModel } : {}),
  };
  return runOptions;
}

/** `--pca 4` → 4 components; `--pca 0.95` → keep 95 % of the variance. */
export function parsePca(text: string): PcaOptions {
  const value = parseNumberOption(text, '--pca');
  if (Number.isInteger(value)) return { components: value };
  if (value > 0 && value < 1) return { varianceToKeep: value };
  throw new InvalidArgumentError(`--pca ${text}: give an integer number of components (e.g. 4) or a share of variance in (0, 1) (e.g. 0.95)`);
}

/** `lo:hi,lo:hi,…` with one pair per input. */
export function parseBounds(text: string, inputNames: readonly string[]): Bounds {
  const pairs = text.split(',');
  if (pairs.length !== inputNames.length) {
    throw new UsageError(`--bounds has ${pairs.length} lower:upper pairs but there are ${inputNames.length} inputs (${inputNames.join(', ')})`);
  }
  const lower = new Float64Array(pairs.length), upper = new Float64Array(pairs.length);
  pairs.forEach((pair, j) => {
    const parts = pair.split(':');
    if (parts.length !== 2) throw new UsageError(`--bounds entry ${j + 1} ('${pair}', input ${inputNames[j]}) must be lower:upper, e.g. 0:100`);
    lower[j] = parseNumberOption(parts[0], `--bounds (${inputNames[j]} lower)`);
    upper[j] = parseNumberOption(parts[1], `--bounds (${inputNames[j]} upper)`);
    if (!(lower[j] < upper[j])) throw new InvalidArgumentError(`--bounds for ${inputNames[j]}: lower ${lower[j]} must be below upper ${upper[j]}`);
  });
  return { lower, upper };
}

export function parseNames(text: string, option: string): string[] {
  const names = text.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) throw new UsageError(`${option} '${text}': column names separated by commas, none empty`);
  return names;
}

function columnIndices(wanted: readonly string[], available: readonly string[], what: string, option: string): number[] {
  return wanted.map((name) => {
    const index = available.indexOf(name);
    if (index < 0) throw new InvalidArgumentError(`${option}: no column '${name}' in ${what}; available: ${available.join(', ')}`);
    return index;
  });
}

function selectColumns(matrix: Matrix, columns: readonly number[]): Matrix {
  const out = new Matrix(matrix.rows, columns.length);
  for (let r = 0; r < matrix.rows; r++) columns.forEach((column, k) => (out.data[r * columns.length + k] = matrix.data[r * matrix.cols + column]));
  return out;
}


/** A cli-progress bar on stderr (only when stderr is a terminal): stage, epoch, losses, ETA. */
export function createProgress(enabled: boolean): { onEpoch?: (stage: TrainingStage, progress: EpochProgress) => void; stop(): void } {
  if (!enabled || !process.stderr.isTTY) return { stop() {} };
  let bar: cliProgress.SingleBar | null = null;
  let currentStage: TrainingStage | null = null;
  return {
    onEpoch(stage, progress) {
      if (stage !== currentStage) {
        bar?.stop();
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: '{stage} |{bar}| epoch {value}/{total} | train {train} | val {validation} | best {best} | ETA {eta_formatted}', hideCursor: true, etaBuffer: 20 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(progress.epochs, 0, { stage: stage.padEnd(7), train: '-', validation: '-', best: '-' });
        currentStage = stage;
      }
      bar!.update(progress.epoch, {
        train: formatNumber(progress.record.trainLoss, 3),
        validation: formatNumber(progress.record.validationLoss, 3),
        best: progress.bestEpoch,
      });
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Human-readable summary: data, both nets' scores, files. */
export function trainingSummary(run: TrainingRun, written?: WrittenArtifacts): string {
  const { data, forward, inverse } = run;
  const lines: string[] = [];
  const split = data.split;
  lines.push(`data: ${data.table.source ?? 'table'}; ${data.table.x.rows} rows split ${split.train.length}/${split.validation.length}/${split.test.length} (train/validation/test, seed ${run.seed})`);
  lines.push(`      ${run.dataHash}`);
  if (data.projection) lines.push(`PCA: ${data.projection.outputs} of ${data.projection.inputs} standardized input directions keep ${(100 * data.projection.keptVarianceRatio).toFixed(1)} % of the variance`);
  const shape = (inputs: number, outputs: number, options: { arch: string; hidden: number[]; activation: string; precision: string }) =>
    `${inputs}→${options.hidden.join('→')}→${outputs} ${options.arch} ${options.activation} (trained in ${options.precision})`;
  lines.push('');
  lines.push(`forward net ${shape(data.featureCount, data.table.y.cols, forward.options)}: best epoch ${forward.loop.bestEpoch} of ${forward.loop.epochsRun}${forward.loop.stoppedEarly ? ' (stopped early)' : ''}, ${formatSeconds(forward.loop.durationMs / 1000)}`);
  lines.push(indent(textTable(['output', 'test R²', 'RMSE', 'MAE'], forward.test.map((score) => [score.name, score.r2, score.rmse, score.mae]))));
  if (inverse) {
    const schedule = inverse.alphaSchedule.kind === 'constant' ? 'constant' : `linear to 0 at epoch ${inverse.alphaSchedule.endEpoch}`;
    lines.push('');
    lines.push(`inverse net ${shape(data.table.y.cols, data.table.x.cols, inverse.options)}, α ${inverse.alpha} (${schedule}): best epoch ${inverse.loop.bestEpoch} of ${inverse.loop.epochsRun}, ${formatSeconds(inverse.loop.durationMs / 1000)}`);
    lines.push(`  re-simulation ‖F(I(y)) − y‖ on the test split: ${formatNumber(inverse.test.resimulationError)} (RMS, standardized units)` +
      (inverse.test.referenceResimulationError !== undefined ? `; through the true function: ${formatNumber(inverse.test.referenceResimulationError)}` : ''));
    lines.push(indent(textTable(['output', 'F(I(y)) R²', 'RMSE', ...(inverse.test.referenceResimulation ? ['true f(I(y)) R²'] : [])],
      inverse.test.resimulation.map((score, i) => [score.name, score.r2, score.rmse, ...(inverse.test.referenceResimulation ? [inverse.test.referenceResimulation[i].r2] : [])]))));
    lines.push(indent(textTable(['input', 'I(y) R²', 'RMSE'], inverse.test.x.map((score) => [score.name, score.r2, score.rmse]))));
    lines.push('  (the inverse is not unique: low x-space R² is expected; re-simulation is the score that matters)');
  }
  if (written) {
    lines.push('');
    lines.push(`files: ${[written.forward, written.inverse, written.report].filter(Boolean).join(', ')}`);
  }
  return lines.join('\n');
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}
