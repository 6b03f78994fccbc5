// `npm run build`: the package's dist/, in four steps (run by `prepare`, so by `npm install` in a
// clone and by `npm pack`):
//   1. tsc -p tsconfig.build.json   the library: src/ → dist/ (ESM, .d.ts, source maps); not src/apps/cli
//   2. vendor onnx-proto            its generated ONNX classes and protobufjs' minimal runtime, bundled
//                                   into dist/vendor/onnx-proto.js: ≈ 250 kB instead of protobufjs 6's
//                                   22 MB (which ships its CLI's node_modules) in a consumer's install
//   3. the CLI                      src/apps/cli/main.ts bundled into dist/cli/bundle.js (one module loads
//                                   faster than ~170); runtime and peer dependencies stay imports
//   4. the web app                  web/build.ts → dist/web (served by `inversa serve`)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
/** What a consumer installs next to inversa: left as imports, everything else is bundled. */
const external = [...Object.keys(packageJson.dependencies ?? {}), ...Object.keys(packageJson.peerDependencies ?? {})];

rmSync(dist, { recursive: true, force: true });
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });

// 2. onnx-proto (CommonJS) → one ESM file whose default export is its module.exports; the licences
// of every package bundled into it (MIT, BSD-3-Clause) travel with it.
const vendor = await build({
  stdin: { contents: "export { default } from 'onnx-proto';", resolveDir: root, sourcefile: 'onnx-proto-entry.js' },
  bundle: true, format: 'esm', platform: 'neutral', mainFields: ['main'], target: 'es2022', metafile: true,
  outfile: path.join(dist, 'vendor', 'onnx-proto.js'), logLevel: 'error', legalComments: 'inline',
});
const bundledPackages = new Set(Object.keys(vendor.metafile.inputs).flatMap((input) => {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match ? [path.resolve(root, match[1])] : [];
}));
const notices = [...bundledPackages].sort().map((folder) => {
  const { name, version, license } = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
  const file = readdirSync(folder).find((entry) => /^licen[cs]e/i.test(entry));
  return `${name}@${version} (${license})\n\n${file ? readFileSync(path.join(folder, file), 'utf8').trim() : `no licence file; package.json says ${license}`}\n`;
});
writeFileSync(path.join(dist, 'vendor', 'onnx-proto.LICENSES.txt'), `dist/vendor/onnx-proto.js bundles these packages:\n\n${notices.join('\n========\n\n')}`);
const protoFile = path.join(dist, 'onnx', 'proto.js');
const proto = readFileSync(protoFile, 'utf8');
const vendored = proto.replace("from 'onnx-proto';", "from '../vendor/onnx-proto.js';");
if (vendored === proto) throw new Error(`${protoFile} no longer imports 'onnx-proto': update scripts/build.mjs`);
writeFileSync(protoFile, vendored);

// 3. The CLI.
await build({
  entryPoints: [path.join(root, 'src', 'apps', 'cli', 'main.ts')],
  bundle: true, format: 'esm', platform: 'node', target: 'node20', external, sourcemap: true,
  outfile: path.join(dist, 'cli', 'bundle.js'), logLevel: 'warning',
});
// The pool's worker entry next to the bundle (src/io/pool.ts looks for ./pool-worker.js beside itself).
await build({
  entryPoints: [path.join(root, 'src', 'io', 'pool-worker.ts')],
  bundle: true, format: 'esm', platform: 'node', target: 'node20', external, sourcemap: true,
  outfile: path.join(dist, 'cli', 'pool-worker.js'), logLevel: 'warning',
});

// 4. The web app.
execFileSync(bin('tsx'), ['web/build.ts'], { cwd: root, stdio: 'inherit' });
