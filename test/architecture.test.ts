// The layering of src/, as a directed acyclic graph of folders. Data flows one way: a folder may
// import from folders to its LEFT in LAYER_ORDER, never from one to its right, never from a sibling
// in the same tier. The order, in plain words:
//   core            — errors, validators, number formatting, JSON, limits: needs nothing of ours.
//   linalg          — linear algebra only (matrices, SVD, LU, Cholesky, eigenvalues, PCA, the GEMM
//                     backends in linalg/gemm); uses core.
//   model           — the Model interface, MLPs and analytic models, built on linalg.
//   onnx            — reads/writes models as ONNX: produces and consumes `Model`s and `MlpSpec`s.
//   data            — CSV cell rules and the built-in datasets (they evaluate analytic models).
//   analyze, certify — questions about a model: local invertibility at points, and exact MILP
//                     certificates for piecewise-linear networks; independent of each other.
//   solve           — inverse solvers; polishes certify's points.
//   train           — fits forward/inverse networks; writes them through onnx.
//   io              — everything node-only: files, CSV streams, onnxruntime-node, thread pools.
//   report          — renders results of the folders to its left as text tables and HTML.
//   apps/lab, apps/benchmark — applications built on the library; independent of each other.
//   browser         — the public barrel for browsers (src/browser.ts): never reaches io.
//   apps/cli, index — the shells: the command line and the Node barrel (src/index.ts).
// Further rules:
//   * entry files: a file imports another folder only through that folder's entry file
//     (<folder>/index.ts; src/browser.ts and src/index.ts are their own entries). Sub-folders such
//     as onnx/ops, solve/methods, linalg/gemm, train/float32, data/datasets are internal to their
//     folder: other folders reach them through the folder's index.ts.
//   * inside one folder the files import each other without cycles (a cycle makes module
//     initialisation order matter; type-only imports are erased and do not count); between folders
//     the order above already forbids cycles.
//   * `node:*` (and bare Node built-ins) are imported only in io and apps/cli, so that the browser
//     entry can reach no Node module.
//   * web/src (the browser app) imports the library only through src/browser.ts or the entry file
//     of a folder the browser entry may reach (left of browser, not io), and what those entry
//     files load at run time reaches neither io nor a Node built-in; web/src needs some names
//     that are not public API (pointwise analysis, charts, the ONNX protobuf classes), so they come
//     from the entry files rather than growing the public API.
//   * bench/ imports the library only through entry files (folder index.ts, src/index.ts,
//     src/browser.ts). Two files are imported directly by web/src and bench/, and re-exported by
//     no entry: onnx/proto.ts and onnx/read.ts (see DIRECT_FOR_WEB_AND_BENCH: their types would
//     break the published declarations). test/ and scripts/ are exempt: tests check internals.
// The parser reads static `import … from`, `export … from`, side-effect imports and dynamic
// `import('…')`; relative specifiers are ours, the others are packages (node:, commander, …).
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE_ROOT = path.join(ROOT, 'src');

/** Tiers from left (lowest) to right (highest); folders in one tier may not import each other. */
const LAYER_ORDER: readonly (readonly string[])[] = [
  ['core'],
  ['linalg'],
  ['model'],
  ['onnx'],
  ['data'],
  ['analyze', 'certify'],
  ['solve'],
  ['train'],
  ['io'],
  ['report'],
  ['apps/lab', 'apps/benchmark'],
  ['browser'],
  ['apps/cli', 'index'],
];

/** Folders allowed to import files outside src/ (the CLI reads package.json, serves and builds the web app). */
const MAY_IMPORT_OUTSIDE_SOURCE = new Set(['apps/cli']);
/** The only folders that may import Node built-ins. */
const MAY_IMPORT_NODE = new Set(['io', 'apps/cli']);
/** Folders the browser entry must never reach, whatever their tier. */
const NOT_FOR_BROWSERS = new Set(['io']);

const TIER_OF = new Map<string, number>(LAYER_ORDER.flatMap((tier, index) => tier.map((folder) => [folder, index] as const)));
const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

