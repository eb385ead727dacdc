import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const run = promisify(execFile);

/** `passeur demo crisis` replays a surge into a running server through `POST /api/v1/messages`; the alert follows. */
describeEachDatabase('passeur demo crisis', (db) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(db().url);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('refuses an unknown community, then replays a surge that raises an alert', async () => {
    const env = { ...process.env, DATABASE_URL: db().url, LOG_LEVEL: 'warn' };
    const bad = await run('bin/passeur', ['demo', 'crisis', '--url', s.base, '--community', 'nowhere'], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown demo community "nowhere"');

    const ok = await run(
      'bin/passeur',
      [
        'demo',
        'crisis',
        '--url',
        s.base,
        '--community',
        'airsocial-de',
        '--minutes',
        '1',
        '--rate',
        '40',
        '--speed',
        '4',
      ],
      { env, timeout: 120_000 },
    );
    expect(ok.stderr).toMatch(/done: \d+ \+ \d+ messages/);
    const stored = await db().pool.query(
      `select count(*)::int as n from messages m join cases c on c.id = m.case_id join communities cm on cm.id = c.community_id
       where cm.slug = 'airsocial-de'`,
    );
    expect(stored.rows[0].n).toBeGreaterThan(270);
    const end = Date.now() + 30_000;
    let alerts: { kind: string }[] = [];
    while (Date.now() < end && alerts.length === 0) {
      alerts = (
        await db().pool.query(
          `select a.kind from crisis_alerts a join communities cm on cm.id = a.community_id where cm.slug = 'airsocial-de'`,
        )
      ).rows;
      if (alerts.length === 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(alerts.map((a) => a.kind)).toContain('volume');
  }, 180_000);
});
