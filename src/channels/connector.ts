import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { IngestResult } from '../domain/ingest/model.ts';
import type { ChannelAccount } from '../domain/organization/directory.ts';
import type { Queryable } from '../server/db/database.ts';

/**
 * What every network implements. Messages come in by webhook, poll or stream, and all of them end in the one
 * `ingest()`; replies go out through `send`, called by the outbox worker. A network registers only when it is
 * configured (src/channels/registry.ts).
 */

/** One reply or post to publish, as the outbox hands it to a connector. */
export interface OutboundPost {
  /** Stable across retries: networks that accept one get it, so a retry never publishes twice. */
  idempotencyKey: string;
  account: ChannelAccount;
  text: string;
  /** The network id of the message replied to; null for a new post. */
  inReplyTo: string | null;
  visibility: 'public' | 'private';
}

export interface SendResult {
  externalId: string;
  url?: string;
  /** More posts when the text had to be split into a thread. */
  extraExternalIds?: string[];
}

/** The fixed set of failure kinds every connector maps its errors to. */
export type SendErrorKind = 'transient' | 'rate_limited' | 'auth' | 'permanent';

export class SendError extends Error {
  readonly kind: SendErrorKind;
  readonly retryAfterMs: number | undefined;
  constructor(kind: SendErrorKind, message: string, retryAfterMs?: number) {
    super(message);
    this.kind = kind;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Inbound failures use the same kinds: transient → retry with backoff; auth → the account needs reconnecting. */
export { SendError as ChannelError };

export interface ConnectorManifest {
  network: string;
  displayName: string;
  /** Longest text one post may carry; longer replies are split into a thread where the network allows it. */
  maxLength: number;
  /** The network threads posts, so a reply over `maxLength` may go out as several ("1/3"…). */
  threads?: boolean;
  supportsPrivate: boolean;
  /** How messages arrive. */
  inbound: ('webhook' | 'poll' | 'stream' | 'push')[];
  /** account: the brand's own identity; monitor: a listening query (feeds, keywords). */
  kinds: ('account' | 'monitor')[];
  /** Whether a reply can be sent at all (a press article cannot be answered). */
  canReply: boolean;
}

/** An account as a connector sees it: its settings, decrypted credentials and cursor. */
export interface AccountContext<Config = unknown, Credentials = unknown> {
  account: ChannelAccount;
  config: Config;
  credentials: Credentials;
  cursor: unknown;
  /** Persists the account's position; call it only after the messages before it were ingested. */
  saveCursor(cursor: unknown): Promise<void>;
}

/** What the platform gives connectors: ingestion (validated, dead-lettered), logging, an outbound fetch. */
export interface ChannelRuntime {
  /**
   * Validates each payload as an inbound message; valid ones are ingested (idempotently), invalid ones are
   * kept as dead letters with the reason. Resolves once the valid ones are committed.
   */
  ingest(source: string, payloads: readonly unknown[]): Promise<{ results: (IngestResult | null)[]; refused: number }>;
  deadLetter(source: string, reason: string, payload: unknown): Promise<void>;
  /** Fetch for outbound requests to networks, with timeouts, size caps and no private addresses unless allowed. */
  fetch(url: string, init?: RequestInit & { maxBytes?: number; timeoutMs?: number }): Promise<Response>;
  /** Accounts of this network, with decrypted credentials (for webhooks that must find the account a payload is for). */
  accounts(network: string): Promise<AccountContext[]>;
  db: Queryable;
  log: Logger;
}

export interface PollResult {
  /** Ingest payloads (validated by the runtime). */
  messages: unknown[];
  cursor: unknown;
  /** When to poll next; default from the connector or 60 s. */
  nextPollMs?: number;
}

export interface Connector<Config = unknown, Credentials = unknown> {
  manifest: ConnectorManifest;
  /** Validates an account's settings (shown to admins) and secrets (encrypted, never returned). */
  configSchema?: z.ZodType<Config>;
  credentialsSchema?: z.ZodType<Credentials>;
  /** Publishes through the network; `rt` gives the guarded fetch and the log (the outbox passes it). */
  send(
    db: Queryable,
    post: OutboundPost,
    account: AccountContext<Config, Credentials>,
    rt: ChannelRuntime,
  ): Promise<SendResult>;
  poll?(rt: ChannelRuntime, account: AccountContext<Config, Credentials>): Promise<PollResult>;
  /** A long-running inbound stream; returns when `signal` aborts, throws on failure (it is restarted with backoff). */
  stream?(rt: ChannelRuntime, account: AccountContext<Config, Credentials>, signal: AbortSignal): Promise<void>;
  /** Webhook endpoints under /api/v1/channels/<network>/ (each verifies its network's signature). */
  routes?(app: FastifyInstance, rt: ChannelRuntime): void;
  /** The admin's "test connection" button. */
  test?(rt: ChannelRuntime, account: AccountContext<Config, Credentials>): Promise<{ ok: boolean; detail: string }>;
  defaultPollMs?: number;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds connectors of every config and credentials type.
export type AnyConnector = Connector<any, any>;
