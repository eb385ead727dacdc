import { AIRSOCIAL, DEMO_PASSWORD } from '../../demo/organization.ts';
import { SCOPE_SETS } from '../../domain/access/principal.ts';
import { createToken } from '../../domain/access/service.ts';
import { crisisDemoTraffic, playCrisisDemo } from '../../domain/crisis/demo.ts';
import type { InboundMessage } from '../../domain/ingest/model.ts';
import { seedOrganization } from '../../domain/organization/seed.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { parseOptions, UsageError } from '../args.ts';

export const summary = 'replay a volcanic ash surge into the demo organization of a running server';

const USAGE =
  'passeur demo crisis [--url http://127.0.0.1:3000] [--community airsocial-it] [--minutes 5] [--rate 30] [--speed 1] [--data DIR]';

/**
 * Sends the usual traffic of the last 90 minutes of one community (dated in the past), then a surge of messages
 * about an ash cloud, to a running Passeur through `POST /api/v1/messages` (the normal ingest path), so anyone can
 * watch the alert appear in the crisis page. A token for it is created in the server's database.
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(
    argv,
    {
      url: { type: 'string' },
      community: { type: 'string', default: 'airsocial-it' },
      minutes: { type: 'string', default: '5' },
      rate: { type: 'string', default: '30' },
      speed: { type: 'string', default: '1' },
      data: { type: 'string' },
    },
    USAGE,
  );
  const minutes = Number(values.minutes);
  const rate = Number(values.rate);
  const speed = Number(values.speed);
  if (!(minutes > 0 && minutes <= 120)) throw new UsageError('--minutes must be between 0 and 120');
  if (!(rate > 0 && rate <= 600)) throw new UsageError('--rate must be between 0 and 600 messages per minute');
  if (!(speed >= 1 && speed <= 120)) throw new UsageError('--speed must be between 1 and 120');
  const config = loadConfig(process.env, values.data ? { dataDir: values.data } : {});
  const url = (values.url ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
  let traffic: ReturnType<typeof crisisDemoTraffic>;
  try {
    traffic = crisisDemoTraffic({
      community: values.community ?? 'airsocial-it',
      surgeMinutes: minutes,
      surgeRate: rate,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    shareIfHeld: true,
    poolSize: 2,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  let token: string;
  try {
    const { orgId } = await seedOrganization(db.pool, AIRSOCIAL, DEMO_PASSWORD);
    token = (await createToken(db.pool, orgId, `crisis demo ${new Date().toISOString()}`, SCOPE_SETS.ingest!)).token;
  } finally {
    await db.close();
  }
  const post = async (batch: InboundMessage[]) => {
    for (const m of batch) {
      const res = await fetch(`${url}/api/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(m),
      });
      if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
    }
  };
  process.stderr.write(
    `sending ${traffic.backfill.length} usual messages of the last 90 minutes, then ${traffic.surge.length} ` +
      `about an ash cloud over ${minutes / speed} min to ${url} (${values.community})\n`,
  );
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  const sent = await playCrisisDemo(post, traffic, { speed, signal: ac.signal });
  process.stderr.write(`done: ${sent.backfill} + ${sent.surge} messages; open /crisis to follow the alert\n`);
  return 0;
}
