// The PyTorch peer as seen by the harness: run bench/peers/pytorch_peer.py once, read its JSON
// lines into figures keyed '<suite>/<name>', and answer each suite's question "what does PyTorch
// take for this work?" with the figure measured in this run, or the issue's published figure when
// PyTorch could not run (labelled so), or nothing.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PeerFigure } from '../types.ts';

export const PEER_SCRIPT = fileURLToPath(new URL('./pytorch_peer.py', import.meta.url));
/** The peer's full run takes ~20 s on this machine; a generous cap against hangs. */
const PEER_TIMEOUT_MS = 15 * 60_000;

/** Suites of `npm run bench` → suites of the Python peer that measure the same work. */
export const PEER_SUITES_FOR: Readonly<Record<string, readonly string[]>> = {
  svd: ['svd'],
  jacobian: ['jacobian'],
  solve: ['solve'],
  train: ['train'],
  // The performance engineer's MlpModel suite does the jacobian suite's work on a seeded MLP.
  mlp: ['jacobian'],
  // Issue 16: the same work at 2 threads (names end in -2threads), plus the 1-thread figures.
  scaling: ['jacobian', 'solve', 'scaling'],
};

/** Everything one run of the peer printed, sorted by kind. */
export interface PeerRun {
  /** The peer's machine line: torch version, python version, threads. */
  machine: Record<string, unknown> | null;
  /** Measured figures keyed '<suite>/<name>'. */
  figures: Map<string, PeerFigure>;
  /** 'suite: message' for suites that failed in the peer, and for lines that could not be read. */
  errors: string[];
  /** The peer's own "skipped" message (PyTorch not importable). */
  skipped: string | null;
}

/** The Python peer suites that measure the work of the bench suites about to run (empty: no peer needed). */
export function peerSuitesFor(benchSuites: readonly string[]): string[] {
  const wanted = new Set<string>();
  for (const suite of benchSuites) for (const peerSuite of PEER_SUITES_FOR[suite] ?? []) wanted.add(peerSuite);
  return [...wanted];
}

/** Reads the peer's stdout. Lines that are not JSON objects of a known kind become errors, not crashes. */
export function parsePeerOutput(text: string, source: string): PeerRun {
  const run: PeerRun = { machine: null, figures: new Map(), errors: [], skipped: null };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      run.errors.push(`unreadable peer line: ${line.slice(0, 120)}`);
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      run.errors.push(`peer line is not an object: ${line.slice(0, 120)}`);
      continue;
    }
    const record = parsed as Record<string, unknown>;
    if (record.kind === 'machine') run.machine = record;
    else if (record.kind === 'skipped') run.skipped = String(record.message ?? 'skipped');
    else if (typeof record.error === 'string') run.errors.push(`${String(record.suite ?? '?')}: ${record.error}`);
    else readFigure(record, source, run);
  }
  return run;
}

function readFigure(record: Record<string, unknown>, source: string, run: PeerRun): void {
  const { suite, name, value, unit, peer, ...details } = record;
  if (typeof suite !== 'string' || typeof name !== 'string' || typeof unit !== 'string' || typeof value !== 'number' || !Number.isFinite(value)) {
    run.errors.push(`peer line without suite, name, unit and a finite numeric value: ${JSON.stringify(record).slice(0, 120)}`);
    return;
  }
  run.figures.set(`${suite}/${name}`, {
    peer: typeof peer === 'string' ? peer : 'PyTorch',
    value,
    unit,
    kind: 'measured',
    source,
    details,
  });
}

/**
 * The figure a suite compares against for `key`: measured in this run if the peer printed it (with
 * the published figure, if any, attached as `publishedValue`), else the published one, else undefined.
 */
export function resolvePeer(key: string, run: PeerRun | null, published: ReadonlyMap<string, PeerFigure>): PeerFigure | undefined {
  const measured = run?.figures.get(key);
  const fromIssue = published.get(key);
  if (measured) {
    return fromIssue && fromIssue.unit === measured.unit ? { ...measured, publishedValue: fromIssue.value } : measured;
  }
  return fromIssue;
}

/** Runs the peer script with `python` for `suites`; its stderr passes through to ours. */
export function runPytorchPeer(python: string, suites: readonly string[], quick: boolean): { stdout: string; status: number | null; error?: string } {
  const args = [PEER_SCRIPT, ...suites, ...(quick ? ['--quick'] : [])];
  const result = spawnSync(python, args, { encoding: 'utf8', timeout: PEER_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 22 });
  return { stdout: result.stdout ?? '', status: result.status, error: result.error?.message };
}
