// Lists import cycles inside each folder of src/ (a file importing, through files of the same
// folder, back to itself). Usage: npx tsx scripts/folder-cycles.ts  — prints one cycle a line and
// exits 1 when there is any. Static imports, re-exports and dynamic import('…') with relative paths.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SOURCE_ROOT = path.resolve(import.meta.dirname, '..', 'src');
const SPECIFIER = /(?:^import\s+(?:type\s+)?(?:[^;'"]*?\sfrom\s*)?|^export\s+(?:type\s+)?(?:\*|\{)[^;'"]*?from\s*|\bimport\(\s*)['"](\.[^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

const folderOf = (file: string) => path.dirname(path.relative(SOURCE_ROOT, file));
const edges = new Map<string, string[]>();
for (const file of sourceFiles(SOURCE_ROOT)) {
  const text = readFileSync(file, 'utf8');
  const targets = [...text.matchAll(SPECIFIER)]
    .map((match) => path.resolve(path.dirname(file), match[1]))
    .filter((target) => folderOf(target) === folderOf(file));
  edges.set(file, targets);
}

// Tarjan's strongly connected components: every component with more than one file (or a self-import) is a cycle.
let index = 0;
const order = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const cycles: string[][] = [];
function connect(file: string): void {
  order.set(file, index);
  low.set(file, index++);
  stack.push(file);
  onStack.add(file);
  for (const next of edges.get(file) ?? []) {
    if (!edges.has(next)) continue;
    if (!order.has(next)) {
      connect(next);
      low.set(file, Math.min(low.get(file)!, low.get(next)!));
    } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, order.get(next)!));
  }
  if (low.get(file) === order.get(file)) {
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (edges.get(file) ?? []).includes(file)) cycles.push(component);
  }
}
for (const file of edges.keys()) if (!order.has(file)) connect(file);

for (const cycle of cycles) console.log(cycle.map((file) => path.relative(SOURCE_ROOT, file)).sort().join(' ↔ '));
console.log(cycles.length === 0 ? 'no import cycles inside a src/ folder' : `${cycles.length} cycle(s) inside src/ folders`);
process.exitCode = cycles.length === 0 ? 0 : 1;
