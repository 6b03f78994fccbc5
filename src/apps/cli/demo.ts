// `inversa demo` (npm run demo): the whole workflow of seed 001 on the built-in SYNTHETIC `plant`
// dataset, in well under a minute: generate data, train the forward net and the inverse net
// (consistency loss, α), analyze the invertibility of the forward net on held-out points, invert a
// few in-range targets with the default solver and with the inverse net alone, and print a short
// table (targets, achieved outputs, residuals, condition numbers, cost) and where the files went.
import path from 'node:path';
import type { Command } from 'commander';
import { analyzeInvertibility } from '../../analyze/index.ts';
import { writeCsv, writeJson, writeTrainingArtifacts } from '../../io/index.ts';
import { datasetCsvComment, generateDataset, getDataset } from '../../data/index.ts';
import { Matrix } from '../../linalg/index.ts';
import { MlpModel } from '../../model/index.ts';
import { formatNumber, formatPercent, formatSeconds, stringifyJson } from '../../core/index.ts';
import { textTable } from '../../report/index.ts';
import { solve } from '../../solve/index.ts';
import { trainModels } from '../../train/index.ts';
import { DEFAULT_OUT_DIRECTORY, createProgress } from './train.ts';
import { integerOption } from './option-text.ts';

/** Demo sizes: ~5,000 cases like the reference; test R² ≈ 0.999 on plant; a few seconds (well under 60 s on 2 shared cores). */
export const DEMO_SETTINGS = {
  rows: 5000,
  dataSeed: 1,
  seed: 42,
  forwardEpochs: 200,
  inverseEpochs: 200,
  patience: 40,
  hidden: [64, 64],
  alpha: 0.1,
  /** α decays linearly to 0 by this epoch (the reference: 0.1 → 0 at epoch 500). */
  alphaEndEpoch: 150,
  analysisPoints: 600,
  targets: 5,
} as const;

/** Targets come from held-out rows whose inputs are at least this share of the box width away from every bound. */
export const DEMO_INNER_MARGIN = 0.1;

/** Input prices of the reference cost-aware inversion (H2 4, PCI 1, NGI 0.5; others free). */
export const DEMO_INPUT_PRICES = [4, 1, 0.5, 0, 0, 0, 0];

interface DemoRow {
  target: number;
  method: string;
  y: number[];
  residual: number;
  trueResidual: number;
  cond: number;
  cost: number;
  status: string;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('train forward + inverse nets on the built-in SYNTHETIC plant dataset, analyze invertibility, invert a few targets, print a summary')
    .option('--out <dir>', 'where the models, data and reports go', DEFAULT_OUT_DIRECTORY)
    .option('--seed <n>', 'seed of split, initialization and shuffles', String(DEMO_SETTINGS.seed))
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print the summary as JSON')
    .action(async (options: { out: string; seed: string; progress?: boolean; json?: boolean }) => {
      const summary = await runDemo({ out: options.out, seed: integerOption(options.seed, '--seed'), progress: options.progress !== false && !options.json });
      if (options.json) process.stdout.write(stringifyJson(summary.json));
      else process.stdout.write(summary.text + '\n');
    });
}

export type DemoSettings = { -readonly [K in keyof typeof DEMO_SETTINGS]: (typeof DEMO_SETTINGS)[K] extends readonly number[] ? number[] : number };

