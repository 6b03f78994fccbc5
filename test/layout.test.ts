// README's layout table lists exactly the folders of src/ (each first-level folder, and each
// application under src/apps/), so the table cannot drift from the tree.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The `src/…/` folders named in the first column of the table under "## Layout". */
function tableFolders(readme: string): string[] {
  const start = readme.indexOf('\n## Layout\n');
  if (start < 0) throw new Error('README.md has no "## Layout" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^\| `(src\/[^`]*\/)` \|/gm)].map((match) => match[1]).sort();
}

/** The folders of src/: first-level folders, with src/apps/ replaced by its applications. */
function sourceFolders(): string[] {
  const folders = (directory: string) => readdirSync(path.join(ROOT, directory), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `${directory}/${entry.name}/`);
  return folders('src').flatMap((folder) => (folder === 'src/apps/' ? folders('src/apps') : [folder])).sort();
}

describe('README layout table', () => {
  it('reads the folder column of a table (the parser is not vacuous)', () => {
    const readme = '# x\n\n## Layout\n\n| folder | what |\n|---|---|\n| `src/a/` | A |\n| `src/b/c/` | C |\n| `web/` | not src |\n\n## Next\n| `src/z/` | outside |\n';
    expect(tableFolders(readme)).toEqual(['src/a/', 'src/b/c/']);
  });

  it('lists exactly the folders of src/', () => {
    const listed = tableFolders(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    expect(sourceFolders().length).toBeGreaterThan(10);
    expect(listed).toEqual(sourceFolders());
  });
});
