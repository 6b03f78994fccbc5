// The built package (dist/, made by `npm run build`, which `npm install` and `npm ci` run through
// `prepare`) reads and writes ONNX through dist/vendor/onnx-proto.js, a bundle of onnx-proto and
// protobufjs' minimal runtime without the `long` package. It must decode every fixture to the same
// graph as src/ with onnx-proto from node_modules, and export the same bytes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readOnnxGraph } from '../src/onnx/read.ts';
import { exportMlpToOnnx } from '../src/onnx/write.ts';
import { randomMlpSpec } from './model/mlp-random-spec.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const DIST_READ = path.join(ROOT, 'dist', 'onnx', 'read.js');

/** Plain data for comparison: Maps become entries, typed arrays become arrays. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, entry) => {
    if (entry instanceof Map) return [...entry.entries()];
    if (ArrayBuffer.isView(entry)) return Array.from(entry as unknown as ArrayLike<number>);
    return entry;
  }));
}

describe('dist/ (the built package)', () => {
  it('exists: run `npm run build` first', () => {
    expect(existsSync(DIST_READ), `${DIST_READ} is missing: run npm run build`).toBe(true);
    expect(readFileSync(path.join(ROOT, 'dist', 'onnx', 'proto.js'), 'utf8')).toContain("from '../vendor/onnx-proto.js'");
  });

  it('decodes every ONNX fixture to the same graph as src/ with onnx-proto', async () => {
    const dist = await import(pathToFileURL(DIST_READ).href) as { readOnnxGraph: typeof readOnnxGraph };
    const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.onnx'));
    expect(fixtures.length).toBeGreaterThan(5);
    for (const name of fixtures) {
      const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, name)));
      expect(plain(dist.readOnnxGraph(bytes, name)), name).toEqual(plain(readOnnxGraph(bytes, name)));
    }
  });

  it('exports MLPs (float32 and float64 weights) to the same bytes as src/', async () => {
    const dist = await import(pathToFileURL(path.join(ROOT, 'dist', 'onnx', 'write.js')).href) as { exportMlpToOnnx: typeof exportMlpToOnnx };
    const spec = randomMlpSpec({ kind: 'resmlp', activation: 'tanh', inputs: 7, outputs: 4, hidden: [12, 9], scaling: true, seed: 11 });
    for (const float64 of [false, true]) {
      const bytes = exportMlpToOnnx(spec, { float64 });
      expect(bytes.length).toBeGreaterThan(1000);
      expect(Buffer.from(dist.exportMlpToOnnx(spec, { float64 })).equals(Buffer.from(bytes)), `float64: ${float64}`).toBe(true);
    }
  });
});
