// `inversa lab NAME [options]`: run one of the course-notes labs (regression, lowrank,
// double-descent, sindy, integrate, stability, gd-inverse), print its short table (or --json), and
// write one self-contained HTML page with its plots (--out, atomically). Bad option values are
// usage errors (exit 2) naming the option and its valid range; an unknown lab name lists the labs.
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import { readNumericCsv, writeFileAtomic } from '../../io/index.ts';
import { InvalidArgumentError, InversaError, UsageError, stringifyJson, numberFromText } from '../../core/index.ts';
import { runDoubleDescent, runGdInverse, type KnownOdeName, runIntegrate, runLowRank, type FeatureBasis, runRegression, labHtml, type LabResult, labText, runSindy, type EmulatorForm, runStability } from '../lab/index.ts';
import type { EpochProgress } from '../../train/index.ts';

export const LAB_NAMES = ['regression', 'lowrank', 'double-descent', 'sindy', 'integrate', 'stability', 'gd-inverse'] as const;
export type LabName = (typeof LAB_NAMES)[number];

interface CommonOptions {
  out?: string;
  json?: boolean;
  seed?: number;
}

/** Parse a number option; the range check is the lab's (it knows the valid range). */
function number(value: string): number {
  const parsed = numberFromText(value);
  if (parsed === undefined) throw new CommanderInvalidArgument(`expected a finite number, got '${value}'`);
  return parsed;
}

function integer(value: string): number {
  const parsed = number(value);
  if (!Number.isInteger(parsed)) throw new CommanderInvalidArgument(`expected an integer, got '${value}'`);
  return parsed;
}

function numberList(value: string): number[] {
  const parts = value.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.some((part) => part === '')) throw new CommanderInvalidArgument(`expected comma-separated numbers like 0.1,0.05, got '${value}'`);
  return parts.map(number);
}

/** Run a lab and turn its option errors into usage errors (exit 2). */
async function runLab(name: LabName, options: CommonOptions, compute: () => LabResult | Promise<LabResult>): Promise<void> {
  let result: LabResult;
  try {
    result = await compute();
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UsageError(error.message);
    throw error;
  }
  // A SINDy threshold that removes every term is a failed identification, not an empty model.
  if (result.lab === 'sindy' && result.status === 'all-terms-removed') throw new InversaError(`lab sindy: ${result.message}`);
  const out = options.out ?? `lab-${name}.html`;
  writeFileAtomic(out, labHtml(result));
  if (options.json) {
    process.stdout.write(stringifyJson({ ...result, page: out }));
  } else {
    process.stdout.write(`${labText(result)}page: ${out}\n`);
  }
}

/** A progress bar of the emulator training on stderr, only when stderr is a terminal. */
function trainingProgress(): { onEpoch?: (progress: EpochProgress) => void; stop(): void } {
  if (!process.stderr.isTTY) return { stop() {} };
  let bar: SingleBar | null = null;
  return {
    onEpoch(progress) {
      if (!bar) {
        bar = new SingleBar({ stream: process.stderr, format: 'training emulator |{bar}| epoch {value}/{total}', hideCursor: true });
        bar.start(progress.epochs, 0);
      }
      bar.update(progress.epoch);
    },
    stop() {
      bar?.stop();
    },
  };
}

function common(command: Command, name: LabName): Command {
  return command
    .option('--out <file>', `HTML page to write (default lab-${name}.html)`)
    .option('--json', 'print the full result as JSON instead of the table')
    .option('--seed <n>', 'seed of every random choice', integer);
}

