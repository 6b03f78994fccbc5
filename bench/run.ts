// `npm run bench [-- --quick] [--no-pytorch] [suite...]`: measures inversa against its peers in ONE
// run. First the PyTorch peer (bench/peers/pytorch_peer.py) runs once for the requested suites, with
// a Python that has torch (INVERSA_PYTHON, else python3, else /usr/bin/python3); then each suite in
// bench/suites/ runs and compares against the figure PyTorch printed — or, when PyTorch is absent,
// the figure published in the issue, labelled peerKind 'published'. stdout: one machine line, one
// peer line, then one JSON line per measurement (suite, name, value, unit, peer, peerValue,
// peerKind, ratio, ratioMeaning, target, targetRatio, met, ..., machine). stderr: progress and a
// summary table for humans. Exit 1 when a suite failed, 2 on a bad argument; unmet targets are
// reported, not failures.
import { readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { completeLine } from './peers/lines.ts';
import { PUBLISHED_PYTORCH } from './peers/published.ts';
import { choosePython, describeAttempts, probePython, pythonCandidates } from './peers/python.ts';
import { parsePeerOutput, peerSuitesFor, resolvePeer, runPytorchPeer, type PeerRun } from './peers/pytorch.ts';
import { formatSummary } from './peers/summary.ts';
import { measurePeak } from './peak.ts';
import type { BenchContext, BenchLine, BenchSuite, CompleteBenchLine, MachineInfo } from './types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUITES_DIRECTORY = path.join(here, 'suites');

export interface BenchArguments {
  quick: boolean;
  /** false with --no-pytorch: use the published figures without looking for PyTorch. */
  pytorch: boolean;
  suites: string[];
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--no-pytorch] [suite...]
  suite         name (or prefix) of a file in bench/suites/: svd, jacobian, solve, train, analyze, mlp, scaling
  --quick       fewer repeats; analyze streams 100,000 points instead of 1,000,000
  --no-pytorch  do not run the PyTorch peer; compare with the issues' published figures
  INVERSA_PYTHON=/path/to/python  the Python with torch to use (default: python3, then /usr/bin/python3)`;

/** Reads the command line; unknown --options are an error (a typo must not silently run everything). */
export function parseBenchArguments(argv: readonly string[]): BenchArguments {
  const parsed: BenchArguments = { quick: false, pytorch: true, suites: [], help: false };
  for (const argument of argv) {
    if (argument === '--quick') parsed.quick = true;
    else if (argument === '--no-pytorch') parsed.pytorch = false;
    else if (argument === '--help' || argument === '-h') parsed.help = true;
    else if (argument.startsWith('-')) throw new Error(`unknown option '${argument}'\n${USAGE}`);
    else parsed.suites.push(argument);
  }
  return parsed;
}

/** Suite names (file names without .ts) to run, sorted; each requested name must match at least one. */
export function selectSuites(available: readonly string[], requested: readonly string[]): string[] {
  const sorted = [...available].sort();
  if (requested.length === 0) return sorted;
  for (const name of requested) {
    if (!sorted.some((suite) => suite.startsWith(name))) throw new Error(`no bench suite matches '${name}'; suites: ${sorted.join(', ')}`);
  }
  return sorted.filter((suite) => requested.some((name) => suite.startsWith(name)));
}

export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
  };
}

/** The line describing the PyTorch peer of this run: which Python, which torch, or why published figures. */
interface PeerStatus {
  kind: 'peer';
  peer: 'pytorch';
  peerKind: 'measured' | 'published';
  python: string | null;
  torch: string | null;
  suites: string[];
  message: string;
  errors: string[];
  /** 1-minute load average when the peer started (the suites' lines carry their own). */
  loadAverage1mAtStart?: number;
}

function runPeer(args: BenchArguments, suites: readonly string[]): { run: PeerRun | null; status: PeerStatus } {
  const peerSuites = peerSuitesFor(suites);
  const status = (peerKind: 'measured' | 'published', message: string, extra: Partial<PeerStatus> = {}): PeerStatus => (
    { kind: 'peer', peer: 'pytorch', peerKind, python: null, torch: null, suites: peerSuites, message, errors: [], ...extra });
  if (peerSuites.length === 0) return { run: null, status: status('published', 'no requested suite has a PyTorch peer') };
  if (!args.pytorch) return { run: null, status: status('published', '--no-pytorch: comparing with the figures published in the issues') };
  const choice = choosePython(pythonCandidates(process.env), probePython);
  if (!choice.command) {
    return { run: null, status: status('published', `PyTorch not found (${describeAttempts(choice.attempts)}); comparing with the figures published in the issues`) };
  }
  process.stderr.write(`bench: PyTorch peer: ${choice.command} (torch ${choice.torch}) for ${peerSuites.join(', ')}${args.quick ? ' (quick)' : ''} …\n`);
  const started = performance.now();
  const loadAtStart = Number(loadavg()[0].toFixed(2));
  const output = runPytorchPeer(choice.command, peerSuites, args.quick);
  const run = parsePeerOutput(output.stdout, `bench/peers/pytorch_peer.py with ${choice.command}, torch ${choice.torch}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const errors = [...run.errors, ...(output.error ? [output.error] : []), ...(output.status !== 0 ? [`peer exited with status ${output.status}`] : [])];
  const measured = run.figures.size > 0;
  const message = measured
    ? `measured ${run.figures.size} PyTorch figures in ${seconds} s`
    : `the peer printed no figures (${run.skipped ?? (errors.join('; ') || 'no output')}); comparing with the published figures`;
  return { run, status: status(measured ? 'measured' : 'published', message, { python: choice.command, torch: choice.torch, errors, loadAverage1mAtStart: loadAtStart }) };
}

