import { verify } from '@node-rs/argon2';
import type pg from 'pg';
import { type Queryable, transaction } from '../../server/db/database.ts';
import { audit } from '../audit/log.ts';
import type { Role } from '../organization/definition.ts';
import type { PersonPrincipal, TokenPrincipal, TokenScope } from './principal.ts';
import { digest, newSecret } from './secrets.ts';

export const SESSION_COOKIE = 'passeur_session';
const TOKEN_PREFIX = 'psr_';
const SESSION_PREFIX = 'pss_';
const LOCKOUT_MINUTES = 15;

export async function createToken(
  pool: pg.Pool,
  orgId: number,
  name: string,
  scopes: TokenScope[],
  actorPersonId: number | null = null,
): Promise<{ id: number; token: string }> {
  const token = newSecret(TOKEN_PREFIX);
  return transaction(pool, async (tx) => {
    const r = await tx.query<{ id: number }>(
      'insert into api_tokens (org_id, name, token_hash, scopes) values ($1, $2, $3, $4) returning id',
      [orgId, name, digest(token), scopes],
    );
    const id = r.rows[0]!.id;
    await audit(tx, {
      orgId,
      action: 'token.created',
      actorPersonId,
      subjectType: 'api_token',
      subjectId: id,
      data: { name, scopes },
    });
    return { id, token };
  });
}

/**
 * Integrations send thousands of requests a second with the same token: a valid token is remembered for a
 * short while instead of being looked up on every request (a revoked token stops working within TOKEN_TTL_MS).
 */
const TOKEN_TTL_MS = 30_000;
const tokenCache = new Map<string, { principal: TokenPrincipal; until: number }>();

export async function tokenPrincipal(db: Queryable, token: string): Promise<TokenPrincipal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  const key = digest(token);
  const hit = tokenCache.get(key);
  if (hit && hit.until > Date.now()) return hit.principal;
  const principal = await lookupToken(db, key);
  if (principal) {
    if (tokenCache.size > 1000) tokenCache.clear();
    tokenCache.set(key, { principal, until: Date.now() + TOKEN_TTL_MS });
  } else tokenCache.delete(key);
  return principal;
}

async function lookupToken(db: Queryable, hash: string): Promise<TokenPrincipal | undefined> {
  const r = await db.query<{ id: number; org_id: number; name: string; scopes: string[] }>(
    'select id, org_id, name, scopes from api_tokens where token_hash = $1 and revoked_at is null',
    [hash],
  );
  const row = r.rows[0];
  return row && { kind: 'token', id: row.id, orgId: row.org_id, name: row.name, scopes: new Set(row.scopes) };
}

interface PersonRow {
  id: number;
  org_id: number;
  name: string;
  email: string;
  role: Role;
  languages: string[];
  locale: string;
  timezone: string;
  autonomy: string;
  community_ids: number[];
  team_ids: number[];
}

const PERSON_SELECT = `
  select p.id, p.org_id, p.name, p.email, p.role, p.languages, p.locale, p.timezone, p.autonomy,
    case when p.role = 'leader' then array(select id from communities where org_id = p.org_id)
         else array(select community_id from person_communities where person_id = p.id) end as community_ids,
    array(select team_id from team_members where person_id = p.id) as team_ids
  from people p`;

function toPrincipal(row: PersonRow, sessionId: string, stage?: string): PersonPrincipal {
  return {
    ...(stage === 'enrol' ? { enrolOnly: true } : {}),
    kind: 'person',
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    email: row.email,
    role: row.role,
    languages: row.languages,
    locale: row.locale,
    timezone: row.timezone,
    autonomy: row.autonomy,
    communityIds: new Set(row.community_ids),
    teamIds: row.team_ids,
    sessionId,
  };
}

/** A person as the principal of work done on their behalf (a reply approved by someone else goes out as theirs). */
export async function personPrincipal(db: Queryable, personId: number): Promise<PersonPrincipal | undefined> {
  const r = await db.query<PersonRow>(`${PERSON_SELECT} where p.id = $1 and p.active`, [personId]);
  const row = r.rows[0];
  return row && toPrincipal(row, '');
}

export async function sessionPrincipal(db: Queryable, cookie: string): Promise<PersonPrincipal | undefined> {
  if (!cookie.startsWith(SESSION_PREFIX) || cookie.length > 200) return undefined;
  const id = digest(cookie);
  const r = await db.query<PersonRow & { stage: string }>(
    `${PERSON_SELECT.replace('select p.id', 'select s.stage, p.id')} join sessions s on s.person_id = p.id
     where s.id = $1 and s.expires_at > now() and p.active`,
    [id],
  );
  const row = r.rows[0];
  return row && toPrincipal(row, id, row.stage);
}

export type LoginOutcome =
  | { ok: true; cookie: string; principal: PersonPrincipal }
  /** The password is right; the person's authenticator code is still due (`challenge` is the flow cookie). */
  | { ok: 'second_factor'; challenge: string }
  | { ok: false; reason: 'invalid' | 'locked'; retryAfterSeconds?: number };

/** How a session was opened; `enrol` sessions may only set up a second factor (required and not yet done). */
export interface SessionOpening {
  ip: string;
  userAgent: string;
  sessionHours: number;
  method: 'password' | 'password+totp' | 'oidc';
  stage?: 'full' | 'enrol';
}

