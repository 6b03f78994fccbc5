// Finding a Python that can import torch, for the PyTorch peer. Candidates in order: the command in
// INVERSA_PYTHON when set (and then only it: an explicit choice should not silently fall back), else
// `python3` on PATH, then Debian's /usr/bin/python3 (where python3-torch installs, while PATH often
// leads to a pyenv/venv Python without it). The probe is injectable so the choice is testable
// without PyTorch.
import { spawnSync } from 'node:child_process';

export const PYTHON_OVERRIDE_VARIABLE = 'INVERSA_PYTHON';
export const DEFAULT_PYTHON_CANDIDATES: readonly string[] = ['python3', '/usr/bin/python3'];
/** Importing torch takes a few seconds on a busy machine; a hung interpreter must not hang the bench. */
const PROBE_TIMEOUT_MS = 120_000;

/** The result of asking one interpreter for torch: its version, or why not. */
export type ProbeResult = { torch: string; python: string } | { error: string };
export type PythonProbe = (command: string) => ProbeResult;

export interface ProbeAttempt {
  command: string;
  result: ProbeResult;
}

export interface PythonChoice {
  /** The interpreter to run the peer with, or null when none has torch. */
  command: string | null;
  torch: string | null;
  python: string | null;
  /** Every candidate tried, in order, with its answer (for the "skipped because" message). */
  attempts: ProbeAttempt[];
}

/** The interpreters to try, in order. */
export function pythonCandidates(environment: Record<string, string | undefined>): string[] {
  const override = environment[PYTHON_OVERRIDE_VARIABLE]?.trim();
  return override ? [override] : [...DEFAULT_PYTHON_CANDIDATES];
}

/** The first candidate whose probe finds torch; stops probing at the first success. */
export function choosePython(candidates: readonly string[], probe: PythonProbe): PythonChoice {
  const attempts: ProbeAttempt[] = [];
  for (const command of candidates) {
    const result = probe(command);
    attempts.push({ command, result });
    if ('torch' in result) return { command, torch: result.torch, python: result.python, attempts };
  }
  return { command: null, torch: null, python: null, attempts };
}

/** One line per attempt: 'python3: No module named torch'. */
export function describeAttempts(attempts: readonly ProbeAttempt[]): string {
  return attempts
    .map(({ command, result }) => `${command}: ${'torch' in result ? `torch ${result.torch}` : result.error}`)
    .join('; ');
}

const PROBE_SCRIPT = 'import json, platform, torch; print(json.dumps({"torch": torch.__version__, "python": platform.python_version()}))';

/** Runs `command -c 'import torch'` and reads the version it prints. */
export function probePython(command: string): ProbeResult {
  const result = spawnSync(command, ['-c', PROBE_SCRIPT], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
  if (result.error) return { error: (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : result.error.message };
  if (result.status !== 0) {
    const lastLine = result.stderr.trim().split('\n').pop() ?? '';
    return { error: lastLine || `exit ${result.status}` };
  }
  return parseProbeOutput(result.stdout);
}

/** The probe's stdout: one JSON object with torch and python versions. */
export function parseProbeOutput(stdout: string): ProbeResult {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(line) as { torch?: unknown; python?: unknown };
    if (typeof parsed.torch === 'string') return { torch: parsed.torch, python: String(parsed.python ?? 'unknown') };
  } catch {
    // fall through: not JSON
  }
  return { error: `unexpected probe output '${line.slice(0, 80)}'` };
}
