import { resetTotp } from '../../domain/access/second-factor.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { parseOptions, UsageError } from '../args.ts';

export const summary = "turn a person's authenticator-app second factor off (lost phone, no recovery code)";

const USAGE = 'passeur second-factor reset EMAIL [--data DIR]';

/**
 * For the operator when nobody who could do it in the app can sign in (the only leader lost their phone): the
 * person's second factor is turned off, their sessions end, and the organization's audit log records it.
 */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, { data: { type: 'string' } }, USAGE);
  if (positionals[0] !== 'reset' || positionals.length !== 2) throw new UsageError(`usage: ${USAGE}`);
  const email = positionals[1]!;
  const config = loadConfig(process.env, values.data ? { dataDir: values.data } : {});
  const db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    shareIfHeld: true,
    poolSize: 2,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  try {
    const r = await db.pool.query<{ id: number; org_id: number; totp_enabled: boolean }>(
      'select id, org_id, totp_enabled from people where lower(email) = lower($1)',
      [email],
    );
    const person = r.rows[0];
    if (!person) throw new UsageError(`nobody has the email ${email}`);
    await resetTotp(db.pool, person.org_id, person.id, { personId: null, via: 'cli' });
    process.stdout.write(
      person.totp_enabled
        ? `second factor of ${email} turned off; their sessions ended\n`
        : `${email} had no second factor; their sessions ended\n`,
    );
  } finally {
    await db.close();
  }
  return 0;
}
