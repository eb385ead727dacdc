import { randomBytes } from 'node:crypto';
import { hmac } from '../social/signature.ts';

/** RFC 3986 percent-encoding, as OAuth 1.0a requires (stricter than encodeURIComponent). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface OAuth1Keys {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

/**
 * The `Authorization: OAuth …` header of a request signed with HMAC-SHA1
 * (https://docs.x.com/resources/fundamentals/authentication/oauth-1-0a/creating-a-signature). `params` are the
 * query and form parameters; a JSON body is not signed.
 */
export function oauth1Header(
  method: string,
  url: string,
  params: Record<string, string>,
  keys: OAuth1Keys,
  fixed: { nonce?: string; timestamp?: string } = {},
): string {
  const oauth: Record<string, string> = {
    oauth_consumer_key: keys.consumerKey,
    oauth_nonce: fixed.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: fixed.timestamp ?? String(Math.floor(Date.now() / 1000)),
    oauth_token: keys.token,
    oauth_version: '1.0',
  };
  oauth.oauth_signature = oauth1Signature(method, url, { ...params, ...oauth }, keys);
  return `OAuth ${Object.keys(oauth)
    .sort()
    .map((k) => `${percentEncode(k)}="${percentEncode(oauth[k]!)}"`)
    .join(', ')}`;
}

/** The base64 HMAC-SHA1 signature over the method, the URL without its query, and every parameter sorted. */
export function oauth1Signature(
  method: string,
  url: string,
  params: Record<string, string>,
  keys: Pick<OAuth1Keys, 'consumerSecret' | 'tokenSecret'>,
): string {
  const u = new URL(url);
  const base = `${u.protocol}//${u.host}${u.pathname}`;
  const all: [string, string][] = [...u.searchParams.entries(), ...Object.entries(params)].map(([k, v]) => [
    percentEncode(k),
    percentEncode(v),
  ]);
  all.sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1));
  const paramString = all.map(([k, v]) => `${k}=${v}`).join('&');
  const signatureBase = `${method.toUpperCase()}&${percentEncode(base)}&${percentEncode(paramString)}`;
  const key = `${percentEncode(keys.consumerSecret)}&${percentEncode(keys.tokenSecret)}`;
  return hmac('sha1', key, signatureBase).toString('base64');
}
