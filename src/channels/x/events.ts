import { type Candidate, isoTime, languageCode, list, obj, str } from '../social/normalized.ts';

/** The brand account an event is for. */
export interface XAccountRef {
  handle: string;
  userId: string;
}

const tweetUrl = (username: string | undefined, id: string | undefined) =>
  username && id ? `https://x.com/${username}/status/${id}` : undefined;

/**
 * A v1.1 Tweet of Account Activity `tweet_create_events`
 * (https://docs.x.com/x-api/enterprise-gnip-2.0/fundamentals/account-activity#tweet-create-events). The brand's
 * own Tweets (its replies coming back) and retweets are left out.
 */
export function tweetV1Candidate(account: XAccountRef, tweet: Record<string, unknown>): Candidate | undefined {
  const user = obj(tweet.user);
  if (str(user.id_str) === account.userId || tweet.retweeted_status !== undefined) return undefined;
  const id = str(tweet.id_str);
  const parent = str(tweet.in_reply_to_status_id_str);
  const username = str(user.screen_name);
  const url = tweetUrl(username, id);
  return {
    raw: tweet,
    message: {
      channel: 'x',
      external_id: id,
      account: account.handle,
      author: { handle: username ? `@${username}` : undefined, ...(str(user.name) ? { name: str(user.name) } : {}) },
      text: str(obj(tweet.extended_tweet).full_text) ?? str(tweet.full_text) ?? str(tweet.text),
      created_at: isoTime(tweet.created_at),
      ...(parent ? { in_reply_to: parent } : {}),
      meta: {
        kind: parent ? 'reply' : 'mention',
        author_id: str(user.id_str),
        ...(languageCode(tweet.lang) ? { lang: languageCode(tweet.lang) } : {}),
        ...(url ? { url } : {}),
      },
    },
  };
}

/**
 * A v2 Post (mentions timeline, X Activity `post.mention.create`) with the users of `includes.users`
 * (https://docs.x.com/x-api/posts/timelines/introduction). The brand's own posts are left out.
 */
export function tweetV2Candidate(
  account: XAccountRef,
  post: Record<string, unknown>,
  users: unknown[],
): Candidate | undefined {
  const authorId = str(post.author_id);
  if (authorId === account.userId) return undefined;
  const author = obj(users.map(obj).find((u) => str(u.id) === authorId));
  const id = str(post.id);
  const parent = str(
    obj(
      list(post.referenced_tweets)
        .map(obj)
        .find((r) => r.type === 'replied_to'),
    ).id,
  );
  const username = str(author.username);
  const url = tweetUrl(username, id);
  return {
    raw: post,
    message: {
      channel: 'x',
      external_id: id,
      account: account.handle,
      author: {
        handle: username ? `@${username}` : undefined,
        ...(str(author.name) ? { name: str(author.name) } : {}),
      },
      text: str(post.text),
      created_at: isoTime(post.created_at),
      ...(parent ? { in_reply_to: parent } : {}),
      meta: {
        kind: parent ? 'reply' : 'mention',
        author_id: authorId,
        ...(str(post.conversation_id) ? { conversation_id: str(post.conversation_id) } : {}),
        ...(languageCode(post.lang) ? { lang: languageCode(post.lang) } : {}),
        ...(url ? { url } : {}),
      },
    },
  };
}

/**
 * `direct_message_events` with their `users` map, as Account Activity and X Activity `dm.received` deliver
 * them (the latter wraps each user in `data`). Messages the brand sent are left out.
 */
export function directMessageCandidates(account: XAccountRef, payload: Record<string, unknown>): Candidate[] {
  const users = obj(payload.users);
  const out: Candidate[] = [];
  for (const raw of list(payload.direct_message_events)) {
    const event = obj(raw);
    if (event.type !== 'message_create') continue;
    const create = obj(event.message_create);
    const sender = str(create.sender_id);
    if (sender === account.userId) continue;
    const entry = obj(users[sender ?? '']);
    const user = obj(entry.data ?? entry);
    const username = str(user.screen_name) ?? str(user.username);
    out.push({
      raw,
      message: {
        channel: 'x',
        external_id: str(event.id),
        account: account.handle,
        author: { handle: username ? `@${username}` : undefined, ...(str(user.name) ? { name: str(user.name) } : {}) },
        text: str(obj(create.message_data).text),
        created_at: isoTime(event.created_timestamp),
        meta: { kind: 'dm', sender_id: sender },
      },
    });
  }
  return out;
}

/**
 * The messages of one webhook delivery, Account Activity (`for_user_id` + event arrays) or X Activity
 * (`{data: {filter, event_type, payload, includes}}`,
 * https://docs.x.com/x-api/activity/event-payloads). Other event types (follows, likes, encrypted chats that
 * only the XChat client can read) are acknowledged and left out.
 */
export function deliveryCandidates(account: XAccountRef, body: Record<string, unknown>): Candidate[] {
  const data = body.data === undefined ? undefined : obj(body.data);
  if (data) {
    const type = str(data.event_type);
    if (type === 'post.mention.create') {
      const c = tweetV2Candidate(account, obj(data.payload), list(obj(data.includes).users));
      return c ? [c] : [];
    }
    if (type === 'dm.received') return directMessageCandidates(account, obj(data.payload));
    return [];
  }
  const out: Candidate[] = [];
  for (const tweet of list(body.tweet_create_events)) {
    const c = tweetV1Candidate(account, obj(tweet));
    if (c) out.push(c);
  }
  out.push(...directMessageCandidates(account, body));
  return out;
}

/** The user id a delivery is for. */
export function deliveryUserId(body: Record<string, unknown>): string | undefined {
  return str(body.for_user_id) ?? str(obj(obj(body.data).filter).user_id);
}
