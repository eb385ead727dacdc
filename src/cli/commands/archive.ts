import { once } from 'node:events';
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { parseOptions, UsageError } from '../args.ts';

export const summary = 'export ended cases with their messages (gzip JSONL), e.g. before retention anonymizes them';

const USAGE = 'passeur archive --before YYYY-MM-DD --out FILE [--data DIR]';
const PAGE = 500;

/**
 * One line per case: the case (status, times, community, team, triage labels, tags) and its messages in
 * order, for cases resolved or closed before the given date whose content is still there.
 */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    { before: { type: 'string' }, out: { type: 'string' }, data: { type: 'string' } },
    USAGE,
  );
  if (!values.out || !values.before || positionals.length) throw new UsageError(`usage: ${USAGE}`);
  const before = new Date(values.before);
  if (!/^\d{4}-\d{2}-\d{2}/.test(values.before) || Number.isNaN(before.getTime())) {
    throw new UsageError(`--before must be a date (YYYY-MM-DD), not "${values.before}"`);
  }
  const config = loadConfig(process.env, values.data ? { dataDir: values.data } : {});
  const db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    shareIfHeld: true,
    poolSize: 2,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  const partial = `${values.out}.partial`;
  try {
    const body = new PassThrough();
    const written = pipeline(body, zlib.createGzip(), fs.createWriteStream(partial, { mode: 0o600 }));
    let cases = 0;
    let messages = 0;
    let after = 0;
    for (;;) {
      const page = await db.pool.query(
        `select c.id, c.status, c.priority, c.channel, c.language, c.subject, c.sentiment, c.intent, c.topics, c.urgency,
           c.tags, c.created_at, c.resolved_at, c.closed_at, cm.slug as community, t.slug as team,
           ct.display_name as contact,
           coalesce((select json_agg(json_build_object('id', m.id, 'channel', m.channel, 'external_id', m.external_id,
               'direction', m.direction, 'kind', m.kind, 'author_handle', m.author_handle, 'author_name', m.author_name,
               'text', m.text, 'created_at', m.created_at, 'lang', m.lang, 'sentiment', m.sentiment,
               'topics', m.topics, 'intent', m.intent) order by m.id)
             from messages m where m.case_id = c.id), '[]') as messages
         from cases c
         join communities cm on cm.id = c.community_id
         join contacts ct on ct.id = c.contact_id
         left join teams t on t.id = c.team_id
         where c.id > $1 and c.anonymized_at is null and c.status in ('resolved', 'closed')
           and coalesce(c.closed_at, c.resolved_at) < $2
         order by c.id limit $3`,
        [after, before, PAGE],
      );
      for (const row of page.rows) {
        if (!body.write(`${JSON.stringify(row)}\n`)) await once(body, 'drain');
        messages += row.messages.length;
      }
      cases += page.rows.length;
      if (page.rows.length < PAGE) break;
      after = page.rows.at(-1).id;
      process.stderr.write(`  ${cases} cases\n`);
    }
    body.end();
    await written;
    fs.renameSync(partial, values.out);
    process.stdout.write(
      `archived ${cases} cases and ${messages} messages ended before ${values.before} to ${values.out}\n`,
    );
    return 0;
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    await db.close();
  }
}
