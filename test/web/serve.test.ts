// The static server behind `inversa serve`: loopback only, same-origin CSP on every response, no
// path escapes, --model files listed in /models/index.json. Serves a temporary folder (no build).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/apps/cli/serve.ts';
import { useCli } from '../helpers/cli.ts';

const fixture = path.resolve('test/fixtures/tanh_mlp_7x64x64x4.onnx');
const cli = useCli();
let folder: string;
let server: RunningServer;

/** GET/HEAD/POST a raw path (no URL normalization by the client) and collect the answer. */
function fetchRaw(rawPath: string, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port: server.port, path: rawPath, method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    call.on('error', reject);
    call.end();
  });
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'inversa-serve-'));
  mkdirSync(path.join(folder, 'assets'));
  writeFileSync(path.join(folder, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(folder, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(path.dirname(folder), 'inversa-secret.txt'), 'secret');
  server = await startServer({ port: 0, root: folder, models: [fixture] });
});

afterAll(async () => {
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
  rmSync(path.join(path.dirname(folder), 'inversa-secret.txt'), { force: true });
});

describe('inversa serve (static server)', () => {
  it('listens on 127.0.0.1 and reports its URL', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves index.html and assets with a same-origin Content-Security-Policy', async () => {
    const page = await fetchRaw('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body.toString()).toContain('<title>t</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    const script = await fetchRaw('/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
  });

  it('never serves files outside the folder', async () => {
    for (const escape of ['/../inversa-secret.txt', '/%2e%2e/inversa-secret.txt', '/assets/..%2f..%2finversa-secret.txt', '/%2F..%2Finversa-secret.txt']) {
      const answer = await fetchRaw(escape);
      expect(answer.status, escape).toBe(404);
      expect(answer.body.toString()).not.toContain('secret\n');
    }
    expect((await fetchRaw('/%E0%A4%A')).status).toBe(400);
    expect((await fetchRaw('/missing.js')).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await fetchRaw('/', 'POST')).status).toBe(405);
    const head = await fetchRaw('/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('lists --model files in /models/index.json and serves their bytes unchanged', async () => {
    const index = JSON.parse((await fetchRaw('/models/index.json')).body.toString());
    expect(index.forward).toMatch(/^models\/[A-Za-z0-9_-]{22}\/tanh_mlp_7x64x64x4\.onnx$/);
    const bytes = await fetchRaw(`/${index.forward}`);
    expect(bytes.status).toBe(200);
    expect(bytes.body.equals(readFileSync(fixture))).toBe(true);
  });

  it('serves --model files only under the per-run token, and only to same-origin requests', async () => {
    const index = JSON.parse((await fetchRaw('/models/index.json')).body.toString());
    expect((await fetchRaw('/models/tanh_mlp_7x64x64x4.onnx')).status).toBe(404);
    expect((await fetchRaw(`/${index.forward}`, 'GET', { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await fetchRaw('/models/index.json', 'GET', { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await fetchRaw(`/${index.forward}`, 'GET', { 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
    const other = await startServer({ port: 0, root: folder, models: [fixture] });
    try {
      const otherIndex = JSON.parse(await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port: other.port, path: '/models/index.json' }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve(body));
        }).on('error', reject).end();
      }));
      expect(otherIndex.forward).not.toBe(index.forward);
    } finally {
      await other.close();
    }
  });

  it('answers only Host values naming this server (DNS rebinding is refused)', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`]) {
      expect((await fetchRaw('/', 'GET', { Host: host })).status, host).toBe(200);
    }
    for (const host of [`evil.example:${server.port}`, 'evil.example', `127.0.0.1:${server.port + 1}`, `127.0.0.1.evil.example:${server.port}`]) {
      const answer = await fetchRaw('/models/index.json', 'GET', { Host: host });
      expect(answer.status, host).toBe(403);
      expect(answer.body.toString()).not.toContain('tanh_mlp');
    }
  });

  it('never serves dotfiles and sends the security headers on every answer', async () => {
    writeFileSync(path.join(folder, '.build-stamp'), 'stamp');
    mkdirSync(path.join(folder, '.git'), { recursive: true });
    writeFileSync(path.join(folder, '.git', 'config'), 'secret');
    for (const dotfile of ['/.build-stamp', '/.git/config', '/%2ebuild-stamp', '/assets/../.build-stamp']) {
      expect((await fetchRaw(dotfile)).status, dotfile).toBe(404);
    }
    for (const answer of [await fetchRaw('/'), await fetchRaw('/missing.js'), await fetchRaw('/', 'GET', { Host: 'evil.example' })]) {
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(String(answer.headers['content-security-policy'])).toContain("default-src 'self'");
    }
  });

  it('rejects bad options with messages naming them', async () => {
    await expect(startServer({ port: 70000, root: folder })).rejects.toThrow(/port must be an integer in \[0, 65535\]/);
    await expect(startServer({ port: 0, root: folder, models: [fixture, fixture, fixture] })).rejects.toThrow(/at most two files/);
    await expect(startServer({ port: 0, root: folder, models: ['no-such.onnx'] })).rejects.toThrow(/--model .*no-such\.onnx: no such file/);
  });

  it('the CLI maps a bad --port to a usage error (exit 2) and a missing model file to exit 1', async () => {
    expect(await cli.run(['serve', '--port', 'eighty'])).toBe(2);
    expect(await cli.run(['serve', '--port', '0', '--model', 'no-such.onnx'])).toBe(1);
    expect(cli.stderr).toContain('--port must be an integer');
    expect(cli.stderr).toContain('no-such.onnx: no such file');
  });
});
