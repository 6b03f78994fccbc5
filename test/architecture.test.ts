// The layering of src/ (see /work/shared/design.md: data flows one way). Each folder of src/ is a
// layer; a file may import from its own layer and from layers to its LEFT in LAYER_ORDER, never
// from one to its right or from a sibling in the same tier. Why this order:
//   linalg     — the numerical core; imports nothing of ours.
//   common     — base utilities every layer may use (JSON, number formatting);
//                may use linalg, nothing else.
//   model      — the Model interface, MLPs and analytic models, built on linalg.
//   onnx       — reads/writes models as ONNX: it produces and consumes `Model`s and `MlpSpec`s.
//   data       — CSV cell rules and the built-in datasets; datasets evaluate analytic model functions.
//   analyze    — invertibility of a model at points.
//   certify    — (beside analyze) exact MILP encodings of piecewise-linear networks, bound tightening,
//                global questions answered by HiGHS with certificates; solve polishes their points.
//   solve      — inverse solvers over a model; independent of analyze (may use it later).
//   train      — fits forward/inverse networks; uses onnx to write the trained models.
//   io         — everything node-only: files, atomic writes, CSV streams (and the streamed CSV
//                analysis), onnxruntime-node and the finite-difference fallback, model files.
//   report     — renders results of analyze/solve/train as text tables and HTML.
//   lab, benchmark — applications built on everything above; independent of each other.
//   browser    — the library's public barrel for browsers (src/browser.ts): never reaches io.
//   cli, index — the shells: the CLI commands and the Node barrel (src/index.ts = browser + io).
// The parser reads static `import … from`, `export … from`, side-effect imports and dynamic
// `import('…')` with relative paths; package imports (node:, commander, …) are not ours.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SOURCE_ROOT = path.resolve(import.meta.dirname, '..', 'src');

/** Tiers from left (lowest) to right (highest); folders in one tier may not import each other. */
const LAYER_ORDER: readonly (readonly string[])[] = [
  ['linalg'],
  ['common'],
  ['model'],
  ['onnx'],
  ['data'],
  ['analyze', 'certify'],
  ['solve'],
  ['train'],
  ['io'],
  ['report'],
  ['lab', 'benchmark'],
  ['browser'],
  ['cli', 'index'],
];

/** Layers allowed to import files outside src/ (the CLI serves and builds the web app). */
const MAY_IMPORT_OUTSIDE_SOURCE = new Set(['cli']);

const TIER_OF = new Map<string, number>(LAYER_ORDER.flatMap((tier, index) => tier.map((layer) => [layer, index] as const)));

const STATIC_IMPORT = /^import\s+(?:type\s+)?(?:[^;'"]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;
const STATIC_REEXPORT = /^export\s+(?:type\s+)?(?:\*|\{)[^;'"]*?from\s*['"]([^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module specifier a TypeScript source text imports or re-exports from. */
function importSpecifiers(text: string): string[] {
  const specifiers: string[] = [];
  for (const pattern of [STATIC_IMPORT, STATIC_REEXPORT, DYNAMIC_IMPORT]) {
    for (const match of text.matchAll(pattern)) specifiers.push(match[1]);
  }
  return specifiers;
}

/** The layer of a path relative to src/: its first folder, or 'index' for src/index.ts. */
function layerOf(relativePath: string): string {
  const parts = relativePath.split(path.sep);
  return parts.length === 1 ? path.basename(parts[0], '.ts') : parts[0];
}

/** Why `from` may not import `to`, or undefined when it may. */
function layerViolation(from: string, to: string): string | undefined {
  if (from === to) return undefined;
  const fromTier = TIER_OF.get(from);
  const toTier = TIER_OF.get(to);
  if (fromTier === undefined) return `layer '${from}' is not in LAYER_ORDER`;
  if (toTier === undefined) return `layer '${to}' is not in LAYER_ORDER`;
  if (toTier === fromTier) return `'${from}' and '${to}' are sibling layers and may not import each other`;
  if (toTier > fromTier) return `'${to}' is to the right of '${from}'`;
  return undefined;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

interface ImportEdge { file: string; specifier: string; from: string; to: string | undefined }

/** All relative imports of src/**.ts with the layers on both sides (`to` undefined: outside src/). */
function importEdges(): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(SOURCE_ROOT)) {
    const relativeFile = path.relative(SOURCE_ROOT, file);
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = path.relative(SOURCE_ROOT, path.resolve(path.dirname(file), specifier));
      const outside = target.startsWith('..') || path.isAbsolute(target);
      edges.push({ file: relativeFile, specifier, from: layerOf(relativeFile), to: outside ? undefined : layerOf(target) });
    }
  }
  return edges;
}

describe('architecture: layers import only from layers to their left', () => {
  const edges = importEdges();

  it('the import parser sees static, type-only, multi-line, re-export and dynamic imports', () => {
    const text = [
      "import { a } from '../linalg/matrix.ts';",
      "import type { B } from './b.ts';",
      'import {',
      '  c,',
      '  d,',
      "} from '../model/model.ts';",
      "import './side-effect.ts';",
      "export { e } from '../common/json.ts';",
      "export * from './f.ts';",
      "export const text = 'not an import from \\'x\\'';",
      "// import { g } from '../report/table.ts'  (a comment line is not an import)",
      "const h = await import('./h.ts');",
    ].join('\n');
    expect(importSpecifiers(text).sort()).toEqual(
      ['../common/json.ts', '../linalg/matrix.ts', '../model/model.ts', './b.ts', './f.ts', './h.ts', './side-effect.ts'].sort(),
    );
  });

  it('the rule rejects imports to the right and between siblings, accepts imports to the left', () => {
    expect(layerViolation('linalg', 'common')).toMatch(/right/);
    expect(layerViolation('model', 'report')).toMatch(/right/);
    expect(layerViolation('lab', 'benchmark')).toMatch(/sibling/);
    expect(layerViolation('report', 'analyze')).toBeUndefined();
    expect(layerViolation('common', 'linalg')).toBeUndefined();
    expect(layerViolation('nowhere', 'linalg')).toMatch(/not in LAYER_ORDER/);
  });

  it('finds the imports of the real tree (the scan is not vacuous)', () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(edges.some((edge) => edge.from === 'report' && edge.to === 'analyze')).toBe(true);
  });

  it('every folder of src/ has a place in LAYER_ORDER', () => {
    const layers = new Set(sourceFiles(SOURCE_ROOT).map((file) => layerOf(path.relative(SOURCE_ROOT, file))));
    expect([...layers].filter((layer) => !TIER_OF.has(layer))).toEqual([]);
  });

  it('linalg imports nothing of ours outside linalg', () => {
    expect(edges.filter((edge) => edge.from === 'linalg' && edge.to !== 'linalg').map((edge) => `${edge.file} → ${edge.specifier}`)).toEqual([]);
  });

  it('no file imports from a layer to its right', () => {
    const violations = edges.flatMap((edge) => {
      if (edge.to === undefined) {
        return MAY_IMPORT_OUTSIDE_SOURCE.has(edge.from) ? [] : [`${edge.file} → ${edge.specifier}: imports from outside src/`];
      }
      const reason = layerViolation(edge.from, edge.to);
      return reason === undefined ? [] : [`${edge.file} → ${edge.specifier}: ${reason}`];
    });
    expect(violations).toEqual([]);
  });
});
