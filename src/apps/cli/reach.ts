// `inversa reach MODEL [--lower ..] [--upper ..] [--json]`: the reachable range (min and max) of every
// output over the input box, each end certified by a MILP (piecewise-linear networks only), with
// the sound bound-propagation interval beside it. Exit 0 when every end is optimal, 1 otherwise
// (time limit, solver error, or a network without a certificate), 2 for bad usage.
import type { Command } from 'commander';
import { parseNumberList, loadModelFile, WorkerSolver } from '../../io/index.ts';
import { stringifyJson, UsageError } from '../../core/index.ts';
import { textTable } from '../../report/index.ts';
import type { Model } from '../../model/index.ts';
import { resolveBounds } from '../../solve/index.ts';
import { extractNetwork, prepareNetwork, reachableRange, tightenWithLp } from '../../certify/index.ts';
import { numberOption } from './option-text.ts';

interface ReachCliOptions {
  lower?: string;
  upper?: string;
  timeLimit?: string;
  tightening: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('reach')
    .description('certified min and max of every output over the input box (ReLU-type networks; MILP by HiGHS)')
    .argument('<model>', 'forward model (.onnx)')
    .option('--lower <values>', 'lower bounds, comma-separated, one per input (default: the model\'s stored box)')
    .option('--upper <values>', 'upper bounds, comma-separated, one per input')
    .option('--time-limit <s>', 'seconds per MILP (default: none)')
    .option('--tightening <level>', 'neuron bounds: interval, symbolic or lp', 'lp')
    .option('--json', 'print the ranges and certificates as JSON')
    .action(async (modelPath: string, options: ReachCliOptions) => {
      const model = await loadModelFile(modelPath);
      process.exitCode = await runReach(model, options);
    });
}

export async function runReach(model: Model, options: ReachCliOptions): Promise<number> {
  const n = model.inputNames.length;
  if (!['interval', 'symbolic', 'lp'].includes(options.tightening)) throw new UsageError(`--tightening must be interval, symbolic or lp; got "${options.tightening}"`);
  const timeLimit = options.timeLimit === undefined ? undefined : numberOption(options.timeLimit, '--time-limit', { min: 0, minOpen: true });
  const box = resolveBounds(model, {
    lower: options.lower ? parseNumberList(options.lower, '--lower', n) : undefined,
    upper: options.upper ? parseNumberList(options.upper, '--upper', n) : undefined,
  });
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(box.lower[j]) || !Number.isFinite(box.upper[j])) {
      throw new UsageError(`reach needs a finite box: input ${model.inputNames[j]} has [${box.lower[j]}, ${box.upper[j]}]; give --lower and --upper`);
    }
  }
  const extraction = extractNetwork(model, box);
  if (!('network' in extraction)) {
    const message = `no certificate: ${extraction.reason}`;
    if (options.json) process.stdout.write(stringifyJson({ certified: false, message }));
    else process.stdout.write(`${message}\n`);
    return 1;
  }
  const prepared = prepareNetwork(extraction.network, box, options.tightening === 'interval' ? 'interval' : 'symbolic');
  const solver = new WorkerSolver();
  try {
    if (options.tightening === 'lp') await tightenWithLp(prepared, solver);
    const start = Date.now();
    const ranges = await reachableRange(prepared, solver, { timeLimit });
    const seconds = (Date.now() - start) / 1000;
    const allOptimal = ranges.every((entry) => entry.min.status === 'optimal' && entry.max.status === 'optimal');
    const { neurons } = prepared;
    const summary = `${neurons.total} ReLU units: ${neurons.active} always active, ${neurons.inactive} always inactive, ${neurons.unstable} undecided over the box (bounds: ${options.tightening}, ${prepared.seconds.toFixed(2)} s); ${2 * ranges.length} range questions (input-box branch and bound, HiGHS at the leaves) in ${seconds.toFixed(2)} s`;
    if (options.json) {
      process.stdout.write(stringifyJson({
        certified: allOptimal, box, neurons, boundSeconds: prepared.seconds, milpSeconds: seconds,
        outputs: ranges.map((entry) => ({ output: model.outputNames[entry.output], min: entry.min, max: entry.max, soundBound: [prepared.outputLower[entry.output], prepared.outputUpper[entry.output]] })),
      }));
    } else {
      const table = textTable(['output', 'min', 'max', 'status (min / max)', 'gap (min / max)', 'sound bound'], ranges.map((entry) => [
        model.outputNames[entry.output], entry.min.objective, entry.max.objective, `${entry.min.status} / ${entry.max.status}`,
        `${fmtGap(entry.min.gap)} / ${fmtGap(entry.max.gap)}`, `[${prepared.outputLower[entry.output].toPrecision(5)}, ${prepared.outputUpper[entry.output].toPrecision(5)}]`,
      ]));
      const notes = ranges.flatMap((entry) => [entry.min, entry.max]).filter((c) => c.status !== 'optimal').map((c) => c.message);
      process.stdout.write(`${table}\n${summary}${notes.length ? `\n${notes.join('\n')}` : ''}\n`);
    }
    return allOptimal ? 0 : 1;
  } finally {
    await solver.close();
  }
}

function fmtGap(gap: number): string {
  return Number.isFinite(gap) ? gap.toExponential(1) : '—';
}
