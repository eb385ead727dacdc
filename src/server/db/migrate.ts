import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * Applies the migrations that drizzle-kit generates into ./migrations (journal + one SQL file each, statements
 * separated by `--> statement-breakpoint`). Each runs in its own transaction and is recorded with its hash; a
 * migration edited after it was applied stops the start rather than drift silently. Several processes starting
 * at once are serialized by an advisory lock.
 */
const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK = 7_311_001;

interface Migration {
  tag: string;
  hash: string;
  statements: string[];
}

export function readMigrations(): Migration[] {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  return journal.entries
    .sort((a, b) => a.idx - b.idx)
    .map(({ tag }) => {
      const sql = fs.readFileSync(path.join(folder, `${tag}.sql`), 'utf8');
      return {
        tag,
        hash: createHash('sha256').update(sql).digest('hex'),
        // drizzle-kit qualifies references with "public"; unqualified, a migration also works in another schema
        // (benchmarks on a shared server run in a schema of their own).
        statements: sql
          .replaceAll('"public".', '')
          .split('--> statement-breakpoint')
          .map((s) => s.trim())
          .filter(Boolean),
      };
    });
}

/** A URL that sets its own search_path (`?options=-c search_path=x`) keeps its tables, and their bookkeeping, in x. */
function searchPathOf(url: string): string | undefined {
  try {
    const options = new URL(url).searchParams.get('options') ?? '';
    return /search_path=([A-Za-z_][A-Za-z0-9_]*)/.exec(options)?.[1];
  } catch {
    return undefined;
  }
}

/** `schema` keeps the bookkeeping apart when a benchmark uses its own schema on a shared server. */
export async function runMigrations(url: string, schema = searchPathOf(url) ?? 'passeur_meta'): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK]);
    await client.query('set client_min_messages = warning');
    const table = `${pg.escapeIdentifier(schema)}.migrations`;
    await client.query(`create schema if not exists ${pg.escapeIdentifier(schema)}`);
    await client.query(
      `create table if not exists ${table} (tag text primary key, hash text not null, applied_at timestamptz not null default now())`,
    );
    const done = new Map(
      (await client.query<{ tag: string; hash: string }>(`select tag, hash from ${table}`)).rows.map((r) => [
        r.tag,
        r.hash,
      ]),
    );
    for (const m of readMigrations()) {
      const known = done.get(m.tag);
      if (known !== undefined) {
        if (known !== m.hash) throw new Error(`migration ${m.tag} was changed after it was applied to this database`);
        continue;
      }
      await client.query('begin');
      try {
        for (const statement of m.statements) await client.query(statement);
        await client.query(`insert into ${table} (tag, hash) values ($1, $2)`, [m.tag, m.hash]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw new Error(`migration ${m.tag} failed: ${(err as Error).message}`);
      }
      applied.push(m.tag);
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK]).catch(() => {});
    await client.end();
  }
  return applied;
}
