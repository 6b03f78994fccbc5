// Shapes shared by the benchmark harness (bench/run.ts) and its suites (bench/suites/*.ts).
// A suite measures inversa and emits `BenchLine`s; the harness completes every line to the full
// `CompleteBenchLine` shape (suite, peer, ratio, target, met, machine) before printing it as JSON.
import { median } from '../src/linalg/index.ts';

/**
 * Where a peer figure comes from:
 * - 'measured': timed in this run (PyTorch through bench/peers/pytorch_peer.py, or a peer library
 *   such as ml-matrix timed in-process);
 * - 'published': the figure written in the issue, used when the peer cannot run here (no PyTorch);
 * - 'budget': not a peer but a fixed limit from the issue (e.g. peak memory < 1 GiB);
 * - 'unavailable': the peer could not run and the issue gives no figure: no ratio;
 * - 'unlabelled': the suite gave a peer value but did not say where it came from;
 * - 'none': the line has no peer at all.
 */
export type PeerKind = 'measured' | 'published' | 'budget' | 'unavailable' | 'unlabelled' | 'none';

/** One measurement as a suite emits it. Suites should fill the peer fields via `compareToPeer`. */
export interface BenchLine {
  /** Short stable identifier of the measurement, e.g. 'svd-rank-cond-10k-4x7-vs-ml-matrix'. */
  name: string;
  /** Our figure, e.g. milliseconds or samples per second. */
  value: number;
  unit: string;
  /** What we compared against, and its figure in the same unit. */
  peer?: string | null;
  peerValue?: number | null;
  peerKind?: PeerKind;
  /** > 1 means inversa is better (faster, or within budget); `ratioMeaning` spells out the division. */
  ratio?: number | null;
  ratioMeaning?: string | null;
  /** The target in words, and as the ratio the line must reach. */
  target?: string | null;
  targetRatio?: number | null;
  /** Whether the target was met in this run; null when the line has no target or no peer figure. */
  met?: boolean | null;
  [extra: string]: unknown;
}

/** The machine every line was measured on. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  memoryGiB: number;
  /** 1-minute load average when the run started: timings are only comparable at similar load. */
  loadAverage1m: number;
}

/** A line as printed: every key present (null when it does not apply), suite and machine attached. */
export interface CompleteBenchLine extends BenchLine {
  suite: string;
  peer: string | null;
  peerValue: number | null;
  peerKind: PeerKind;
  ratio: number | null;
  ratioMeaning: string | null;
  target: string | null;
  targetRatio: number | null;
  met: boolean | null;
  machine: MachineInfo;
}

/** A peer's figure for one piece of work, measured in this run or published in an issue. */
export interface PeerFigure {
  /** What the peer is, in words (library, method, precision, threads). */
  peer: string;
  value: number;
  unit: string;
  kind: 'measured' | 'published';
  /** Where the figure comes from (e.g. 'bench/peers/pytorch_peer.py, torch 1.13.0' or 'issue 4'). */
  source: string;
  /** The published figure for the same work, kept beside a measured one for comparison. */
  publishedValue?: number;
  /** Extra keys the peer reported (solvedFraction, note, ...). */
  details?: Record<string, unknown>;
}

/** What the harness hands each suite besides `emit`. */
export interface BenchContext {
  /** `--quick`: fewer repeats, and the slow suites (analyze over 1M points) skip or shrink. */
  quick: boolean;
  /**
   * The PyTorch peer's figure for a piece of work, keyed '<suite>/<name>' as printed by
   * bench/peers/pytorch_peer.py (e.g. 'solve/gauss-newton-20-pinv-tanh-7x64x64x4-10k'): the
   * figure measured in this run when PyTorch is available, else the published figure,
   * else undefined.
   */
  pytorch(key: string): PeerFigure | undefined;
  /** One thread's Float64 WebAssembly SIMD peak measured at the start of this run (bench/peak.ts), GFLOP/s. */
  peakGflopsPerThread?: number;
}

export interface BenchSuite {
  /** Older suites take only `emit`; the harness always passes the context as well. */
  run(emit: (line: BenchLine) => void, context: BenchContext): Promise<void>;
}

/** Median wall time in ms of `repeat` runs of `work` after `warmup` runs. */
export function timeMedian(work: () => void, repeat = 7, warmup = 2): number {
  for (let i = 0; i < warmup; i++) work();
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * Median milliseconds of each job, the jobs run round-robin (warm-up rounds first), so a change of
 * machine load during the measurement hits every job alike: for ratios between jobs of one process.
 */
export function timeInterleaved(jobs: (() => void)[], repeat = 7, warmup = 2): number[] {
  for (let round = 0; round < warmup; round++) jobs.forEach((job) => job());
  const times = jobs.map(() => [] as number[]);
  for (let round = 0; round < repeat; round++) {
    jobs.forEach((job, index) => {
      const start = performance.now();
      job();
      times[index].push(performance.now() - start);
    });
  }
  return times.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]);
}
