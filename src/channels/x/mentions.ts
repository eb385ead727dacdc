import type { AccountContext, ChannelRuntime, PollResult } from '../connector.ts';
import { ingestCandidates, list, obj, str } from '../social/normalized.ts';
import { bindRuntime } from '../social/outbound.ts';
import { xRequest } from './api.ts';
import { tweetV2Candidate } from './events.ts';
import { type XConfig, type XCredentials, xConfigSchema } from './settings.ts';

const MAX_PAGES = 20;
const FIELDS = {
  'tweet.fields': 'created_at,author_id,conversation_id,referenced_tweets,lang',
  expansions: 'author_id',
  'user.fields': 'username,name',
};

/**
 * The fallback to the webhook: reads the mentions timeline (`GET /2/users/:id/mentions`,
 * https://docs.x.com/x-api/posts/timelines/get-mentions) from the `since_id` cursor, every page of it, and
 * ingests what the webhook may have missed (the same post twice is stored once). The first read takes only the
 * latest page: history is not imported. When the quota is spent, the next read waits for `x-rate-limit-reset`.
 */
export async function pollMentions(
  rt: ChannelRuntime,
  ctx: AccountContext<XConfig, XCredentials>,
): Promise<PollResult> {
  bindRuntime(rt);
  const config = xConfigSchema.parse(ctx.config);
  const sinceId = str(obj(ctx.cursor).since_id);
  if (config.poll_interval_seconds === 0) return { messages: [], cursor: ctx.cursor, nextPollMs: 3600_000 };
  const account = { handle: ctx.account.handle, userId: config.user_id };
  const candidates = [];
  let newest: string | undefined;
  let token: string | undefined;
  let nextPollMs = config.poll_interval_seconds * 1000;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { json, headers } = await xRequest(
      config,
      ctx.credentials,
      'GET',
      `/2/users/${config.user_id}/mentions`,
      {
        query: {
          max_results: sinceId ? '100' : '20',
          ...FIELDS,
          ...(sinceId ? { since_id: sinceId } : {}),
          ...(token ? { pagination_token: token } : {}),
        },
      },
      rt,
    );
    const meta = obj(json.meta);
    newest ??= str(meta.newest_id);
    const users = list(obj(json.includes).users);
    for (const post of list(json.data)) {
      const c = tweetV2Candidate(account, obj(post), users);
      if (c) candidates.push(c);
    }
    if (headers.get('x-rate-limit-remaining') === '0') {
      const reset = Number(headers.get('x-rate-limit-reset'));
      if (Number.isFinite(reset)) nextPollMs = Math.max(nextPollMs, reset * 1000 - Date.now() + 1000);
    }
    token = str(meta.next_token);
    if (!token || !sinceId) break;
  }
  // Oldest first, so that a reply is stored after what it answers.
  candidates.reverse();
  await ingestCandidates(rt, `x:${ctx.account.handle}`, candidates);
  return { messages: [], cursor: newest ? { since_id: newest } : (ctx.cursor ?? null), nextPollMs };
}
