import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { parseOptions } from '../args.ts';

export const summary = 'apply database migrations (start does it too)';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, { data: { type: 'string' } }, 'passeur migrate [--data DIR]');
  const config = loadConfig(process.env, values.data ? { dataDir: values.data } : {});
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, shareIfHeld: true });
  await db.close();
  process.stdout.write(`migrations applied (${db.kind} database)\n`);
  return 0;
}
