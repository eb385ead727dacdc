import { randomBytes } from 'node:crypto';
import pg from 'pg';
// Registers the type parsers the application uses (int8 as numbers).
import '../../src/server/db/database.ts';
import { afterAll, beforeAll, describe, inject } from 'vitest';

export interface TestDatabase {
  kind: 'embedded' | 'external';
  url: string;
  pool: pg.Pool;
}

/** A fresh, migrated database cloned from the run's template; dropped after the file's tests. */
export async function createTestDatabase(
  kind: 'embedded' | 'external',
): Promise<TestDatabase & { drop(): Promise<void> }> {
  const target = inject('databases').find((d) => d.kind === kind);
  if (!target) throw new Error(`no ${kind} test database in this run`);
  const name = `passeur_t_${Math.floor(Date.now() / 1000)}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: target.adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${target.template}`);
  await admin.end();
  const u = new URL(target.adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // The database is dropped with (force) at the end: a connection still closing then is terminated by the
  // server, which must not surface as an uncaught error of the run.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return {
    kind,
    url,
    pool,
    drop: async () => {
      await pool.end();
      const a = new pg.Client({ connectionString: target.adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * Runs a describe block once per available PostgreSQL (the embedded one, and the external one when
 * TEST_DATABASE_URL is set), each with its own fresh database.
 */
export function describeEachDatabase(title: string, body: (db: () => TestDatabase) => void): void {
  for (const { kind } of inject('databases')) {
    describe(`${title} [${kind} PostgreSQL]`, () => {
      let current: (TestDatabase & { drop(): Promise<void> }) | undefined;
      beforeAll(async () => {
        current = await createTestDatabase(kind);
      });
      afterAll(async () => {
        await current?.drop();
      });
      body(() => {
        if (!current) throw new Error('test database not ready');
        return current;
      });
    });
  }
}
