import { once } from 'node:events';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/**
 * A logical backup of Passeur's tables that any PostgreSQL version restores, the embedded one included
 * (whose server is newer than the machine's pg_dump): one consistent snapshot, each table as PostgreSQL's
 * COPY text format, framed by a header naming the migrations the schema was at. The schema itself is not in
 * the file: a restore applies the same migrations, then loads the rows.
 *
 *   PASSEUR BACKUP 1
 *   {"created_at": …, "migrations": [...]}
 *   TABLE {"name": "cases", "columns": [...]}
 *   <COPY text rows>
 *   \.
 *   …
 *   END {"tables": n, "rows": n}
 *
 * A file without its END line is truncated and is refused before anything is committed.
 */
export const BACKUP_MAGIC = 'PASSEUR BACKUP 1';

export interface BackupSummary {
  tables: number;
  rows: number;
  migrations: string[];
}

export class BackupError extends Error {}

interface TableInfo {
  name: string;
  columns: string[];
}

async function tables(client: pg.PoolClient): Promise<TableInfo[]> {
  const r = await client.query<{ name: string; columns: string[] }>(
    `select c.relname as name,
       array(select a.attname::text from pg_attribute a
             where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
             order by a.attnum) as columns
     from pg_class c
     where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
       and c.relname <> 'migrations'
     order by c.relname`,
  );
  return r.rows;
}