export function register(program: Command): void {
  const lab = program
    .command('lab')
    .description(`run a course-notes lab: ${LAB_NAMES.join(', ')}`)
    .argument('[name]', 'lab name')
    .allowExcessArguments(true)
    .action((name: string | undefined) => {
      throw new UsageError(name === undefined
        ? `lab: give a lab name, one of ${LAB_NAMES.join(', ')}`
        : `lab: unknown lab '${name}'; valid labs are ${LAB_NAMES.join(', ')}`);
    });

  common(lab.command('regression').description('least squares via the pseudo-inverse: tall (least squares) and wide (minimum norm) cases'), 'regression')
    .option('--samples <n>', 'tall case: samples n (> features)', integer)
    .option('--features <p>', 'tall case: features p (1..n−1)', integer)
    .option('--wide-samples <n>', 'wide case: samples n', integer)
    .option('--wide-features <p>', 'wide case: features p (> n)', integer)
    .option('--basis <name>', 'feature basis: monomial, chebyshev or cosine')
    .option('--noise <sigma>', 'noise standard deviation (≥ 0)', number)
    .action((options: CommonOptions & { samples?: number; features?: number; wideSamples?: number; wideFeatures?: number; basis?: FeatureBasis; noise?: number }) =>
      runLab('regression', options, () => runRegression(options)));

  common(lab.command('lowrank').description('truncated-SVD approximation and the Eckart–Young error'), 'lowrank')
    .option('--csv <file>', 'numeric CSV to approximate (default: a generated image-like matrix)')
    .option('--rows <m>', 'rows of the generated matrix (2..400)', integer)
    .option('--cols <n>', 'columns of the generated matrix (2..400)', integer)
    .option('--noise <level>', 'noise of the generated matrix relative to its largest entry (≥ 0)', number)
    .option('--relative-error <e>', 'target relative Frobenius error in (0, 1]', number)
    .option('--rank <r>', 'rank to show as an image (0..min(m, n))', integer)
    .action((options: CommonOptions & { csv?: string; rows?: number; cols?: number; noise?: number; relativeError?: number; rank?: number }) =>
      runLab('lowrank', options, async () => {
        const matrix = options.csv ? (await readNumericCsv({ path: options.csv })).rows : undefined;
        return runLowRank({ ...options, matrix });
      }));

  common(lab.command('double-descent').description('random cos features, minimum-norm fit, test error vs p/n'), 'double-descent')
    .option('--samples <n>', 'training samples n (2..500)', integer)
    .option('--features <list>', 'feature counts p, comma-separated (some < n, some > n)', numberList)
    .option('--trials <k>', 'repetitions averaged (1..1000)', integer)
    .option('--noise <sigma>', 'noise standard deviation (≥ 0)', number)
    .option('--frequency-scale <s>', 'standard deviation of the random frequencies (> 0)', number)
    .action((options: CommonOptions & { samples?: number; features?: number[]; trials?: number; noise?: number; frequencyScale?: number }) =>
      runLab('double-descent', options, () => runDoubleDescent(options)));

  common(lab.command('sindy').description('SINDy (STLSQ) on Lorenz-63 simulated with RK4'), 'sindy')
    .option('--dt <dt>', 'sampling step Δt (> 0)', number)
    .option('--duration <t>', 'simulated time (> 0)', number)
    .option('--degree <d>', 'polynomial library degree (1..5)', integer)
    .option('--threshold <t>', 'STLSQ threshold (≥ 0)', number)
    .option('--ridge <alpha>', 'ridge α of the STLSQ iterations (≥ 0)', number)
    .option('--noise <level>', 'measurement noise relative to each variable\'s std (≥ 0)', number)
    .option('--max-iterations <k>', 'threshold-and-refit rounds (≥ 1)', integer)
    .action((options: CommonOptions & { dt?: number; duration?: number; degree?: number; threshold?: number; ridge?: number; noise?: number; maxIterations?: number }) =>
      runLab('sindy', options, () => runSindy(options)));

  common(lab.command('integrate').description('Euler vs RK4: error vs Δt slopes 1 and 4'), 'integrate')
    .option('--problem <name>', 'oscillator or logistic')
    .option('--final-time <T>', 'final time T (> 0)', number)
    .option('--dt <list>', 'step sizes, comma-separated (each > 0 and T/Δt an integer)', numberList)
    .action((options: CommonOptions & { problem?: KnownOdeName; finalTime?: number; dt?: number[] }) =>
      runLab('integrate', options, () => runIntegrate({ problem: options.problem, finalTime: options.finalTime, stepSizes: options.dt })));

  common(lab.command('stability').description('train an autoregressive Lorenz emulator, roll out, Jacobian eigenvalues/singular values'), 'stability')
    .option('--dt <dt>', 'sampling interval Δt in (0, 0.05]', number)
    .option('--samples <n>', 'training pairs (100..100000)', integer)
    .option('--rollout-steps <k>', 'rollout length (≥ 10)', integer)
    .option('--hidden <list>', 'hidden widths, comma-separated (e.g. 32,32)', numberList)
    .option('--epochs <k>', 'training epochs (≥ 1)', integer)
    .option('--learning-rate <lr>', 'Adam learning rate (> 0)', number)
    .option('--form <form>', 'residual (u + N(u), default) or direct (N(u))')
    .action((options: CommonOptions & { dt?: number; samples?: number; rolloutSteps?: number; hidden?: number[]; epochs?: number; learningRate?: number; form?: EmulatorForm }) =>
      runLab('stability', options, () => {
        const progress = trainingProgress();
        try {
          return runStability({ ...options, onEpoch: progress.onEpoch });
        } finally {
          progress.stop();
        }
      }));

  common(lab.command('gd-inverse').description('matrix inverse by gradient descent (seed 004) and damped pseudo-inverse IK (seed 002)'), 'gd-inverse')
    .option('--learning-rate <lr>', 'gradient-descent learning rate (> 0; diverges above n²/σ_max²)', number)
    .option('--steps <k>', 'gradient steps (≥ 1)', integer)
    .option('--damping <list>', 'IK dampings λ ≥ 0, comma-separated (e.g. 0,0.01,0.1)', numberList)
    .option('--ik-iterations <k>', 'IK iterations (≥ 1)', integer)
    .action((options: CommonOptions & { learningRate?: number; steps?: number; damping?: number[]; ikIterations?: number }) =>
      runLab('gd-inverse', options, () => runGdInverse({ ...options, dampings: options.damping })));
}
