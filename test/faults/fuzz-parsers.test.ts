import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { feedCandidates } from '../../src/channels/facebook/feed.ts';
import { FeedFormatError } from '../../src/channels/feeds/feed-model.ts';
import { parseFeed } from '../../src/channels/feeds/parse-feed.ts';
import { parseJsonFeed } from '../../src/channels/feeds/parse-json-feed.ts';
import { mentionCandidate } from '../../src/channels/mastodon/notifications.ts';
import { messagingCandidates } from '../../src/channels/meta/messaging.ts';
import { type Candidate, obj } from '../../src/channels/social/normalized.ts';
import { deliveryCandidates, deliveryUserId } from '../../src/channels/x/events.ts';
import { UsageError } from '../../src/cli/args.ts';
import { csvRecords, jsonlRecords } from '../../src/cli/commands/import.ts';
import { inboundMessageSchema, parseInbound } from '../../src/domain/ingest/model.ts';
import { ValidationError } from '../../src/domain/validation.ts';

/**
 * Property tests on the parsers that read what outsiders send: import files (CSV, JSONL) and the payloads of
 * the networks' webhooks and APIs. None may throw anything but its own clear error; every candidate they make
 * is either a valid message or refused with a reason. The number of cases run is printed.
 */
const ran: Record<string, number> = {};
const count = (k: string) => {
  ran[k] = (ran[k] ?? 0) + 1;
};
afterAll(() => {
  console.info(`[fuzz] parser cases run: ${JSON.stringify(ran)}`);
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passeur-fuzz-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

async function readAll(gen: AsyncGenerator<{ line: number; body?: unknown; error?: string }>) {
  const out: { line: number; body?: unknown; error?: string }[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

/** A record is either refused with a reason, or parses to a message or a ValidationError naming the field. */
function checkRecord(r: { line: number; body?: unknown; error?: string }): void {
  expect(r.line).toBeGreaterThan(0);
  if (r.error !== undefined) {
    expect(r.error.length).toBeGreaterThan(0);
    return;
  }
  try {
    parseInbound(r.body);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    const issues = (err as ValidationError).issues;
    expect(issues.length).toBeGreaterThan(0);
    for (const i of issues) expect(typeof i.field).toBe('string');
  }
}

const line = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        channel: fc.oneof(fc.constant('sandbox'), fc.string({ maxLength: 40 })),
        external_id: fc.oneof(fc.string({ maxLength: 20 }), fc.integer()),
        author: fc.oneof(fc.record({ handle: fc.string({ maxLength: 20 }) }), fc.string()),
        text: fc.oneof(fc.string({ maxLength: 200 }), fc.constant(null)),
        created_at: fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => s.replace(/[\r\n]/g, ' ')),
);

it('JSONL import: any line is a message, a field error or a "not valid JSON" refusal', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(line, { maxLength: 20 }), async (lines) => {
      count('import JSONL files');
      const file = path.join(dir, `f${fileNo++}.jsonl`);
      fs.writeFileSync(file, lines.join('\n'));
      const records = await readAll(jsonlRecords(file));
      expect(records.length).toBe(lines.filter((l) => l.trim()).length);
      for (const r of records) checkRecord(r);
    }),
    { numRuns: 300 },
  );
});

const csvCell = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', '"', '""', '"a,b"', 'a"b', '\n', '\r\n', ',', 'sandbox', '@AirSocial', '2026-01-01T00:00:00Z'),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const header = fc.oneof(
  fc.constant('channel,external_id,account,author_handle,author_name,text,created_at,in_reply_to'),
  fc.constant('channel,external_id,author_handle,text'),
  fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 6 }).map((h) => h.join(',')),
);

it('CSV import: any file is read record by record or refused with a clear usage error', async () => {
  await fc.assert(
    fc.asyncProperty(header, fc.array(fc.array(csvCell, { maxLength: 9 }), { maxLength: 12 }), async (head, rows) => {
      count('import CSV files');
      const file = path.join(dir, `f${fileNo++}.csv`);
      fs.writeFileSync(file, [head, ...rows.map((r) => r.join(','))].join('\n'));
      try {
        for (const r of await readAll(csvRecords(file))) checkRecord(r);
      } catch (err) {
        // A header without the required columns, or a file CSV cannot read: the command says which line.
        expect(err).toBeInstanceOf(UsageError);
        expect((err as Error).message).toMatch(/header lacks|line \d+/);
      }
    }),
    { numRuns: 300 },
  );
});

