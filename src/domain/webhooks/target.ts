import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { FetchRefused, isPrivateAddress } from '../../server/http/safe-fetch.ts';

/**
 * Where webhooks go. A target must be http(s) and, unless private targets are allowed, must not resolve to a
 * loopback, private, link-local or otherwise local address: checked when the webhook is saved, and again at
 * every delivery on the address actually connected to (so DNS rebinding cannot slip past). Deliveries never
 * follow redirects, time out after 10 s and read at most a few KiB of the answer.
 */

export const TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 4096;

export { FetchRefused };

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Why a webhook URL is refused, or null when it may be saved. */
export async function refuseTarget(target: string, allowPrivate: boolean): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https URLs';
  if (url.username || url.password) return 'credentials in the URL are not allowed';
  if (allowPrivate) return null;
  const host = hostOf(url);
  if (net.isIP(host)) return isPrivateAddress(host) ? `${host} is a private or local address` : null;
  try {
    const addresses = await dns.promises.lookup(host, { all: true });
    if (addresses.some((a) => isPrivateAddress(a.address))) return `${host} resolves to a private or local address`;
  } catch {
    return `${host} does not resolve`;
  }
  return null;
}

function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as dns.LookupAddress[];
      // Every address must be public: a name resolving to public and private addresses is refused outright.
      if (!allowPrivate && list.some((a) => isPrivateAddress(a.address))) {
        return callback(new FetchRefused(`${hostname} resolves to a private or local address`), '', 4);
      }
      if ((options as { all?: boolean }).all) {
        return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      }
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export interface PostResult {
  status: number;
  /** Seconds from a Retry-After header, when the receiver asked to wait. */
  retryAfter: number | null;
  /** The start of the answer, for diagnostics. */
  answer: string;
}

/** POSTs a JSON body. Rejects with FetchRefused when the target is not allowed. */
export function postJson(
  target: string,
  body: string,
  headers: Record<string, string>,
  allowPrivate: boolean,
): Promise<PostResult> {
  const url = new URL(target);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new FetchRefused(`only http and https URLs, not ${url.protocol}`));
  }
  const host = hostOf(url);
  if (net.isIP(host) && !allowPrivate && isPrivateAddress(host)) {
    return Promise.reject(new FetchRefused(`${host} is a private or local address`));
  }
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Passeur-Webhooks/1',
        ...headers,
      },
      lookup: guardedLookup(allowPrivate),
      timeout: TIMEOUT_MS,
    });
    const deadline = setTimeout(
      () => req.destroy(new Error(`no answer from ${url.host} within ${TIMEOUT_MS / 1000} s`)),
      TIMEOUT_MS,
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        clearTimeout(deadline);
        const ra = Number(res.headers['retry-after']);
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: Number.isFinite(ra) && ra >= 0 ? ra : null,
          answer: Buffer.concat(chunks).toString('utf8').slice(0, 500),
        });
      };
      res.on('data', (c: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(c.subarray(0, MAX_ANSWER_BYTES - size));
        size += c.length;
        // Enough read: the status is what counts; stop downloading.
        if (size >= MAX_ANSWER_BYTES) {
          res.destroy();
          finish();
        }
      });
      res.on('end', finish);
      res.on('error', (err) => {
        clearTimeout(deadline);
        reject(err);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.host} within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    req.end(body);
  });
}