/**
 * Opens a session with a fresh id (never one the browser brought: no fixation), clears failed attempts and
 * audits the sign-in. Every way of signing in ends here.
 */
export async function openPersonSession(
  pool: pg.Pool,
  person: { id: number; org_id: number },
  o: SessionOpening,
): Promise<{ cookie: string; principal: PersonPrincipal }> {
  const cookie = newSecret(SESSION_PREFIX);
  const sessionId = digest(cookie);
  const stage = o.stage ?? 'full';
  await transaction(pool, async (tx) => {
    await tx.query(
      `insert into sessions (id, person_id, expires_at, ip, user_agent, method, stage)
       values ($1, $2, now() + make_interval(hours => $3), $4, $5, $6, $7)`,
      [sessionId, person.id, o.sessionHours, o.ip, o.userAgent.slice(0, 300), o.method, stage],
    );
    await tx.query('update people set failed_logins = 0, locked_until = null, last_login_at = now() where id = $1', [
      person.id,
    ]);
    await audit(tx, {
      orgId: person.org_id,
      action: 'auth.login',
      actorPersonId: person.id,
      subjectType: 'session',
      subjectId: sessionId.slice(0, 16),
      data: { ip: o.ip, method: o.method, ...(stage === 'enrol' ? { stage } : {}) },
    });
  });
  const principal = await sessionPrincipal(pool, cookie);
  return { cookie, principal: principal! };
}

/** One more failed attempt (password or second factor) for a person: past the limit the account locks a while. */
export async function countFailedSignIn(
  pool: pg.Pool,
  person: { id: number; org_id: number },
  maxAttempts: number,
  action: string,
  data: Record<string, unknown>,
): Promise<void> {
  await transaction(pool, async (tx) => {
    await tx.query(
      `update people set failed_logins = failed_logins + 1,
         locked_until = case when failed_logins + 1 >= $2 then now() + make_interval(mins => $3) else locked_until end
       where id = $1`,
      [person.id, maxAttempts, LOCKOUT_MINUTES],
    );
    await audit(tx, { orgId: person.org_id, action, subjectType: 'person', subjectId: person.id, data });
  });
}

/**
 * Verifies a password and opens a session (a fresh id every time: no fixation). Failed attempts count per
 * person; past the limit the account locks for a while, and the answer never says whether the email exists.
 */
export async function login(
  pool: pg.Pool,
  input: {
    email: string;
    password: string;
    ip: string;
    userAgent: string;
    maxAttempts: number;
    sessionHours: number;
    /** After the password: open a second-factor flow (a cookie), or say whether the session may only enrol. */
    secondFactor?: (person: {
      id: number;
      org_id: number;
      role: string;
      totp_enabled: boolean;
    }) => Promise<{ challenge: string } | { stage: 'full' | 'enrol' }>;
  },
): Promise<LoginOutcome> {
  const r = await pool.query<{
    id: number;
    org_id: number;
    role: string;
    password_hash: string | null;
    locked_until: Date | null;
    active: boolean;
    totp_enabled: boolean;
  }>(
    'select id, org_id, role, password_hash, locked_until, active, totp_enabled from people where lower(email) = lower($1) limit 1',
    [input.email],
  );
  const person = r.rows[0];
  if (person?.locked_until && person.locked_until.getTime() > Date.now()) {
    return {
      ok: false,
      reason: 'locked',
      retryAfterSeconds: Math.ceil((person.locked_until.getTime() - Date.now()) / 1000),
    };
  }
  // Verify against a dummy hash when the person is unknown, so timing does not reveal which emails exist.
  const hashToCheck = person?.password_hash ?? DUMMY_HASH;
  const valid = await verify(hashToCheck, input.password).catch(() => false);
  if (!person?.active || !person.password_hash || !valid) {
    if (person) await countFailedSignIn(pool, person, input.maxAttempts, 'auth.login_failed', { ip: input.ip });
    return { ok: false, reason: 'invalid' };
  }
  // The failed-attempt count is cleared only once every factor passed, so a known password cannot be used to
  // reset the lock-out between guesses of the second factor.
  const next = input.secondFactor ? await input.secondFactor(person) : { stage: 'full' as const };
  if ('challenge' in next) return { ok: 'second_factor', challenge: next.challenge };
  const opened = await openPersonSession(pool, person, {
    ip: input.ip,
    userAgent: input.userAgent,
    sessionHours: input.sessionHours,
    method: 'password',
    stage: next.stage,
  });
  return { ok: true, ...opened };
}

export async function logout(pool: pg.Pool, p: PersonPrincipal): Promise<void> {
  await transaction(pool, async (tx) => {
    await tx.query('delete from sessions where id = $1', [p.sessionId]);
    await audit(tx, {
      orgId: p.orgId,
      action: 'auth.logout',
      actorPersonId: p.id,
      subjectType: 'session',
      subjectId: p.sessionId.slice(0, 16),
    });
  });
}

/** A session for tools that act as a person (benchmarks, tests); same rules as a sign-in. */
export async function openSession(pool: pg.Pool, personId: number, hours: number): Promise<string> {
  const cookie = newSecret(SESSION_PREFIX);
  await pool.query(
    `insert into sessions (id, person_id, expires_at) values ($1, $2, now() + make_interval(hours => $3))`,
    [digest(cookie), personId, hours],
  );
  return cookie;
}

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5nX0nDRrwlqC3lGn6SgFhT1Yc2yZ0JqJ8nq0aGvN0cQ';