const STATIC_IMPORT = /^import\s+(?:type\s+)?(?:[^;'"]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;
const STATIC_REEXPORT = /^export\s+(?:type\s+)?(?:\*|\{)[^;'"]*?from\s*['"]([^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

const VALUE_IMPORT = /^import\s+(?!type\s)(?:[^;'"]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;
const VALUE_REEXPORT = /^export\s+(?!type\s)(?:\*|\{)[^;'"]*?from\s*['"]([^'"]+)['"]/gm;

/**
 * Every module specifier a TypeScript source text imports or re-exports from; `valueOnly`: without
 * `import type` / `export type` (erased by the compiler, so they order no module initialisation).
 */
function importSpecifiers(text: string, valueOnly = false): string[] {
  const specifiers: string[] = [];
  for (const pattern of valueOnly ? [VALUE_IMPORT, VALUE_REEXPORT, DYNAMIC_IMPORT] : [STATIC_IMPORT, STATIC_REEXPORT, DYNAMIC_IMPORT]) {
    for (const match of text.matchAll(pattern)) specifiers.push(match[1]);
  }
  return specifiers;
}

/** The folder of a path relative to src/ ('/'-separated): apps/<name>, its first folder, or 'browser'/'index'. */
function folderOf(relativePath: string): string {
  const parts = relativePath.split('/');
  if (parts.length === 1) return path.basename(parts[0], '.ts');
  return parts[0] === 'apps' ? `apps/${parts[1]}` : parts[0];
}

/** The entry file of a folder, relative to src/. */
function entryOf(folder: string): string {
  return folder === 'browser' || folder === 'index' ? `${folder}.ts` : `${folder}/index.ts`;
}

/** Why folder `from` may not import folder `to`, or undefined when it may. */
function layerViolation(from: string, to: string): string | undefined {
  if (from === to) return undefined;
  const fromTier = TIER_OF.get(from);
  const toTier = TIER_OF.get(to);
  if (fromTier === undefined) return `folder '${from}' is not in LAYER_ORDER`;
  if (toTier === undefined) return `folder '${to}' is not in LAYER_ORDER`;
  if (toTier === fromTier) return `'${from}' and '${to}' are siblings and may not import each other`;
  if (toTier > fromTier) return `'${to}' is to the right of '${from}'`;
  if (from === 'browser' && NOT_FOR_BROWSERS.has(to)) return `the browser entry may not reach '${to}'`;
  return undefined;
}

/** Why a file of folder `from` may not import `target` (relative to src/) directly, or undefined. */
function entryViolation(from: string, target: string): string | undefined {
  const to = folderOf(target);
  if (to === from || target === entryOf(to)) return undefined;
  return `'${target}' is inside '${to}': import its entry file ${entryOf(to)}`;
}

/** Why a file of folder `from` may not import the package `specifier`, or undefined. */
function nodeViolation(from: string, specifier: string): string | undefined {
  if (!NODE_BUILTINS.has(specifier) || MAY_IMPORT_NODE.has(from)) return undefined;
  return `'${specifier}' is a Node built-in: only ${[...MAY_IMPORT_NODE].join(' and ')} may import one`;
}

/**
 * Files web/src and bench/ import directly, not through their folder's entry: those whose exported
 * declarations use the types of onnx-proto (a devDependency bundled at build time), the protobuf
 * classes and the graph reader. Re-exported by an entry file they would enter the published type
 * declarations, which a consumer without onnx-proto cannot type-check (.ci/consumer-test); so no
 * entry file may re-export from them.
 */
const DIRECT_FOR_WEB_AND_BENCH = new Set(['onnx/proto.ts', 'onnx/read.ts']);

/** Why web/src may not import `target` (relative to src/), or undefined. */
function webViolation(target: string): string | undefined {
  if (target === 'browser.ts' || DIRECT_FOR_WEB_AND_BENCH.has(target)) return undefined;
  const folder = folderOf(target);
  const tier = TIER_OF.get(folder);
  if (target !== entryOf(folder)) return `'${target}' is not an entry file: import src/browser.ts or ${entryOf(folder)}`;
  if (tier === undefined || tier >= TIER_OF.get('browser')! || NOT_FOR_BROWSERS.has(folder)) return `'${folder}' is not reachable from the browser entry`;
  return undefined;
}

/**
 * The io files and Node built-ins reachable from `target` (relative to src/) through imports that
 * survive compilation (value imports, re-exports, dynamic imports; `import type` is erased).
 */
function nodeReach(target: string, read: (file: string) => string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const pending = [target];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (NOT_FOR_BROWSERS.has(folderOf(file))) found.push(file);
    for (const specifier of importSpecifiers(read(file), true)) {
      if (NODE_BUILTINS.has(specifier)) found.push(`${file} → ${specifier}`);
      else if (specifier.startsWith('.')) pending.push(posix(path.normalize(path.join(path.dirname(file), specifier))));
    }
  }
  return found;
}
const readSource = (file: string) => readFileSync(path.join(SOURCE_ROOT, file), 'utf8');

/** Why bench/ may not import `target` (relative to src/), or undefined. */
function benchViolation(target: string): string | undefined {
  return target === entryOf(folderOf(target)) || DIRECT_FOR_WEB_AND_BENCH.has(target) ? undefined : `'${target}' is not an entry file: import ${entryOf(folderOf(target))}`;
}

/** The cycles of a directed graph (one per strongly connected loop found by a depth-first search). */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join('|');
        if (!seen.has(key)) { seen.add(key); cycles.push(cycle); }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const posix = (p: string) => p.split(path.sep).join('/');

interface ImportEdge { file: string; specifier: string; from: string; target: string | undefined }

/** The imports of every .ts file under `directory`: `target` relative to src/, undefined outside src/; packages have no target. */
function importEdges(directory: string, folder: (file: string) => string, valueOnly = false): (ImportEdge & { package: boolean })[] {
  return sourceFiles(directory).flatMap((file) => importSpecifiers(readFileSync(file, 'utf8'), valueOnly).map((specifier) => {
    const relativeFile = posix(path.relative(ROOT, file));
    if (!specifier.startsWith('.')) return { file: relativeFile, specifier, from: folder(file), target: undefined, package: true };
    const target = posix(path.relative(SOURCE_ROOT, path.resolve(path.dirname(file), specifier)));
    const outside = target.startsWith('..') || path.isAbsolute(target);
    return { file: relativeFile, specifier, from: folder(file), target: outside ? undefined : target, package: false };
  }));
}

describe('architecture: the folders of src/ form a layered graph', () => {
  const all = importEdges(SOURCE_ROOT, (file) => folderOf(posix(path.relative(SOURCE_ROOT, file))));
  const edges = all.filter((edge) => !edge.package);
  const webEdges = importEdges(path.join(ROOT, 'web', 'src'), () => 'web').filter((edge) => edge.target !== undefined);
  const benchEdges = importEdges(path.join(ROOT, 'bench'), () => 'bench').filter((edge) => edge.target !== undefined);

  it('the import parser sees static, type-only, multi-line, re-export and dynamic imports', () => {
    const text = [
      "import { a } from '../linalg/matrix.ts';",
      "import type { B } from './b.ts';",
      'import {',
      '  c,',
      '  d,',
      "} from '../model/model.ts';",
      "import './side-effect.ts';",
      "export { e } from '../core/json.ts';",
      "export * from './f.ts';",
      "export const text = 'not an import from \\'x\\'';",
      "// import { g } from '../report/table.ts'  (a comment line is not an import)",
      "const h = await import('./h.ts');",
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    expect(importSpecifiers(text).sort()).toEqual(
      ['../core/json.ts', '../linalg/matrix.ts', '../model/model.ts', './b.ts', './f.ts', './h.ts', './side-effect.ts', 'node:fs'].sort(),
    );
    expect(importSpecifiers(`${text}\nexport type { I } from './i.ts';`, true).sort()).toEqual(
      ['../core/json.ts', '../linalg/matrix.ts', '../model/model.ts', './f.ts', './h.ts', './side-effect.ts', 'node:fs'].sort(),
    );
  });

  it('the layer rule rejects imports to the right, between siblings and from the browser into io', () => {
    expect(layerViolation('core', 'linalg')).toMatch(/right/);
    expect(layerViolation('model', 'report')).toMatch(/right/);
    expect(layerViolation('apps/lab', 'apps/benchmark')).toMatch(/siblings/);
    expect(layerViolation('analyze', 'certify')).toMatch(/siblings/);
    expect(layerViolation('browser', 'io')).toMatch(/browser entry/);
    expect(layerViolation('report', 'analyze')).toBeUndefined();
    expect(layerViolation('linalg', 'core')).toBeUndefined();
    expect(layerViolation('index', 'io')).toBeUndefined();
    expect(layerViolation('nowhere', 'linalg')).toMatch(/not in LAYER_ORDER/);
  });

  it('the entry rule rejects a deep import into another folder, accepts its entry file and imports inside a folder', () => {
    expect(entryViolation('solve', 'model/mlp.ts')).toMatch(/entry file model\/index\.ts/);
    expect(entryViolation('train', 'linalg/gemm/index.ts')).toMatch(/entry file linalg\/index\.ts/);
    expect(entryViolation('apps/cli', 'apps/lab/report.ts')).toMatch(/apps\/lab\/index\.ts/);
    expect(entryViolation('solve', 'model/index.ts')).toBeUndefined();
    expect(entryViolation('onnx', 'onnx/ops/registry.ts')).toBeUndefined();
    expect(entryViolation('index', 'browser.ts')).toBeUndefined();
  });

  it('the cycle search finds a loop and only loops', () => {
    const looped = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(findCycles(looped)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(findCycles(new Map([['a.ts', ['b.ts', 'c.ts']], ['b.ts', ['c.ts']], ['c.ts', []]]))).toEqual([]);
    expect(findCycles(new Map([['a.ts', ['a.ts']]]))).toEqual([['a.ts']]);
  });

  it('the node rule rejects Node built-ins outside io and apps/cli', () => {
    expect(nodeViolation('solve', 'node:fs')).toMatch(/Node built-in/);
    expect(nodeViolation('certify', 'worker_threads')).toMatch(/Node built-in/);
    expect(nodeViolation('io', 'node:fs')).toBeUndefined();
    expect(nodeViolation('apps/cli', 'node:path')).toBeUndefined();
    expect(nodeViolation('solve', 'commander')).toBeUndefined();
  });

  it('the web and bench rules reject deep imports and (web) folders the browser may not reach', () => {
    expect(webViolation('model/mlp.ts')).toMatch(/not an entry file/);
    expect(webViolation('io/index.ts')).toMatch(/not reachable/);
    expect(webViolation('index.ts')).toMatch(/not reachable/);
    expect(webViolation('report/index.ts')).toBeUndefined();
    expect(webViolation('browser.ts')).toBeUndefined();
    expect(webViolation('onnx/proto.ts')).toBeUndefined();
    expect(webViolation('onnx/load.ts')).toMatch(/not an entry file/);
    expect(benchViolation('onnx/proto.ts')).toBeUndefined();
    const fake = new Map([['report/index.ts', "export { chart } from './chart.ts';"], ['report/chart.ts', "import type { T } from '../io/index.ts';\nimport { f } from '../core/index.ts';"], ['core/index.ts', ''],
      ['analyze/index.ts', "export { a } from './a.ts';"], ['analyze/a.ts', "import { readFileSync } from 'node:fs';\nimport { b } from '../io/index.ts';"], ['io/index.ts', '']]);
    expect(nodeReach('report/index.ts', (file) => fake.get(file)!)).toEqual([]);
    expect(nodeReach('analyze/index.ts', (file) => fake.get(file)!).sort()).toEqual(['analyze/a.ts → node:fs', 'io/index.ts']);
    expect(benchViolation('linalg/matrix.ts')).toMatch(/linalg\/index\.ts/);
    expect(benchViolation('io/index.ts')).toBeUndefined();
    expect(benchViolation('index.ts')).toBeUndefined();
  });

  it('finds the imports of the real tree (the scan is not vacuous)', () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(edges.some((edge) => edge.from === 'report' && edge.target === 'analyze/index.ts')).toBe(true);
    expect(edges.filter((edge) => edge.target !== undefined && folderOf(edge.target) === edge.from).length).toBeGreaterThan(100);
    expect(all.some((edge) => edge.package && edge.from === 'io' && edge.specifier.startsWith('node:'))).toBe(true);
    expect(webEdges.length).toBeGreaterThan(5);
    expect(benchEdges.length).toBeGreaterThan(5);
  });

  it('every folder of src/ has a place in LAYER_ORDER, and every place a folder', () => {
    const folders = new Set(sourceFiles(SOURCE_ROOT).map((file) => folderOf(posix(path.relative(SOURCE_ROOT, file)))));
    expect([...folders].filter((folder) => !TIER_OF.has(folder))).toEqual([]);
    expect([...TIER_OF.keys()].filter((folder) => !folders.has(folder))).toEqual([]);
  });

  it('core imports nothing of ours outside core', () => {
    expect(edges.filter((edge) => edge.from === 'core' && (edge.target === undefined || folderOf(edge.target) !== 'core')).map((edge) => `${edge.file} → ${edge.specifier}`)).toEqual([]);
  });

  it('no file imports from a folder to its right, from a sibling or from outside src/', () => {
    const violations = edges.flatMap((edge) => {
      if (edge.target === undefined) {
        return MAY_IMPORT_OUTSIDE_SOURCE.has(edge.from) ? [] : [`${edge.file} → ${edge.specifier}: imports from outside src/`];
      }
      const reason = layerViolation(edge.from, folderOf(edge.target));
      return reason === undefined ? [] : [`${edge.file} → ${edge.specifier}: ${reason}`];
    });
    expect(violations).toEqual([]);
  });

  it('another folder is imported only through its entry file', () => {
    const violations = edges.flatMap((edge) => {
      const reason = edge.target === undefined ? undefined : entryViolation(edge.from, edge.target);
      return reason === undefined ? [] : [`${edge.file} → ${edge.specifier}: ${reason}`];
    });
    expect(violations).toEqual([]);
  });

  it('the files inside each folder import each other without cycles (type-only imports aside)', () => {
    const valueEdges = importEdges(SOURCE_ROOT, (file) => folderOf(posix(path.relative(SOURCE_ROOT, file))), true).filter((edge) => !edge.package);
    expect(valueEdges.length).toBeGreaterThan(100);
    const graph = new Map<string, string[]>();
    for (const edge of valueEdges) {
      if (edge.target === undefined || folderOf(edge.target) !== edge.from) continue;
      const from = edge.file.replace(/^src\//, '');
      graph.set(from, [...(graph.get(from) ?? []), edge.target]);
    }
    expect(findCycles(graph).map((cycle) => [...cycle, cycle[0]].join(' → '))).toEqual([]);
  });

  it('only io and apps/cli import Node built-ins', () => {
    const violations = all.flatMap((edge) => {
      const reason = edge.package ? nodeViolation(edge.from, edge.specifier) : undefined;
      return reason === undefined ? [] : [`${edge.file} → ${edge.specifier}: ${reason}`];
    });
    expect(violations).toEqual([]);
  });

  it('web/src imports the library only through src/browser.ts or entry files the browser may reach', () => {
    const violations = webEdges.flatMap((edge) => {
      const reason = webViolation(edge.target!);
      return reason === undefined ? [] : [`${edge.file} → ${edge.specifier}: ${reason}`];
    });
    expect(violations).toEqual([]);
    // and what those entry files load at run time reaches neither io nor a Node built-in
    const targets = [...new Set(webEdges.map((edge) => edge.target!))].sort();
    expect(targets.flatMap((target) => nodeReach(target, readSource).map((found) => `${target} reaches ${found}`))).toEqual([]);
  });

  it('no entry file re-exports a file whose declarations need onnx-proto', () => {
    const entries = [...new Set(all.map((edge) => edge.file))].filter((file) => /(^src\/[^/]+\.ts$)|(\/index\.ts$)/.test(file) && (file.split('/').length <= 3 || file.startsWith('src/apps/')));
    expect(entries.length).toBeGreaterThan(8);
    expect(edges.filter((edge) => entries.includes(edge.file) && edge.target !== undefined && DIRECT_FOR_WEB_AND_BENCH.has(edge.target)).map((edge) => `${edge.file} → ${edge.specifier}`)).toEqual([]);
  });

  it('bench/ imports the library only through entry files', () => {
    const violations = benchEdges.flatMap((edge) => {
      const reason = benchViolation(edge.target!);
      return reason === undefined ? [] : [`${edge.file} → ${edge.specifier}: ${reason}`];
    });
    expect(violations).toEqual([]);
  });
});
