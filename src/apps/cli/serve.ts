// `inversa serve [--port 8080] [--model FILE.onnx ...]`: serves the web app — built once into
// dist/web by `npm run build`, never at run time — with Node's own http server on 127.0.0.1 (never on
// other interfaces). Model files given with --model are served at /models/<per-run token>/<name> and
// listed in /models/index.json (first = forward model, second = inverse model), which the page preloads
// instead of the demo pair. The page is fully offline: a Content-Security-Policy forbids every
// request that does not go back to this server. Host checks (DNS rebinding), dotfiles and headers:
// serve-security.ts.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InvalidArgumentError, checkInteger } from '../../core/index.ts';
import { checkRequest, modelPathPrefix, newServerToken, securityHeaders } from './serve-security.ts';
import { integerOption } from './option-text.ts';

/** The package root: the nearest folder above this file with a package.json (src/apps/cli/serve.ts and the bundle dist/cli/bundle.js sit at different depths). */
const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
function findPackageRoot(from: string): string {
  for (let directory = from; ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'package.json'))) return directory;
    if (path.dirname(directory) === directory) return from;
  }
}
/** Where `npm run build` puts the web app (web/build.ts). */
export const WEB_DIST = path.join(packageRoot, 'dist', 'web');
const LOOPBACK = '127.0.0.1';
const DEFAULT_PORT = 8080;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.onnx': 'application/octet-stream',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export interface ServeOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. Default 8080. */
  port?: number;
  /** ONNX files to preload: first = forward model, optional second = inverse model. */
  models?: string[];
  /** Folder to serve instead of dist/web (tests). */
  root?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serve dist/web (and the given models) on 127.0.0.1. */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const port = options.port ?? DEFAULT_PORT;
  checkInteger(port, 'port', 0, 65535);
  const models = (options.models ?? []).map((file) => path.resolve(file));
  if (models.length > 2) {
    throw new InvalidArgumentError(`--model takes at most two files (forward, then inverse), got ${models.length}: ${models.join(', ')}`);
  }
  for (const file of models) {
    if (!existsSync(file) || !statSync(file).isFile()) throw new InvalidArgumentError(`--model ${file}: no such file`);
  }
  const root = options.root ? path.resolve(options.root) : WEB_DIST;
  if (!existsSync(path.join(root, 'index.html'))) {
    throw new InvalidArgumentError(`${root}/index.html is missing: build the web app first with \`npm run build\``);
  }
  // --model files are served under a per-run random token that only /models/index.json tells.
  const prefix = modelPathPrefix(newServerToken());
  const served = new Map(models.map((file) => [`${prefix}${encodeURIComponent(path.basename(file))}`, file]));
  const index = models.length
    ? JSON.stringify({ forward: `${prefix.slice(1)}${encodeURIComponent(path.basename(models[0]))}`, inverse: models[1] ? `${prefix.slice(1)}${encodeURIComponent(path.basename(models[1]))}` : undefined })
    : null;

  let boundPort = port;
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', `http://${LOOPBACK}`).pathname;
    const verdict = checkRequest({ host: request.headers.host, pathname: safeDecode(pathname), fetchSite: request.headers['sec-fetch-site'] as string | undefined }, { address: LOOPBACK, port: boundPort });
    if (!verdict.ok) send(response, verdict.status, CONTENT_TYPES['.txt'], `${verdict.reason}\n`);
    else handle(request, response, root, served, index);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  boundPort = actualPort;
  return {
    url: `http://${LOOPBACK}:${actualPort}/`,
    port: actualPort,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function handle(request: IncomingMessage, response: ServerResponse, root: string, served: Map<string, string>, index: string | null): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = new URL(request.url ?? '/', `http://${LOOPBACK}`).pathname;
  if (index && pathname === '/models/index.json') {
    send(response, 200, CONTENT_TYPES['.json'], index, request.method === 'HEAD');
    return;
  }
  const modelFile = served.get(pathname);
  if (modelFile) {
    streamFile(request, response, modelFile);
    return;
  }
  // Resolve inside the served folder only; "../..", encoded slashes and absolute paths cannot escape it.
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    send(response, 400, CONTENT_TYPES['.txt'], 'bad URL encoding\n');
    return;
  }
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    send(response, 404, CONTENT_TYPES['.txt'], `not found: ${pathname}\n`);
    return;
  }
  streamFile(request, response, file);
}

/** The decoded path for the request checks; undecodable paths are left as sent (handle() answers 400). */
function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string, headOnly = false): void {
  response.writeHead(status, securityHeaders(contentType));
  response.end(headOnly ? undefined : body);
}

function streamFile(request: IncomingMessage, response: ServerResponse, file: string): void {
  const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  response.writeHead(200, { ...securityHeaders(contentType), 'Content-Length': String(statSync(file).size) });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file).on('error', () => response.destroy()).pipe(response);
}

/** Parse --port: an integer 0..65535 (0 = any free port). */
function parsePort(text: string): number {
  return integerOption(text, '--port', 0, 65535);
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the web app (forward, inverse, diagnostics, training in the browser) on 127.0.0.1')
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 = any free port)', parsePort, DEFAULT_PORT)
    .option('--model <files...>', 'ONNX model(s) to preload instead of the demo pair: forward, then optional inverse')
    .option('--json', 'print {"url": …} as JSON once listening')
    .action(async (options: { port: number; model?: string[]; json?: boolean }) => {
      const server = await startServer({ port: options.port, models: options.model });
      if (options.json) process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
      else process.stdout.write(`inversa web app on ${server.url} — press Ctrl-C to stop\n`);
      // Keep serving until interrupted; then close cleanly so the CLI exits with code 0.
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });
}

