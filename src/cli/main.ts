// The `inversa` command line: builds the commander program from the command modules and maps
// failures to exit codes (0 ok, 1 failed, 2 bad usage) with a one-line message, never a stack trace.
import { Command, CommanderError } from 'commander';
import { InversaError } from '../linalg/errors.ts';
import { commands } from './commands.ts';
import { isOsError, osErrorText } from '../common/os-error.ts';

export function buildProgram(): Command {
  const program = new Command('inversa')
    .description('Invert neural-network forward models y = f(x) and tell whether the inverse can be trusted.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function run(argv: string[]): Promise<number> {
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
      return 1;
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

/** Wrong use of the command line (bad option values): exit code 2. */
export class UsageError extends Error {}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isMain || process.env.INVERSA_CLI === '1') {
  run(process.argv.slice(2)).then((code) => process.exit(code));
}
