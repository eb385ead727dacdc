import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Property tests on the public endpoints: whatever a client sends, Passeur answers a clear 4xx (a 400 names the
 * offending field) or accepts it, never a 500, and stays healthy. The number of cases run is printed.
 */
const RUNS = { messages: 400, rawBodies: 150, login: 150, caseOps: 400, search: 300 };

/** Values a careless or hostile client may put anywhere. */
const nasty = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('', ' ', '\u0000', '\uD800', 'null', '-1', '0', '1e309', 'NaN', '__proto__', "' or 1=1 --", '💥'),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, [], {}),
);

function countCase(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** The contract every answer to a bad request must meet. */
function expectClear(res: { status: number; body: any }, what: string): void {
  if (res.status >= 500) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  if (res.status >= 400) {
    expect(typeof res.body?.error, `${what}: error code`).toBe('string');
    expect(typeof res.body?.message, `${what}: message`).toBe('string');
    if (
      res.body.error === 'invalid_body' ||
      res.body.error === 'invalid_query' ||
      res.body.error === 'invalid_params'
    ) {
      expect(typeof res.body.field, `${what}: the offending field is named`).toBe('string');
    }
  }
}

describeEachDatabase('fuzzing the public API', (db) => {
  let server: TestServer;
  let leader: string;
  const ran: Record<string, number> = {};
  beforeAll(async () => {
    server = await startTestServer(db().url);
    leader = await server.login('marie@airsocial.example');
  });
  afterAll(async () => {
    console.info(`[fuzz] cases run: ${JSON.stringify(ran)}`);
    await server?.close();
  });

  it('POST /api/v1/messages: any JSON body is accepted or refused with the field named', async () => {
    const valid = {
      channel: 'sandbox',
      external_id: 'fuzz-1',
      account: '@AirSocial',
      author: { handle: '@fuzzer', name: 'Fuzz' },
      text: 'bonjour',
      created_at: '2026-01-01T10:00:00Z',
      in_reply_to: 'x',
      meta: { kind: 'post', lang: 'fr' },
    };
    const fields = Object.keys(valid) as (keyof typeof valid)[];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          // A valid message with one or more fields replaced or removed.
          fc
            .record({
              replace: fc.dictionary(fc.constantFrom(...fields), nasty, { maxKeys: 3 }),
              drop: fc.subarray(fields, { maxLength: 2 }),
              extra: fc.option(fc.dictionary(fc.string({ maxLength: 10 }), nasty, { maxKeys: 2 }), { nil: undefined }),
              author: fc.option(fc.dictionary(fc.constantFrom('handle', 'name', 'x'), nasty), { nil: undefined }),
            })
            .map(({ replace, drop, extra, author }) => {
              const body: Record<string, unknown> = { ...valid, external_id: `fuzz-${n++}`, ...replace, ...extra };
              if (author) body.author = author;
              for (const f of drop) delete body[f];
              return body;
            }),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        async (body) => {
          countCase(ran, 'POST /api/v1/messages');
          const res = await server.request('POST', '/api/v1/messages', {
            body: JSON.stringify(body),
            token: server.token,
          });
          expectClear(res, `message ${JSON.stringify(body).slice(0, 200)}`);
          expect([202, 400]).toContain(res.status);
          if (res.status === 400) expect(res.body.error).toMatch(/^invalid_(body|json)$/);
        },
      ),
      { numRuns: RUNS.messages },
    );
  });

  it('POST /api/v1/messages: bytes that are not JSON get 400 or 415', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 2000 }),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
        ),
        async (text, type) => {
          countCase(ran, 'POST /api/v1/messages (raw bytes)');
          const res = await fetch(`${server.base}/api/v1/messages`, {
            method: 'POST',
            headers: { authorization: `Bearer ${server.token}`, 'content-type': type },
            body: text,
          });
          const body = await res.json().catch(() => null);
          expectClear({ status: res.status, body }, `raw ${type} ${JSON.stringify(text.slice(0, 80))}`);
          expect(res.status).toBeGreaterThanOrEqual(202);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS.rawBodies },
    );
  });

  it('POST /api/v1/auth/login: any body is refused with 400, 401 or 429', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ email: nasty, password: nasty }, { requiredKeys: [] }),
          fc.record({ email: fc.emailAddress(), password: fc.string({ maxLength: 100 }) }),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        async (body) => {
          countCase(ran, 'POST /api/v1/auth/login');
          const res = await server.request('POST', '/api/v1/auth/login', { body: JSON.stringify(body) });
          expectClear(res, `login ${JSON.stringify(body).slice(0, 200)}`);
          expect([400, 401, 429]).toContain(res.status);
        },
      ),
      { numRuns: RUNS.login },
    );
  });

  it('case operations: any id and body get a clear answer', async () => {
    const seed = await server.request('POST', '/api/v1/messages', {
      token: server.token,
      body: {
        channel: 'sandbox',
        external_id: 'fuzz-case',
        account: '@AirSocial',
        author: { handle: '@fz' },
        text: 'aide',
      },
    });
    const caseId = seed.body.case_id as number;
    const ids = fc.oneof(
      fc.constant(String(caseId)),
      fc.constantFrom('0', '-1', 'abc', '1.5', '99999999999999999999', '%00', '1e3', String(2 ** 53)),
      fc.integer({ min: 1, max: 10_000_000 }).map(String),
    );
    const op = fc.constantFrom(
      ['PATCH', ''],
      ['POST', '/notes'],
      ['POST', '/merge'],
      ['POST', '/split'],
      ['POST', '/move'],
      ['POST', '/replies'],
      ['POST', '/render-reply'],
      ['POST', '/check-reply'],
      ['POST', '/links'],
      ['POST', '/consults'],
    );
    const bodies = fc.oneof(
      fc.dictionary(
        fc.constantFrom(
          'status',
          'priority',
          'assignee_id',
          'team_id',
          'tags',
          'text',
          'into',
          'target_id',
          'case_id',
          'message_ids',
          'community_id',
          'ids',
          'reason',
          'resolve',
          'visibility',
          'account_id',
        ),
        nasty,
        { maxKeys: 4 },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(op, ids, bodies, async ([method, suffix], id, body) => {
        countCase(ran, 'case operations');
        const path = `/api/v1/cases/${encodeURIComponent(id)}${suffix}`;
        const res = await server.request(method!, path, { cookie: leader, body: JSON.stringify(body) });
        expectClear(res, `${method} ${path} ${JSON.stringify(body).slice(0, 200)}`);
      }),
      { numRuns: RUNS.caseOps },
    );
    // Bulk, on lists of ids and actions.
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
        countCase(ran, 'case operations');
        const res = await server.request('POST', '/api/v1/cases/bulk', { cookie: leader, body: JSON.stringify(body) });
        expectClear(res, `bulk ${JSON.stringify(body).slice(0, 200)}`);
      }),
      { numRuns: 100 },
    );
  });

  it('GET /api/v1/cases: any query string gets 200 or a 400 naming the parameter', async () => {
    const params = fc.dictionary(
      fc.constantFrom('view', 'community', 'channel', 'status', 'q', 'sort', 'cursor', 'limit', 'other'),
      fc.oneof(
        fc.string({ maxLength: 250 }),
        fc.string({ unit: 'binary', maxLength: 50 }),
        fc.constantFrom(
          'all',
          'mine',
          'open,all',
          '-1',
          '0',
          '201',
          '1e3',
          'a:b',
          '2026-01-01T00:00:00Z:12',
          "'",
          '%',
          '&&',
        ),
      ),
      { maxKeys: 5 },
    );
    await fc.assert(
      fc.asyncProperty(params, async (p) => {
        countCase(ran, 'GET /api/v1/cases');
        const qs = new URLSearchParams(p).toString();
        const res = await server.request('GET', `/api/v1/cases?${qs}`, { cookie: leader });
        expectClear(res, `search ?${qs}`);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: RUNS.search },
    );
  });

  it('size limits: a body over the limit gets 413 and the server carries on', async () => {
    const limit = server.ctx.config.bodyLimit;
    for (const size of [limit + 1, limit * 2, limit * 8]) {
      countCase(ran, 'size limits');
      const res = await fetch(`${server.base}/api/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          channel: 'sandbox',
          external_id: `big-${size}`,
          author: { handle: '@b' },
          text: 'x'.repeat(size),
        }),
      }).catch(() => undefined);
      // Either refused with 413, or the connection closed while the client still sent (also a refusal).
      if (res) {
        expect(res.status).toBe(413);
        expect(((await res.json()) as { error: string }).error).toBe('payload_too_large');
      }
    }
    // A text over the longest stored text, inside the body limit: 400 naming `text`.
    const long = await server.request('POST', '/api/v1/messages', {
      token: server.token,
      body: { channel: 'sandbox', external_id: 'long', author: { handle: '@l' }, text: 'y'.repeat(100_001) },
    });
    expect(long.status).toBe(400);
    expect(long.body.field).toBe('text');
    const ok = await server.request('POST', '/api/v1/messages', {
      token: server.token,
      body: {
        channel: 'sandbox',
        external_id: 'after-big',
        account: '@AirSocial',
        author: { handle: '@b' },
        text: 'encore là ?',
      },
    });
    expect(ok.status).toBe(202);
    expect((await server.request('GET', '/healthz')).status).toBe(200);
  });
});
