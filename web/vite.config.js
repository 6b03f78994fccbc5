// Vite configuration of the inversa web app. Used by `inversa serve` (through Vite's JS API, see
// src/cli/serve.ts) and by `npx vite build web` / `npx vite web` for development. The build is fully
// offline: no CDN, no remote fonts; the worker bundles the inversa core from ../src.
import { fileURLToPath } from 'node:url';
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
const nodeStub = fileURLToPath(new URL('./src/node-stub.ts', import.meta.url));
/** Node built-ins that library modules import for file I/O the browser never calls; mapped to a stub that throws. */
const NODE_ONLY_MODULES = ['node:fs', 'node:fs/promises', 'node:path', 'node:url', 'node:os', 'node:stream', 'node:readline', 'node:module', 'node:worker_threads', 'node:child_process', 'fs', 'fs/promises', 'path', 'url', 'os', 'stream'];
export const webConfig = {
    configFile: false,
    root: webRoot,
    base: './',
    publicDir: 'public',
    logLevel: 'warn',
    resolve: {
        alias: NODE_ONLY_MODULES.map((name) => ({ find: new RegExp(`^${name.replace('/', '\\/')}$`), replacement: nodeStub })),
    },
    build: {
        outDir: 'dist',
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
//# sourceMappingURL=vite.config.js.map