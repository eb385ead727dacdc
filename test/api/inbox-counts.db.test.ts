import { expect, it } from 'vitest';
import { AIRSOCIAL, DEMO_PASSWORD } from '../../src/demo/organization.ts';
import { ACTIVE_STATUSES, COUNT_CAP, countCases } from '../../src/domain/cases/store.ts';
import { parseInbound } from '../../src/domain/ingest/model.ts';
import { ingest } from '../../src/domain/ingest/service.ts';
import { ingestDepsFor } from '../../src/domain/ingest/setup.ts';
import { seedOrganization } from '../../src/domain/organization/seed.ts';
import { describeEachDatabase } from '../support/db.ts';

describeEachDatabase('inbox view counts', (db) => {
  it('count exactly up to the cap and stop there, whatever the backlog', async () => {
    const { orgId } = await seedOrganization(db().pool, AIRSOCIAL, DEMO_PASSWORD);
    const deps = await ingestDepsFor(db().pool, orgId);
    const make = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) =>
        parseInbound({
          channel: 'sandbox',
          external_id: `cnt-${from + i}`,
          account: '@AirSocial',
          author: { handle: `@c${from + i}` },
          text: 'Mon vol est en retard',
        }),
      );
    const scope = { orgId, personId: -1, communities: 'all' as const, teamIds: [], statuses: ACTIVE_STATUSES };
    await ingest(deps, make(0, 998));
    expect((await countCases(db().pool, scope)).all).toBe(998);
    await ingest(deps, make(998, COUNT_CAP + 5 - 998));
    const capped = await countCases(db().pool, scope);
    expect(capped.all).toBe(COUNT_CAP);
    expect(capped.unassigned).toBe(COUNT_CAP);
    expect(capped.mine).toBe(0);
  }, 120_000);
});
