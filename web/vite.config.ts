// Vite configuration of the inversa web app. Used by web/build.ts (`npm run build` → dist/web, which
// `inversa serve` serves) and by `npx vite web` for development. The build is fully offline: no CDN,
// no remote fonts; the worker bundles the inversa core from ../src, which
// reaches no Node built-in (no stubs or polyfills needed; see test/browser-entry.test.ts).
import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

export const webConfig: InlineConfig = {
  configFile: false,
  root: webRoot,
  base: './',
  publicDir: 'public',
  logLevel: 'warn',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', fs: { allow: [repositoryRoot] } },
  preview: { host: '127.0.0.1' },
};

export default webConfig;
