import { z } from 'zod';
import type { Queryable } from '../../server/db/database.ts';
import type { Keyring } from '../../server/secrets/keyring.ts';
import { ROLES } from '../organization/definition.ts';

/**
 * How people of an organization sign in: an optional OpenID Connect provider (with the rules that turn its claims
 * into a role and communities) and whether leaders and approvers must use an authenticator app. Local passwords
 * always remain (small teams, and a way in when the provider is down).
 */

/** Roles a second factor is required for when the organization asks for it. */
export const TOTP_REQUIRED_ROLES: ReadonlySet<string> = new Set(['leader', 'approver']);

/** Whether text is well-formed Unicode without control characters (PostgreSQL refuses NUL and lone surrogates). */
export function isPlainText(v: string): boolean {
  if (!v.isWellFormed()) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

const plain = (min: number, max: number) =>
  z.string().min(min).max(max).refine(isPlainText, 'no control characters or invalid Unicode');

const claimName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:/-]+$/, 'a claim name (letters, digits, _ . : / -)');
const roleRule = z.strictObject({ claim: claimName, value: plain(1, 200), role: z.enum(ROLES) });
const communityRule = z.strictObject({
  claim: claimName,
  value: plain(1, 200),
  community: plain(1, 100),
});
export type RoleRule = z.infer<typeof roleRule>;
export type CommunityRule = z.infer<typeof communityRule>;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}

/** An issuer URL: https, or http on the machine itself (a provider for development and tests). */
export const issuerUrl = z
  .string()
  .max(500)
  .url()
  .refine((s) => {
    if (!URL.canParse(s)) return false;
    const u = new URL(s);
    return (u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u.hostname))) && !u.search && !u.hash;
  }, 'an https:// URL without query or fragment (http:// only on localhost)');

export const signInSettingsBody = z.strictObject({
  totp_required: z.boolean(),
  oidc: z.strictObject({
    enabled: z.boolean(),
    /** Shown on the sign-in button: "Sign in with <name>". */
    name: plain(0, 60).trim(),
    issuer: issuerUrl.nullable(),
    client_id: plain(1, 300).nullable(),
    /** Write-only: omitted keeps the stored one, null removes it. */
    client_secret: plain(1, 1000).nullable().optional(),
    scopes: z
      .string()
      .max(300)
      .regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'scopes separated by single spaces')
      .refine((s) => s.split(' ').includes('openid'), 'must include openid'),
    role_rules: z.array(roleRule).max(50),
    community_rules: z.array(communityRule).max(200),
    /** The role of a person no rule matches; null refuses them. */
    default_role: z.enum(ROLES).nullable(),
    auto_provision: z.boolean(),
    /** Email domains accepted for linking and provisioning; empty accepts any. */
    allowed_domains: z
      .array(
        z
          .string()
          .min(3)
          .max(200)
          .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'a domain such as example.com'),
      )
      .max(50),
  }),
});
export type SignInSettingsBody = z.infer<typeof signInSettingsBody>;

export interface SignInSettings {
  totpRequired: boolean;
  oidc: {
    enabled: boolean;
    name: string;
    issuer: string | null;
    clientId: string | null;
    /** Decrypted on demand only (`clientSecret(keyring)`). */
    hasClientSecret: boolean;
    encryptedSecret: Buffer | null;
    scopes: string;
    roleRules: RoleRule[];
    communityRules: CommunityRule[];
    defaultRole: string | null;
    autoProvision: boolean;
    allowedDomains: string[];
  };
  updatedAt: Date | null;
}

const DEFAULTS: SignInSettings = {
  totpRequired: false,
  oidc: {
    enabled: false,
    name: '',
    issuer: null,
    clientId: null,
    hasClientSecret: false,
    encryptedSecret: null,
    scopes: 'openid email profile',
    roleRules: [],
    communityRules: [],
    defaultRole: null,
    autoProvision: false,
    allowedDomains: [],
  },
  updatedAt: null,
};

interface Row {
  totp_required: boolean;
  oidc_enabled: boolean;
  oidc_name: string;
  oidc_issuer: string | null;
  oidc_client_id: string | null;
  oidc_client_secret: Buffer | null;
  oidc_scopes: string;
  oidc_role_rules: RoleRule[];
  oidc_community_rules: CommunityRule[];
  oidc_default_role: string | null;
  oidc_auto_provision: boolean;
  oidc_allowed_domains: string[];
  updated_at: Date;
}

