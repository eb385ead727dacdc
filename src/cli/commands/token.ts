import { AIRSOCIAL, DEMO_PASSWORD } from '../../demo/organization.ts';
import { SCOPE_SETS } from '../../domain/access/principal.ts';
import { createToken } from '../../domain/access/service.ts';
import { seedOrganization } from '../../domain/organization/seed.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { parseOptions, UsageError } from '../args.ts';

export const summary = 'create an API token for integrations (printed alone on the last line)';

const USAGE = `passeur token create --name NAME [--scope ${Object.keys(SCOPE_SETS).join('|')}] [--data DIR]`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    { name: { type: 'string' }, scope: { type: 'string', default: 'integration' }, data: { type: 'string' } },
    USAGE,
  );
  if (positionals[0] !== 'create' || positionals.length !== 1) throw new UsageError(`usage: ${USAGE}`);
  if (!values.name?.trim()) throw new UsageError(`--name is required\nusage: ${USAGE}`);
  const scopes = SCOPE_SETS[values.scope ?? 'integration'];
  if (!scopes) throw new UsageError(`unknown scope "${values.scope}"\nusage: ${USAGE}`);
  const config = loadConfig(process.env, values.data ? { dataDir: values.data } : {});
  const db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    shareIfHeld: true,
    poolSize: 2,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  try {
    const { orgId } = await seedOrganization(db.pool, AIRSOCIAL, DEMO_PASSWORD);
    const { token } = await createToken(db.pool, orgId, values.name.trim(), scopes);
    process.stderr.write(
      `token "${values.name.trim()}" created with scopes ${scopes.join(', ')}; it is shown only once:\n`,
    );
    process.stdout.write(`${token}\n`);
  } finally {
    await db.close();
  }
  return 0;
}
