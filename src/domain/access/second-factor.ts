import { verify } from '@node-rs/argon2';
import type pg from 'pg';
import QRCode from 'qrcode';
import { type Queryable, transaction } from '../../server/db/database.ts';
import type { Keyring } from '../../server/secrets/keyring.ts';
import { audit } from '../audit/log.ts';
import { digest, newSecret } from './secrets.ts';
import {
  base32Decode,
  base32Encode,
  matchTotp,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  otpauthUri,
} from './totp.ts';

/**
 * The authenticator-app second factor: enrolment (a secret shown once, confirmed by a code, recovery codes
 * shown once), the second step of a password sign-in, and turning it off. Secrets are encrypted with the
 * keyring; recovery codes are stored as SHA-256; the last accepted time step is kept so no code works twice.
 */

/** The clock codes are checked against (replaceable in tests, which move time). */
export const totpClock = { now: (): number => Date.now() };

const FLOW_PREFIX = 'psf_';
/** Minutes a sign-in under way (second factor, OpenID Connect round trip) stays valid. */
export const FLOW_MINUTES = 10;
/** Wrong codes one second-factor step accepts before the password must be given again. */
const FLOW_ATTEMPTS = 5;

export async function createFlow(
  db: Queryable,
  f: { kind: 'oidc' | 'totp'; orgId: number; personId: number | null; data: Record<string, unknown> },
): Promise<string> {
  const cookie = newSecret(FLOW_PREFIX);
  // Expired flows of anyone are swept on the way (they are few: one per sign-in under way).
  await db.query('delete from sign_in_flows where expires_at < now()');
  await db.query(
    `insert into sign_in_flows (id, kind, org_id, person_id, data, expires_at)
     values ($1, $2, $3, $4, $5, now() + make_interval(mins => $6))`,
    [digest(cookie), f.kind, f.orgId, f.personId, JSON.stringify(f.data), FLOW_MINUTES],
  );
  return cookie;
}

export interface Flow {
  id: string;
  org_id: number;
  person_id: number | null;
  data: Record<string, string>;
  attempts: number;
}

export async function findFlow(db: Queryable, kind: string, cookie: string | undefined): Promise<Flow | undefined> {
  if (!cookie?.startsWith(FLOW_PREFIX) || cookie.length > 200) return undefined;
  const r = await db.query<Flow>(
    'select id, org_id, person_id, data, attempts from sign_in_flows where id = $1 and kind = $2 and expires_at > now()',
    [digest(cookie), kind],
  );
  return r.rows[0];
}

/** Takes a flow for good (an OpenID Connect state is used once, whatever the outcome). */
export async function takeFlow(db: Queryable, kind: string, cookie: string | undefined): Promise<Flow | undefined> {
  if (!cookie?.startsWith(FLOW_PREFIX) || cookie.length > 200) return undefined;
  const r = await db.query<Flow>(
    `delete from sign_in_flows where id = $1 and kind = $2 and expires_at > now()
     returning id, org_id, person_id, data, attempts`,
    [digest(cookie), kind],
  );
  return r.rows[0];
}

export async function dropFlow(db: Queryable, id: string): Promise<void> {
  await db.query('delete from sign_in_flows where id = $1', [id]);
}

/** Counts a wrong code against the flow; past FLOW_ATTEMPTS the flow ends (the password is asked again). */
export async function failFlow(db: Queryable, flow: Flow): Promise<void> {
  if (flow.attempts + 1 >= FLOW_ATTEMPTS) await dropFlow(db, flow.id);
  else await db.query('update sign_in_flows set attempts = attempts + 1 where id = $1', [flow.id]);
}

interface TotpRow {
  id: number;
  org_id: number;
  email: string;
  password_hash: string | null;
  totp_secret: Buffer | null;
  totp_enabled: boolean;
  totp_last_step: string | null;
  recovery_left: number;
  locked_until: Date | null;
  active: boolean;
}

export async function totpState(db: Queryable, personId: number): Promise<TotpRow> {
  const r = await db.query<TotpRow>(
    `select id, org_id, email, password_hash, totp_secret, totp_enabled, totp_last_step, locked_until, active,
       cardinality(totp_recovery_codes) as recovery_left
     from people where id = $1`,
    [personId],
  );
  return r.rows[0]!;
}

/**
 * Starts (or restarts) enrolment: a new secret, stored encrypted but not in force until a code confirms it.
 * The secret is shown this once (as the otpauth URI, its QR code and the key to type by hand).
 */
export async function beginEnrolment(
  pool: pg.Pool,
  keyring: Keyring,
  person: { id: number; email: string },
  issuer: string,
): Promise<{ otpauth_uri: string; secret: string; qr_svg: string } | 'already_enabled'> {
  const secret = newTotpSecret();
  const r = await pool.query('update people set totp_secret = $2 where id = $1 and not totp_enabled', [
    person.id,
    keyring.encrypt(base32Encode(secret)),
  ]);
  if (r.rowCount === 0) return 'already_enabled';
  const uri = otpauthUri(secret, person.email, issuer);
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { otpauth_uri: uri, secret: base32Encode(secret), qr_svg: svg };
}

