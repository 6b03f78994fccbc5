// The `inversa` command line: builds the commander program from the command modules and maps
// failures to exit codes (0 ok, 1 failed, 2 bad usage) with a one-line message, never a stack trace.
import { Command, CommanderError } from 'commander';
import packageJson from '../../../package.json' with { type: 'json' };
import { InversaError, UsageError } from '../../core/index.ts';
import { commands } from './commands.ts';
import { isOsError, osErrorText, poolUsage } from '../../io/index.ts';
import { workerFallbackWarning } from './parallel-options.ts';

// The worker-pool tasks (src/io/pool.ts). The built CLI is one bundled module (dist/cli/bundle.js):
// the pool's tasks name that module, so the functions a worker calls must be exports of it.
export { solveChunk } from '../../io/index.ts';
export { analyzeChunk } from '../../io/index.ts';
export { evaluateBlock } from '../../io/index.ts';
export { trajectorySegment } from '../../io/index.ts';
export { runMethodItem, trainNets } from '../benchmark/index.ts';

export function buildProgram(): Command {
  const program = new Command('inversa')
    .description('Invert neural-network forward models y = f(x) and tell whether the inverse can be trusted.')
    .version(packageJson.version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  const before = poolUsage();
  const code = await runProgram(argv);
  // Chunks redone on the main thread because workers failed give the same results, only slower: say so once.
  const fallback = workerFallbackWarning(before);
  if (fallback) process.stderr.write(`inversa: warning: ${oneLine(fallback)}\n`);
  return code;
}

async function runProgram(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exitCode 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`inversa: ${oneLine(error.message)}\n`);
      return 2;
    }
    if (error instanceof InversaError) {
      process.stderr.write(`inversa: ${oneLine(error.message)}\n`);
      return namesAnOption(error.message) ? 2 : 1;
    }
    if (isOsError(error)) {
      process.stderr.write(`inversa: ${oneLine(osErrorText(error))}\n`);
      return 1;
    }
    if (error instanceof RangeError && /Array buffer allocation failed|Invalid typed array length|Invalid array length/.test(error.message)) {
      process.stderr.write(`inversa: out of memory: ${error.message.split('\n')[0]} (the input or an option is too large for this machine)\n`);
      return 1;
    }
    process.stderr.write(`inversa: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

/** Control characters from names inside files (a corrupt model's value names) shown escaped, so an error stays one line. */
export function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** Wrong use of the command line (bad option values): exit code 2. Defined with the library's typed errors. */
export { UsageError };

/**
 * A library error about an option's value names the option first ("--cost: expected 7 numbers …",
 * "--alpha must be …"): that is bad usage (exit 2), like a UsageError, whichever layer noticed it.
 * A file named by an option that cannot be read is a failure (exit 1), as every file error is.
 */
function namesAnOption(message: string): boolean {
  return /^--[a-z][a-z0-9-]*\b/.test(message) && !/no such file|not a file|expected a regular file|is a directory|permission denied/i.test(message);
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isMain || process.env.INVERSA_CLI === '1') {
  run(process.argv.slice(2)).then((code) => process.exit(code));
}
