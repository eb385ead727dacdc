import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachDatabase('password sign-in rate per address', (db) => {
  let s: TestServer;
  beforeAll(async () => {
    // Half a sign-in per second: bursts of 10.
    s = await startTestServer(db().url, { PASSEUR_LOGIN_RATE: '0.5' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('slows down a burst of sign-ins from one address, across accounts, with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await s.request('POST', '/api/v1/auth/login', {
        body: { email: `nobody${i}@x.example`, password: 'wrong password' },
      });
      statuses.push(r.status);
    }
    expect(statuses).toEqual(Array(10).fill(401));
    // The eleventh, even with the right password of a real account, waits.
    const r = await s.request('POST', '/api/v1/auth/login', {
      body: { email: 'emma@airsocial.example', password: 'passeur-demo' },
    });
    expect(r.status).toBe(429);
    expect(r.body.error).toBe('rate_limited');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
