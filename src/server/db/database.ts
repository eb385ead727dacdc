import pg from 'pg';
import { startEmbedded } from './embedded.ts';
import { runMigrations } from './migrate.ts';

export { runMigrations } from './migrate.ts';

// int8 (ids, counts) as JS numbers: ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export interface Database {
  kind: 'embedded' | 'external';
  url: string;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface OpenOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  log?: (msg: string) => void;
  /** Use the embedded server of a live Passeur process holding the folder (CLI commands). */
  shareIfHeld?: boolean;
  poolSize?: number;
  migrate?: boolean;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const embedded = opts.databaseUrl
    ? undefined
    : await startEmbedded({
        dataDir: opts.dataDir,
        ...(opts.log ? { log: opts.log } : {}),
        ...(opts.shareIfHeld ? { shareIfHeld: true } : {}),
      });
  const url = opts.databaseUrl ?? embedded!.url;
  try {
    if (opts.migrate !== false) await runMigrations(url);
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', (err) => opts.log?.(`database pool: ${err.message}`));
  // A checked-out client losing its connection (network cut, database killed) emits `error` too, and the pool
  // listens only to idle ones: without this listener the process would crash. The query in flight fails
  // (answered 503) and the broken client is discarded when released.
  pool.on('connect', (client) => {
    client.on('error', (err) => opts.log?.(`database connection lost: ${err.message}`));
  });
  let closing: Promise<void> | undefined;
  return {
    kind: embedded ? 'embedded' : 'external',
    url,
    pool,
    close: () => {
      closing ??= (async () => {
        await pool.end().catch(() => {});
        await embedded?.stop();
      })();
      return closing;
    },
  };
}

/** Runs `fn` in one transaction on a dedicated client; rolls back on any error. */
export async function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Runs read-only queries on one consistent snapshot (REPEATABLE READ). */
export async function snapshot<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export type Queryable = pg.Pool | pg.PoolClient | pg.Client;
