/**
 * The database schema (DESIGN §1 words). Migrations under ./migrations are generated from this file by
 * `npm run db:generate` and reviewed; features add tables through new migrations when they land.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const created = () => ts('created_at').notNull().defaultNow();
const id64 = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
const ref64 = (name: string) => bigint(name, { mode: 'number' });
const orgId = () => integer('org_id').notNull();

export const organizations = pgTable('organizations', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** Topic taxonomy, defaults, feature settings. */
  settings: jsonb('settings').notNull().default({}),
  createdAt: created(),
});

export const brands = pgTable(
  'brands',
  {
    id: serial('id').primaryKey(),
    orgId: orgId(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** Terms that identify the brand in a message ("AirSocial Express", "@AirSocialExpress"). */
    keywords: text('keywords').array().notNull().default(sql`'{}'`),
    /** Where messages in a language without its own community go. */
    fallbackCommunityId: integer('fallback_community_id'),
    createdAt: created(),
  },
  (t) => [uniqueIndex('brands_org_slug').on(t.orgId, t.slug)],
);

export const teams = pgTable(
  'teams',
  {
    id: serial('id').primaryKey(),
    orgId: orgId(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    mission: text('mission').notNull().default(''),
    createdAt: created(),
  },
  (t) => [uniqueIndex('teams_org_slug').on(t.orgId, t.slug)],
);

export const communities = pgTable(
  'communities',
  {
    id: serial('id').primaryKey(),
    orgId: orgId(),
    brandId: integer('brand_id')
      .notNull()
      .references(() => brands.id),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** ISO 639-1 code of the community's language. */
    language: text('language').notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    locale: text('locale').notNull(),
    defaultTeamId: integer('default_team_id').references(() => teams.id),
    /** Business hours that SLA clocks count in; null: around the clock. */
    calendarId: integer('calendar_id'),
    slaPolicyId: integer('sla_policy_id'),
    settings: jsonb('settings').notNull().default({}),
    createdAt: created(),
  },
  (t) => [uniqueIndex('communities_org_slug').on(t.orgId, t.slug), index('communities_brand').on(t.brandId)],
);

export const people = pgTable(
  'people',
  {
    id: serial('id').primaryKey(),
    orgId: orgId(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** leader | manager | backup | expert | approver | viewer */
    role: text('role').notNull(),
    passwordHash: text('password_hash'),
    languages: text('languages').array().notNull().default(sql`'{}'`),
    skills: text('skills').array().notNull().default(sql`'{}'`),
    timezone: text('timezone').notNull().default('Europe/Paris'),
    locale: text('locale').notNull().default('en'),
    /** trainee | standard | senior: how much a person may send without approval. */
    autonomy: text('autonomy').notNull().default('standard'),
    /** Open cases a person can hold before assignment skips them. */
    capacity: integer('capacity').notNull().default(25),
    /**
     * Weekly shifts in the person's time zone: [{ "days": [1,2,3,4,5], "from": "07:00", "to": "15:00" }]
     * (days 1 = Monday … 7 = Sunday; a shift may end after midnight). Empty: never on duty by schedule.
     */
    schedule: jsonb('schedule').notNull().default([]),
    /** Explicit override of the schedule: true on duty, false off duty, null follow the schedule. */
    onDuty: boolean('on_duty'),
    /** For round-robin assignment: who waited longest gets the next case. */
    lastAssignedAt: ts('last_assigned_at'),
    /** Notification preferences, e.g. { "email": ["assigned", "mention", "sla_breach"] }. */
    notify: jsonb('notify').notNull().default({}),
    active: boolean('active').notNull().default(true),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: ts('locked_until'),
    lastLoginAt: ts('last_login_at'),
    /** The identity provider's issuer and subject of a person who signs in with OpenID Connect. */
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    /** Authenticator-app secret, encrypted with the keyring; never returned by the API. */
    totpSecret: bytea('totp_secret'),
    totpEnabled: boolean('totp_enabled').notNull().default(false),
    /** The last time step a code was accepted for: a code is never accepted twice. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    /** SHA-256 of the unused recovery codes. */
    totpRecoveryCodes: text('totp_recovery_codes').array().notNull().default(sql`'{}'`),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex('people_org_email').on(t.orgId, sql`lower(${t.email})`),
    uniqueIndex('people_oidc_identity').on(t.oidcIssuer, t.oidcSubject).where(sql`oidc_subject is not null`),
  ],
);

/** Which communities a person works in (leaders see all of them). */
export const personCommunities = pgTable(
  'person_communities',
  {
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.communityId] }),
    index('person_communities_community').on(t.communityId),
  ],
);

