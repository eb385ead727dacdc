import * as client from 'openid-client';
import type pg from 'pg';
import { type Queryable, transaction } from '../../server/db/database.ts';
import type { Keyring } from '../../server/secrets/keyring.ts';
import { audit } from '../audit/log.ts';
import type { Role } from '../organization/definition.ts';
import { createFlow, takeFlow } from './second-factor.ts';
import {
  type CommunityRule,
  clientSecret,
  isPlainText,
  oidcReady,
  type RoleRule,
  type SignInSettings,
} from './sign-in-settings.ts';

/**
 * OpenID Connect sign-in (authorization code flow with PKCE, state and nonce) against the organization's identity
 * provider. The provider's claims decide the role and communities (rules set by a leader); a person is found by
 * issuer + subject, else linked by verified email, else created when the organization allows it. The provider
 * is trusted for its own second factor: these sessions skip the local authenticator-app step.
 */

/** Why a sign-in through the provider was refused; the sign-in page explains each one. */
export type OidcRefusal =
  | 'sso_not_configured'
  | 'sso_state'
  | 'sso_denied'
  | 'sso_failed'
  | 'sso_email_unverified'
  | 'sso_domain'
  | 'sso_unknown_user'
  | 'sso_no_role'
  | 'sso_conflict';

export class OidcError extends Error {
  readonly reason: OidcRefusal;
  constructor(reason: OidcRefusal, detail: string) {
    super(detail);
    this.reason = reason;
  }
}

/** Discovered provider metadata, kept a few minutes per issuer, client and settings version. */
const discovered = new Map<string, { config: client.Configuration; until: number }>();
const DISCOVERY_TTL_MS = 5 * 60_000;

async function configurationOf(s: SignInSettings, keyring: Keyring): Promise<client.Configuration> {
  const key = `${s.oidc.issuer}|${s.oidc.clientId}|${s.updatedAt?.getTime() ?? 0}`;
  const hit = discovered.get(key);
  if (hit && hit.until > Date.now()) return hit.config;
  const issuer = new URL(s.oidc.issuer!);
  const secret = clientSecret(s, keyring);
  const config = await client.discovery(
    issuer,
    s.oidc.clientId!,
    secret === undefined ? undefined : { client_secret: secret },
    secret === undefined ? client.None() : client.ClientSecretBasic(secret),
    // Plain http is accepted by the settings only for a provider on this machine (development, tests).
    issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
  );
  if (discovered.size > 20) discovered.clear();
  discovered.set(key, { config, until: Date.now() + DISCOVERY_TTL_MS });
  return config;
}

/** Where to go first: the provider's authorization URL, and the flow cookie that binds the answer to this browser. */
export async function startOidc(
  pool: pg.Pool,
  keyring: Keyring,
  orgId: number,
  s: SignInSettings,
  redirectUri: string,
  next: string,
): Promise<{ url: string; cookie: string }> {
  if (!oidcReady(s)) throw new OidcError('sso_not_configured', 'single sign-on is not configured');
  let config: client.Configuration;
  try {
    config = await configurationOf(s, keyring);
  } catch (err) {
    throw new OidcError('sso_failed', `provider discovery failed: ${(err as Error).message}`);
  }
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: s.oidc.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const cookie = await createFlow(pool, {
    kind: 'oidc',
    orgId,
    personId: null,
    data: { state, nonce, verifier, redirectUri, next },
  });
  return { url: url.href, cookie };
}

type Claims = Record<string, unknown>;

