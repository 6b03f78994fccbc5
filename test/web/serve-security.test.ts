// The pure request checks of the local server: Host allow-list (DNS rebinding), dotfiles, model
// requests from other sites, and the headers every answer carries.
import { describe, expect, it } from 'vitest';
import { allowedHosts, checkRequest, modelPathPrefix, newServerToken, securityHeaders } from '../../src/apps/cli/serve-security.ts';

const server = { address: '127.0.0.1', port: 8080 };

describe('checkRequest', () => {
  it('accepts the bound address and localhost with the port', () => {
    for (const host of ['127.0.0.1:8080', 'localhost:8080', 'LocalHost:8080', '[::1]:8080']) {
      expect(checkRequest({ host, pathname: '/' }, server), host).toEqual({ ok: true });
    }
  });

  it('refuses other hosts, other ports and a missing Host', () => {
    for (const host of ['evil.example:8080', 'evil.example', '127.0.0.1', '127.0.0.1:8081', 'localhost.evil.example:8080', '0.0.0.0:8080']) {
      expect(checkRequest({ host, pathname: '/' }, server), host).toMatchObject({ ok: false, status: 403 });
    }
    expect(checkRequest({ host: undefined, pathname: '/' }, server)).toMatchObject({ ok: false, status: 400 });
    expect(allowedHosts({ address: '127.0.0.1', port: 80 }).has('localhost')).toBe(true);
  });

  it('refuses dot segments anywhere in the path', () => {
    for (const pathname of ['/.build-stamp', '/.git/config', '/assets/.env', '/../x']) {
      expect(checkRequest({ host: 'localhost:8080', pathname }, server), pathname).toMatchObject({ ok: false, status: 404 });
    }
    expect(checkRequest({ host: 'localhost:8080', pathname: '/assets/app.v1.js' }, server)).toEqual({ ok: true });
  });

  it('answers /models/ only to same-origin (or direct) requests', () => {
    const pathname = `${modelPathPrefix('t')}f.onnx`;
    expect(checkRequest({ host: 'localhost:8080', pathname, fetchSite: 'cross-site' }, server)).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ host: 'localhost:8080', pathname, fetchSite: 'same-site' }, server)).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ host: 'localhost:8080', pathname, fetchSite: 'same-origin' }, server)).toEqual({ ok: true });
    expect(checkRequest({ host: 'localhost:8080', pathname }, server)).toEqual({ ok: true });
  });
});

describe('tokens and headers', () => {
  it('a new 128-bit URL-safe token per run', () => {
    const a = newServerToken(), b = newServerToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a).not.toBe(b);
  });

  it('security headers keep the CSP and add nosniff, no-referrer, COOP', () => {
    const headers = securityHeaders('text/html');
    expect(headers['Content-Security-Policy']).toContain("connect-src 'self'");
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Referrer-Policy']).toBe('no-referrer');
    expect(headers['Cross-Origin-Opener-Policy']).toBe('same-origin');
  });
});
