// The browser entry (src/browser.ts, the "browser" condition of package.json's exports) must reach no
// Node built-in and no file of src/io/, following every static and dynamic import that survives
// compilation (`import type` / `export type` are erased and not followed). The Node entry
// (src/index.ts) is walked the same way as a control: it does reach node:fs.
import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SOURCE_ROOT = path.resolve(import.meta.dirname, '..', 'src');

const VALUE_IMPORT = /^import\s+(?!type\s)(?:[^;'"]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;
const VALUE_REEXPORT = /^export\s+(?!type\s)(?:\*|\{)[^;'"]*?from\s*['"]([^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

interface Reach { files: string[]; packages: Map<string, string> }

/** Files of src/ and package specifiers (→ first importing file) reachable from `entry`. */
function reachable(entry: string): Reach {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const pending = [path.join(SOURCE_ROOT, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const pattern of [VALUE_IMPORT, VALUE_REEXPORT, DYNAMIC_IMPORT]) {
      for (const match of text.matchAll(pattern)) {
        const specifier = match[1];
        if (!specifier.startsWith('.')) {
          if (!packages.has(specifier)) packages.set(specifier, path.relative(SOURCE_ROOT, file));
          continue;
        }
        const target = path.resolve(path.dirname(file), specifier);
        if (!existsSync(target)) throw new Error(`${file}: import '${specifier}' does not exist`);
        pending.push(target);
      }
    }
  }
  return { files: [...files].map((file) => path.relative(SOURCE_ROOT, file)).sort(), packages };
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const nodeOnly = (reach: Reach) => [...reach.packages].filter(([specifier]) => specifier.startsWith('node:') || NODE_BUILTINS.has(specifier)).map(([specifier, file]) => `${file} → ${specifier}`);

describe('browser entry', () => {
  const browser = reachable('browser.ts');

  it('walks a real tree (not vacuous): the solver, the ONNX reader and the SVD are reached', () => {
    expect(browser.files).toEqual(expect.arrayContaining(['solve/solve.ts', 'onnx/load.ts', 'linalg/svd.ts']));
    expect(browser.files.length).toBeGreaterThan(60);
  });

  it('reaches no Node built-in module', () => {
    expect(nodeOnly(browser)).toEqual([]);
  });

  it('reaches no file of src/io/', () => {
    expect(browser.files.filter((file) => file.startsWith(`io${path.sep}`))).toEqual([]);
  });

  it('its loadOnnxModel has no finite-difference fallback and says why in one line', async () => {
    const { loadOnnxModel, UnsupportedOperatorError } = await import('../src/browser.ts');
    const bytes = new Uint8Array(readFileSync(path.resolve(import.meta.dirname, 'fixtures', 'cumsum_unsupported.onnx')));
    const error = await loadOnnxModel(bytes, { fallback: 'finite-differences' }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedOperatorError);
    expect((error as Error).message).toMatch(/CumSum.*the finite-difference fallback needs Node\.js and onnxruntime-node/);
    expect((error as Error).message).not.toContain('\n');
    const node = await import('../src/index.ts');
    expect(node.loadOnnxModel).not.toBe(loadOnnxModel); // the Node entry's has the fallback (test/onnx/errors.test.ts)
  });

  it('control: the Node entry reaches node:fs through src/io/', () => {
    const node = reachable('index.ts');
    expect(nodeOnly(node).some((edge) => /→ node:fs/.test(edge))).toBe(true);
    expect(node.files).toEqual(expect.arrayContaining(['io/model-file.ts', 'io/csv.ts']));
  });
});
