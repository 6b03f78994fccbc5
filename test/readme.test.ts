// The README's library example runs as written and prints what its comments claim.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The first ```ts block under the given heading of README.md. */
function codeBlockAfter(heading: string): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error(`no ts block after ${heading}`);
  return match[1];
}

describe('README', () => {
  it('the linear-algebra example prints the minimum-norm solution, rank, cond and the Eckart–Young check', () => {
    const code = codeBlockAfter('## The library');
    // Run inside the package so that `import … from 'inversa'` resolves to this checkout.
    const directory = mkdtempSync(path.join(ROOT, '.readme-'));
    const file = path.join(directory, 'example.ts');
    writeFileSync(file, code);
    try {
      const output = execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8' });
      // console.log prints the Float64Array over several lines: join them back.
      const lines = output.trim().replace(/\[\s+/g, '[').replace(/,\s+/g, ', ').replace(/\s+\]/g, ']').split('\n');
      expect(lines[0]).toMatch(/^minimum-norm Float64Array\(3\) \[/);
      const numbers = lines[0].match(/-?\d+\.\d+/g)!.map(Number);
      [-55 / 18, 1 / 9, 59 / 18].forEach((value, i) => expect(numbers[i]).toBeCloseTo(value, 12));
      const [rankText, condText] = lines[1].split(' ');
      expect(Number(rankText)).toBe(2);
      expect(Number(condText)).toBeCloseTo(12.3022455, 6);
      expect(lines[2]).toBe('true');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
