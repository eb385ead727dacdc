import { type Me, request } from '../../api.ts';

/** The sign-in API the web app uses beyond email and password: the code step, the authenticator app, SSO settings. */

export interface TotpStatus {
  enabled: boolean;
  required: boolean;
  enrolment_required: boolean;
  recovery_codes_left: number;
}

export interface TotpSetup {
  otpauth_uri: string;
  /** The key to type by hand (base32). */
  secret: string;
  qr_svg: string;
}

export interface ClaimRule {
  claim: string;
  value: string;
  role?: string;
  community?: string;
}

export interface SignInSettings {
  totp_required: boolean;
  totp_required_roles: string[];
  oidc: {
    enabled: boolean;
    name: string;
    issuer: string | null;
    client_id: string | null;
    client_secret_set: boolean;
    scopes: string;
    role_rules: (ClaimRule & { role: string })[];
    community_rules: (ClaimRule & { community: string })[];
    default_role: string | null;
    auto_provision: boolean;
    allowed_domains: string[];
  };
  updated_at: string | null;
}

export type SignInSettingsInput = {
  totp_required: boolean;
  oidc: Omit<SignInSettings['oidc'], 'client_secret_set'> & { client_secret?: string | null };
};

export const signInApi = {
  providers: (signal?: AbortSignal) =>
    request<{ password: boolean; oidc: { name: string } | null }>('GET', '/api/v1/auth/providers', {
      signal,
      allow401: true,
    }),
  secondFactor: (body: { code: string } | { recovery_code: string }) =>
    request<{ person: Me }>('POST', '/api/v1/auth/totp', { body, allow401: true }),
  totp: (signal?: AbortSignal) => request<TotpStatus>('GET', '/api/v1/me/totp', { signal }),
  setupTotp: () => request<TotpSetup>('POST', '/api/v1/me/totp/setup'),
  enableTotp: (code: string) =>
    request<{ recovery_codes: string[] }>('POST', '/api/v1/me/totp/enable', { body: { code } }),
  disableTotp: (body: { code: string } | { password: string }) =>
    request<void>('POST', '/api/v1/me/totp/disable', { body, allow401: true }),
  settings: (signal?: AbortSignal) => request<SignInSettings>('GET', '/api/v1/organization/sign-in', { signal }),
  saveSettings: (body: SignInSettingsInput) => request<SignInSettings>('PUT', '/api/v1/organization/sign-in', { body }),
};
