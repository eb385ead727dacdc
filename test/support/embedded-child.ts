/** Starts the embedded PostgreSQL on argv[2], writes a row, says "ready" and waits to be killed. */
import pg from 'pg';
import { startEmbedded } from '../../src/server/db/embedded.ts';

const server = await startEmbedded({ dataDir: process.argv[2]! });
const client = new pg.Client({ connectionString: server.url });
await client.connect();
await client.query('create table if not exists survivors (note text)');
await client.query(`insert into survivors values ('written before the crash')`);
await client.end();
process.stdout.write('ready\n');
setInterval(() => {}, 1000);
