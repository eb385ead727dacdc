import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { loadConfig } from '../../server/config.ts';
import { writeBackup } from '../../server/db/backup.ts';
import { openDatabase } from '../../server/db/database.ts';
import { parseOptions, UsageError } from '../args.ts';

export const summary = 'write a consistent backup of the database to a file (gzip), while Passeur runs';

const USAGE = 'passeur backup --out FILE [--data DIR]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, { out: { type: 'string' }, data: { type: 'string' } }, USAGE);
  if (!values.out || positionals.length) throw new UsageError(`--out FILE is required\nusage: ${USAGE}`);
  const config = loadConfig(process.env, values.data ? { dataDir: values.data } : {});
  if (!config.databaseUrl && !fs.existsSync(path.join(config.dataDir, 'pg'))) {
    throw new UsageError(`no Passeur database in ${config.dataDir} (use --data DIR, or set DATABASE_URL)`);
  }
  const db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    shareIfHeld: true,
    poolSize: 2,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  // Written next to the target and renamed at the end: a failed backup never leaves a file that looks whole.
  const partial = `${values.out}.partial`;
  const started = performance.now();
  try {
    const body = new PassThrough();
    const written = pipeline(body, zlib.createGzip({ level: 6 }), fs.createWriteStream(partial, { mode: 0o600 }));
    const result = await writeBackup(db.pool, body, (m) => process.stderr.write(`${m}\n`)).finally(() => body.end());
    await written;
    fs.renameSync(partial, values.out);
    const bytes = fs.statSync(values.out).size;
    process.stdout.write(
      `backup written to ${values.out}: ${result.tables} tables, ${result.rows} rows, ${(bytes / 1e6).toFixed(1)} MB, ` +
        `migration ${result.migrations.at(-1)}, ${((performance.now() - started) / 1000).toFixed(1)} s (${db.kind} database)\n`,
    );
    return 0;
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    await db.close();
  }
}
