import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/**
 * Outbound HTTP for feeds, link checks and webhooks. Addresses are checked at connection time (the checked
 * address is the one connected to, so DNS rebinding cannot slip past): loopback, private, link-local,
 * unique-local, multicast and unspecified addresses are refused unless explicitly allowed. Every request has a
 * timeout and a response-size cap; redirects are followed a few times, each hop checked again.
 */
export class FetchRefused extends Error {}

export interface SafeFetchOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  allowPrivate?: boolean;
}

const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const blockList = new net.BlockList();
for (const [addr, bits] of BLOCKED_V4) blockList.addSubnet(addr, bits, 'ipv4');
for (const [addr, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blockList.addSubnet(addr, bits, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
  if (family === 'ipv6' && address.toLowerCase().startsWith('::ffff:')) {
    const v4 = address.slice(7);
    if (net.isIPv4(v4)) return blockList.check(v4, 'ipv4');
  }
  return blockList.check(address, family);
}

function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as dns.LookupAddress[];
      const ok = allowPrivate ? list : list.filter((a) => !isPrivateAddress(a.address));
      if (ok.length === 0) {
        return callback(new FetchRefused(`${hostname} resolves to a private or local address`), '', 4);
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, ok);
      return callback(null, ok[0]!.address, ok[0]!.family);
    });
  };
}

function once(
  url: URL,
  opts: SafeFetchOptions,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const allowPrivate = opts.allowPrivate ?? false;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new FetchRefused(`only http and https URLs are fetched, not ${url.protocol}`));
  }
  // A literal IP address skips DNS: check it here.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && !allowPrivate && isPrivateAddress(host)) {
    return Promise.reject(new FetchRefused(`${host} is a private or local address`));
  }
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(
      url,
      {
        method: opts.method ?? 'GET',
        headers: { 'user-agent': 'Passeur/1 (+https://passeur.example)', ...opts.headers },
        lookup: guardedLookup(allowPrivate),
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let tooBig = false;
        res.on('data', (c: Buffer) => {
          if (tooBig) return;
          size += c.length;
          if (size > maxBytes) {
            tooBig = true;
            reject(new FetchRefused(`the response exceeds ${maxBytes} bytes`));
            res.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          if (!tooBig) resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.host} within ${opts.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** Fetches `target` under the rules above and returns a standard Response (its body already read and capped). */
export async function safeFetch(target: string, init: SafeFetchOptions = {}): Promise<Response> {
  let url = new URL(target);
  let opts = init;
  const maxRedirects = opts.maxRedirects ?? 3;
  for (let hop = 0; ; hop++) {
    const r = await once(url, opts);
    const location = r.headers.location;
    if (r.status >= 300 && r.status < 400 && location && hop < maxRedirects && (opts.method ?? 'GET') === 'GET') {
      const next = new URL(location, url);
      // Credentials belong to the origin they were given for: a redirect elsewhere does not carry them.
      if (next.origin !== url.origin && opts.headers) {
        const headers = Object.entries(opts.headers).filter(([k]) => !CREDENTIAL_HEADERS.has(k.toLowerCase()));
        opts = { ...opts, headers: Object.fromEntries(headers) };
      }
      url = next;
      continue;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(r.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    const nullBody = r.status === 204 || r.status === 304 || r.status < 200;
    return new Response(nullBody ? null : new Uint8Array(r.body), { status: Math.max(200, r.status), headers });
  }
}
