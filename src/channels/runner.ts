import type pg from 'pg';
import type { Logger } from 'pino';
import { accountContexts, markError, markSuccess } from '../domain/accounts/store.ts';
import type { Keyring } from '../server/secrets/keyring.ts';
import { type AnyConnector, type ChannelRuntime, SendError } from './connector.ts';
import type { ConnectorRegistry } from './registry.ts';

const ACCOUNT_LOCK = 7_311_040;
const MAX_BACKOFF_MS = 15 * 60_000;

interface Loop {
  stop(): Promise<void>;
}

/**
 * Runs the inbound side of every configured account that polls or streams. Each account is worked by one
 * process at a time (a session advisory lock on this runner's own connection: if the process dies, the lock
 * goes with it and another process takes over). Errors back off exponentially; an authentication failure
 * parks the account as "needs reconnect" until an admin fixes it.
 */
export class ChannelRunner {
  private lockClient: pg.PoolClient | undefined;
  private readonly loops = new Map<number, Loop>();
  /** What each running loop was started with; a change (settings, credentials) restarts it. */
  private readonly started = new Map<number, string>();
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly deps: {
    pool: pg.Pool;
    orgId: () => number;
    keyring: Keyring;
    registry: ConnectorRegistry;
    rt: ChannelRuntime;
    log: Logger;
  };

  constructor(deps: ChannelRunner['deps']) {
    this.deps = deps;
  }

  async start(): Promise<void> {
    this.lockClient = await this.deps.pool.connect();
    await this.refresh();
    // Accounts added elsewhere, and accounts a dead process held, are picked up within 15 s.
    this.timer = setInterval(
      () => void this.refresh().catch((err: unknown) => this.deps.log.warn({ err }, 'channel refresh failed')),
      15_000,
    );
  }

  /** (Re)reads the accounts and starts or stops loops to match. */
  async refresh(): Promise<void> {
    if (this.stopped || !this.lockClient) return;
    const accounts = await accountContexts(this.deps.pool, this.deps.keyring, { orgId: this.deps.orgId() });
    if (this.stopped) return;
    const wanted = new Set<number>();
    for (const a of accounts) {
      const connector = this.deps.registry.get(a.account.network);
      if (!connector || (!connector.poll && !connector.stream)) continue;
      if (a.account.paused || ['needs_reconnect', 'failed', 'removed'].includes(a.account.status)) continue;
      wanted.add(a.account.id);
      const fingerprint = JSON.stringify([a.config, a.credentials]);
      const running = this.loops.get(a.account.id);
      if (running && this.started.get(a.account.id) === fingerprint) continue;
      if (running) {
        // Settings or credentials changed: start again with the new ones (the lock stays with us).
        this.loops.delete(a.account.id);
        await running.stop();
        this.loops.set(a.account.id, this.run(connector, a.account.id));
        this.started.set(a.account.id, fingerprint);
        continue;
      }
      const got = await this.lockClient.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [
        ACCOUNT_LOCK,
        a.account.id,
      ]);
      if (!got.rows[0]?.ok) continue;
      this.loops.set(a.account.id, this.run(connector, a.account.id));
      this.started.set(a.account.id, fingerprint);
    }
    for (const [id, loop] of this.loops) {
      if (!wanted.has(id)) {
        this.loops.delete(id);
        this.started.delete(id);
        await loop.stop();
        await this.lockClient.query('select pg_advisory_unlock($1, $2)', [ACCOUNT_LOCK, id]);
      }
    }
  }

  private run(connector: AnyConnector, accountId: number): Loop {
    const abort = new AbortController();
    const { pool, keyring, rt, log } = this.deps;
    let failures = 0;
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        abort.signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        });
      });
    const done = (async () => {
      while (!abort.signal.aborted) {
        const [account] = await accountContexts(pool, keyring, { orgId: this.deps.orgId(), id: accountId });
        if (!account) return;
        let waitMs = connector.defaultPollMs ?? 60_000;
        try {
          if (connector.stream) {
            await connector.stream(rt, account, abort.signal);
            waitMs = 1000;
          } else {
            const r = await connector.poll!(rt, account);
            const { results } = await rt.ingest(`${account.account.network}:${account.account.handle}`, r.messages);
            // The cursor moves only once what came before it is committed: a crash re-reads, never loses.
            await account.saveCursor(r.cursor);
            if (r.nextPollMs !== undefined) waitMs = r.nextPollMs;
            if (results.length > 0) log.debug({ account: accountId, n: results.length }, 'channel poll ingested');
          }
          await markSuccess(pool, accountId);
          failures = 0;
        } catch (err) {
          if (abort.signal.aborted) return;
          const e =
            err instanceof SendError
              ? err
              : new SendError('transient', err instanceof Error ? err.message : String(err));
          failures++;
          await markError(pool, accountId, e.kind, e.message).catch(() => {});
          log.warn({ account: accountId, kind: e.kind, err: e.message }, 'channel inbound failed');
          if (e.kind === 'auth' || e.kind === 'permanent') return;
          waitMs = e.retryAfterMs ?? Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures, 10));
        }
        await sleep(waitMs);
      }
    })();
    const loop: Loop = {
      stop: async () => {
        abort.abort();
        await done.catch(() => {});
      },
    };
    // A loop that ends by itself (authentication failure, account gone) gives the account back, so a later
    // refresh (after an admin reconnects it) starts it again.
    void done
      .catch((err: unknown) => log.warn({ account: accountId, err }, 'channel loop ended'))
      .finally(() => {
        if (this.loops.get(accountId) !== loop) return;
        this.loops.delete(accountId);
        this.started.delete(accountId);
        void this.lockClient?.query('select pg_advisory_unlock($1, $2)', [ACCOUNT_LOCK, accountId]).catch(() => {});
      });
    return loop;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.loops.values()].map((l) => l.stop()));
    this.loops.clear();
    // Hand the accounts over at once rather than when the connection's backend is gone.
    await this.lockClient?.query('select pg_advisory_unlock_all()').catch(() => {});
    this.lockClient?.release(true);
  }
}
