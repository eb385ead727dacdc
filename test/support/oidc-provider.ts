import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a free port of this machine, with its
 * development login and consent screens, and accounts the test declares (their claims: email, groups…).
 */
export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Declares (or replaces) an account: its subject and the claims the provider will release. */
  account(sub: string, claims: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startIdentityProvider(redirectUri: string): Promise<TestIdentityProvider> {
  const accounts = new Map<string, Record<string, unknown>>();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'passeur';
  const clientSecret = 'a-client-secret-for-tests-0123456789';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    findAccount: (_ctx, id) => {
      const claims = accounts.get(id);
      return claims ? { accountId: id, claims: () => ({ sub: id, ...claims }) } : undefined;
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    pkce: { required: () => true },
    cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: true } },
  });
  // Its development-only warnings are expected here.
  provider.on('server_error', (_ctx, err) => console.error('[oidc-provider]', err));
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    account: (sub, claims) => accounts.set(sub, claims),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A small cookie jar for following a sign-in through two sites by hand (name + path; ports are not told apart). */
export class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const path =
        attrs
          .map((a) => a.trim())
          .find((a) => /^path=/i.test(a))
          ?.slice(5) ?? '/';
      const expired = attrs.some((a) => /^max-age=0$/i.test(a.trim()) || /^expires=Thu, 01 Jan 1970/i.test(a.trim()));
      const key = `${name}|${path}`;
      if (expired || value === '') this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  header(url: URL): string {
    return [...this.cookies.values()]
      .filter((c) => url.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  get(name: string): string | undefined {
    return [...this.cookies.values()].find((c) => c.name === name)?.value;
  }
}

/**
 * Follows a browser's way through redirects, answering the provider's login and consent screens (as `login`),
 * until a response is not a redirect or `stopAt` says to stop at a URL (to tamper with it). Returns the last URL
 * and response.
 */
export async function browse(
  jar: CookieJar,
  start: string,
  opts: { login: string; stopAt?: (url: URL) => boolean; maxSteps?: number },
): Promise<{ url: URL; res: Response }> {
  let url = new URL(start);
  let method = 'GET';
  let body: string | undefined;
  for (let i = 0; i < (opts.maxSteps ?? 20); i++) {
    if (opts.stopAt?.(url)) return { url, res: new Response(null, { status: 299 }) };
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: jar.header(url),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
    });
    jar.store(res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url);
      method = 'GET';
      body = undefined;
      continue;
    }
    const m = /\/interaction\/([^/?#]+)$/.exec(url.pathname);
    if (res.status === 200 && m && method === 'GET') {
      // The provider's development screens: sign in as the account, then grant what Passeur asks for.
      const html = await res.text();
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? 'login';
      method = 'POST';
      body = new URLSearchParams(
        prompt === 'login' ? { prompt, login: opts.login, password: 'any' } : { prompt },
      ).toString();
      continue;
    }
    return { url, res };
  }
  throw new Error(`too many redirects from ${start}`);
}
