// Request checks and response headers of the local web server, as pure functions (no sockets), so
// any server (today's src/apps/cli/serve.ts, or a rewrite) can apply them with one call each:
// - Host must name the bound loopback address and port (or localhost): a page on another site
//   that re-points its DNS name at 127.0.0.1 (DNS rebinding) sends its own Host and is refused.
// - No dotfiles or dot-folders (/.build-stamp, /.git/...): 404.
// - Model files given with --model live under /models/<token>/..., a random per-run token that
//   only /models/index.json tells (and that is answered only to same-origin requests).
// - Security headers on every response.
import { randomBytes } from 'node:crypto';

/** Only same-origin requests: the page works offline and cannot reach a CDN even by accident. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'", // WebAssembly SIMD kernels (compiled from bytes in our own bundle)
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** Headers of every answer (files and errors alike). */
export function securityHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
}

/** A fresh unguessable token (128 random bits, URL-safe) for one server run. */
export function newServerToken(): string {
  return randomBytes(16).toString('base64url');
}

/** The URL path prefix of --model files for a run: /models/<token>/. */
export function modelPathPrefix(token: string): string {
  return `/models/${token}/`;
}

export interface RequestFacts {
  /** The Host header as sent (undefined when missing). */
  host: string | undefined;
  /** The decoded URL path, e.g. "/assets/app.js". */
  pathname: string;
  /** The Sec-Fetch-Site header, when the browser sent one. */
  fetchSite?: string;
}

export interface ServerIdentity {
  /** The address the server is bound to (loopback), e.g. "127.0.0.1". */
  address: string;
  port: number;
}

export type RequestVerdict = { ok: true } | { ok: false; status: 400 | 403 | 404; reason: string };

/** Host values that name this server: the bound address, localhost or [::1], with its port. */
export function allowedHosts(server: ServerIdentity): Set<string> {
  const names = [server.address, 'localhost', '127.0.0.1', '[::1]'];
  const hosts = new Set(names.map((name) => `${name}:${server.port}`));
  if (server.port === 80) for (const name of names) hosts.add(name);
  return hosts;
}

/** Whether to answer a request at all (before any file lookup). */
export function checkRequest(request: RequestFacts, server: ServerIdentity): RequestVerdict {
  const host = request.host?.trim().toLowerCase();
  if (!host) return { ok: false, status: 400, reason: 'missing Host header' };
  if (!allowedHosts(server).has(host)) return { ok: false, status: 403, reason: `Host '${host.slice(0, 100)}' is not this server (only ${server.address}:${server.port} and localhost)` };
  if (request.pathname.split('/').some((segment) => segment.startsWith('.'))) return { ok: false, status: 404, reason: 'not found' };
  const models = request.pathname.startsWith('/models/');
  if (models && request.fetchSite !== undefined && !['same-origin', 'none'].includes(request.fetchSite)) {
    return { ok: false, status: 403, reason: 'models are served to this page only' };
  }
  return { ok: true };
}