/** Tags of the applied migrations, wherever the bookkeeping lives (passeur_meta, or the URL's own schema). */
async function appliedMigrations(client: pg.PoolClient): Promise<string[]> {
  const where = await client.query<{ schema: string }>(
    `select n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relname = 'migrations' and n.nspname in ('passeur_meta', current_schema()) order by n.nspname = current_schema() desc limit 1`,
  );
  const schema = where.rows[0]?.schema;
  if (!schema) throw new BackupError('this database has no Passeur migrations: nothing to back up or restore into');
  const r = await client.query<{ tag: string }>(
    `select tag from "${schema.replaceAll('"', '""')}".migrations order by tag`,
  );
  return r.rows.map((x) => x.tag);
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function write(out: Writable, data: string | Buffer): Promise<void> {
  if (!out.write(data)) await once(out, 'drain');
}

/** Writes every table of the current schema, as of one snapshot, to `out` (which the caller ends). */
export async function writeBackup(
  pool: pg.Pool,
  out: Writable,
  progress?: (msg: string) => void,
): Promise<BackupSummary> {
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const migrations = await appliedMigrations(client);
    await write(out, `${BACKUP_MAGIC}\n${JSON.stringify({ created_at: new Date().toISOString(), migrations })}\n`);
    let rows = 0;
    const list = await tables(client);
    for (const t of list) {
      await write(out, `TABLE ${JSON.stringify(t)}\n`);
      let count = 0;
      let tail = 10; // a newline is the last byte of every row; count them as they pass
      const stream = client.query(copyTo(`copy ${quote(t.name)} (${t.columns.map(quote).join(', ')}) to stdout`));
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count++;
        tail = chunk[chunk.length - 1] ?? tail;
        await write(out, chunk);
      }
      if (tail !== 10) throw new BackupError(`table ${t.name} did not end with a complete row`);
      await write(out, '\\.\n');
      rows += count;
      progress?.(`  ${t.name}: ${count} rows`);
    }
    await write(out, `END ${JSON.stringify({ tables: list.length, rows })}\n`);
    await client.query('commit');
    return { tables: list.length, rows, migrations };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Loads a backup into a database whose migrations are exactly the backup's and whose tables are all empty,
 * in one transaction: either everything is restored, or nothing is. Foreign keys and triggers are not
 * re-checked row by row (the rows come from a consistent snapshot), which needs a role allowed to set
 * `session_replication_role` — the embedded server's, or a superuser of an external one.
 */
export async function restoreBackup(
  pool: pg.Pool,
  input: Readable,
  progress?: (msg: string) => void,
): Promise<BackupSummary> {
  const lines = readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })[Symbol.asyncIterator]();
  const next = async (): Promise<string | undefined> => {
    const r = await lines.next();
    return r.done ? undefined : r.value;
  };
  if ((await next()) !== BACKUP_MAGIC)
    throw new BackupError('not a Passeur backup (the first line is not "PASSEUR BACKUP 1")');
  let header: { migrations?: unknown };
  try {
    header = JSON.parse((await next()) ?? '') as { migrations?: unknown };
  } catch {
    throw new BackupError('the backup header is damaged');
  }
  const theirs = Array.isArray(header.migrations) ? header.migrations.map(String) : [];

  const client = await pool.connect();
  try {
    const ours = await appliedMigrations(client);
    if (theirs.join(',') !== ours.join(',')) {
      throw new BackupError(
        `the backup was made at migration ${theirs.at(-1) ?? '(none)'} and this database is at ${ours.at(-1) ?? '(none)'}: ` +
          'restore with the Passeur version that made the backup, then upgrade',
      );
    }
    const known = new Map((await tables(client)).map((t) => [t.name, t]));
    for (const name of known.keys()) {
      const r = await client.query(`select exists (select 1 from ${quote(name)}) as any`);
      if (r.rows[0].any)
        throw new BackupError(`table ${name} is not empty: restore into a new database or data folder`);
    }
    await client.query('begin');
    try {
      await client.query('set local session_replication_role = replica');
    } catch (err) {
      throw new BackupError(
        `this database role cannot restore with triggers off (${(err as Error).message}); on a managed PostgreSQL use its own backups or pg_dump/pg_restore`,
      );
    }
    let tablesDone = 0;
    let rows = 0;
    for (;;) {
      const line = await next();
      if (line === undefined) throw new BackupError('the backup is truncated (no END line): nothing was restored');
      if (line.startsWith('END ')) {
        const end = JSON.parse(line.slice(4)) as { tables?: number; rows?: number };
        if (end.tables !== tablesDone || end.rows !== rows) {
          throw new BackupError(
            `the backup says ${end.tables} tables and ${end.rows} rows, it holds ${tablesDone} and ${rows}`,
          );
        }
        break;
      }
      if (!line.startsWith('TABLE ')) throw new BackupError(`unexpected line in the backup: ${line.slice(0, 80)}`);
      const t = JSON.parse(line.slice(6)) as TableInfo;
      const ourTable = known.get(t.name);
      if (!ourTable) throw new BackupError(`the backup has a table this version does not know: ${t.name}`);
      const missing = t.columns.filter((c) => !ourTable.columns.includes(c));
      if (missing.length) throw new BackupError(`table ${t.name} has no column ${missing.join(', ')} in this version`);
      const sink = client.query(copyFrom(`copy ${quote(t.name)} (${t.columns.map(quote).join(', ')}) from stdin`));
      const done = new Promise<void>((resolve, reject) => {
        sink.on('finish', resolve);
        sink.on('error', reject);
      });
      done.catch(() => {});
      let count = 0;
      let buffer: string[] = [];
      for (;;) {
        const row = await next();
        if (row === undefined) {
          sink.destroy();
          throw new BackupError(`the backup is truncated inside table ${t.name}: nothing was restored`);
        }
        if (row === '\\.') break;
        buffer.push(row);
        count++;
        if (buffer.length >= 1000) {
          await write(sink, `${buffer.join('\n')}\n`);
          buffer = [];
        }
      }
      if (buffer.length) await write(sink, `${buffer.join('\n')}\n`);
      sink.end();
      await done;
      rows += count;
      tablesDone++;
      progress?.(`  ${t.name}: ${count} rows`);
    }
    // Identity columns continue after the restored ids.
    const seqs = await client.query<{ seq: string; tbl: string; col: string }>(
      `select s.oid::regclass::text as seq, t.relname as tbl, a.attname as col
       from pg_class s
       join pg_depend d on d.objid = s.oid and d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
       join pg_class t on t.oid = d.refobjid
       join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
       where s.relkind = 'S' and t.relnamespace = current_schema()::regnamespace`,
    );
    for (const s of seqs.rows) {
      await client.query(
        `select setval($1::regclass, coalesce((select max(${quote(s.col)}) from ${quote(s.tbl)}), 0) + 1, false)`,
        [s.seq],
      );
    }
    await client.query('commit');
    return { tables: tablesDone, rows, migrations: ours };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
    lines.return?.();
  }
}