export async function loadSignInSettings(db: Queryable, orgId: number): Promise<SignInSettings> {
  const r = await db.query<Row>('select * from sign_in_settings where org_id = $1', [orgId]);
  const row = r.rows[0];
  if (!row) return DEFAULTS;
  return {
    totpRequired: row.totp_required,
    oidc: {
      enabled: row.oidc_enabled,
      name: row.oidc_name,
      issuer: row.oidc_issuer,
      clientId: row.oidc_client_id,
      hasClientSecret: row.oidc_client_secret !== null,
      encryptedSecret: row.oidc_client_secret,
      scopes: row.oidc_scopes,
      roleRules: row.oidc_role_rules,
      communityRules: row.oidc_community_rules,
      defaultRole: row.oidc_default_role,
      autoProvision: row.oidc_auto_provision,
      allowedDomains: row.oidc_allowed_domains,
    },
    updatedAt: row.updated_at,
  };
}

/** Whether OpenID Connect sign-in can be offered: enabled and complete. */
export function oidcReady(s: SignInSettings): boolean {
  return s.oidc.enabled && s.oidc.issuer !== null && s.oidc.clientId !== null;
}

export function clientSecret(s: SignInSettings, keyring: Keyring): string | undefined {
  return s.oidc.encryptedSecret ? (keyring.decrypt(s.oidc.encryptedSecret) as string) : undefined;
}

/** What the API shows of the settings: everything but the client secret (only whether one is set). */
export function presentSignInSettings(s: SignInSettings) {
  return {
    totp_required: s.totpRequired,
    totp_required_roles: [...TOTP_REQUIRED_ROLES],
    oidc: {
      enabled: s.oidc.enabled,
      name: s.oidc.name,
      issuer: s.oidc.issuer,
      client_id: s.oidc.clientId,
      client_secret_set: s.oidc.hasClientSecret,
      scopes: s.oidc.scopes,
      role_rules: s.oidc.roleRules,
      community_rules: s.oidc.communityRules,
      default_role: s.oidc.defaultRole,
      auto_provision: s.oidc.autoProvision,
      allowed_domains: s.oidc.allowedDomains,
    },
    updated_at: s.updatedAt?.toISOString() ?? null,
  };
}

export async function saveSignInSettings(
  db: Queryable,
  keyring: Keyring,
  orgId: number,
  actorId: number,
  b: SignInSettingsBody,
): Promise<void> {
  const secret =
    b.oidc.client_secret === undefined ? undefined : b.oidc.client_secret && keyring.encrypt(b.oidc.client_secret);
  await db.query(
    `insert into sign_in_settings (org_id, totp_required, oidc_enabled, oidc_name, oidc_issuer, oidc_client_id,
       oidc_client_secret, oidc_scopes, oidc_role_rules, oidc_community_rules, oidc_default_role, oidc_auto_provision,
       oidc_allowed_domains, updated_at, updated_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now(), $14)
     on conflict (org_id) do update set totp_required = excluded.totp_required, oidc_enabled = excluded.oidc_enabled,
       oidc_name = excluded.oidc_name, oidc_issuer = excluded.oidc_issuer, oidc_client_id = excluded.oidc_client_id,
       oidc_client_secret = case when $15::boolean then excluded.oidc_client_secret else sign_in_settings.oidc_client_secret end,
       oidc_scopes = excluded.oidc_scopes, oidc_role_rules = excluded.oidc_role_rules,
       oidc_community_rules = excluded.oidc_community_rules, oidc_default_role = excluded.oidc_default_role,
       oidc_auto_provision = excluded.oidc_auto_provision, oidc_allowed_domains = excluded.oidc_allowed_domains,
       updated_at = now(), updated_by = excluded.updated_by`,
    [
      orgId,
      b.totp_required,
      b.oidc.enabled,
      b.oidc.name,
      b.oidc.issuer,
      b.oidc.client_id,
      secret ?? null,
      b.oidc.scopes,
      JSON.stringify(b.oidc.role_rules),
      JSON.stringify(b.oidc.community_rules),
      b.oidc.default_role,
      b.oidc.auto_provision,
      b.oidc.allowed_domains.map((d) => d.toLowerCase()),
      actorId,
      secret !== undefined,
    ],
  );
}

/** Whether a person of this role must have a second factor before working. */
export function totpRequiredFor(s: SignInSettings, role: string): boolean {
  return s.totpRequired && TOTP_REQUIRED_ROLES.has(role);
}
