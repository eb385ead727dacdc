import { z } from 'zod';

/**
 * What a monitor remembers between polls, per feed: the validators for conditional GET, the items already
 * seen (short fingerprints, bounded), and its failures. The runner saves it only after the items read with
 * it were committed, so a restart neither loses nor re-reads.
 */
const feedStateSchema = z.object({
  etag: z.string().optional(),
  modified: z.string().optional(),
  seen: z.array(z.string()).default([]),
  failures: z.number().int().min(0).optional(),
  retry_at: z.string().optional(),
  error: z.object({ kind: z.enum(['transient', 'rate_limited', 'auth', 'permanent']), message: z.string() }).optional(),
});

const cursorSchema = z.object({ v: z.literal(1), feeds: z.record(z.string(), feedStateSchema) });

export type FeedState = z.output<typeof feedStateSchema>;
export type FeedsCursor = z.output<typeof cursorSchema>;

/** Fingerprints kept per feed: every item the feed lists now, and older ones up to this many. */
const SEEN_LIMIT = 500;
const SEEN_HARD_LIMIT = 2000;

export function readCursor(raw: unknown): FeedsCursor {
  const r = cursorSchema.safeParse(raw);
  return r.success ? r.data : { v: 1, feeds: {} };
}

/** The items listed now first, then those remembered from before, bounded. */
export function rememberSeen(previous: readonly string[], current: readonly string[]): string[] {
  const out = [...new Set(current)];
  const have = new Set(out);
  const limit = Math.min(SEEN_HARD_LIMIT, Math.max(SEEN_LIMIT, out.length));
  for (const k of previous) {
    if (out.length >= limit) break;
    if (!have.has(k)) {
      have.add(k);
      out.push(k);
    }
  }
  return out.slice(0, limit);
}
