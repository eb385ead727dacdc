import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchRefused, isPrivateAddress, safeFetch } from './safe-fetch.ts';

describe('safe outbound fetch', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/big') return res.end('x'.repeat(10_000));
      if (req.url === '/slow') return setTimeout(() => res.end('late'), 2000);
      if (req.url === '/redirect-auth') {
        res.writeHead(302, { location: '/auth' });
        return res.end();
      }
      if (req.url === '/auth') return res.end(`auth ${req.headers.authorization ?? 'none'}`);
      if (req.url?.startsWith('/redirect-to?')) {
        res.writeHead(302, { location: decodeURIComponent(req.url.slice('/redirect-to?'.length)) });
        return res.end();
      }
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/hello' });
        return res.end();
      }
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end(`hello ${req.method}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('classifies private, loopback, link-local and mapped addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '2606:4700::1111', '8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('refuses loopback targets unless allowed, by literal address and by name', async () => {
    await expect(safeFetch(`${base}/`)).rejects.toBeInstanceOf(FetchRefused);
    await expect(safeFetch(base.replace('127.0.0.1', 'localhost'))).rejects.toThrow(/private or local/);
    await expect(safeFetch('file:///etc/passwd')).rejects.toThrow(/only http and https/);
    const ok = await safeFetch(`${base}/`, { allowPrivate: true });
    expect(await ok.text()).toBe('hello GET');
  });

  it('caps the response size, times out, and follows redirects', async () => {
    await expect(safeFetch(`${base}/big`, { allowPrivate: true, maxBytes: 1000 })).rejects.toThrow(
      /exceeds 1000 bytes/,
    );
    await expect(safeFetch(`${base}/slow`, { allowPrivate: true, timeoutMs: 200 })).rejects.toThrow(/within 200 ms/);
    const r = await safeFetch(`${base}/redirect`, { allowPrivate: true });
    expect(await r.text()).toBe('hello GET');
    const none = await safeFetch(`${base}/redirect`, { allowPrivate: true, maxRedirects: 0 });
    expect(none.status).toBe(302);
  });

  it('keeps credentials on same-origin redirects and drops them on a redirect to another origin', async () => {
    const other = http.createServer((req, res) => {
      res.end(`other ${req.headers.authorization ?? 'none'}`);
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const headers = { Authorization: 'Basic c2VjcmV0', accept: 'text/plain' };
      const same = await safeFetch(`${base}/redirect-auth`, { allowPrivate: true, headers });
      expect(await same.text()).toBe('auth Basic c2VjcmV0');
      const away = await safeFetch(`${base}/redirect-to?${encodeURIComponent(`${otherBase}/echo`)}`, {
        allowPrivate: true,
        headers,
      });
      expect(await away.text()).toBe('other none');
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });
});