async function main(): Promise<number> {
  let args: BenchArguments;
  let suites: string[];
  try {
    args = parseBenchArguments(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const available = readdirSync(SUITES_DIRECTORY).filter((file) => file.endsWith('.ts')).map((file) => file.slice(0, -3));
    suites = selectSuites(available, args.suites);
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    return 2;
  }

  const machine = machineInfo();
  console.log(JSON.stringify({ kind: 'machine', ...machine }));
  const peer = runPeer(args, suites);
  console.log(JSON.stringify(peer.status));
  process.stderr.write(`bench: PyTorch peer: ${peer.status.message}\n`);
  for (const error of peer.status.errors) process.stderr.write(`bench: PyTorch peer: ${error}\n`);

  // The machine's Float64 WebAssembly SIMD peak on one thread, measured now, in this run (issue 16).
  const peak = measurePeak(args.quick);
  console.log(JSON.stringify({ kind: 'peak', ...peak, loadAverage1m: Number(loadavg()[0].toFixed(2)) }));
  process.stderr.write(`bench: peak ${peak.gflopsPerThread} GFLOP/s per thread (${peak.method})\n`);
  const context: BenchContext = {
    quick: args.quick,
    pytorch: (key) => resolvePeer(key, peer.run, PUBLISHED_PYTORCH),
    peakGflopsPerThread: peak.gflopsPerThread,
  };
  const printed: CompleteBenchLine[] = [];
  let failed = 0;
  for (const suite of suites) {
    process.stderr.write(`bench: ${suite} …\n`);
    try {
      const module = (await import(pathToFileURL(path.join(SUITES_DIRECTORY, `${suite}.ts`)).href)) as BenchSuite;
      await module.run((line: BenchLine) => {
        // The load when the line was measured: the machine is shared, and the peer ran earlier. Every
        // line says its thread count (suites that do not say run on one) and the fraction of the
        // measured peak its kernel work reached (from its gflops figure; null when it has none).
        const threads = typeof line.threads === 'number' ? line.threads : 1;
        const peakFraction = line.peakFraction !== undefined ? line.peakFraction
          : typeof line.gflops === 'number' ? Number((line.gflops / (peak.gflopsPerThread * threads)).toFixed(3)) : null;
        const complete = completeLine(suite, { ...line, threads, peakFraction, loadAverage1mAtLine: Number(loadavg()[0].toFixed(2)) }, machine);
        printed.push(complete);
        console.log(JSON.stringify(complete));
      }, context);
    } catch (error) {
      failed++;
      const message = (error as Error).message;
      console.log(JSON.stringify({ kind: 'error', suite, error: message }));
      process.stderr.write(`bench: ${suite} failed: ${message}\n`);
    }
  }
  process.stderr.write(`\n${formatSummary(printed)}\n`);
  process.stderr.write(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage1m}; PyTorch: ${peer.status.torch ?? 'absent'} (${peer.status.peerKind})\n`);
  return failed ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(await main());
}