export const teamMembers = pgTable(
  'team_members',
  {
    teamId: integer('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    isLead: boolean('is_lead').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.personId] }), index('team_members_person').on(t.personId)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie value; the value itself is never stored. */
    id: text('id').primaryKey(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    createdAt: created(),
    expiresAt: ts('expires_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** password | password+totp | oidc */
    method: text('method').notNull().default('password'),
    /** full, or enrol: the person must set up a second factor before anything else. */
    stage: text('stage').notNull().default('full'),
  },
  (t) => [index('sessions_person').on(t.personId)],
);

/** How people of an organization sign in: an OpenID Connect provider, and whether leaders and approvers need TOTP. */
export const signInSettings = pgTable('sign_in_settings', {
  orgId: integer('org_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  totpRequired: boolean('totp_required').notNull().default(false),
  oidcEnabled: boolean('oidc_enabled').notNull().default(false),
  oidcName: text('oidc_name').notNull().default(''),
  oidcIssuer: text('oidc_issuer'),
  oidcClientId: text('oidc_client_id'),
  /** Encrypted with the keyring; write-only through the API. */
  oidcClientSecret: bytea('oidc_client_secret'),
  oidcScopes: text('oidc_scopes').notNull().default('openid email profile'),
  /** [{ "claim": "groups", "value": "passeur-leaders", "role": "leader" }], first match wins. */
  oidcRoleRules: jsonb('oidc_role_rules').notNull().default([]),
  /** [{ "claim": "groups", "value": "care-fr", "community": "fr" }], every match applies. */
  oidcCommunityRules: jsonb('oidc_community_rules').notNull().default([]),
  oidcDefaultRole: text('oidc_default_role'),
  oidcAutoProvision: boolean('oidc_auto_provision').notNull().default(false),
  oidcAllowedDomains: text('oidc_allowed_domains').array().notNull().default(sql`'{}'`),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  updatedBy: integer('updated_by').references(() => people.id, { onDelete: 'set null' }),
});

/** Sign-ins under way (an OpenID Connect round trip, a password waiting for its second factor). */
export const signInFlows = pgTable(
  'sign_in_flows',
  {
    /** SHA-256 of the cookie value. */
    id: text('id').primaryKey(),
    /** oidc | totp */
    kind: text('kind').notNull(),
    orgId: integer('org_id').notNull(),
    personId: integer('person_id').references(() => people.id, { onDelete: 'cascade' }),
    data: jsonb('data').notNull().default({}),
    attempts: integer('attempts').notNull().default(0),
    createdAt: created(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sign_in_flows_expires').on(t.expiresAt)],
);

export const apiTokens = pgTable('api_tokens', {
  id: serial('id').primaryKey(),
  orgId: orgId(),
  name: text('name').notNull(),
  /** SHA-256 of the token; the token is shown once and never stored. */
  tokenHash: text('token_hash').notNull().unique(),
  scopes: text('scopes').array().notNull(),
  createdAt: created(),
  lastUsedAt: ts('last_used_at'),
  revokedAt: ts('revoked_at'),
});

/** A brand identity on a network (or a monitoring query); Passeur never holds personal accounts. */
export const channelAccounts = pgTable(
  'channel_accounts',
  {
    id: serial('id').primaryKey(),
    orgId: orgId(),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id),
    network: text('network').notNull(),
    handle: text('handle').notNull(),
    displayName: text('display_name').notNull().default(''),
    /** account: the brand's own account; monitor: a listening query (feeds, keywords). */
    kind: text('kind').notNull().default('account'),
    config: jsonb('config').notNull().default({}),
    /** Encrypted credentials; never returned by the API. */
    credentials: bytea('credentials'),
    status: text('status').notNull().default('active'),
    paused: boolean('paused').notNull().default(false),
    cursor: jsonb('cursor'),
    lastSuccessAt: ts('last_success_at'),
    lastError: text('last_error'),
    lastErrorAt: ts('last_error_at'),
    failureCount: integer('failure_count').notNull().default(0),
    createdAt: created(),
  },
  (t) => [uniqueIndex('channel_accounts_handle').on(t.orgId, t.network, sql`lower(${t.handle})`)],
);

export const contacts = pgTable('contacts', {
  id: id64(),
  orgId: orgId(),
  displayName: text('display_name').notNull(),
  vip: boolean('vip').notNull().default(false),
  notes: text('notes').notNull().default(''),
  mergedInto: ref64('merged_into'),
  createdAt: created(),
});

export const contactIdentities = pgTable(
  'contact_identities',
  {
    id: id64(),
    orgId: orgId(),
    contactId: ref64('contact_id')
      .notNull()
      .references(() => contacts.id),
    channel: text('channel').notNull(),
    handle: text('handle').notNull(),
    name: text('name'),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex('contact_identities_handle').on(t.orgId, t.channel, t.handle),
    index('contact_identities_contact').on(t.contactId),
  ],
);

/**
 * Besides these columns, `cases.search` (tsvector of the customer messages, GIN-indexed) is maintained by
 * ingest, merge and split; it is created by the custom migration 0008_case_search.sql.
 */
export const cases = pgTable(
  'cases',
  {
    id: id64(),
    orgId: orgId(),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id),
    contactId: ref64('contact_id')
      .notNull()
      .references(() => contacts.id),
    /** new | open | waiting_customer | waiting_internal | resolved | closed */
    status: text('status').notNull().default('new'),
    /** low | normal | high | urgent */
    priority: text('priority').notNull().default('normal'),
    teamId: integer('team_id').references(() => teams.id),
    assigneeId: integer('assignee_id').references(() => people.id),
    tags: text('tags').array().notNull().default(sql`'{}'`),
    channel: text('channel').notNull(),
    accountId: integer('account_id').references(() => channelAccounts.id),
    language: text('language'),
    subject: text('subject').notNull().default(''),
    /** Triage of the case's latest customer message, kept here so the inbox filters without joins. */
    sentiment: text('sentiment'),
    intent: text('intent'),
    topics: text('topics').array().notNull().default(sql`'{}'`),
    urgency: text('urgency').notNull().default('normal'),
    /** Why routing chose team/assignee/priority: rule and matched conditions. */
    routing: jsonb('routing').notNull().default({}),
    messageCount: integer('message_count').notNull().default(0),
    reopenedCount: integer('reopened_count').notNull().default(0),
    createdAt: created(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    lastInboundAt: ts('last_inbound_at'),
    lastOutboundAt: ts('last_outbound_at'),
    firstResponseDueAt: ts('first_response_due_at'),
    firstRespondedAt: ts('first_responded_at'),
    /** Due time of the answer to the customer's latest unanswered message (after the first response). */
    nextResponseDueAt: ts('next_response_due_at'),
    resolutionDueAt: ts('resolution_due_at'),
    /** Set while the resolution clock is paused (waiting for the customer). */
    slaPausedAt: ts('sla_paused_at'),
    slaPolicyId: integer('sla_policy_id'),
    /** How many escalation steps have run (raise priority, reassign, notify the lead). */
    escalationLevel: integer('escalation_level').notNull().default(0),
    /** When the assignee was set; unanswered assignments are reassigned after the rule's delay. */
    assignedAt: ts('assigned_at'),
    mergedInto: ref64('merged_into'),
    resolvedAt: ts('resolved_at'),
    closedAt: ts('closed_at'),
    /** When the retention policy anonymized the case's content (its skeleton stays for reports). */
    anonymizedAt: ts('anonymized_at'),
  },
  (t) => [
    // The inbox lists active cases newest first: partial indexes over the active ones stay small however
    // much history accumulates. Ascending, scanned backwards: that is `desc nulls first`, the order queries ask.
    index('cases_active_updated2')
      .on(t.orgId, t.updatedAt, t.id)
      .where(sql`status in ('new', 'open', 'waiting_customer', 'waiting_internal')`),
    index('cases_active_assignee2')
      .on(t.assigneeId, t.updatedAt, t.id)
      .where(sql`status in ('new', 'open', 'waiting_customer', 'waiting_internal')`),
    index('cases_active_team2')
      .on(t.teamId, t.updatedAt, t.id)
      .where(sql`status in ('new', 'open', 'waiting_customer', 'waiting_internal')`),
    // The counts of the inbox views, read from the index alone (no heap visit) for the active cases.
    index('cases_active_counts')
      .on(t.orgId, t.communityId, t.status, t.assigneeId, t.teamId, t.channel, t.firstRespondedAt, t.firstResponseDueAt)
      .where(sql`status in ('new', 'open', 'waiting_customer', 'waiting_internal')`),
    index('cases_contact').on(t.contactId),
    index('cases_retention')
      .on(sql`coalesce(${t.closedAt}, ${t.resolvedAt})`)
      .where(sql`anonymized_at is null and status in ('resolved', 'closed')`),
    index('cases_org_updated').on(t.orgId, t.updatedAt, t.id),
    index('cases_first_response_due')
      .on(t.firstResponseDueAt)
      .where(sql`first_responded_at is null and status in ('new', 'open', 'waiting_internal')`),
    index('cases_next_response_due')
      .on(t.nextResponseDueAt)
      .where(sql`next_response_due_at is not null and status in ('new', 'open', 'waiting_internal')`),
    index('cases_resolution_due').on(t.resolutionDueAt).where(sql`status not in ('resolved', 'closed')`),
    // Reports (migration 0012): cases by when they were created and resolved.
    index('cases_org_created').on(t.orgId, t.createdAt),
    index('cases_org_resolved').on(t.orgId, t.resolvedAt).where(sql`resolved_at is not null`),
  ],
);

/** A thread of messages on one channel; several conversations may feed one case. */
export const conversations = pgTable(
  'conversations',
  {
    id: id64(),
    orgId: orgId(),
    channel: text('channel').notNull(),
    /** external_id of the thread's first message (or of the unknown post it replies to). */
    rootExternalId: text('root_external_id').notNull(),
    contactId: ref64('contact_id')
      .notNull()
      .references(() => contacts.id),
    caseId: ref64('case_id')
      .notNull()
      .references(() => cases.id),
    accountId: integer('account_id').references(() => channelAccounts.id),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex('conversations_root').on(t.orgId, t.channel, t.rootExternalId, t.contactId),
    index('conversations_case').on(t.caseId),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: id64(),
    orgId: orgId(),
    channel: text('channel').notNull(),
    /** The network's id; null for a reply not yet delivered and for internal notes. */
    externalId: text('external_id'),
    conversationId: ref64('conversation_id').references(() => conversations.id),
    caseId: ref64('case_id')
      .notNull()
      .references(() => cases.id),
    accountId: integer('account_id').references(() => channelAccounts.id),
    contactId: ref64('contact_id').references(() => contacts.id),
    /** in: from a customer; out: from the brand; note: internal, never published. */
    direction: text('direction').notNull(),
    /** post | reply | dm | email | article | note */
    kind: text('kind').notNull().default('post'),
    authorHandle: text('author_handle').notNull().default(''),
    authorName: text('author_name'),
    personId: integer('person_id').references(() => people.id),
    text: text('text').notNull(),
    inReplyTo: text('in_reply_to'),
    /** When the network says it was written. */
    createdAt: ts('created_at').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    lang: text('lang'),
    sentiment: text('sentiment'),
    sentimentScore: real('sentiment_score'),
    intent: text('intent'),
    topics: text('topics').array(),
    urgency: text('urgency'),
    sensitive: text('sensitive').array(),
    /** Confidences and explanations of each triage label. */
    triage: jsonb('triage'),
    meta: jsonb('meta'),
  },
  (t) => [
    uniqueIndex('messages_external').on(t.orgId, t.channel, t.externalId),
    index('messages_case').on(t.caseId, t.id),
    index('messages_conversation').on(t.conversationId),
    index('messages_contact').on(t.contactId, t.id),
    // Reports (migration 0012): messages by when they were written.
    index('messages_org_created').on(t.orgId, t.createdAt),
  ],
);

/** Case timeline: status changes, assignments, routing decisions, notes (no customer text). */
export const caseEvents = pgTable(
  'case_events',
  {
    id: id64(),
    orgId: orgId(),
    caseId: ref64('case_id')
      .notNull()
      .references(() => cases.id),
    at: ts('at').notNull().defaultNow(),
    actorPersonId: integer('actor_person_id').references(() => people.id),
    kind: text('kind').notNull(),
    data: jsonb('data').notNull().default({}),
  },
  (t) => [index('case_events_case').on(t.caseId, t.at)],
);

/** Durable outbound queue: a row is written in the same transaction as the reply, sent after commit. */
export const outbox = pgTable(
  'outbox',
  {
    id: id64(),
    orgId: orgId(),
    /** Null for a scheduled post (publishing, migration 0022). */
    messageId: ref64('message_id').references(() => messages.id),
    caseId: ref64('case_id').references(() => cases.id),
    accountId: integer('account_id')
      .notNull()
      .references(() => channelAccounts.id),
    network: text('network').notNull(),
    /** Sent to the network where it supports one, so a retry never publishes twice. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    payload: jsonb('payload').notNull(),
    /** pending | sending | sent | failed | cancelled. While sending, not_before is the claim's lease expiry. */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    notBefore: ts('not_before').notNull().defaultNow(),
    lastError: text('last_error'),
    externalId: text('external_id'),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: created(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    index('outbox_due').on(t.notBefore).where(sql`status in ('pending', 'sending')`),
    index('outbox_message').on(t.messageId),
  ],
);

/** What the built-in sandbox network has "published". */
export const sandboxPosts = pgTable('sandbox_posts', {
  id: id64(),
  accountHandle: text('account_handle').notNull(),
  externalId: text('external_id').notNull().unique(),
  inReplyTo: text('in_reply_to'),
  visibility: text('visibility').notNull().default('public'),
  text: text('text').notNull(),
  idempotencyKey: text('idempotency_key').notNull().unique(),
  postedAt: ts('posted_at').notNull().defaultNow(),
});

/** Inbound payloads that failed validation, kept with the reason so they can be replayed after a fix. */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: id64(),
    orgId: integer('org_id'),
    source: text('source').notNull(),
    reason: text('reason').notNull(),
    payload: text('payload').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    replayedAt: ts('replayed_at'),
    replayResult: text('replay_result'),
  },
  (t) => [index('dead_letters_received').on(t.receivedAt)],
);

/** Append-only, hash-chained record of actions. Refers to records by id and holds no customer text. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: id64(),
    orgId: orgId(),
    at: ts('at').notNull().defaultNow(),
    actorPersonId: integer('actor_person_id'),
    actorTokenId: integer('actor_token_id'),
    /** The brand account acted as, for outbound actions. */
    accountId: integer('account_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    data: jsonb('data').notNull().default({}),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_events_at').on(t.orgId, t.at),
    // Audit search (migration 0011): by actor and by action.
    index('audit_events_org_actor').on(t.orgId, t.actorPersonId, t.id),
    index('audit_events_org_action').on(t.orgId, t.action, t.id),
  ],
);

/** Routing rules, versioned: each save is a new version; the highest version is in force. */
export const routingPolicies = pgTable(
  'routing_policies',
  {
    id: serial('id').primaryKey(),
    orgId: orgId(),
    version: integer('version').notNull(),
    /** Ordered rules: [{ id, name, enabled, when: {...}, actions: {...} }]; see src/domain/routing/policy.ts. */
    rules: jsonb('rules').notNull(),
    note: text('note').notNull().default(''),
    createdBy: integer('created_by'),
    createdAt: created(),
  },
  (t) => [uniqueIndex('routing_policies_version').on(t.orgId, t.version)],
);

/** Response-time targets, in minutes, per priority. */
export const slaPolicies = pgTable('sla_policies', {
  id: serial('id').primaryKey(),
  orgId: orgId(),
  name: text('name').notNull(),
  /** { "first_response": { "urgent": 15, … }, "next_response": {…}, "resolution": {…} } */
  targets: jsonb('targets').notNull(),
  /** Minutes before a deadline at which a warning is raised. */
  warnBeforeMinutes: integer('warn_before_minutes').notNull().default(15),
  /** Escalation steps on breach: [{ "after_minutes": 0, "raise_priority": true, "notify": "team_lead" }, …] */
  escalation: jsonb('escalation').notNull().default([]),
  createdAt: created(),
});

/** Business hours and holidays that SLA clocks count in. */
export const calendars = pgTable('calendars', {
  id: serial('id').primaryKey(),
  orgId: orgId(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull(),
  /** { "1": [["08:00", "18:00"]], …, "7": [] } with 1 = Monday. */
  hours: jsonb('hours').notNull(),
  /** ["2026-12-25", …] in the calendar's time zone. */
  holidays: jsonb('holidays').notNull().default([]),
  createdAt: created(),
});

/** SLA warnings and breaches; one row per (case, clock, kind, deadline), so a timer never fires twice. */
export const slaEvents = pgTable(
  'sla_events',
  {
    id: id64(),
    orgId: orgId(),
    caseId: ref64('case_id')
      .notNull()
      .references(() => cases.id),
    /** first_response | next_response | resolution */
    clock: text('clock').notNull(),
    /** warning | breach */
    kind: text('kind').notNull(),
    dueAt: ts('due_at').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sla_events_once').on(t.caseId, t.clock, t.kind, t.dueAt),
    index('sla_events_at').on(t.orgId, t.at),
  ],
);

/** What a person is told about: assignments, mentions, SLA warnings and breaches. */
export const notifications = pgTable(
  'notifications',
  {
    id: id64(),
    orgId: orgId(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    kind: text('kind').notNull(),
    caseId: ref64('case_id').references(() => cases.id),
    data: jsonb('data').notNull().default({}),
    createdAt: created(),
    readAt: ts('read_at'),
    /** pending | sent | skipped | failed — for people who want this kind by email. */
    emailStatus: text('email_status'),
    emailAttempts: integer('email_attempts').notNull().default(0),
  },
  (t) => [
    index('notifications_person').on(t.personId, t.id),
    index('notifications_email').on(t.id).where(sql`email_status = 'pending'`),
  ],
);

/** Canned replies per community (or all) and language, with {{variables}}. */
export const cannedReplies = pgTable(
  'canned_replies',
  {
    id: serial('id').primaryKey(),
    orgId: orgId(),
    communityId: integer('community_id').references(() => communities.id),
    language: text('language').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdBy: integer('created_by'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('canned_replies_lookup').on(t.orgId, t.language)],
);

/** A person's saved inbox filters (or shared with everyone). */
export const savedViews = pgTable('saved_views', {
  id: serial('id').primaryKey(),
  orgId: orgId(),
  personId: integer('person_id')
    .notNull()
    .references(() => people.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  query: jsonb('query').notNull(),
  shared: boolean('shared').notNull().default(false),
  createdAt: created(),
});

/** A case followed in another system (CRM, helpdesk): its id, link and last known status. */
export const caseLinks = pgTable(
  'case_links',
  {
    id: serial('id').primaryKey(),
    orgId: orgId(),
    caseId: ref64('case_id')
      .notNull()
      .references(() => cases.id),
    system: text('system').notNull(),
    externalId: text('external_id').notNull(),
    url: text('url'),
    status: text('status'),
    statusAt: ts('status_at'),
    createdBy: integer('created_by'),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex('case_links_external').on(t.orgId, t.system, t.externalId),
    index('case_links_case').on(t.caseId),
  ],
);

/**
 * A customer's suggestion forwarded from cases to the innovation backlog. Votes are the distinct customers of
 * its linked cases (`idea_cases` joined to `cases.contact_id`), computed when read.
 */
export const ideas = pgTable(
  'ideas',
  {
    id: id64(),
    orgId: orgId(),
    communityId: integer('community_id').references(() => communities.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    topic: text('topic'),
    /** new | under_review | planned | accepted | declined | done */
    status: text('status').notNull().default('new'),
    /** What agents can tell customers ("planned for the spring release"). */
    statusNote: text('status_note').notNull().default(''),
    ownerTeamId: integer('owner_team_id').references(() => teams.id, { onDelete: 'set null' }),
    /** Folded words and word pairs of the title and description, for "similar ideas". */
    terms: text('terms').array().notNull().default(sql`'{}'`),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: created(),
    statusAt: ts('status_at'),
    statusBy: integer('status_by').references(() => people.id),
    /** The first time the idea was planned, accepted or done. */
    acceptedAt: ts('accepted_at'),
  },
  (t) => [
    index('ideas_org_status').on(t.orgId, t.status),
    index('ideas_org_created').on(t.orgId, t.createdAt),
    index('ideas_terms').using('gin', t.terms),
    check('ideas_status', sql`${t.status} in ('new', 'under_review', 'planned', 'accepted', 'declined', 'done')`),
  ],
);

/** A recurring problem raised from cases to quality; its status and note show on every linked case. */
export const incidents = pgTable(
  'incidents',
  {
    id: id64(),
    orgId: orgId(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    topic: text('topic'),
    /** open | investigating | fixed | closed */
    status: text('status').notNull().default('open'),
    /** What agents can tell customers ("fixed in app 5.2"). */
    statusNote: text('status_note').notNull().default(''),
    ownerTeamId: integer('owner_team_id').references(() => teams.id, { onDelete: 'set null' }),
    terms: text('terms').array().notNull().default(sql`'{}'`),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: created(),
    statusAt: ts('status_at'),
    statusBy: integer('status_by').references(() => people.id),
    /** The first time the incident was marked fixed. */
    fixedAt: ts('fixed_at'),
  },
  (t) => [
    index('incidents_org_status').on(t.orgId, t.status),
    index('incidents_org_created').on(t.orgId, t.createdAt),
    index('incidents_terms').using('gin', t.terms),
    check('incidents_status', sql`${t.status} in ('open', 'investigating', 'fixed', 'closed')`),
  ],
);

export const ideaCases = pgTable(
  'idea_cases',
  {
    ideaId: ref64('idea_id')
      .notNull()
      .references(() => ideas.id, { onDelete: 'cascade' }),
    caseId: ref64('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    orgId: orgId(),
    linkedBy: integer('linked_by').references(() => people.id),
    linkedAt: ts('linked_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'idea_cases_pk', columns: [t.ideaId, t.caseId] }),
    index('idea_cases_case').on(t.caseId),
    index('idea_cases_org_linked').on(t.orgId, t.linkedAt),
  ],
);

export const incidentCases = pgTable(
  'incident_cases',
  {
    incidentId: ref64('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    caseId: ref64('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    orgId: orgId(),
    linkedBy: integer('linked_by').references(() => people.id),
    linkedAt: ts('linked_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'incident_cases_pk', columns: [t.incidentId, t.caseId] }),
    index('incident_cases_case').on(t.caseId),
    index('incident_cases_org_linked').on(t.orgId, t.linkedAt),
  ],
);

/** Outgoing webhooks: signed POSTs of case events to another system. */
export const webhooks = pgTable('webhooks', {
  id: serial('id').primaryKey(),
  orgId: orgId(),
  url: text('url').notNull(),
  /** HMAC-SHA256 key; never returned by the API after creation. */
  secret: text('secret').notNull(),
  events: text('events').array().notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: created(),
});

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id64(),
    orgId: orgId(),
    webhookId: integer('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    payload: jsonb('payload').notNull(),
    /** pending | sending | delivered | failed */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    notBefore: ts('not_before').notNull().defaultNow(),
    responseStatus: integer('response_status'),
    lastError: text('last_error'),
    createdAt: created(),
    deliveredAt: ts('delivered_at'),
  },
  (t) => [index('webhook_deliveries_due').on(t.notBefore).where(sql`status in ('pending', 'sending')`)],
);

/** A person's correction of one triage label of a message; the organization's model learns from them. */
export const triageCorrections = pgTable(
  'triage_corrections',
  {
    id: id64(),
    orgId: orgId(),
    messageId: ref64('message_id')
      .notNull()
      .references(() => messages.id),
    personId: integer('person_id').references(() => people.id),
    /** lang | sentiment | intent | topics | team */
    field: text('field').notNull(),
    /** The label before the correction and the corrected one. */
    previous: jsonb('previous'),
    value: jsonb('value').notNull(),
    createdAt: created(),
  },
  (t) => [index('triage_corrections_org').on(t.orgId, t.id), index('triage_corrections_message').on(t.messageId)],
);

/** The organization's trained triage models; the newest active one is used by every process. */
export const triageModels = pgTable(
  'triage_models',
  {
    id: serial('id').primaryKey(),
    orgId: orgId(),
    modelId: text('model_id').notNull(),
    trainedAt: ts('trained_at').notNull().defaultNow(),
    /** Corrections used (the highest correction id included). */
    examples: integer('examples').notNull(),
    lastCorrectionId: ref64('last_correction_id').notNull(),
    /** Held-back scores before and after, per corrected field. */
    result: jsonb('result').notNull(),
    /** The model's files, by name (base64), so every process can load it from the database. */
    files: jsonb('files').notNull(),
    active: boolean('active').notNull().default(true),
  },
  (t) => [index('triage_models_org').on(t.orgId, t.id)],
);

/** Crisis mode (migration 0013): detector alerts, playbooks, declared crises, their reversible changes and timeline. */
export const crisisAlerts = pgTable(
  'crisis_alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: orgId().references(() => organizations.id),
    communityId: integer('community_id').references(() => communities.id),
    /** volume | negative_share | new_terms */
    kind: text('kind').notNull(),
    score: real('score').notNull(),
    detectedAt: ts('detected_at').notNull(),
    /** The detector's evidence, the volume series, top terms and sample message ids. */
    evidence: jsonb('evidence').notNull(),
    /** open | dismissed | declared */
    status: text('status').notNull().default('open'),
    crisisId: integer('crisis_id'),
    createdAt: created(),
  },
  (t) => [index('crisis_alerts_org').on(t.orgId, t.id)],
);

export const crisisPlaybooks = pgTable(
  'crisis_playbooks',
  {
    id: serial('id').primaryKey(),
    orgId: orgId().references(() => organizations.id),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    definition: jsonb('definition').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('crisis_playbooks_slug').on(t.orgId, t.slug)],
);

export const crises = pgTable(
  'crises',
  {
    id: serial('id').primaryKey(),
    orgId: orgId().references(() => organizations.id),
    title: text('title').notNull(),
    playbookId: integer('playbook_id').references(() => crisisPlaybooks.id),
    /** The playbook as applied (a later edit of the playbook does not change a crisis in progress). */
    playbook: jsonb('playbook').notNull(),
    alertId: ref64('alert_id').references(() => crisisAlerts.id),
    communityIds: integer('community_ids').array().notNull().default(sql`'{}'`),
    /** active | stood_down */
    status: text('status').notNull().default('active'),
    declaredBy: integer('declared_by').references(() => people.id),
    declaredAt: ts('declared_at').notNull().defaultNow(),
    stoodDownBy: integer('stood_down_by').references(() => people.id),
    stoodDownAt: ts('stood_down_at'),
  },
  (t) => [uniqueIndex('crises_one_active').on(t.orgId).where(sql`status = 'active'`)],
);

export const crisisChanges = pgTable(
  'crisis_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    crisisId: integer('crisis_id')
      .notNull()
      .references(() => crises.id),
    /** duty | canned_reply | routing | setting | approvals | scheduled_posts */
    kind: text('kind').notNull(),
    target: text('target').notNull(),
    previous: jsonb('previous'),
    applied: jsonb('applied'),
    appliedAt: ts('applied_at').notNull().defaultNow(),
    revertedAt: ts('reverted_at'),
    revertNote: text('revert_note'),
  },
  (t) => [index('crisis_changes_crisis').on(t.crisisId, t.id)],
);

export const crisisTimeline = pgTable(
  'crisis_timeline',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    crisisId: integer('crisis_id')
      .notNull()
      .references(() => crises.id),
    at: ts('at').notNull().defaultNow(),
    kind: text('kind').notNull(),
    personId: integer('person_id').references(() => people.id),
    data: jsonb('data').notNull().default({}),
  },
  (t) => [index('crisis_timeline_crisis').on(t.crisisId, t.id)],
);

/** Governance (migration 0010): the approval policy, autonomy levels and guidelines, versioned like routing. */
export const governancePolicies = pgTable(
  'governance_policies',
  {
    id: serial('id').primaryKey(),
    orgId: orgId().references(() => organizations.id),
    version: integer('version').notNull(),
    /** { autonomy, approvals, guidelines }; see src/domain/governance/policy.ts. */
    policy: jsonb('policy').notNull(),
    note: text('note').notNull().default(''),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: created(),
  },
  (t) => [uniqueIndex('governance_policies_version').on(t.orgId, t.version)],
);

/** A reply waiting for approval; the account (identity) is fixed when it is requested. */
export const approvalRequests = pgTable(
  'approval_requests',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    orgId: orgId().references(() => organizations.id),
    caseId: ref64('case_id').notNull(),
    communityId: integer('community_id').notNull(),
    authorId: integer('author_id')
      .notNull()
      .references(() => people.id),
    accountId: integer('account_id').notNull(),
    text: text('text').notNull(),
    originalText: text('original_text').notNull(),
    resolve: boolean('resolve').notNull().default(false),
    visibility: text('visibility').notNull().default('public'),
    overrideReason: text('override_reason'),
    policyVersion: integer('policy_version').notNull(),
    ruleId: text('rule_id').notNull(),
    ruleName: text('rule_name').notNull(),
    reasons: jsonb('reasons').notNull().default([]),
    required: integer('required').notNull(),
    /** any: `required` approvals from the group; all: every named approver. */
    mode: text('mode').notNull(),
    approverRoles: text('approver_roles').array().notNull().default(sql`'{}'`),
    approverIds: integer('approver_ids').array().notNull().default(sql`'{}'`),
    /** Guideline warnings the author acknowledged. */
    warnings: jsonb('warnings').notNull().default([]),
    /** pending | approved | rejected | cancelled */
    status: text('status').notNull().default('pending'),
    dueAt: ts('due_at').notNull(),
    createdAt: created(),
    decidedAt: ts('decided_at'),
    decidedBy: integer('decided_by').references(() => people.id),
    note: text('note'),
    /** The outbound message once approved. */
    messageId: ref64('message_id'),
  },
  (t) => [
    index('approval_requests_pending').on(t.orgId, t.dueAt).where(sql`status = 'pending'`),
    index('approval_requests_org_created').on(t.orgId, t.createdAt),
    index('approval_requests_case').on(t.caseId),
  ],
);

export const approvalDecisions = pgTable(
  'approval_decisions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    requestId: ref64('request_id')
      .notNull()
      .references(() => approvalRequests.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    /** approve | reject */
    decision: text('decision').notNull(),
    edited: boolean('edited').notNull().default(false),
    note: text('note'),
    createdAt: created(),
  },
  (t) => [uniqueIndex('approval_decisions_once').on(t.requestId, t.personId)],
);

/** Consults (migration 0011): the expertise directory and questions from a case to an expert or a team. */
export const expertise = pgTable(
  'expertise',
  {
    id: serial('id').primaryKey(),
    orgId: orgId(),
    /** Exactly one of person and team. */
    personId: integer('person_id').references(() => people.id, { onDelete: 'cascade' }),
    teamId: integer('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    topics: text('topics').array().notNull().default(sql`'{}'`),
    languages: text('languages').array().notNull().default(sql`'{}'`),
    /** Free text: "weekdays 08:00–17:00", "answers within 2 h". */
    availability: text('availability').notNull().default(''),
    active: boolean('active').notNull().default(true),
    createdAt: created(),
  },
  (t) => [index('expertise_org').on(t.orgId, t.id)],
);

export const consults = pgTable(
  'consults',
  {
    id: id64(),
    orgId: orgId(),
    caseId: ref64('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    askerId: integer('asker_id')
      .notNull()
      .references(() => people.id),
    expertiseId: integer('expertise_id'),
    /** Exactly one of expert person and expert team. */
    expertPersonId: integer('expert_person_id').references(() => people.id),
    expertTeamId: integer('expert_team_id').references(() => teams.id),
    /** The team whose turnaround this consult counts in (the asked team, else the expert's first team). */
    teamId: integer('team_id'),
    question: text('question').notNull(),
    /** What the asker chose to share from the case; the expert sees nothing else of it. */
    excerpt: text('excerpt').notNull().default(''),
    dueAt: ts('due_at').notNull(),
    /** open | answered | cancelled */
    status: text('status').notNull().default('open'),
    answer: text('answer'),
    answeredBy: integer('answered_by'),
    answeredAt: ts('answered_at'),
    /** The private note the answer became in the case. */
    noteMessageId: ref64('note_message_id'),
    remindedAt: ts('reminded_at'),
    escalatedAt: ts('escalated_at'),
    createdAt: created(),
  },
  (t) => [
    index('consults_case').on(t.caseId, t.id),
    index('consults_expert_person').on(t.expertPersonId, t.id),
    index('consults_expert_team').on(t.expertTeamId, t.id),
    index('consults_open_due').on(t.dueAt).where(sql`status = 'open'`),
    index('consults_org_created').on(t.orgId, t.createdAt),
  ],
);

/** Replies to consult emails read from the reply mailbox (migration 0024): accepted, or refused with the reason. */
export const consultEmailReplies = pgTable(
  'consult_email_replies',
  {
    id: id64(),
    orgId: integer('org_id'),
    /** The Message-ID, else a digest of the message: each email is handled once. */
    messageKey: text('message_key').notNull(),
    consultId: ref64('consult_id'),
    fromAddress: text('from_address').notNull().default(''),
    personId: integer('person_id'),
    /** accepted | rejected */
    outcome: text('outcome').notNull(),
    reason: text('reason'),
    /** The answer read from a refused reply (capped), for whoever looks into it. */
    text: text('text').notNull().default(''),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('consult_email_replies_message').on(t.messageKey),
    index('consult_email_replies_received').on(t.receivedAt),
  ],
);

/** Where a reader of one of Passeur's own mailboxes is (migration 0024): UIDs under one UIDVALIDITY. */
export const mailboxCursors = pgTable('mailbox_cursors', {
  name: text('name').primaryKey(),
  uidValidity: text('uid_validity').notNull(),
  lastUid: bigint('last_uid', { mode: 'number' }).notNull(),
  syncedAt: ts('synced_at').notNull().defaultNow(),
});

/** Coverage calendar (migration 0016): absences of people and public holidays, honoured wherever duty is computed. */
export const absences = pgTable(
  'absences',
  {
    id: serial('id').primaryKey(),
    orgId: orgId().references(() => organizations.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    /** holiday | sick | training | other */
    reason: text('reason').notNull().default('other'),
    note: text('note').notNull().default(''),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: created(),
  },
  (t) => [
    index('absences_person').on(t.personId, t.endsAt),
    index('absences_org_period').on(t.orgId, t.endsAt, t.startsAt),
    check('absences_period', sql`${t.endsAt} > ${t.startsAt}`),
    check('absences_reason', sql`${t.reason} in ('holiday', 'sick', 'training', 'other')`),
  ],
);

/**
 * Public holidays, per local date: of the whole organization (community null) or of one community. When
 * `cancelsShifts`, nobody works a shift that starts that day (in their own time zone) unless set on duty by hand.
 */
export const holidays = pgTable(
  'holidays',
  {
    id: serial('id').primaryKey(),
    orgId: orgId().references(() => organizations.id),
    date: date('date', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
    communityId: integer('community_id').references(() => communities.id, { onDelete: 'cascade' }),
    cancelsShifts: boolean('cancels_shifts').notNull().default(true),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: created(),
  },
  (t) => [uniqueIndex('holidays_org_date_scope').on(t.orgId, t.date, sql`coalesce(${t.communityId}, 0)`)],
);

/** A person's backups, in order: who takes over their open cases when they are off duty (migration 0017). */
export const personBackups = pgTable(
  'person_backups',
  {
    orgId: orgId().references(() => organizations.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    backupId: integer('backup_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    rank: integer('rank').notNull(),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: created(),
  },
  (t) => [
    primaryKey({ name: 'person_backups_pk', columns: [t.personId, t.backupId] }),
    uniqueIndex('person_backups_person_rank').on(t.personId, t.rank),
    index('person_backups_backup').on(t.backupId),
    check('person_backups_not_self', sql`${t.personId} <> ${t.backupId}`),
    check('person_backups_rank', sql`${t.rank} >= 1`),
  ],
);

/** Per community: the off-duty policy, the out-of-hours acknowledgement per language, and who is paged. */
export const coverageSettings = pgTable(
  'coverage_settings',
  {
    communityId: integer('community_id')
      .primaryKey()
      .references(() => communities.id, { onDelete: 'cascade' }),
    orgId: orgId().references(() => organizations.id),
    /** stay | backup | team */
    offDutyPolicy: text('off_duty_policy').notNull().default('stay'),
    autoAckEnabled: boolean('auto_ack_enabled').notNull().default(false),
    /** { "<language>": { "text": "…", "link": "https://…" | null } } */
    autoAckTexts: jsonb('auto_ack_texts').notNull().default({}),
    pagingEnabled: boolean('paging_enabled').notNull().default(false),
    onCallIds: integer('on_call_ids').array().notNull().default(sql`'{}'`),
    pagerWebhookId: integer('pager_webhook_id').references(() => webhooks.id, { onDelete: 'set null' }),
    updatedBy: integer('updated_by').references(() => people.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [check('coverage_settings_policy', sql`${t.offDutyPolicy} in ('stay', 'backup', 'team')`)],
);

/** Whether someone of a community is on duty, and since when; an out-of-hours period is (community, since). */
export const coverageState = pgTable('coverage_state', {
  communityId: integer('community_id')
    .primaryKey()
    .references(() => communities.id, { onDelete: 'cascade' }),
  orgId: orgId(),
  covered: boolean('covered').notNull(),
  since: ts('since').notNull(),
});

/** The last inbound message the out-of-hours pass looked at. */
export const coverageCursor = pgTable('coverage_cursor', {
  orgId: integer('org_id')
    .primaryKey()
    .references(() => organizations.id),
  lastMessageId: ref64('last_message_id').notNull(),
});

/** Automatic acknowledgements and pages sent out of hours (once per conversation and period, once per case). */
export const coverageActions = pgTable(
  'coverage_actions',
  {
    id: id64(),
    orgId: orgId().references(() => organizations.id),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    caseId: ref64('case_id')
      .notNull()
      .references(() => cases.id),
    conversationId: ref64('conversation_id'),
    /** auto_ack | page */
    kind: text('kind').notNull(),
    messageId: ref64('message_id').notNull(),
    replyMessageId: ref64('reply_message_id'),
    periodStart: ts('period_start'),
    lang: text('lang'),
    detail: jsonb('detail').notNull().default({}),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex('coverage_actions_ack_once').on(t.conversationId, t.periodStart).where(sql`kind = 'auto_ack'`),
    uniqueIndex('coverage_actions_page_once').on(t.caseId).where(sql`kind = 'page'`),
    index('coverage_actions_org').on(t.orgId, t.id),
    check('coverage_actions_kind', sql`${t.kind} in ('auto_ack', 'page')`),
  ],
);

/** Handover briefs (migration 0018): what the outgoing shift hands to the next one, per community and period. */
export const handoverBriefs = pgTable(
  'handover_briefs',
  {
    id: id64(),
    orgId: orgId().references(() => organizations.id),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    periodFrom: ts('period_from').notNull(),
    periodTo: ts('period_to').notNull(),
    /** schedule: made at a shift change by the worker; manual: "generate now". */
    trigger: text('trigger').notNull().default('schedule'),
    /** The generated sections (cases by SLA risk, consults, promises, incidents, counts); see src/domain/handover. */
    content: jsonb('content').notNull(),
    generatedAt: ts('generated_at').notNull().defaultNow(),
    /** The outgoing shift's free-text note. */
    note: text('note').notNull().default(''),
    /** Per item key: { hidden?: boolean, comment?: string }. */
    itemEdits: jsonb('item_edits').notNull().default({}),
    /** draft | published | acknowledged */
    status: text('status').notNull().default('draft'),
    outgoingIds: integer('outgoing_ids').array().notNull().default(sql`'{}'`),
    /** The next shift: who receives the brief and is asked to acknowledge it. */
    incomingIds: integer('incoming_ids').array().notNull().default(sql`'{}'`),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: created(),
    editedBy: integer('edited_by').references(() => people.id),
    editedAt: ts('edited_at'),
    publishedBy: integer('published_by').references(() => people.id),
    publishedAt: ts('published_at'),
    /** The first acknowledgement: the next shift has taken over. */
    acknowledgedBy: integer('acknowledged_by').references(() => people.id),
    acknowledgedAt: ts('acknowledged_at'),
  },
  (t) => [
    uniqueIndex('handover_briefs_community_period').on(t.communityId, t.periodFrom, t.periodTo),
    index('handover_briefs_community_to').on(t.orgId, t.communityId, t.periodTo),
  ],
);

/** One row per person of the next shift who acknowledged a brief. */
export const handoverAcknowledgements = pgTable(
  'handover_acknowledgements',
  {
    briefId: ref64('brief_id')
      .notNull()
      .references(() => handoverBriefs.id, { onDelete: 'cascade' }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.briefId, t.personId] })],
);

/** A leader's draw of sent replies to review (migration 0023): reproducible from its seed. */
export const qaSamples = pgTable(
  'qa_samples',
  {
    id: id64(),
    orgId: orgId().references(() => organizations.id),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    /** Only this person's replies; null: everyone's in the community. */
    personId: integer('person_id').references(() => people.id),
    periodFrom: ts('period_from').notNull(),
    periodTo: ts('period_to').notNull(),
    size: integer('size').notNull(),
    seed: bigint('seed', { mode: 'number' }).notNull(),
    /** The drawn reply message ids, in draw order. */
    items: bigint('items', { mode: 'number' }).array().notNull().default(sql`'{}'`),
    createdBy: integer('created_by')
      .notNull()
      .references(() => people.id),
    createdAt: created(),
  },
  (t) => [index('qa_samples_org').on(t.orgId, t.communityId, t.id)],
);

/** A quality review of one sent reply: its scorecard, overall score and feedback to the author (migration 0023). */
export const qaReviews = pgTable(
  'qa_reviews',
  {
    id: id64(),
    orgId: orgId().references(() => organizations.id),
    messageId: ref64('message_id')
      .notNull()
      .references(() => messages.id),
    caseId: ref64('case_id')
      .notNull()
      .references(() => cases.id),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    authorId: integer('author_id')
      .notNull()
      .references(() => people.id),
    reviewerId: integer('reviewer_id')
      .notNull()
      .references(() => people.id),
    sampleId: ref64('sample_id').references(() => qaSamples.id, { onDelete: 'set null' }),
    /** [{ id, label, rating: pass | partial | fail | na, comment? }] */
    scores: jsonb('scores').notNull(),
    /** 0–100, computed from the ratings (see src/domain/quality/scorecard.ts). */
    overallScore: integer('overall_score').notNull(),
    feedback: text('feedback').notNull().default(''),
    createdAt: created(),
    acknowledgedByAuthorAt: ts('acknowledged_by_author_at'),
  },
  (t) => [
    uniqueIndex('qa_reviews_message_reviewer').on(t.messageId, t.reviewerId),
    index('qa_reviews_community').on(t.orgId, t.communityId, t.createdAt),
    index('qa_reviews_author').on(t.orgId, t.authorId, t.createdAt),
  ],
);

/** A publishing campaign: posts of several communities over a period (migration 0022). */
export const campaigns = pgTable(
  'campaigns',
  {
    id: serial('id').primaryKey(),
    orgId: orgId().references(() => organizations.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Empty: every community. */
    communityIds: integer('community_ids').array().notNull().default(sql`'{}'`),
    startsOn: date('starts_on', { mode: 'string' }),
    endsOn: date('ends_on', { mode: 'string' }),
    ownerId: integer('owner_id').references(() => people.id),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: created(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('campaigns_org').on(t.orgId, t.id)],
);

/** A post of a community, from one of its brand accounts, scheduled and published through the outbox (0022). */
export const posts = pgTable(
  'posts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: orgId().references(() => organizations.id),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id),
    accountId: integer('account_id')
      .notNull()
      .references(() => channelAccounts.id),
    network: text('network').notNull(),
    text: text('text').notNull(),
    link: text('link'),
    scheduledAt: ts('scheduled_at'),
    /** draft | pending_approval | scheduled | paused | publishing | published | failed | cancelled */
    status: text('status').notNull().default('draft'),
    campaignId: integer('campaign_id').references(() => campaigns.id),
    createdBy: integer('created_by')
      .notNull()
      .references(() => people.id),
    createdAt: created(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    approvalRequired: integer('approval_required').notNull().default(0),
    approvalMode: text('approval_mode').notNull().default('any'),
    approverIds: integer('approver_ids').array().notNull().default(sql`'{}'`),
    approvalRule: text('approval_rule'),
    approvalReasons: jsonb('approval_reasons').notNull().default(sql`'[]'::jsonb`),
    approvalDueAt: ts('approval_due_at'),
    warnings: jsonb('warnings').notNull().default(sql`'[]'::jsonb`),
    reviewNote: text('review_note'),
    outboxId: ref64('outbox_id').references(() => outbox.id),
    externalId: text('external_id'),
    url: text('url'),
    publishedAt: ts('published_at'),
    lastError: text('last_error'),
    /** The approval queue for posts (0025): when last submitted, the latest request's outcome and timeline. */
    submittedAt: ts('submitted_at'),
    /** pending | approved | rejected | cancelled; null: never sent for approval. */
    approvalStatus: text('approval_status'),
    approvalRequestedAt: ts('approval_requested_at'),
    approvalDecidedAt: ts('approval_decided_at'),
    approvalRemindedAt: ts('approval_reminded_at'),
    approvalEscalatedAt: ts('approval_escalated_at'),
    /** The scheduled time passed while the post waited for approval. */
    lateAt: ts('late_at'),
    /** The text before an approver edited it. */
    originalText: text('original_text'),
  },
  (t) => [
    index('posts_calendar').on(t.orgId, t.communityId, t.scheduledAt),
    index('posts_due').on(t.scheduledAt).where(sql`status = 'scheduled'`),
    index('posts_waiting_approval').on(t.approvalDueAt).where(sql`status = 'pending_approval'`),
    check('posts_approval_status', sql`${t.approvalStatus} in ('pending', 'approved', 'rejected', 'cancelled')`),
    uniqueIndex('posts_outbox').on(t.outboxId).where(sql`outbox_id IS NOT NULL`),
    check(
      'posts_status',
      sql`${t.status} in ('draft', 'pending_approval', 'scheduled', 'paused', 'publishing', 'published', 'failed', 'cancelled')`,
    ),
  ],
);

/** Each approver's decision on a post waiting for approval (0022). */
export const postApprovals = pgTable(
  'post_approvals',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    postId: ref64('post_id')
      .notNull()
      .references(() => posts.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    /** approve | reject */
    decision: text('decision').notNull(),
    note: text('note'),
    createdAt: created(),
  },
  (t) => [uniqueIndex('post_approvals_once').on(t.postId, t.personId)],
);

/** A community whose scheduled posts wait: set by a leader or by a declared crisis (0022). */
export const publishingPauses = pgTable('publishing_pauses', {
  communityId: integer('community_id')
    .primaryKey()
    .references(() => communities.id),
  orgId: orgId().references(() => organizations.id),
  reason: text('reason').notNull(),
  pausedBy: integer('paused_by').references(() => people.id),
  crisisId: integer('crisis_id').references(() => crises.id),
  since: ts('since').notNull().defaultNow(),
});

/**
 * Training sessions (0021): replays of past cases practised by one person on one community. Training lives in these
 * two tables only, so nothing of it can reach the inbox, counts, SLA, reports, routing, webhooks or a network.
 */
export const trainingSessions = pgTable(
  'training_sessions',
  {
    id: id64(),
    orgId: orgId().references(() => organizations.id),
    /** The trainee. */
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    topic: text('topic'),
    createdBy: integer('created_by')
      .notNull()
      .references(() => people.id),
    createdAt: created(),
    completedAt: ts('completed_at'),
  },
  (t) => [
    index('training_sessions_person').on(t.orgId, t.personId, t.createdAt),
    index('training_sessions_community').on(t.orgId, t.communityId, t.createdAt),
  ],
);

/**
 * One replay (0021): an anonymized snapshot of a past case's thread up to the team's first reply, that reply as the
 * hidden reference, and the trainee's answer with the governance verdict of its dry run.
 */
export const trainingItems = pgTable(
  'training_items',
  {
    id: id64(),
    sessionId: ref64('session_id')
      .notNull()
      .references(() => trainingSessions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** The past case replayed (never shown: it would lead back to the customer); no foreign key, on purpose. */
    sourceCaseId: ref64('source_case_id').notNull(),
    channel: text('channel').notNull(),
    accountId: integer('account_id'),
    language: text('language'),
    intent: text('intent'),
    urgency: text('urgency').notNull().default('normal'),
    sentiment: text('sentiment'),
    sensitive: text('sensitive').array().notNull().default(sql`'{}'`),
    topics: text('topics').array().notNull().default(sql`'{}'`),
    tags: text('tags').array().notNull().default(sql`'{}'`),
    /** Stand-ins of the customer: { name, handle }. */
    contact: jsonb('contact').notNull(),
    /** [{ direction, author, text, minute }], anonymized. */
    thread: jsonb('thread').notNull(),
    referenceText: text('reference_text').notNull(),
    openedAt: ts('opened_at'),
    answerText: text('answer_text'),
    cannedReplyId: integer('canned_reply_id'),
    answeredAt: ts('answered_at'),
    secondsToAnswer: integer('seconds_to_answer'),
    /** The governance verdict of the answer (findings, approval, autonomy, policy version). */
    verdict: jsonb('verdict'),
    selfAssessment: integer('self_assessment'),
    leaderScore: integer('leader_score'),
    leaderComment: text('leader_comment'),
    scoredBy: integer('scored_by').references(() => people.id),
    scoredAt: ts('scored_at'),
  },
  (t) => [
    uniqueIndex('training_items_position').on(t.sessionId, t.position),
    index('training_items_source').on(t.sourceCaseId),
    check('training_items_self_assessment', sql`${t.selfAssessment} BETWEEN 1 AND 5`),
    check('training_items_leader_score', sql`${t.leaderScore} BETWEEN 1 AND 5`),
  ],
);

/** A report sent by email weekly or monthly to a list of recipients (migration 0026, docs/metrics.md). */
export const reportSchedules = pgTable(
  'report_schedules',
  {
    id: serial('id').primaryKey(),
    orgId: orgId().references(() => organizations.id),
    name: text('name').notNull(),
    /** The person who last saved it: the report is sent while they may still report on its communities. */
    ownerId: integer('owner_id')
      .notNull()
      .references(() => people.id),
    /** The communities of the report; null: every community (leaders only). */
    communities: integer('communities').array(),
    teamId: integer('team_id').references(() => teams.id, { onDelete: 'set null' }),
    /** 'last_week' (Monday to Monday) or 'last_month', in the schedule's time zone. */
    period: text('period').notNull(),
    businessHours: boolean('business_hours').notNull().default(false),
    /** 'weekly' (on `weekday`, 1 = Monday) or 'monthly' (on `month_day`). */
    frequency: text('frequency').notNull(),
    weekday: integer('weekday'),
    monthDay: integer('month_day'),
    /** HH:MM in `timezone`. */
    localTime: text('local_time').notNull(),
    timezone: text('timezone').notNull(),
    /** [{ person_id } | { email }]. */
    recipients: jsonb('recipients').notNull().default([]),
    active: boolean('active').notNull().default(true),
    /** The next due slot; the worker sends it once and moves it on. */
    nextDueAt: ts('next_due_at').notNull(),
    lastSentAt: ts('last_sent_at'),
    createdAt: created(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('report_schedules_due').on(t.nextDueAt).where(sql`${t.active}`),
    check('report_schedules_period', sql`${t.period} IN ('last_week', 'last_month')`),
    check(
      'report_schedules_frequency',
      sql`(${t.frequency} = 'weekly' AND ${t.weekday} BETWEEN 1 AND 7) OR (${t.frequency} = 'monthly' AND ${t.monthDay} BETWEEN 1 AND 28)`,
    ),
  ],
);

/**
 * Report rollups (migration 0028, src/domain/reports/rollup.ts): per UTC hour and grouping (0 community × team ×
 * channel, 1 community × assignee, 2 community × topic, 3 community), the report measures of that hour's cases
 * and messages, rebuilt from the raw tables for the hours `report_dirty` lists. Triggers on messages, cases,
 * calendars and communities fill `report_dirty` (not modelled here).
 */
export const reportHours = pgTable(
  'report_hours',
  {
    orgId: integer('org_id').notNull(),
    hour: ts('hour').notNull(),
    grp: smallint('grp').notNull(),
    communityId: integer('community_id').notNull(),
    teamId: integer('team_id'),
    channel: text('channel'),
    assigneeId: integer('assignee_id'),
    topic: text('topic'),
    msgIn: integer('msg_in').notNull().default(0),
    msgOut: integer('msg_out').notNull().default(0),
    msgOoh: integer('msg_ooh').notNull().default(0),
    pos: integer('pos').notNull().default(0),
    neu: integer('neu').notNull().default(0),
    neg: integer('neg').notNull().default(0),
    created: integer('created').notNull().default(0),
    frtMin: doublePrecision('frt_min').array().notNull().default(sql`'{}'`),
    frtBmin: doublePrecision('frt_bmin').array().notNull().default(sql`'{}'`),
    frtMet: integer('frt_met').notNull().default(0),
    frtLate: integer('frt_late').notNull().default(0),
    frtOpenDue: ts('frt_open_due').array().notNull().default(sql`'{}'`),
    resolved: integer('resolved').notNull().default(0),
    resMin: doublePrecision('res_min').array().notNull().default(sql`'{}'`),
    resBmin: doublePrecision('res_bmin').array().notNull().default(sql`'{}'`),
    resMet: integer('res_met').notNull().default(0),
    resLate: integer('res_late').notNull().default(0),
    reopened: integer('reopened').notNull().default(0),
  },
  (t) => [index('report_hours_key').on(t.orgId, t.grp, t.hour)],
);

export const reportDirty = pgTable(
  'report_dirty',
  {
    orgId: integer('org_id').notNull(),
    hour: ts('hour').notNull(),
  },
  (t) => [index('report_dirty_org').on(t.orgId, t.hour)],
);

/** One sending of a scheduled report: a due slot (at most once) or a "send now" (migration 0026). */
export const reportDeliveries = pgTable(
  'report_deliveries',
  {
    id: serial('id').primaryKey(),
    orgId: orgId().references(() => organizations.id),
    scheduleId: integer('schedule_id')
      .notNull()
      .references(() => reportSchedules.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    slot: ts('slot').notNull(),
    status: text('status').notNull().default('sending'),
    recipients: text('recipients').array().notNull().default(sql`'{}'`),
    error: text('error'),
    requestedBy: integer('requested_by').references(() => people.id),
    createdAt: created(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    uniqueIndex('report_deliveries_slot').on(t.scheduleId, t.slot).where(sql`${t.kind} = 'scheduled'`),
    index('report_deliveries_schedule').on(t.scheduleId, t.createdAt),
    check('report_deliveries_kind', sql`${t.kind} IN ('scheduled', 'manual')`),
    check('report_deliveries_status', sql`${t.status} IN ('sending', 'sent', 'failed')`),
  ],
);

/**
 * Advocates (migration 0027, docs/advocates.md): a contact's state in a community's advocate ranking. The
 * ranking itself is computed from messages; migration 0027 also adds `messages_in_org_created` (covering,
 * inbound only), `cases_community_contact` (covering) and `contacts_merged`, which drizzle cannot express (INCLUDE).
 */
export const advocateStatus = pgTable(
  'advocate_status',
  {
    orgId: orgId().references(() => organizations.id),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    contactId: ref64('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    highlightedAt: ts('highlighted_at'),
    highlightedBy: integer('highlighted_by').references(() => people.id),
    /** Left out of the ranking (an employee, a troll): leaders decide. */
    excludedAt: ts('excluded_at'),
    excludedBy: integer('excluded_by').references(() => people.id),
    excludeReason: text('exclude_reason').notNull().default(''),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'advocate_status_pk', columns: [t.communityId, t.contactId] }),
    index('advocate_status_contact').on(t.contactId),
  ],
);

/** What people did about an advocate: thanked, highlighted, excluded, asked to share during a crisis. */
export const advocateActions = pgTable(
  'advocate_actions',
  {
    id: id64(),
    orgId: orgId().references(() => organizations.id),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    contactId: ref64('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** thanked | highlighted | unhighlighted | excluded | included | asked_to_share */
    kind: text('kind').notNull(),
    note: text('note').notNull().default(''),
    personId: integer('person_id').references(() => people.id),
    crisisId: integer('crisis_id').references(() => crises.id, { onDelete: 'set null' }),
    /** The case a message to the advocate was written in, its message, or the approval it waits for. */
    caseId: ref64('case_id'),
    messageId: ref64('message_id'),
    approvalId: ref64('approval_id'),
    /** recorded | queued (a message is in the outbox) | awaiting_approval | task (no way to write: by hand) */
    outcome: text('outcome').notNull().default('recorded'),
    createdAt: created(),
  },
  (t) => [
    index('advocate_actions_contact').on(t.contactId, t.id),
    index('advocate_actions_org_created').on(t.orgId, t.createdAt),
    index('advocate_actions_crisis').on(t.crisisId).where(sql`${t.crisisId} IS NOT NULL`),
    check(
      'advocate_actions_kind',
      sql`${t.kind} IN ('thanked', 'highlighted', 'unhighlighted', 'excluded', 'included', 'asked_to_share')`,
    ),
    check('advocate_actions_outcome', sql`${t.outcome} IN ('recorded', 'queued', 'awaiting_approval', 'task')`),
  ],
);
