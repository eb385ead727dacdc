import type { ExpertiseDefinition } from '../consults/seed.ts';
import type { CoverageDefinition } from '../coverage/seed.ts';
import type { PlaybookInput } from '../crisis/playbook.ts';
import type { GovernancePolicyInput } from '../governance/policy.ts';
import type { PublishingDefinition } from '../publishing/seed.ts';
import type { Rule } from '../routing/policy.ts';
import type { Shift } from '../routing/schedule.ts';

/** An organization described as data: what `seedOrganization` creates on a new database. */
export const ROLES = ['leader', 'manager', 'backup', 'expert', 'approver', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface OrganizationDefinition {
  slug: string;
  name: string;
  settings: Record<string, unknown>;
  teams: { slug: string; name: string; mission: string }[];
  brands: {
    slug: string;
    name: string;
    /** Lower-case terms that identify the brand in a message. */
    keywords: string[];
    /** Language of the community that takes every language without its own community. */
    fallbackLanguage: string;
    communities: { language: string; locale: string; handle: string; timezone?: string; defaultTeam?: string }[];
  }[];
  /** The first version of the routing policy. */
  routing?: Rule[];
  /** The first version of the governance policy (approvals, autonomy, guidelines). */
  governance?: GovernancePolicyInput;
  /** The expertise directory that consults pick from (seeded while the organization has none). */
  expertise?: readonly ExpertiseDefinition[];
  /** Crisis playbooks prepared in advance (each seeded once, by slug). */
  crisisPlaybooks?: readonly PlaybookInput[];
  /** Backups, off-duty policies, out-of-hours acknowledgements and on-call people (seeded while none exist). */
  coverage?: CoverageDefinition;
  /** Campaigns and scheduled posts (seeded while the organization has no campaign). */
  publishing?: PublishingDefinition;
  /** Canned replies for every community, by language (seeded while the organization has none). */
  cannedReplies?: Readonly<Record<string, readonly { title: string; body: string }[]>>;
  people: {
    email: string;
    name: string;
    role: Role;
    languages: string[];
    skills?: string[];
    teams: string[];
    leads?: string[];
    /** Community slugs (`<brand>-<language>`), or '*' for all. */
    communities: string[] | '*';
    autonomy?: 'trainee' | 'standard' | 'senior';
    locale: string;
    timezone?: string;
    /** Weekly shifts in the person's time zone. */
    schedule?: Shift[];
  }[];
}