function secretOf(keyring: Keyring, row: TotpRow): Buffer | undefined {
  return row.totp_secret ? base32Decode(keyring.decrypt(row.totp_secret) as string) : undefined;
}

/**
 * Records a code as used if it matches a step after the last one used: the update only succeeds for a newer
 * step, so two requests racing with the same code cannot both pass.
 */
async function consumeCode(db: Queryable, keyring: Keyring, row: TotpRow, code: string): Promise<boolean> {
  const secret = secretOf(keyring, row);
  if (!secret) return false;
  const last = row.totp_last_step === null ? null : Number(row.totp_last_step);
  const step = matchTotp(secret, code, totpClock.now(), last);
  if (step === null) return false;
  const r = await db.query(
    'update people set totp_last_step = $2 where id = $1 and (totp_last_step is null or totp_last_step < $2)',
    [row.id, step],
  );
  return r.rowCount === 1;
}

async function consumeRecoveryCode(db: Queryable, personId: number, code: string): Promise<boolean> {
  const hash = digest(normalizeRecoveryCode(code));
  const r = await db.query(
    `update people set totp_recovery_codes = array_remove(totp_recovery_codes, $2)
     where id = $1 and $2 = any(totp_recovery_codes)`,
    [personId, hash],
  );
  return r.rowCount === 1;
}

/** Confirms enrolment with a first code; returns the recovery codes (shown once), or null for a wrong code. */
export async function confirmEnrolment(
  pool: pg.Pool,
  keyring: Keyring,
  person: { id: number; orgId: number },
  code: string,
): Promise<string[] | null | 'already_enabled' | 'not_started'> {
  const row = await totpState(pool, person.id);
  if (row.totp_enabled) return 'already_enabled';
  if (!row.totp_secret) return 'not_started';
  const codes = newRecoveryCodes();
  const ok = await transaction(pool, async (tx) => {
    if (!(await consumeCode(tx, keyring, row, code))) return false;
    await tx.query('update people set totp_enabled = true, totp_recovery_codes = $2 where id = $1', [
      person.id,
      codes.map((c) => digest(normalizeRecoveryCode(c))),
    ]);
    await audit(tx, {
      orgId: person.orgId,
      action: 'auth.totp_enabled',
      actorPersonId: person.id,
      subjectType: 'person',
      subjectId: person.id,
    });
    return true;
  });
  return ok ? codes : null;
}

/** Checks a second factor for a person: an authenticator code, or one of their recovery codes (used up). */
export async function checkSecondFactor(
  db: Queryable,
  keyring: Keyring,
  personId: number,
  input: { code?: string | undefined; recovery_code?: string | undefined },
): Promise<'code' | 'recovery_code' | null> {
  const row = await totpState(db, personId);
  if (!row.totp_enabled) return null;
  if (input.code !== undefined) return (await consumeCode(db, keyring, row, input.code)) ? 'code' : null;
  if (input.recovery_code !== undefined)
    return (await consumeRecoveryCode(db, personId, input.recovery_code)) ? 'recovery_code' : null;
  return null;
}

/** Turns the second factor off after proving presence again (a code, a recovery code, or the password). */
export async function disableTotp(
  pool: pg.Pool,
  keyring: Keyring,
  person: { id: number; orgId: number },
  input: { code?: string | undefined; recovery_code?: string | undefined; password?: string | undefined },
): Promise<boolean | 'not_enabled'> {
  const row = await totpState(pool, person.id);
  if (!row.totp_enabled) return 'not_enabled';
  let proof: string | null = null;
  if (input.password !== undefined) {
    const ok = row.password_hash ? await verify(row.password_hash, input.password).catch(() => false) : false;
    proof = ok ? 'password' : null;
  } else proof = await checkSecondFactor(pool, keyring, person.id, input);
  if (!proof) return false;
  await transaction(pool, async (tx) => {
    await tx.query(
      `update people set totp_enabled = false, totp_secret = null, totp_last_step = null, totp_recovery_codes = '{}'
       where id = $1`,
      [person.id],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'auth.totp_disabled',
      actorPersonId: person.id,
      subjectType: 'person',
      subjectId: person.id,
      data: { proof },
    });
  });
  return true;
}

/**
 * Turns a person's second factor off for them (a lost phone and no recovery code left): a leader through the API, or
 * an operator with `passeur second-factor reset`. Their sessions end, so the next sign-in applies the requirement.
 */
export async function resetTotp(
  pool: pg.Pool,
  orgId: number,
  personId: number,
  actor: { personId: number | null; via: 'api' | 'cli' },
): Promise<boolean> {
  return transaction(pool, async (tx) => {
    const r = await tx.query(
      `update people set totp_enabled = false, totp_secret = null, totp_last_step = null, totp_recovery_codes = '{}'
       where id = $1 and org_id = $2`,
      [personId, orgId],
    );
    if (r.rowCount === 0) return false;
    await tx.query('delete from sessions where person_id = $1', [personId]);
    await audit(tx, {
      orgId,
      action: 'auth.totp_reset',
      actorPersonId: actor.personId,
      subjectType: 'person',
      subjectId: personId,
      data: { via: actor.via },
    });
    return true;
  });
}
