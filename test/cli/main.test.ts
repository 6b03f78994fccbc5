// The CLI shell: exit codes 0 / 1 / 2, one-line messages, no stack traces, commands in --help.
import { describe, expect, it } from 'vitest';
import { useCli } from '../helpers/cli.ts';

const cli = useCli();

describe('inversa (the shell)', () => {
  it('--help lists every command and exits 0', async () => {
    expect(await cli.run(['--help'])).toBe(0);
    for (const name of ['demo', 'inspect', 'analyze', 'invert', 'train', 'datasets', 'benchmark', 'lab', 'serve']) {
      expect(cli.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
  });

  it('an unknown command is bad usage: exit 2', async () => {
    expect(await cli.run(['frobnicate'])).toBe(2);
    expect(cli.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('a missing file is one line naming the file, exit 1, no stack trace', async () => {
    expect(await cli.run(['inspect', 'no-such-model.onnx'])).toBe(1);
    expect(cli.stderr).toBe("inversa: 'no-such-model.onnx': no such file or directory (ENOENT)\n");
  });
});
