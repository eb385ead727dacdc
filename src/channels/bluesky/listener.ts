import type { AccountContext, ChannelRuntime } from '../connector.ts';
import type { BlueskyConfig } from './config.ts';
import type { ProfileResolver } from './identity.ts';
import { keywordMatcher, languageAccepted } from './keywords.ts';
import { readCursor } from './notifications.ts';
import {
  mentionedDids,
  type PostRecord,
  parentUri,
  postLangs,
  quotedUri,
  rootUri,
  toInbound,
  uriDid,
} from './posts.ts';

/** A new post seen on the stream, and the stream position just after it. */
export interface SeenPost {
  uri: string;
  cid: string;
  did: string;
  record: PostRecord;
}

const FLUSH_EVERY = 50;
const FLUSH_MS = 1000;
const BRANDS_MS = 60_000;

/**
 * The keyword filter of a monitor, fed post by post (in stream order) by a firehose or Jetstream reader. Matching
 * posts are ingested in small batches as mentions to consider; the stream position is saved only once everything
 * before it is committed, so a restart reads again rather than loses. Posts of the brand's own accounts, and
 * posts addressed to them (which their notifications bring in as replies to answer), are left out.
 */
export class KeywordListener {
  private readonly matcher: ReturnType<typeof keywordMatcher>;
  private readonly pending: { post: SeenPost; keywords: string[] }[] = [];
  private position: unknown;
  private saved: unknown;
  private lastFlush = Date.now();
  private brands: { dids: Set<string>; at: number } = { dids: new Set(), at: 0 };
  private chain: Promise<void> = Promise.resolve();
  failure: Error | undefined;

  private readonly rt: ChannelRuntime;
  private readonly account: AccountContext<unknown, unknown>;
  private readonly config: BlueskyConfig;
  private readonly profiles: ProfileResolver;

  constructor(
    rt: ChannelRuntime,
    account: AccountContext<unknown, unknown>,
    config: BlueskyConfig,
    profiles: ProfileResolver,
  ) {
    this.rt = rt;
    this.account = account;
    this.config = config;
    this.profiles = profiles;
    this.matcher = keywordMatcher(config.keywords ?? []);
    this.position = account.cursor;
    this.saved = account.cursor;
  }

  /** Takes one stream event in (a post, or none when the event only moves the position); calls run one by one. */
  push(position: unknown, post?: SeenPost): Promise<void> {
    this.chain = this.chain.then(() => this.take(position, post)).catch((err: unknown) => this.fail(err));
    return this.chain;
  }

  /** Ingests what is pending and saves the position (on a timer, and when the stream stops). */
  flushNow(): Promise<void> {
    this.chain = this.chain.then(() => this.flush()).catch((err: unknown) => this.fail(err));
    return this.chain;
  }

  /** A stream error the reader recovers from by itself (it reconnects). */
  log(err: unknown): void {
    this.rt.log.warn({ account: this.account.account.id, err: String(err) }, 'bluesky stream error');
  }

  private fail(err: unknown) {
    this.failure ??= err instanceof Error ? err : new Error(String(err));
  }

  private async take(position: unknown, post?: SeenPost) {
    if (this.failure) return;
    this.position = position;
    if (post) {
      const keywords = this.matcher.match(typeof post.record.text === 'string' ? post.record.text : '');
      if (keywords.length > 0 && languageAccepted(postLangs(post.record), this.config.languages)) {
        if (!(await this.addressedToBrand(post))) this.pending.push({ post, keywords });
      }
    }
    if (this.pending.length >= FLUSH_EVERY || Date.now() - this.lastFlush >= FLUSH_MS) await this.flush();
  }

  private async addressedToBrand(post: SeenPost): Promise<boolean> {
    if (Date.now() - this.brands.at > BRANDS_MS) {
      const accounts = await this.rt.accounts('bluesky');
      const dids = accounts.filter((a) => a.account.kind === 'account').map((a) => readCursor(a.cursor).did);
      this.brands = { dids: new Set(dids.filter((d): d is string => !!d)), at: Date.now() };
    }
    const brand = this.brands.dids;
    if (brand.has(post.did)) return true;
    const related = [parentUri(post.record), rootUri(post.record), quotedUri(post.record)];
    if (related.some((u) => u && brand.has(uriDid(u) ?? ''))) return true;
    return mentionedDids(post.record).some((d) => brand.has(d));
  }

  private async flush() {
    if (this.failure) return;
    this.lastFlush = Date.now();
    const batch = this.pending.splice(0);
    if (batch.length > 0) {
      const profiles = await this.profiles.resolve(batch.map((b) => b.post.did));
      const messages = batch.map(({ post, keywords }) => {
        const p = profiles.get(post.did);
        return toInbound({
          uri: post.uri,
          cid: post.cid,
          record: post.record,
          authorDid: post.did,
          authorHandle: p?.handle ?? post.did,
          authorName: p?.name,
          account: this.account.account.handle,
          kind: 'mention',
          config: this.config,
          extra: { keywords, monitor: true, proactive_replies: this.config.proactive_replies },
        });
      });
      await this.rt.ingest(`bluesky:${this.account.account.handle}`, messages);
    }
    if (JSON.stringify(this.position) !== JSON.stringify(this.saved)) {
      await this.account.saveCursor(this.position);
      this.saved = this.position;
    }
  }
}
