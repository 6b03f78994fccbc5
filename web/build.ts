// Builds the web app into dist/web with Vite's JS API — at build time only (`npm run build`, and the
// web-app test before it serves the page); `inversa serve` never builds. `--if-stale` skips the build
// when dist/web is newer than every source (used by `npm start` in a clone).
//   tsx web/build.ts [--if-stale]
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repositoryRoot = path.dirname(webRoot);
export const WEB_DIST = path.join(repositoryRoot, 'dist', 'web');
/** Written after a successful build; its mtime is compared with the newest source file. */
const BUILD_STAMP = path.join(WEB_DIST, '.build-stamp');
/** Everything the bundle is built from: a newer file here means dist/web is stale. */
const BUILD_SOURCES = [path.join(webRoot, 'index.html'), path.join(webRoot, 'vite.config.ts'), path.join(webRoot, 'src'), path.join(webRoot, 'public'), path.join(repositoryRoot, 'src')];

export interface BuildResult {
  /** False when dist/web was up to date and reused. */
  built: boolean;
  outDir: string;
  elapsedMs: number;
}

/** Newest modification time (ms) of a file or of any file below a folder. */
function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/** True when dist/web is missing or older than any of its sources. */
export function webBuildIsStale(): boolean {
  if (!existsSync(BUILD_STAMP) || !existsSync(path.join(WEB_DIST, 'index.html'))) return true;
  const stamp = statSync(BUILD_STAMP).mtimeMs;
  return BUILD_SOURCES.some((source) => newestMtime(source) > stamp);
}

/** Build the app into dist/web (always, or with `ifStale` only when missing or stale). */
export async function buildWebApp(options: { ifStale?: boolean } = {}): Promise<BuildResult> {
  const start = performance.now();
  if (options.ifStale && !webBuildIsStale()) return { built: false, outDir: WEB_DIST, elapsedMs: performance.now() - start };
  const { build } = await import('vite');
  const { webConfig } = await import('./vite.config.ts');
  await build(webConfig);
  writeFileSync(BUILD_STAMP, `${new Date().toISOString()}\n`);
  return { built: true, outDir: WEB_DIST, elapsedMs: performance.now() - start };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await buildWebApp({ ifStale: process.argv.includes('--if-stale') });
  process.stdout.write(result.built ? `web app built into ${path.relative(process.cwd(), WEB_DIST) || '.'} in ${Math.round(result.elapsedMs)} ms\n` : 'web app in dist/web is up to date\n');
}