/** Run the demo; `settings` overrides DEMO_SETTINGS (tests use smaller sizes). */
export async function runDemo(options: { out: string; seed: number; progress: boolean; settings?: Partial<DemoSettings> }): Promise<{ text: string; json: Record<string, unknown> }> {
  const start = performance.now();
  const settings: DemoSettings = { ...DEMO_SETTINGS, hidden: [...DEMO_SETTINGS.hidden], ...options.settings };
  const dataset = getDataset('plant');
  const generated = generateDataset('plant', settings.rows, settings.dataSeed);
  const csvPath = path.join(options.out, 'plant.csv');
  const both = new Matrix(settings.rows, 11);
  for (let r = 0; r < settings.rows; r++) {
    both.data.set(generated.inputs.data.subarray(r * 7, r * 7 + 7), r * 11);
    both.data.set(generated.outputs.data.subarray(r * 4, r * 4 + 4), r * 11 + 7);
  }

  // 1–2. Train forward and inverse nets.
  const progress = createProgress(options.progress);
  let run;
  try {
    run = trainModels(
      { x: generated.inputs, y: generated.outputs, inputNames: generated.inputNames, outputNames: generated.outputNames,
        inputUnits: generated.units.inputs, outputUnits: generated.units.outputs, bounds: generated.bounds, source: `dataset:plant (${settings.rows} rows, data seed ${settings.dataSeed}, SYNTHETIC)` },
      {
        seed: options.seed,
        network: { epochs: settings.forwardEpochs, patience: settings.patience, hidden: [...settings.hidden] },
        inverseNetwork: { epochs: settings.inverseEpochs, patience: settings.patience, hidden: [...settings.hidden] },
        inverse: true,
        alpha: settings.alpha,
        alphaSchedule: { kind: 'linear', endEpoch: settings.alphaEndEpoch },
        referenceModel: dataset.model(),
        onEpoch: progress.onEpoch,
      },
    );
  } finally {
    progress.stop();
  }
  const inverse = run.inverse!;
  const written = writeTrainingArtifacts(run, options.out);
  writeCsv(csvPath, [...generated.inputNames, ...generated.outputNames], both, { comment: datasetCsvComment(generated) });

  // 3. Invertibility of the forward net at held-out points (standardized units from the model).
  const forwardModel = new MlpModel(run.forward.spec);
  const inverseModel = new MlpModel(inverse.spec);
  const testRows = run.data.split.test;
  const analysisCount = Math.min(settings.analysisPoints, testRows.length);
  const analysisPoints = rowsOf(generated.inputs, testRows.subarray(0, analysisCount));
  const analysis = analyzeInvertibility(forwardModel, analysisPoints);
  const summary = analysis.summary;

  // 4. Invert a few in-range targets: measured outputs of held-out rows whose inputs lie in the
  //    inner part of the operating box (so the target is reachable without pressing on a bound).
  const { lower, upper } = generated.bounds!;
  const inner = (row: number) => {
    for (let j = 0; j < 7; j++) {
      const share = (generated.inputs.data[row * 7 + j] - lower[j]) / (upper[j] - lower[j]);
      if (share < DEMO_INNER_MARGIN || share > 1 - DEMO_INNER_MARGIN) return false;
    }
    return true;
  };
  const innerRows = Array.from(testRows).filter(inner);
  const targetRows = Int32Array.from((innerRows.length > 0 ? innerRows : Array.from(testRows)).slice(0, settings.targets));
  const targets = rowsOf(generated.outputs, targetRows);
  const solved = solve(forwardModel, targets);
  // The same targets, then the cheapest point on each solution set (null-space step on the cost).
  const cheapest = solve(forwardModel, targets, { cost: DEMO_INPUT_PRICES });
  const proposed = inverseModel.forward(targets);
  // Clamp to the operating box: an inverse net's raw proposal can leave it; report the point that would be used.
  for (let k = 0; k < proposed.data.length; k++) proposed.data[k] = Math.min(upper[k % 7], Math.max(lower[k % 7], proposed.data[k]));
  const proposedY = forwardModel.forward(proposed);
  const proposedCond = analyzeInvertibility(forwardModel, proposed).points.condStandardized;
  const solvedX = new Matrix(targets.rows, 7);
  solved.results.forEach((result, k) => solvedX.data.set(result.x, k * 7));
  const truth = dataset.model();
  const trueSolved = truth.forward(solvedX), trueProposed = truth.forward(proposed);
  const outputStd = run.data.outputScaling.std;
  const standardizedNorm = (a: ArrayLike<number>, b: ArrayLike<number>, offset: number) => {
    let sum = 0;
    for (let i = 0; i < 4; i++) sum += ((a[offset + i] - b[offset + i]) / outputStd[i]) ** 2;
    return Math.sqrt(sum);
  };
  const cost = (x: ArrayLike<number>, offset: number) => DEMO_INPUT_PRICES.reduce((sum, price, j) => sum + price * x[offset + j], 0);
  const rows: DemoRow[] = [];
  for (let k = 0; k < targets.rows; k++) {
    const result = solved.results[k];
    rows.push({
      target: k + 1, method: `solve (${solved.summary.method})`, y: Array.from(result.y),
      residual: standardizedNorm(result.y, targets.data.subarray(k * 4, k * 4 + 4), 0),
      trueResidual: standardizedNorm(trueSolved.data, targets.data, k * 4),
      cond: result.cond.standardized, cost: cost(result.x, 0), status: result.status,
    });
    const cheap = cheapest.results[k];
    const trueCheap = truth.forward(new Matrix(1, 7, cheap.x));
    rows.push({
      target: k + 1, method: `solve (${cheapest.summary.method}) + min cost`, y: Array.from(cheap.y),
      residual: standardizedNorm(cheap.y, targets.data.subarray(k * 4, k * 4 + 4), 0),
      trueResidual: standardizedNorm(trueCheap.data, targets.data.subarray(k * 4, k * 4 + 4), 0),
      cond: cheap.cond.standardized, cost: cost(cheap.x, 0), status: cheap.status,
    });
    rows.push({
      target: k + 1, method: 'inverse net alone', y: Array.from(proposedY.data.subarray(k * 4, k * 4 + 4)),
      residual: standardizedNorm(proposedY.data, targets.data, k * 4),
      trueResidual: standardizedNorm(trueProposed.data, targets.data, k * 4),
      cond: proposedCond[k], cost: cost(proposed.data, k * 7), status: 'one pass',
    });
  }
  const elapsed = (performance.now() - start) / 1000;
  const summaryPath = path.join(options.out, 'demo-summary.json');
  const json = {
    kind: 'inversa-demo',
    synthetic: true,
    dataset: 'plant',
    elapsedSeconds: elapsed,
    forwardTest: run.forward.test,
    inverseTest: inverse.test,
    invertibility: {
      points: summary.count,
      rankHistogram: summary.rankHistogram,
      condQuantiles: summary.condQuantiles,
      verdictShares: summary.verdictShares,
      message: summary.message,
    },
    targets: Array.from({ length: targets.rows }, (_, k) => Array.from(targets.data.subarray(k * 4, k * 4 + 4))),
    inversions: rows,
    inputPrices: DEMO_INPUT_PRICES,
    files: { data: csvPath, forward: written.forward, inverse: written.inverse, report: written.report, summary: summaryPath },
  };
  writeJson(summaryPath, json);

  // 5. The readable summary.
  const names = generated.outputNames;
  const lines: string[] = [];
  lines.push(`inversa demo — built-in 'plant' dataset: SYNTHETIC data shaped like the reference blast furnace (not real furnace data)`);
  lines.push('');
  lines.push(`forward net 7→${settings.hidden.join('→')}→4 (resmlp, seed ${run.seed}, trained in ${run.forward.options.precision}), test R²: ${run.forward.test.map((s) => `${s.name} ${s.r2.toFixed(4)}`).join(', ')}`);
  lines.push(`inverse net 4→${settings.hidden.join('→')}→7, α ${settings.alpha} → 0 by epoch ${settings.alphaEndEpoch}: re-simulation ‖F(I(y)) − y‖ ${formatNumber(inverse.test.resimulationError, 3)} (test RMS, standardized); ` +
    `x-space R² ${inverse.test.x.map((s) => s.r2.toFixed(2)).join('/')} (low is expected: the inverse is not unique)`);
  const rank = summary.rankHistogram.find((entry) => entry.rank === summary.k);
  const q = summary.condQuantiles;
  const at = (level: number, values: number[]) => values[q.levels.indexOf(level)];
  lines.push(`invertibility at ${summary.count} held-out points: full rank ${summary.k} at ${formatPercent(rank?.share ?? 0)}; ` +
    `cond median ${formatNumber(at(0.5, q.standardized), 3)} (95 %: ${formatNumber(at(0.95, q.standardized), 3)}) standardized, ${formatNumber(at(0.5, q.raw), 3)} in raw units`);
  lines.push('');
  lines.push(`inverting ${targets.rows} in-range targets (measured outputs of held-out rows with inputs inside the inner 80 % of the box); residuals in output standard deviations; cost = ${DEMO_INPUT_PRICES.slice(0, 3).join('·h2i + ').replace(/·h2i \+ (\d+)·h2i \+ ([\d.]+)$/, '·h2i + $1·pci + $2·ngi')}`);
  const table: (string | number)[][] = [];
  for (let k = 0; k < targets.rows; k++) {
    table.push([`${k + 1}`, 'target', ...Array.from(targets.data.subarray(k * 4, k * 4 + 4)), '', '', '', '', '']);
    for (const row of rows.filter((entry) => entry.target === k + 1)) {
      table.push(['', row.method, ...row.y, row.residual, row.trueResidual, row.cond, row.cost, row.status]);
    }
  }
  lines.push(textTable(['#', 'what', ...names, 'residual', 'true-f residual', 'cond', 'cost', 'status'], table, { digits: 4 }));
  lines.push('  residual: ‖(F(x) − y*)/σ_y‖ through the trained net; true-f residual: the same through the known synthetic function');
  lines.push('');
  lines.push(`files (${path.resolve(options.out)}):`);
  for (const file of [written.forward, written.inverse!, written.report, csvPath, summaryPath]) lines.push(`  ${file}`);
  lines.push(`done in ${formatSeconds(elapsed)}`);
  return { text: lines.join('\n'), json };
}

function rowsOf(matrix: Matrix, indices: Int32Array): Matrix {
  const out = new Matrix(indices.length, matrix.cols);
  indices.forEach((row, k) => out.data.set(matrix.data.subarray(row * matrix.cols, (row + 1) * matrix.cols), k * matrix.cols));
  return out;
}
