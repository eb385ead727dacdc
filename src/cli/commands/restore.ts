import fs from 'node:fs';
import zlib from 'node:zlib';
import { loadConfig } from '../../server/config.ts';
import { BackupError, restoreBackup } from '../../server/db/backup.ts';
import { openDatabase } from '../../server/db/database.ts';
import { parseOptions, UsageError } from '../args.ts';

export const summary = 'restore a backup into a new data folder or an empty database';

const USAGE = 'passeur restore FILE [--data DIR]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, { data: { type: 'string' } }, USAGE);
  const file = positionals[0];
  if (!file || positionals.length !== 1) throw new UsageError(`the backup FILE is required\nusage: ${USAGE}`);
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const config = loadConfig(process.env, values.data ? { dataDir: values.data } : {});
  // Not shared with a running server: a restore goes into a database nobody uses yet.
  const db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    poolSize: 2,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  const started = performance.now();
  try {
    const input = fs.createReadStream(file).pipe(zlib.createGunzip());
    const failed = new Promise<never>((_, reject) =>
      input.on('error', (err) => reject(new BackupError(`cannot read ${file}: ${err.message}`))),
    );
    failed.catch(() => {});
    const result = await Promise.race([restoreBackup(db.pool, input, (m) => process.stderr.write(`${m}\n`)), failed]);
    process.stdout.write(
      `restored ${result.tables} tables, ${result.rows} rows at migration ${result.migrations.at(-1)} ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s (${db.kind} database)\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      process.stderr.write(`passeur restore: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}
