// Runs the `inversa` CLI in-process (run(argv) from src/apps/cli/main.ts) and captures what it writes.
// Call useCli() once at the top level of a test file: before each test it starts capturing
// process.stdout / process.stderr into `stdout` / `stderr` (empty at the start of each test; a test
// may reset them between runs), and after each test it restores the streams and clears
// process.exitCode, so one test's failure code does not leak into the next run's exit code.
import { afterEach, beforeEach, vi } from 'vitest';
import { run } from '../../src/apps/cli/main.ts';

export interface CliSession {
  /** Everything written to process.stdout since the test started (or since the test reset it). */
  stdout: string;
  /** Everything written to process.stderr since the test started (or since the test reset it). */
  stderr: string;
  /** Runs `inversa ...argv` in-process; resolves to the exit code (0 ok, 1 failed, 2 bad usage). */
  run(argv: string[]): Promise<number>;
}

export function useCli(): CliSession {
  const session: CliSession = { stdout: '', stderr: '', run };
  beforeEach(() => {
    session.stdout = '';
    session.stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { session.stdout += String(chunk); return true; });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { session.stderr += String(chunk); return true; });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });
  return session;
}
