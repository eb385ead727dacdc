import type { ChannelAccount } from '../domain/organization/directory.ts';
import type { Queryable } from '../server/db/database.ts';

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

export interface ConnectorManifest {
  network: string;
  displayName: string;
  /** Longest text one post may carry; longer replies are split into a thread where the network allows it. */
  maxLength: number;
  supportsPrivate: boolean;
}

/** What every network implements. Inbound paths (webhook, poll, stream) all end in the one ingest(). */
export interface Connector {
  manifest: ConnectorManifest;
  send(db: Queryable, post: OutboundPost): Promise<SendResult>;
}
