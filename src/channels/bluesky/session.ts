import { createHash } from 'node:crypto';
import { AtpAgent } from '@atproto/api';
import type { AccountContext, ChannelRuntime } from '../connector.ts';
import { type BlueskyConfig, type BlueskyCredentials, readConfig } from './config.ts';
import { toChannelError } from './errors.ts';
import type { FetchLike } from './http.ts';

export interface BrandSession {
  agent: AtpAgent;
  did: string;
  handle: string;
}

/**
 * Signed-in agents, one per account and credentials, kept for the life of the process: the agent refreshes its
 * tokens itself, and signing in again on every poll would spend the network's small sign-in allowance. Tokens
 * live in memory only, never in the database.
 */
export class SessionCache {
  private readonly sessions = new Map<string, Promise<BrandSession>>();

  async get(
    rt: ChannelRuntime | undefined,
    account: AccountContext<unknown, unknown>,
    fetch: FetchLike,
  ): Promise<BrandSession & { config: BlueskyConfig }> {
    const config = readConfig(account.config);
    const creds = account.credentials as Partial<BlueskyCredentials>;
    if (!creds.identifier || !creds.app_password) {
      throw toChannelError(
        { status: 401, error: 'AuthenticationRequired', message: 'no app password is set' },
        'sign-in',
      );
    }
    const key = `${account.account.id}:${createHash('sha256')
      .update(`${config.service}\n${creds.identifier}\n${creds.app_password}`)
      .digest('hex')}`;
    let session = this.sessions.get(key);
    if (!session) {
      session = login(config.service, creds.identifier, creds.app_password, fetch);
      this.sessions.set(key, session);
      // A failed sign-in is not kept: the next call tries again (the runner backs off in between).
      session.catch(() => this.sessions.delete(key));
      rt?.log.debug({ account: account.account.id }, 'bluesky sign-in');
    }
    return { ...(await session), config };
  }

  /** Forgets an account's session (its tokens were refused): the next call signs in again. */
  drop(accountId: number): void {
    for (const key of this.sessions.keys()) if (key.startsWith(`${accountId}:`)) this.sessions.delete(key);
  }
}

async function login(service: string, identifier: string, password: string, fetch: FetchLike) {
  const agent = new AtpAgent({ service, fetch });
  try {
    const r = await agent.login({ identifier, password });
    return { agent, did: r.data.did, handle: r.data.handle };
  } catch (err) {
    throw toChannelError(err, `sign-in of ${identifier} at ${service}`);
  }
}

/** Runs `call` with the account's session; a refused session is dropped and the call tried once more. */
export async function withSession<T>(
  cache: SessionCache,
  rt: ChannelRuntime | undefined,
  account: AccountContext<unknown, unknown>,
  fetch: FetchLike,
  doing: string,
  call: (s: BrandSession & { config: BlueskyConfig }) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const s = await cache.get(rt, account, fetch);
    try {
      return await call(s);
    } catch (err) {
      const e = toChannelError(err, doing);
      if (e.kind === 'auth' && attempt === 0) {
        cache.drop(account.account.id);
        continue;
      }
      throw e;
    }
  }
}