/** Every candidate is refused with a reason or is a message the ingest contract accepts or names the field of. */
function checkCandidates(candidates: readonly (Candidate | undefined)[]): void {
  for (const c of candidates) {
    if (!c) continue;
    if (c.refused !== undefined) {
      expect(c.refused.length).toBeGreaterThan(0);
      continue;
    }
    const r = inboundMessageSchema.safeParse(c.message);
    if (!r.success) expect(r.error.issues.length).toBeGreaterThan(0);
  }
}

/** JSON payloads shaped like the networks' (so the parsers go deep), with anything in any field. */
const payload = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 1 }),
    fc.constantFrom('', 'page', 'instagram', 'feed', 'comment', 'post', 'add', 'mention', '123', '1700000000'),
    tie('obj'),
    fc.array(tie('value'), { maxLength: 3 }),
  ),
  obj: fc.dictionary(
    fc.constantFrom(
      'id',
      'object',
      'entry',
      'changes',
      'field',
      'value',
      'item',
      'verb',
      'message',
      'from',
      'sender',
      'recipient',
      'text',
      'mid',
      'timestamp',
      'created_time',
      'post_id',
      'comment_id',
      'parent_id',
      'messaging',
      'for_user_id',
      'tweet_create_events',
      'direct_message_events',
      'users',
      'user',
      'screen_name',
      'id_str',
      'full_text',
      'in_reply_to_status_id_str',
      'message_create',
      'sender_id',
      'target',
      'message_data',
      'type',
      'status',
      'account',
      'acct',
      'content',
      'language',
      'created_at',
      'url',
      'visibility',
    ),
    tie('value'),
    { maxKeys: 6 },
  ),
})).obj;

it('webhook and API payload parsers (Facebook, Instagram, X, Mastodon) never throw', () => {
  fc.assert(
    fc.property(payload, (p) => {
      count('network payloads');
      checkCandidates(feedCandidates('@AirSocial', '123', p));
      checkCandidates(messagingCandidates('facebook', '@AirSocial', '123', p));
      checkCandidates(messagingCandidates('instagram', '@airsocial', '123', p));
      checkCandidates(deliveryCandidates({ handle: '@AirSocial', userId: '123' }, p));
      deliveryUserId(p);
      checkCandidates([mentionCandidate(p, { id: '1', handle: '@airsocial@social.example' }, 'social.example')]);
      for (const entry of Array.isArray(p.entry) ? p.entry : []) {
        checkCandidates(feedCandidates('@AirSocial', '123', obj(entry)));
        checkCandidates(messagingCandidates('facebook', '@AirSocial', '123', obj(entry)));
      }
    }),
    { numRuns: 2000 },
  );
});

it('feed parsers (RSS, Atom, JSON Feed) return a feed or a FeedFormatError', () => {
  const xml = fc.oneof(
    fc.string({ maxLength: 500 }),
    fc
      .tuple(
        fc.constantFrom('rss', 'feed', 'rdf:RDF', 'channel', 'html'),
        fc.array(
          fc.tuple(
            fc.constantFrom('item', 'entry', 'title', 'link', 'description', 'pubDate', 'updated', 'guid', 'id'),
            fc.string({ maxLength: 40 }),
          ),
          { maxLength: 6 },
        ),
        fc.boolean(),
      )
      .map(
        ([root, children, close]) =>
          `<?xml version="1.0"?><${root}>${children.map(([t, v]) => `<${t}>${v}</${t}>`).join('')}${close ? `</${root}>` : ''}`,
      ),
  );
  fc.assert(
    fc.property(xml, (text) => {
      count('feeds (XML)');
      try {
        parseFeed(text, 'https://news.example/feed');
      } catch (err) {
        expect(err).toBeInstanceOf(FeedFormatError);
      }
    }),
    { numRuns: 1000 },
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc
          .record({
            version: fc.jsonValue({ maxDepth: 1 }),
            items: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
          })
          .map((v) => JSON.stringify(v)),
      ),
      (text) => {
        count('feeds (JSON Feed)');
        try {
          parseJsonFeed(text, 'https://news.example/feed.json', 50);
        } catch (err) {
          expect(err).toBeInstanceOf(FeedFormatError);
        }
      },
    ),
    { numRuns: 1000 },
  );
});
