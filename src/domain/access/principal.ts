import type { Role } from '../organization/definition.ts';

/** Who is making a request: a signed-in person or an integration's API token. */
export interface PersonPrincipal {
  kind: 'person';
  id: number;
  orgId: number;
  name: string;
  email: string;
  role: Role;
  languages: string[];
  locale: string;
  timezone: string;
  autonomy: string;
  /** Communities the person works in; a leader works in all of them. */
  communityIds: Set<number>;
  teamIds: number[];
  sessionId: string;
  /** A session that may only set up a second factor (the organization requires one and it is not set up yet). */
  enrolOnly?: boolean;
}

export interface TokenPrincipal {
  kind: 'token';
  id: number;
  orgId: number;
  name: string;
  scopes: Set<string>;
}

export type Principal = PersonPrincipal | TokenPrincipal;

export const TOKEN_SCOPES = ['ingest', 'cases:read', 'links:write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
/** Named scope sets accepted by `passeur token create --scope`. */
export const SCOPE_SETS: Record<string, TokenScope[]> = {
  integration: ['ingest', 'cases:read', 'links:write'],
  ingest: ['ingest'],
  'cases:read': ['cases:read'],
  /** Back-office systems reporting the status of the records linked to cases. */
  'links:write': ['links:write'],
};
