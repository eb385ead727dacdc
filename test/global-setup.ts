import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../src/server/db/database.ts';
import { type EmbeddedServer, startEmbedded } from '../src/server/db/embedded.ts';

/**
 * One embedded PostgreSQL for the whole run, plus the external one named by TEST_DATABASE_URL when set.
 * On each, a migrated template database; every test file clones it (CREATE DATABASE … TEMPLATE), so
 * files are isolated and fast.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    databases: { kind: 'embedded' | 'external'; adminUrl: string; template: string }[];
  }
}

/** Each run has its own template, so concurrent runs on one server never touch each other's databases. */
const RUN = `${Math.floor(Date.now() / 1000)}_${process.pid}`;
export const TEMPLATE = `passeur_tt_${RUN}`;
/** Databases of runs that ended without cleaning up (killed) are dropped after this long. */
const STALE_SECONDS = 6 * 3600;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function prepareTemplate(adminUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Names carry their creation time (passeur_tt_<epoch>_… and passeur_t_<epoch>_…).
    const stale = await admin.query<{ datname: string }>(
      `select datname from pg_database
       where datname ~ '^passeur_tt?_[0-9]+_' and split_part(datname, '_', 3)::bigint < $1`,
      [Math.floor(Date.now() / 1000) - STALE_SECONDS],
    );
    for (const r of stale.rows) await admin.query(`drop database if exists "${r.datname}" with (force)`);
    await admin.query(`create database ${TEMPLATE}`);
  } finally {
    await admin.end();
  }
  await runMigrations(withDatabase(adminUrl, TEMPLATE));
}

async function dropTemplate(adminUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE} with (force)`).finally(() => admin.end());
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const databases: { kind: 'embedded' | 'external'; adminUrl: string; template: string }[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passeur-test-'));
  fs.chmodSync(dir, 0o755);
  let embedded: EmbeddedServer | undefined;
  try {
    embedded = await startEmbedded({ dataDir: dir, settings: { fsync: 'off', max_connections: '300' } });
    const adminUrl = withDatabase(embedded.url, 'postgres');
    await prepareTemplate(adminUrl);
    databases.push({ kind: 'embedded', adminUrl, template: TEMPLATE });
  } catch (err) {
    process.stderr.write(`\n[passeur tests] the embedded PostgreSQL could not start: ${String(err)}\n`);
    if (process.env.PASSEUR_TEST_REQUIRE_ALL === '1') throw err;
  }
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    await prepareTemplate(withDatabase(external, 'postgres'));
    databases.push({ kind: 'external', adminUrl: withDatabase(external, 'postgres'), template: TEMPLATE });
  } else if (process.env.PASSEUR_TEST_REQUIRE_ALL === '1') {
    throw new Error('PASSEUR_TEST_REQUIRE_ALL=1 but TEST_DATABASE_URL is not set');
  } else {
    process.stderr.write(
      '\n[passeur tests] TEST_DATABASE_URL is not set: integration tests run on the embedded PostgreSQL only\n',
    );
  }
  project.provide('databases', databases);
  return async () => {
    if (external) await dropTemplate(withDatabase(external, 'postgres')).catch(() => {});
    await embedded?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