/** A claim's value by name, or by dotted path into nested objects (`realm_access.roles`). */
export function claimValue(claims: Claims, name: string): unknown {
  if (name in claims) return claims[name];
  let v: unknown = claims;
  for (const part of name.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function claimHas(claims: Claims, rule: { claim: string; value: string }): boolean {
  const v = claimValue(claims, rule.claim);
  if (Array.isArray(v)) return v.some((x) => String(x) === rule.value);
  return v !== undefined && v !== null && String(v) === rule.value;
}

/** The role the rules give these claims (first matching rule, else the default), or null: refused. */
export function mapRole(claims: Claims, rules: RoleRule[], defaultRole: string | null): Role | null {
  return (rules.find((r) => claimHas(claims, r))?.role ?? defaultRole) as Role | null;
}

/** The community slugs the rules give these claims (every matching rule). */
export function mapCommunities(claims: Claims, rules: CommunityRule[]): string[] {
  return [...new Set(rules.filter((r) => claimHas(claims, r)).map((r) => r.community))];
}

export interface OidcSignIn {
  person: { id: number; org_id: number };
  next: string;
}

/**
 * Completes the round trip: checks state, exchanges the code (PKCE verifier, nonce checked by the ID token
 * validation), reads the claims (ID token and userinfo), then finds, links or creates the person and applies the
 * role and communities the rules give.
 */
export async function finishOidc(
  pool: pg.Pool,
  keyring: Keyring,
  s: SignInSettings,
  flowCookie: string | undefined,
  currentUrl: URL,
): Promise<OidcSignIn> {
  const flow = await takeFlow(pool, 'oidc', flowCookie);
  if (!flow) throw new OidcError('sso_state', 'no sign-in under way in this browser (expired, or already used)');
  if (currentUrl.searchParams.get('state') !== flow.data.state) {
    throw new OidcError('sso_state', 'the answer does not belong to the sign-in this browser started');
  }
  if (currentUrl.searchParams.has('error')) {
    throw new OidcError('sso_denied', `the provider refused: ${currentUrl.searchParams.get('error')}`);
  }
  if (!oidcReady(s)) throw new OidcError('sso_not_configured', 'single sign-on is not configured');
  let claims: Claims;
  try {
    const config = await configurationOf(s, keyring);
    const tokens = await client.authorizationCodeGrant(
      config,
      currentUrl,
      {
        pkceCodeVerifier: flow.data.verifier!,
        expectedState: flow.data.state!,
        expectedNonce: flow.data.nonce!,
        idTokenExpected: true,
      },
      { redirect_uri: flow.data.redirectUri! },
    );
    const idClaims = tokens.claims()!;
    claims = { ...idClaims };
    // Providers often put groups and email in userinfo rather than in the ID token.
    if (config.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims = { ...info, ...idClaims };
    }
  } catch (err) {
    // The underlying error says which check failed (e.g. 'unexpected ID Token "nonce" claim value').
    const cause = (err as { cause?: unknown }).cause;
    const why = cause instanceof Error ? `: ${cause.message}` : '';
    throw new OidcError('sso_failed', `the provider's answer did not validate: ${(err as Error).message}${why}`);
  }
  const person = await resolvePerson(pool, flow.org_id, s, claims);
  return { person, next: flow.data.next ?? '/' };
}

async function resolvePerson(
  pool: pg.Pool,
  orgId: number,
  s: SignInSettings,
  claims: Claims,
): Promise<{ id: number; org_id: number }> {
  const issuer = String(claims.iss);
  const subject = String(claims.sub);
  // Claims are the provider's text: only well-formed values without control characters are used.
  const clean = (v: unknown) => (typeof v === 'string' && isPlainText(v) ? v.trim() : undefined);
  const email = clean(claims.email);
  const hasRules = s.oidc.roleRules.length > 0 || s.oidc.defaultRole !== null;
  const role = mapRole(claims, s.oidc.roleRules, s.oidc.defaultRole);
  const slugs = mapCommunities(claims, s.oidc.communityRules);

  return transaction(pool, async (tx) => {
    type Found = { id: number; org_id: number; role: string; active: boolean; oidc_subject: string | null };
    let found = (
      await tx.query<Found>(
        `select id, org_id, role, active, oidc_subject from people
         where org_id = $1 and oidc_issuer = $2 and oidc_subject = $3 for update`,
        [orgId, issuer, subject],
      )
    ).rows[0];
    let linked = false;
    if (!found) {
      if (!email) throw new OidcError('sso_unknown_user', 'the provider gave no email to find the person by');
      if (claims.email_verified !== true)
        throw new OidcError('sso_email_unverified', `the provider has not verified ${email}`);
      const domain = email.split('@').pop()!.toLowerCase();
      if (s.oidc.allowedDomains.length > 0 && !s.oidc.allowedDomains.includes(domain))
        throw new OidcError('sso_domain', `${domain} is not among the organization's sign-in domains`);
      found = (
        await tx.query<Found>(
          'select id, org_id, role, active, oidc_subject from people where org_id = $1 and lower(email) = lower($2) for update',
          [orgId, email],
        )
      ).rows[0];
      if (found?.oidc_subject) {
        throw new OidcError('sso_conflict', `${email} is already linked to another identity at the provider`);
      }
      linked = found !== undefined;
    }
    if (found && !found.active) throw new OidcError('sso_unknown_user', 'this person no longer works here');
    if (hasRules && role === null) throw new OidcError('sso_no_role', 'no role rule matches this identity');

    if (!found) {
      if (!s.oidc.autoProvision) throw new OidcError('sso_unknown_user', `nobody in the organization has ${email}`);
      const name = clean(claims.name)?.slice(0, 200).toWellFormed() || email!;
      const r = await tx.query<{ id: number }>(
        `insert into people (org_id, email, name, role, oidc_issuer, oidc_subject)
         values ($1, $2, $3, $4, $5, $6) returning id`,
        [orgId, email, name, role ?? 'viewer', issuer, subject],
      );
      const id = r.rows[0]!.id;
      await setCommunities(tx, orgId, id, slugs);
      await audit(tx, {
        orgId,
        action: 'person.provisioned',
        subjectType: 'person',
        subjectId: id,
        actorPersonId: id,
        data: { issuer, role: role ?? 'viewer', communities: slugs },
      });
      return { id, org_id: orgId };
    }

    if (linked) {
      await tx.query('update people set oidc_issuer = $2, oidc_subject = $3 where id = $1', [
        found.id,
        issuer,
        subject,
      ]);
      await audit(tx, {
        orgId,
        action: 'person.sso_linked',
        subjectType: 'person',
        subjectId: found.id,
        actorPersonId: found.id,
        data: { issuer },
      });
    }
    // The provider is the source of truth for role and communities once rules say how to read it.
    if (role !== null && role !== found.role) {
      await tx.query('update people set role = $2 where id = $1', [found.id, role]);
      await audit(tx, {
        orgId,
        action: 'person.role_synced',
        subjectType: 'person',
        subjectId: found.id,
        actorPersonId: found.id,
        data: { from: found.role, to: role },
      });
    }
    if (s.oidc.communityRules.length > 0) await setCommunities(tx, orgId, found.id, slugs);
    return { id: found.id, org_id: orgId };
  });
}

async function setCommunities(tx: Queryable, orgId: number, personId: number, slugs: string[]) {
  await tx.query('delete from person_communities where person_id = $1', [personId]);
  await tx.query(
    `insert into person_communities (person_id, community_id)
     select $1, id from communities where org_id = $2 and slug = any($3::text[])`,
    [personId, orgId, slugs],
  );
}
