import { safeFetch } from '../../server/http/safe-fetch.ts';
import type { ChannelRuntime } from '../connector.ts';

export type FetchLike = (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

/**
 * @atproto/api makes its requests through the platform's outbound client (`rt.fetch`: timeouts, size caps,
 * private addresses refused unless allowed). The library hands over a Request or a URL with init; the body of
 * an XRPC call is JSON text.
 */
export function runtimeFetch(rt: ChannelRuntime, wrap?: (f: FetchLike) => FetchLike): FetchLike {
  const base: FetchLike = async (input, init) => {
    const req = new Request(input, init);
    const body = req.body ? await req.text() : undefined;
    return rt.fetch(req.url, {
      method: req.method,
      headers: req.headers,
      ...(body !== undefined ? { body } : {}),
      timeoutMs: 20_000,
      maxBytes: 8 * 1024 * 1024,
    });
  };
  return wrap ? wrap(base) : base;
}

/** The outbound client when no runtime was handed over yet: the platform's, with private addresses refused. */
export function strictFetch(wrap?: (f: FetchLike) => FetchLike): FetchLike {
  const base: FetchLike = async (input, init) => {
    const req = new Request(input, init);
    const body = req.body ? await req.text() : undefined;
    return safeFetch(req.url, {
      method: req.method,
      headers: Object.fromEntries(req.headers.entries()),
      ...(body !== undefined ? { body } : {}),
      timeoutMs: 20_000,
    });
  };
  return wrap ? wrap(base) : base;
}
