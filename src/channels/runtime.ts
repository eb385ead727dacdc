import type pg from 'pg';
import type { Logger } from 'pino';
import { accountContexts } from '../domain/accounts/store.ts';
import { type InboundMessage, type IngestResult, inboundMessageSchema } from '../domain/ingest/model.ts';
import { insertDeadLetter } from '../domain/ingest/store.ts';
import { fieldIssues } from '../domain/validation.ts';
import { safeFetch } from '../server/http/safe-fetch.ts';
import type { Keyring } from '../server/secrets/keyring.ts';
import type { ChannelRuntime } from './connector.ts';

const MAX_DEAD_LETTER = 1024 * 1024;

/** The runtime connectors use: validation and dead letters in front of the one ingest path. */
export function createChannelRuntime(deps: {
  pool: pg.Pool;
  orgId: () => number;
  keyring: Keyring;
  ingest: (batch: InboundMessage[]) => Promise<IngestResult[]>;
  log: Logger;
  allowPrivateFetch: boolean;
}): ChannelRuntime {
  const deadLetter = async (source: string, reason: string, payload: unknown) => {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload ?? null);
    await insertDeadLetter(deps.pool, { orgId: deps.orgId(), source, reason, payload: text.slice(0, MAX_DEAD_LETTER) });
  };
  return {
    db: deps.pool,
    log: deps.log,
    deadLetter,
    async ingest(source, payloads) {
      const valid: InboundMessage[] = [];
      const slots: (number | null)[] = [];
      let refused = 0;
      for (const p of payloads) {
        const r = inboundMessageSchema.safeParse(p);
        if (r.success) {
          slots.push(valid.length);
          valid.push(r.data);
        } else {
          refused++;
          slots.push(null);
          const reason = fieldIssues(r.error)
            .map((i) => `${i.field}: ${i.message}`)
            .join('; ');
          await deadLetter(source, reason, p);
        }
      }
      const stored = valid.length > 0 ? await deps.ingest(valid) : [];
      return { results: slots.map((s) => (s === null ? null : stored[s]!)), refused };
    },
    fetch: (url, init = {}) =>
      safeFetch(url, {
        method: init.method ?? 'GET',
        headers: Object.fromEntries(new Headers(init.headers).entries()),
        ...(typeof init.body === 'string' ? { body: init.body } : {}),
        ...(init.timeoutMs ? { timeoutMs: init.timeoutMs } : {}),
        ...(init.maxBytes ? { maxBytes: init.maxBytes } : {}),
        allowPrivate: deps.allowPrivateFetch,
      }),
    accounts: (network) => accountContexts(deps.pool, deps.keyring, { orgId: deps.orgId(), network }),
  };
}
