// `inversa merge PART... --out FILE`: joins the outputs of `--shard K/N` runs into exactly the file
// one unsharded run writes.
//   invert parts (solutions CSV): the same header; rows ordered by (target, solution); every target
//     in exactly one part, and targets 1…T without a gap.
//   analyze parts (JSON from `analyze --shard K/N --out`): all N shards of one run (same file,
//     options, N; each K once); their statistics are combined exactly and the report is finished
//     with the model (--model), as `analyze --out` writes it (and --html if asked).
//   benchmark parts (JSON from `benchmark --shard K/N --out`): all N shards of one request; the work
//     items' answers are assembled into the report file `benchmark --out` writes.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { finishCsvAnalysis, optionsOfPart, checkParts, decodePart, isPart, writeFileAtomic, writeJson, loadModelFile } from '../../io/index.ts';
import { decodeBenchmarkPart, isBenchmarkPart, mergeBenchmarkParts, suiteForFile } from '../benchmark/index.ts';
import { InvalidArgumentError, UsageError } from '../../core/index.ts';
import { analysisHtml } from '../../report/index.ts';
import { reportForFile } from './analyze.ts';

interface MergeOptions {
  out: string;
  model?: string;
  output?: string;
  html?: string;
}

export function register(program: Command): void {
  program
    .command('merge')
    .description('join the outputs of `invert`, `analyze` or `benchmark` runs with --shard K/N into the file of one run')
    .argument('<parts...>', 'the N part files (any order)')
    .requiredOption('--out <file>', 'the merged file (solutions CSV, analysis report JSON or benchmark report JSON)')
    .option('--model <file.onnx>', 'analyze parts: the model the shards analysed')
    .option('--output <name>', 'analyze parts: the graph output the shards analysed (as given to analyze)')
    .option('--html <report.html>', 'analyze parts: also write the HTML report')
    .action(async (parts: string[], options: MergeOptions) => {
      const texts = await Promise.all(parts.map((part) => readFile(part, 'utf8')));
      const kinds = texts.map((text) => partKind(text));
      if (kinds.some((kind) => kind !== kinds[0])) throw new UsageError('give parts of one kind: all from `analyze --shard`, all from `benchmark --shard` or all from `invert --shard`');
      if (kinds[0] === 'analyze') await mergeAnalysis(parts, texts, options);
      else if (kinds[0] === 'benchmark') {
        if (options.model || options.html || options.output) throw new UsageError('--model, --output and --html apply to analyze parts; these are benchmark parts');
        writeJson(options.out, suiteForFile(mergeBenchmarkParts(texts.map((text, k) => ({ part: decodeBenchmarkPart(text, parts[k]), name: parts[k] })))));
      }
      else {
        if (options.model || options.html) throw new UsageError('--model and --html apply to analyze parts; these look like invert solution CSVs');
        writeFileAtomic(options.out, mergeSolutionCsv(parts, texts));
      }
      process.stdout.write(`merged ${parts.length} part(s) into ${options.out}\n`);
    });
}

/** Which command wrote a part: analyze and benchmark parts are JSON objects marked by their kind; anything else is taken for a solutions CSV. */
function partKind(text: string): 'analyze' | 'benchmark' | 'invert' {
  if (!text.trimStart().startsWith('{')) return 'invert';
  try {
    const parsed: unknown = JSON.parse(text);
    return isPart(parsed) ? 'analyze' : isBenchmarkPart(parsed) ? 'benchmark' : 'invert';
  } catch {
    return 'invert';
  }
}

async function mergeAnalysis(names: string[], texts: string[], options: MergeOptions): Promise<void> {
  if (!options.model) throw new UsageError('analyze parts need --model MODEL.onnx (the model the shards analysed)');
  const parts = texts.map((text, k) => ({ state: decodePart(text, names[k]), name: names[k] }));
  checkParts(parts);
  const model = await loadModelFile(options.model, { output: options.output });
  const states = parts.map((part) => part.state);
  if (states[0].inputNames.join('\u0000') !== model.inputNames.join('\u0000') || states[0].outputNames.join('\u0000') !== model.outputNames.join('\u0000')) {
    throw new InvalidArgumentError(`--model ${options.model} has inputs/outputs (${model.inputNames.join(', ')} → ${model.outputNames.join(', ')}) other than the parts' (${states[0].inputNames.join(', ')} → ${states[0].outputNames.join(', ')})`);
  }
  const seconds = states.reduce((total, state) => total + state.seconds, 0);
  const report = finishCsvAnalysis(model, states, optionsOfPart(states[0]), seconds);
  writeJson(options.out, reportForFile(report));
  if (options.html) writeFileAtomic(options.html, analysisHtml(report));
}

/** Solution CSVs of invert shards: one header, rows by (target, solution), each target from one part, no gaps. */
export function mergeSolutionCsv(names: string[], texts: string[]): string {
  const rows: { target: number; solution: number; line: string }[] = [];
  let header: string | null = null;
  const owner = new Map<number, string>();
  texts.forEach((text, k) => {
    const lines = text.split('\n').filter((line) => line !== '');
    if (lines.length === 0) throw new InvalidArgumentError(`${names[k]}: empty; expected a solutions CSV from \`inversa invert --shard K/N --out\``);
    if (header === null) header = lines[0];
    else if (lines[0] !== header) throw new InvalidArgumentError(`${names[k]}: its header differs from ${names[0]}'s; the parts are not shards of one run`);
    if (!lines[0].startsWith('target,solution,')) throw new InvalidArgumentError(`${names[k]}: not a solutions CSV from \`inversa invert --shard K/N --out\` (first columns target,solution)`);
    for (const line of lines.slice(1)) {
      const [targetText, solutionText] = line.split(',', 2);
      const target = Number(targetText), solution = Number(solutionText);
      if (!Number.isInteger(target) || !Number.isInteger(solution) || target < 1 || solution < 1) throw new InvalidArgumentError(`${names[k]}: row "${line.slice(0, 40)}…" has no target and solution number`);
      const previous = owner.get(target);
      if (previous !== undefined && previous !== names[k]) throw new InvalidArgumentError(`target ${target} is in both ${previous} and ${names[k]}; the parts overlap`);
      owner.set(target, names[k]);
      rows.push({ target, solution, line });
    }
  });
  rows.sort((a, b) => a.target - b.target || a.solution - b.solution);
  const targets = [...owner.keys()].sort((a, b) => a - b);
  const gap = targets.findIndex((target, index) => target !== index + 1);
  if (gap >= 0) throw new InvalidArgumentError(`target ${gap + 1} is in no part; give all N parts of the run`);
  return `${[header!, ...rows.map((row) => row.line)].join('\n')}\n`;
}
