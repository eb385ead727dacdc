import type pg from 'pg';
import { z } from 'zod';
import { type Queryable, transaction } from '../../server/db/database.ts';
import { HttpError, notFound } from '../../server/http/errors.ts';
import { canApproveReply, canReadPosts, canWritePosts } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { autonomyOf, checkGuidelines, type Finding, requiredApprovals } from '../governance/policy.ts';
import { eligibleApprovers } from '../governance/service.ts';
import { currentGovernance } from '../governance/store.ts';
import type { ChannelAccount, Directory } from '../organization/directory.ts';
import { OUTBOX_CHANNEL } from '../outbox/service.ts';
import { invalidField } from '../validation.ts';
import { notifyPost } from './notify.ts';

/**
 * Publishing: posts written for a community and one of its brand accounts, checked against the same guidelines
 * and approval policy as replies, scheduled on a calendar and handed to the outbox when due (exactly once).
 * A community's publishing can be paused (by a leader, or by a declared crisis): its due posts wait until it
 * is resumed.
 */

export const POST_STATUSES = [
  'draft',
  'pending_approval',
  'scheduled',
  'paused',
  'publishing',
  'published',
  'failed',
  'cancelled',
] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export interface PublishingDeps {
  pool: pg.Pool;
  directory: Directory;
  /** The language of a text (`und` when unsure). */
  detectLang(text: string): string;
}

const instant = z.iso.datetime({ offset: true });
const id = z.number().int().positive();

export const postSchema = z.strictObject({
  community_id: id,
  account_id: id,
  text: z.string().trim().min(1).max(5000),
  link: z.url().max(2000).nullable().optional(),
  /** When to publish: an instant, or "now" (as soon as it is approved); absent: not yet decided. */
  scheduled_at: z
    .union([z.literal('now'), instant])
    .nullable()
    .optional(),
  campaign_id: id.nullable().optional(),
});
export const postPatchSchema = postSchema.omit({ community_id: true }).partial();
export const checkSchema = z.strictObject({
  community_id: id,
  account_id: id,
  text: z.string().trim().min(1).max(5000),
  link: z.url().max(2000).nullable().optional(),
});
export const scheduleSchema = z.strictObject({ scheduled_at: z.union([z.literal('now'), instant]) });
export const submitSchema = z.strictObject({ acknowledge_warnings: z.boolean().default(false) });
export const decideSchema = z.strictObject({
  /** The post as the approver edited it; absent: approved as written. */
  text: z.string().trim().min(1).max(5000).optional(),
  note: z.string().trim().max(2000).optional(),
});
export const rejectSchema = z.strictObject({ note: z.string().trim().min(1).max(2000) });
export const pauseSchema = z.strictObject({ reason: z.string().trim().min(3).max(500) });
export const calendarQuery = z.object({
  from: instant,
  to: instant,
  community: z
    .union([z.coerce.number().int().positive(), z.array(z.coerce.number().int().positive())])
    .optional()
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v])),
  campaign: z.coerce.number().int().positive().optional(),
});
export const campaignSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  description: z.string().max(2000).default(''),
  community_ids: z.array(id).max(100).default([]),
  starts_on: z.iso.date().nullable().optional(),
  ends_on: z.iso.date().nullable().optional(),
  owner_id: id.nullable().optional(),
});

export interface PostRow {
  id: number;
  community_id: number;
  account_id: number;
  network: string;
  text: string;
  link: string | null;
  scheduled_at: Date | null;
  status: PostStatus;
  campaign_id: number | null;
  created_by: number;
  created_at: Date;
  updated_at: Date;
  approval_required: number;
  approval_mode: 'any' | 'all';
  approver_ids: number[];
  approval_rule: string | null;
  approval_reasons: string[];
  approval_due_at: Date | null;
  warnings: Finding[];
  review_note: string | null;
  outbox_id: number | null;
  external_id: string | null;
  url: string | null;
  published_at: Date | null;
  last_error: string | null;
  submitted_at: Date | null;
  /** The latest approval request: pending, approved, rejected or cancelled; null when none was needed. */
  approval_status: 'pending' | 'approved' | 'rejected' | 'cancelled' | null;
  approval_requested_at: Date | null;
  approval_decided_at: Date | null;
  approval_reminded_at: Date | null;
  approval_escalated_at: Date | null;
  /** When the sweeper (or the approval) found the scheduled time passed while the post waited for approval. */
  late_at: Date | null;
  /** The text before an approver edited it. */
  original_text: string | null;
}

export interface PostView extends PostRow {
  /** Approved after its scheduled time: it goes out at approval time, marked late. */
  late: boolean;
  account: { id: number; network: string; handle: string; display_name: string };
  community: { id: number; slug: string; name: string };
  approvals: { person_id: number; decision: string; note: string | null }[];
}

const POST_COLUMNS = `id::int, community_id, account_id, network, text, link, scheduled_at, status, campaign_id, created_by,
  created_at, updated_at, approval_required, approval_mode, approver_ids, approval_rule, approval_reasons,
  approval_due_at, warnings, review_note, outbox_id::int, external_id, url, published_at, last_error, submitted_at,
  approval_status, approval_requested_at, approval_decided_at, approval_reminded_at, approval_escalated_at, late_at,
  original_text`;

function view(directory: Directory, row: PostRow, approvals: PostView['approvals'] = []): PostView {
  const a = directory.accounts.get(row.account_id);
  const c = directory.communities.get(row.community_id);
  return {
    ...row,
    late: row.late_at !== null,
    account: { id: row.account_id, network: row.network, handle: a?.handle ?? '', display_name: a?.displayName ?? '' },
    community: { id: row.community_id, slug: c?.slug ?? '', name: c?.name ?? '' },
    approvals,
  };
}

/** The text as it goes out: the post, and its link on a line of its own. */
export function outboundText(p: { text: string; link: string | null | undefined }): string {
  return p.link ? `${p.text}\n${p.link}` : p.text;
}

/**
 * The account a post goes out from: a brand account (never a monitor) of the post's own community, on a
 * network that can publish. Nobody posts from another community's account.
 */
export function postAccount(directory: Directory, communityId: number, accountId: number): ChannelAccount {
  const account = directory.accounts.get(accountId);
  if (account?.kind !== 'account') throw invalidField('account_id', 'no such brand account');
  if (account.communityId !== communityId) {
    const owner = directory.communities.get(account.communityId);
    throw new HttpError(
      403,
      'wrong_account',
      `${account.handle} belongs to ${owner?.name ?? 'another community'}: a post goes out from an account of its own community`,
    );
  }
  return account;
}

async function loadPost(db: Queryable, orgId: number, postId: number, lock = false): Promise<PostRow | undefined> {
  const r = await db.query<PostRow>(
    `select ${POST_COLUMNS} from posts where id = $1 and org_id = $2${lock ? ' for update' : ''}`,
    [postId, orgId],
  );
  return r.rows[0];
}

/** A post the person may read (404 otherwise, so nothing reveals another community's posts). */
async function readablePost(db: Queryable, person: PersonPrincipal, postId: number, lock = false): Promise<PostRow> {
  const row = await loadPost(db, person.orgId, postId, lock);
  if (!row || !canReadPosts(person, row.community_id)) throw notFound('post');
  return row;
}

async function writablePost(db: Queryable, person: PersonPrincipal, postId: number): Promise<PostRow> {
  const row = await readablePost(db, person, postId, true);
  if (!canWritePosts(person, row.community_id)) throw new HttpError(403, 'forbidden', 'your role cannot edit posts');
  return row;
}

function mayWriteCommunity(person: PersonPrincipal, communityId: number): void {
  if (!canWritePosts(person, communityId)) {
    if (canReadPosts(person, communityId)) throw new HttpError(403, 'forbidden', 'your role cannot write posts');
    throw invalidField('community_id', 'no such community');
  }
}

function scheduledValue(v: string | null | undefined, now: Date): Date | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  return v === 'now' ? now : new Date(v);
}

async function campaignExists(db: Queryable, orgId: number, campaignId: number | null | undefined): Promise<void> {
  if (campaignId === null || campaignId === undefined) return;
  const r = await db.query('select 1 from campaigns where id = $1 and org_id = $2', [campaignId, orgId]);
  if (!r.rowCount) throw invalidField('campaign_id', 'no such campaign');
}

export async function getPost(deps: PublishingDeps, person: PersonPrincipal, postId: number): Promise<PostView> {
  const row = await readablePost(deps.pool, person, postId);
  const a = await deps.pool.query<{ person_id: number; decision: string; note: string | null }>(
    'select person_id, decision, note from post_approvals where post_id = $1 order by id',
    [postId],
  );
  return view(deps.directory, row, a.rows);
}

export async function createPost(
  deps: PublishingDeps,
  person: PersonPrincipal,
  input: z.infer<typeof postSchema>,
): Promise<PostView> {
  mayWriteCommunity(person, input.community_id);
  const account = postAccount(deps.directory, input.community_id, input.account_id);
  return transaction(deps.pool, async (tx) => {
    await campaignExists(tx, person.orgId, input.campaign_id);
    const r = await tx.query<{ id: number }>(
      `insert into posts (org_id, community_id, account_id, network, text, link, scheduled_at, campaign_id, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id::int`,
      [
        person.orgId,
        input.community_id,
        account.id,
        account.network,
        input.text,
        input.link ?? null,
        scheduledValue(input.scheduled_at, new Date()) ?? null,
        input.campaign_id ?? null,
        person.id,
      ],
    );
    const postId = r.rows[0]!.id;
    await audit(tx, {
      orgId: person.orgId,
      action: 'post.created',
      actorPersonId: person.id,
      accountId: account.id,
      subjectType: 'post',
      subjectId: postId,
      data: { community_id: input.community_id, campaign_id: input.campaign_id ?? null },
    });
    return view(deps.directory, (await loadPost(tx, person.orgId, postId))!);
  });
}

/**
 * Edits a post not yet handed to the outbox. A post waiting for approval or scheduled goes back to draft: its
 * new text is checked and approved again when it is submitted.
 */
export async function editPost(
  deps: PublishingDeps,
  person: PersonPrincipal,
  postId: number,
  input: z.infer<typeof postPatchSchema>,
): Promise<PostView> {
  return transaction(deps.pool, async (tx) => {
    const row = await writablePost(tx, person, postId);
    if (!['draft', 'pending_approval', 'scheduled', 'paused', 'failed'].includes(row.status)) {
      throw new HttpError(409, 'not_editable', `a ${row.status} post cannot be edited`);
    }
    const account = postAccount(deps.directory, row.community_id, input.account_id ?? row.account_id);
    await campaignExists(tx, person.orgId, input.campaign_id);
    const scheduled = scheduledValue(input.scheduled_at, new Date());
    await tx.query(
      `update posts set account_id = $2, network = $3, text = coalesce($4, text),
         link = case when $5 then $6 else link end,
         scheduled_at = case when $7 then $8::timestamptz else scheduled_at end,
         campaign_id = case when $9 then $10::int else campaign_id end,
         status = 'draft', approval_required = 0, approver_ids = '{}', approval_due_at = null,
         approval_status = case when approval_status = 'pending' then 'cancelled' else approval_status end,
         late_at = null, original_text = null, updated_at = now()
       where id = $1`,
      [
        postId,
        account.id,
        account.network,
        input.text ?? null,
        input.link !== undefined,
        input.link ?? null,
        scheduled !== undefined,
        scheduled ?? null,
        input.campaign_id !== undefined,
        input.campaign_id ?? null,
      ],
    );
    await tx.query('delete from post_approvals where post_id = $1', [postId]);
    await audit(tx, {
      orgId: person.orgId,
      action: 'post.edited',
      actorPersonId: person.id,
      accountId: account.id,
      subjectType: 'post',
      subjectId: postId,
      data: { fields: Object.keys(input), previous_status: row.status },
    });
    return view(deps.directory, (await loadPost(tx, person.orgId, postId))!);
  });
}

/** Deletes a draft (other posts are cancelled, so the calendar keeps their trace). */
export async function deletePost(deps: PublishingDeps, person: PersonPrincipal, postId: number): Promise<void> {
  await transaction(deps.pool, async (tx) => {
    const row = await writablePost(tx, person, postId);
    if (row.status !== 'draft') throw new HttpError(409, 'not_draft', 'only a draft can be deleted: cancel it instead');
    await tx.query('delete from post_approvals where post_id = $1', [postId]);
    await tx.query('delete from posts where id = $1', [postId]);
    await audit(tx, {
      orgId: person.orgId,
      action: 'post.deleted',
      actorPersonId: person.id,
      subjectType: 'post',
      subjectId: postId,
      data: { community_id: row.community_id },
    });
  });
}

export interface PostCheck {
  findings: Finding[];
  approval: { required: number; mode: 'any' | 'all'; rule: string | null; reasons: string[]; sla_minutes: number };
  identity: { network: string; handle: string; display_name: string; community: string };
  paused: { reason: string; since: Date } | null;
}

/**
 * The same guideline checks and approval policy as a reply: the post's community, the account's network as
 * the channel, the author's autonomy; the language check compares the post with its community's language.
 */
export async function checkPost(
  deps: PublishingDeps,
  person: PersonPrincipal,
  input: z.infer<typeof checkSchema>,
  db: Queryable = deps.pool,
): Promise<PostCheck & { requirement: ReturnType<typeof requiredApprovals>['requirement'] }> {
  mayWriteCommunity(person, input.community_id);
  const account = postAccount(deps.directory, input.community_id, input.account_id);
  const community = deps.directory.communities.get(input.community_id)!;
  const gov = await currentGovernance(db, person.orgId);
  const text = outboundText({ text: input.text.trim(), link: input.link });
  const words = input.text.split(/\s+/u).filter(Boolean).length;
  const findings = checkGuidelines(gov.policy.guidelines, {
    community: community.slug,
    text,
    visibility: 'public',
    customerLang: community.language,
    replyLang: words >= 4 ? deps.detectLang(input.text) : 'und',
  });
  const autonomy = autonomyOf(gov.policy, person, community.slug);
  const decision = requiredApprovals(gov.policy.approvals, {
    community: community.slug,
    channel: account.network,
    autonomy,
    sensitive: [],
    urgency: 'normal',
    sentiment: 'neutral',
    caseTags: ['post'],
    text,
  });
  const pause = await db.query<{ reason: string; since: Date }>(
    'select reason, since from publishing_pauses where community_id = $1',
    [input.community_id],
  );
  return {
    findings,
    approval: {
      required: decision.requirement.approvals,
      mode: decision.requirement.mode,
      rule: decision.rule?.name ?? null,
      reasons: decision.reasons,
      sla_minutes: decision.requirement.sla_minutes,
    },
    identity: {
      network: account.network,
      handle: account.handle,
      display_name: account.displayName,
      community: community.name,
    },
    paused: pause.rows[0] ?? null,
    requirement: decision.requirement,
  };
}

async function isPaused(db: Queryable, communityId: number): Promise<boolean> {
  const r = await db.query('select 1 from publishing_pauses where community_id = $1', [communityId]);
  return (r.rowCount ?? 0) > 0;
}

/** The status of a post cleared for publishing: scheduled, or paused while its community is. */
async function clearedStatus(db: Queryable, communityId: number): Promise<'scheduled' | 'paused'> {
  return (await isPaused(db, communityId)) ? 'paused' : 'scheduled';
}

/**
 * Submits a draft: guideline blocks refuse it, warnings need acknowledging; the approval policy decides whether
 * it waits for approvers (fixed now, as for a reply) or is scheduled at once.
 */
export async function submitPost(
  deps: PublishingDeps,
  person: PersonPrincipal,
  postId: number,
  input: z.infer<typeof submitSchema>,
): Promise<PostView & { check: PostCheck }> {
  return transaction(deps.pool, async (tx) => {
    const row = await writablePost(tx, person, postId);
    if (row.status !== 'draft' && row.status !== 'failed') {
      throw new HttpError(409, 'not_draft', `a ${row.status} post cannot be submitted`);
    }
    const { requirement: req, ...check } = await checkPost(
      deps,
      person,
      { community_id: row.community_id, account_id: row.account_id, text: row.text, link: row.link },
      tx,
    );
    const blocks = check.findings.filter((f) => f.severity === 'block');
    if (blocks.length > 0) {
      throw new HttpError(
        422,
        'guideline_blocked',
        blocks.map((f) => f.message).join('; '),
        {},
        {
          findings: check.findings,
        },
      );
    }
    const warnings = check.findings.filter((f) => f.severity === 'warn');
    if (warnings.length > 0 && !input.acknowledge_warnings) {
      throw new HttpError(
        409,
        'guideline_warning',
        `${warnings.map((f) => f.message).join('; ')} (submit again with acknowledge_warnings to go on)`,
        {},
        { findings: check.findings },
      );
    }
    const scheduledAt = row.scheduled_at ?? new Date();
    let status: PostStatus;
    let approvers: number[] = [];
    let required = 0;
    if (req.approvals === 0 && req.mode === 'any') {
      status = await clearedStatus(tx, row.community_id);
    } else {
      const gov = await currentGovernance(tx, person.orgId);
      const slug = deps.directory.communities.get(row.community_id)?.slug ?? '';
      approvers = await eligibleApprovers(tx, gov.policy, person, row.community_id, slug, req);
      required = req.mode === 'all' ? approvers.length : Math.min(req.approvals, approvers.length);
      if (required === 0) {
        throw new HttpError(409, 'no_approver', 'this post needs approval, but nobody may approve it: ask a leader');
      }
      status = 'pending_approval';
    }
    await tx.query(
      `update posts set status = $2, scheduled_at = $3, approval_required = $4, approval_mode = $5, approver_ids = $6,
         approval_rule = $7, approval_reasons = $8, approval_due_at = $9, warnings = $10, review_note = null,
         last_error = null, submitted_at = now(), approval_status = case when $4 > 0 then 'pending' end,
         approval_requested_at = case when $4 > 0 then now() end, approval_decided_at = null,
         approval_reminded_at = null, approval_escalated_at = null, late_at = null, original_text = null,
         updated_at = now()
       where id = $1`,
      [
        postId,
        status,
        scheduledAt,
        required,
        req.mode,
        approvers,
        check.approval.rule,
        JSON.stringify(check.approval.reasons),
        required > 0 ? new Date(Date.now() + req.sla_minutes * 60_000) : null,
        JSON.stringify(warnings),
      ],
    );
    await tx.query('delete from post_approvals where post_id = $1', [postId]);
    await audit(tx, {
      orgId: person.orgId,
      action: required > 0 ? 'post.approval_requested' : 'post.scheduled',
      actorPersonId: person.id,
      accountId: row.account_id,
      subjectType: 'post',
      subjectId: postId,
      data: {
        scheduled_at: scheduledAt.toISOString(),
        status,
        rule: check.approval.rule,
        required,
        approvers,
        ...(warnings.length > 0 ? { guideline_warnings: warnings.map((w) => w.guideline) } : {}),
      },
    });
    const saved = (await loadPost(tx, person.orgId, postId))!;
    if (required > 0) {
      await notifyPost(tx, {
        orgId: person.orgId,
        personIds: approvers.filter((a) => a !== person.id),
        kind: 'post_approval_requested',
        postId,
        communityId: row.community_id,
        data: {
          by: person.id,
          by_name: person.name,
          due_at: saved.approval_due_at?.toISOString() ?? null,
          scheduled_at: scheduledAt.toISOString(),
        },
      });
    }
    return { ...view(deps.directory, saved), check };
  });
}

/**
 * The guideline findings of a post's text in its community (the same checks as `checkPost`, for an approver who
 * edits a post, who may not write posts).
 */
async function postFindings(
  deps: PublishingDeps,
  db: Queryable,
  orgId: number,
  row: Pick<PostRow, 'community_id' | 'link'>,
  text: string,
): Promise<Finding[]> {
  const community = deps.directory.communities.get(row.community_id)!;
  const gov = await currentGovernance(db, orgId);
  const words = text.split(/\s+/u).filter(Boolean).length;
  return checkGuidelines(gov.policy.guidelines, {
    community: community.slug,
    text: outboundText({ text, link: row.link }),
    visibility: 'public',
    customerLang: community.language,
    replyLang: words >= 4 ? deps.detectLang(text) : 'und',
  });
}

/**
 * A post waiting for approval is late when its scheduled time passed after it was sent for approval (a post
 * submitted to go out "now" or at a past time is not late: it goes out as soon as it is approved).
 */
export function isLate(row: Pick<PostRow, 'scheduled_at' | 'approval_requested_at'>, now: Date): boolean {
  return (
    row.scheduled_at !== null &&
    row.approval_requested_at !== null &&
    row.scheduled_at.getTime() > row.approval_requested_at.getTime() &&
    row.scheduled_at.getTime() <= now.getTime()
  );
}

/**
 * Approves a post waiting for approval, optionally edited (guideline blocks apply to the new text; the original
 * is kept). Once enough approvers agreed it is scheduled (or paused), and its author is told. A post whose
 * scheduled time passed while it waited goes out at approval time, marked late (`late_at`).
 */
export async function approvePost(
  deps: PublishingDeps,
  person: PersonPrincipal,
  postId: number,
  input: z.infer<typeof decideSchema>,
  now: Date = new Date(),
): Promise<PostView> {
  return transaction(deps.pool, async (tx) => {
    const row = await readablePost(tx, person, postId, true);
    mayDecide(person, row);
    const newText = input.text?.trim();
    const edited = newText !== undefined && newText !== row.text.trim();
    if (edited) {
      const findings = await postFindings(deps, tx, person.orgId, row, newText);
      const blocks = findings.filter((f) => f.severity === 'block');
      if (blocks.length > 0) {
        throw new HttpError(422, 'guideline_blocked', blocks.map((f) => f.message).join('; '), {}, { findings });
      }
    }
    const ins = await tx.query(
      `insert into post_approvals (post_id, person_id, decision, note) values ($1, $2, 'approve', $3)
       on conflict (post_id, person_id) do nothing`,
      [postId, person.id, input.note || null],
    );
    if (ins.rowCount === 0) throw new HttpError(409, 'already_decided', 'you already approved this post');
    if (edited) {
      await tx.query(
        'update posts set original_text = coalesce(original_text, text), text = $2, updated_at = now() where id = $1',
        [postId, newText],
      );
      await audit(tx, {
        orgId: person.orgId,
        action: 'post.approval_edited',
        actorPersonId: person.id,
        accountId: row.account_id,
        subjectType: 'post',
        subjectId: postId,
        data: { length: newText.length },
      });
    }
    const n = await tx.query<{ n: number }>(
      `select count(*)::int as n from post_approvals where post_id = $1 and decision = 'approve'`,
      [postId],
    );
    const approvals = n.rows[0]!.n;
    const done =
      row.approval_mode === 'all' ? approvals >= row.approver_ids.length : approvals >= row.approval_required;
    const late = done && (row.late_at !== null || isLate(row, now));
    if (done) {
      await tx.query(
        `update posts set status = $2, approval_status = 'approved', approval_decided_at = $3,
           late_at = case when $4 then coalesce(late_at, $3) end, updated_at = now()
         where id = $1`,
        [postId, await clearedStatus(tx, row.community_id), now, late],
      );
    }
    await audit(tx, {
      orgId: person.orgId,
      action: done ? 'post.approved' : 'post.approval_given',
      actorPersonId: person.id,
      accountId: row.account_id,
      subjectType: 'post',
      subjectId: postId,
      data: { approvals, required: row.approval_required, edited, ...(late ? { late: true } : {}) },
    });
    if (done) {
      await notifyPost(tx, {
        orgId: person.orgId,
        personIds: [row.created_by],
        kind: 'post_approval_decided',
        postId,
        communityId: row.community_id,
        data: {
          decision: 'approved',
          edited,
          late,
          by: person.id,
          by_name: person.name,
          scheduled_at: row.scheduled_at?.toISOString() ?? null,
        },
      });
    }
    return view(deps.directory, (await loadPost(tx, person.orgId, postId))!);
  });
}

/** Rejects a post with a note: it goes back to its author as a draft, and the author is told. */
export async function rejectPost(
  deps: PublishingDeps,
  person: PersonPrincipal,
  postId: number,
  note: string,
): Promise<PostView> {
  return transaction(deps.pool, async (tx) => {
    const row = await readablePost(tx, person, postId, true);
    mayDecide(person, row);
    await tx.query(
      `insert into post_approvals (post_id, person_id, decision, note) values ($1, $2, 'reject', $3)
       on conflict (post_id, person_id) do update set decision = 'reject', note = excluded.note, created_at = now()`,
      [postId, person.id, note],
    );
    await tx.query(
      `update posts set status = 'draft', review_note = $2, approval_status = 'rejected', approval_decided_at = now(),
         updated_at = now()
       where id = $1`,
      [postId, note],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'post.rejected',
      actorPersonId: person.id,
      accountId: row.account_id,
      subjectType: 'post',
      subjectId: postId,
      data: { note },
    });
    await notifyPost(tx, {
      orgId: person.orgId,
      personIds: [row.created_by],
      kind: 'post_approval_decided',
      postId,
      communityId: row.community_id,
      data: { decision: 'rejected', by: person.id, by_name: person.name },
    });
    return view(deps.directory, (await loadPost(tx, person.orgId, postId))!);
  });
}

function mayDecide(person: PersonPrincipal, row: PostRow): void {
  if (row.status !== 'pending_approval') {
    throw new HttpError(409, 'not_pending', `this post is ${row.status}, not waiting for approval`);
  }
  if (
    !canApproveReply(person, { communityId: row.community_id, authorId: row.created_by, approverIds: row.approver_ids })
  ) {
    throw new HttpError(403, 'forbidden', 'you are not among the approvers of this post');
  }
}

/** Moves a scheduled (or paused, or waiting) post to another time; a draft keeps its status. */
export async function reschedulePost(
  deps: PublishingDeps,
  person: PersonPrincipal,
  postId: number,
  input: z.infer<typeof scheduleSchema>,
): Promise<PostView> {
  return transaction(deps.pool, async (tx) => {
    const row = await writablePost(tx, person, postId);
    if (!['draft', 'pending_approval', 'scheduled', 'paused'].includes(row.status)) {
      throw new HttpError(409, 'too_late', `a ${row.status} post cannot be rescheduled`);
    }
    const at = scheduledValue(input.scheduled_at, new Date())!;
    // Moved to a time still ahead, a post waiting for approval is no longer late.
    await tx.query(
      `update posts set scheduled_at = $2, late_at = case when $2 > now() then null else late_at end, updated_at = now()
       where id = $1`,
      [postId, at],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'post.rescheduled',
      actorPersonId: person.id,
      accountId: row.account_id,
      subjectType: 'post',
      subjectId: postId,
      data: { from: row.scheduled_at?.toISOString() ?? null, to: at.toISOString() },
    });
    return view(deps.directory, (await loadPost(tx, person.orgId, postId))!);
  });
}

/** Cancels a post not yet handed to the outbox. */
export async function cancelPost(deps: PublishingDeps, person: PersonPrincipal, postId: number): Promise<PostView> {
  return transaction(deps.pool, async (tx) => {
    const row = await writablePost(tx, person, postId);
    if (!['draft', 'pending_approval', 'scheduled', 'paused', 'failed'].includes(row.status)) {
      throw new HttpError(409, 'too_late', `a ${row.status} post cannot be cancelled`);
    }
    await tx.query(
      `update posts set status = 'cancelled', updated_at = now(),
         approval_status = case when approval_status = 'pending' then 'cancelled' else approval_status end
       where id = $1`,
      [postId],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'post.cancelled',
      actorPersonId: person.id,
      accountId: row.account_id,
      subjectType: 'post',
      subjectId: postId,
      data: { previous_status: row.status },
    });
    return view(deps.directory, (await loadPost(tx, person.orgId, postId))!);
  });
}

/** The calendar: posts of a time range in the communities the person reads (optionally some, or one campaign). */
export async function calendar(
  deps: PublishingDeps,
  person: PersonPrincipal,
  q: z.infer<typeof calendarQuery>,
): Promise<{ posts: PostView[]; pauses: PauseRow[] }> {
  const readable = [...deps.directory.communities.keys()].filter((c) => canReadPosts(person, c));
  const wanted = q.community ? readable.filter((c) => q.community!.includes(c)) : readable;
  const r = await deps.pool.query<PostRow>(
    `select ${POST_COLUMNS} from posts
     where org_id = $1 and community_id = any($2::int[])
       and coalesce(published_at, scheduled_at, created_at) >= $3 and coalesce(published_at, scheduled_at, created_at) < $4
       and ($5::int is null or campaign_id = $5)
     order by coalesce(published_at, scheduled_at, created_at), id limit 2000`,
    [person.orgId, wanted, q.from, q.to, q.campaign ?? null],
  );
  return {
    posts: r.rows.map((row) => view(deps.directory, row)),
    pauses: await listPauses(deps.pool, person.orgId, readable),
  };
}

export interface PauseRow {
  community_id: number;
  reason: string;
  paused_by: number | null;
  crisis_id: number | null;
  since: Date;
}

export async function listPauses(db: Queryable, orgId: number, communities: number[]): Promise<PauseRow[]> {
  const r = await db.query<PauseRow>(
    `select community_id, reason, paused_by, crisis_id, since from publishing_pauses
     where org_id = $1 and community_id = any($2::int[]) order by community_id`,
    [orgId, communities],
  );
  return r.rows;
}

/**
 * Pauses a community's publishing (inside the caller's transaction): its scheduled posts become paused and due
 * ones wait. Returns false when it was already paused (nothing changed). Used by leaders and by crisis mode.
 */
export async function pausePublishing(
  tx: Queryable,
  p: { orgId: number; communityId: number; reason: string; personId: number | null; crisisId?: number | null },
): Promise<boolean> {
  const ins = await tx.query(
    `insert into publishing_pauses (community_id, org_id, reason, paused_by, crisis_id) values ($1, $2, $3, $4, $5)
     on conflict (community_id) do nothing`,
    [p.communityId, p.orgId, p.reason, p.personId, p.crisisId ?? null],
  );
  if (!ins.rowCount) return false;
  const held = await tx.query(
    `update posts set status = 'paused', updated_at = now() where community_id = $1 and org_id = $2 and status = 'scheduled'`,
    [p.communityId, p.orgId],
  );
  await audit(tx, {
    orgId: p.orgId,
    action: 'publishing.paused',
    actorPersonId: p.personId,
    subjectType: 'community',
    subjectId: p.communityId,
    data: { reason: p.reason, crisis_id: p.crisisId ?? null, posts_paused: held.rowCount ?? 0 },
  });
  return true;
}

/**
 * Resumes a community's publishing: its paused posts are scheduled again (those already due go out at the
 * worker's next pass). With `crisisId`, only a pause that crisis set is lifted. Returns false when not paused.
 */
export async function resumePublishing(
  tx: Queryable,
  p: { orgId: number; communityId: number; personId: number | null; crisisId?: number | null },
): Promise<boolean> {
  const del = await tx.query(
    `delete from publishing_pauses where community_id = $1 and org_id = $2 and ($3::int is null or crisis_id = $3)`,
    [p.communityId, p.orgId, p.crisisId ?? null],
  );
  if (!del.rowCount) return false;
  const released = await tx.query(
    `update posts set status = 'scheduled', updated_at = now() where community_id = $1 and org_id = $2 and status = 'paused'`,
    [p.communityId, p.orgId],
  );
  await audit(tx, {
    orgId: p.orgId,
    action: 'publishing.resumed',
    actorPersonId: p.personId,
    subjectType: 'community',
    subjectId: p.communityId,
    data: { crisis_id: p.crisisId ?? null, posts_resumed: released.rowCount ?? 0 },
  });
  return true;
}

/**
 * Hands the posts due at `now` to the outbox, each exactly once: the post is claimed (SKIP LOCKED), its outbox
 * row inserted with a key derived from the post, and its status set to publishing in one transaction, so a
 * second pass, another process or a restart never enqueues it again. Posts of paused communities wait.
 */
export async function enqueueDuePosts(pool: pg.Pool, now: Date, limit = 50): Promise<number[]> {
  return transaction(pool, async (tx) => {
    const due = await tx.query<{
      id: number;
      org_id: number;
      account_id: number;
      network: string;
      text: string;
      link: string | null;
      created_by: number;
    }>(
      `select p.id::int, p.org_id, p.account_id, p.network, p.text, p.link, p.created_by from posts p
       where p.status = 'scheduled' and p.scheduled_at <= $1
         and not exists (select 1 from publishing_pauses pp where pp.community_id = p.community_id)
       order by p.scheduled_at, p.id limit $2 for update of p skip locked`,
      [now, limit],
    );
    const ids: number[] = [];
    for (const p of due.rows) {
      const text = outboundText(p);
      const ob = await tx.query<{ id: number }>(
        `insert into outbox (org_id, message_id, case_id, account_id, network, idempotency_key, payload, not_before, created_by)
         values ($1, null, null, $2, $3, $4, $5, now(), $6)
         on conflict (idempotency_key) do nothing returning id::int`,
        [
          p.org_id,
          p.account_id,
          p.network,
          `post-${p.id}-${now.getTime()}`,
          { text, inReplyTo: null, visibility: 'public', postId: p.id },
          p.created_by,
        ],
      );
      const outboxId = ob.rows[0]?.id;
      if (outboxId === undefined) continue;
      await tx.query(`update posts set status = 'publishing', outbox_id = $2, updated_at = now() where id = $1`, [
        p.id,
        outboxId,
      ]);
      await audit(tx, {
        orgId: p.org_id,
        action: 'post.enqueued',
        actorPersonId: p.created_by,
        accountId: p.account_id,
        subjectType: 'post',
        subjectId: p.id,
        data: { outbox_id: outboxId },
      });
      ids.push(p.id);
    }
    if (ids.length > 0) await tx.query('select pg_notify($1, $2)', [OUTBOX_CHANNEL, 'posts']);
    return ids;
  });
}

/** Called by the outbox worker in its transaction: a post's outbox row was published (no-op for replies). */
export async function recordPostPublished(
  tx: Queryable,
  outboxId: number,
  result: { externalId: string; url?: string | undefined },
): Promise<void> {
  const r = await tx.query<{ id: number; org_id: number; account_id: number; created_by: number }>(
    `update posts set status = 'published', external_id = $2, url = $3, published_at = now(), last_error = null,
       updated_at = now()
     where outbox_id = $1 returning id::int, org_id, account_id, created_by`,
    [outboxId, result.externalId, result.url ?? null],
  );
  const p = r.rows[0];
  if (!p) return;
  await audit(tx, {
    orgId: p.org_id,
    action: 'post.published',
    actorPersonId: p.created_by,
    accountId: p.account_id,
    subjectType: 'post',
    subjectId: p.id,
    data: { outbox_id: outboxId, external_id: result.externalId },
  });
}

/** Called by the outbox worker when a post's outbox row failed for good (no-op for replies). */
export async function recordPostFailed(tx: Queryable, outboxId: number, error: string): Promise<void> {
  const r = await tx.query<{ id: number; org_id: number; account_id: number; created_by: number }>(
    `update posts set status = 'failed', last_error = $2, updated_at = now()
     where outbox_id = $1 and status = 'publishing' returning id::int, org_id, account_id, created_by`,
    [outboxId, error.slice(0, 1000)],
  );
  const p = r.rows[0];
  if (!p) return;
  await audit(tx, {
    orgId: p.org_id,
    action: 'post.failed',
    actorPersonId: p.created_by,
    accountId: p.account_id,
    subjectType: 'post',
    subjectId: p.id,
    data: { outbox_id: outboxId, error: error.slice(0, 300) },
  });
}

// Campaigns.

export interface CampaignRow {
  id: number;
  name: string;
  description: string;
  community_ids: number[];
  starts_on: string | null;
  ends_on: string | null;
  owner_id: number | null;
}

export async function listCampaigns(deps: PublishingDeps, person: PersonPrincipal): Promise<CampaignRow[]> {
  const r = await deps.pool.query<CampaignRow>(
    `select id, name, description, community_ids, to_char(starts_on, 'YYYY-MM-DD') as starts_on,
       to_char(ends_on, 'YYYY-MM-DD') as ends_on, owner_id
     from campaigns where org_id = $1 order by coalesce(starts_on, created_at::date) desc, id desc`,
    [person.orgId],
  );
  // A campaign is seen by those who read one of its communities (one for every community: by everyone who reads).
  return r.rows.filter(
    (c) =>
      c.community_ids.length === 0 ||
      c.community_ids.some((id) => canReadPosts(person, id)) ||
      person.role === 'leader',
  );
}

export async function saveCampaign(
  deps: PublishingDeps,
  person: PersonPrincipal,
  campaignId: number | null,
  input: z.infer<typeof campaignSchema>,
): Promise<CampaignRow> {
  for (const c of input.community_ids) mayWriteCommunity(person, c);
  if (input.community_ids.length === 0 && person.role !== 'leader' && !canWritePosts(person)) {
    throw new HttpError(403, 'forbidden', 'your role cannot write campaigns');
  }
  if (input.starts_on && input.ends_on && input.ends_on < input.starts_on) {
    throw invalidField('ends_on', 'a campaign ends after it starts');
  }
  return transaction(deps.pool, async (tx) => {
    const values = [
      person.orgId,
      input.name,
      input.description,
      input.community_ids,
      input.starts_on ?? null,
      input.ends_on ?? null,
      input.owner_id ?? person.id,
    ];
    let id: number;
    if (campaignId === null) {
      const r = await tx.query<{ id: number }>(
        `insert into campaigns (org_id, name, description, community_ids, starts_on, ends_on, owner_id, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
        [...values, person.id],
      );
      id = r.rows[0]!.id;
    } else {
      const r = await tx.query(
        `update campaigns set name = $2, description = $3, community_ids = $4, starts_on = $5, ends_on = $6,
           owner_id = $7, updated_at = now()
         where org_id = $1 and id = $8`,
        [...values, campaignId],
      );
      if (!r.rowCount) throw notFound('campaign');
      id = campaignId;
    }
    await audit(tx, {
      orgId: person.orgId,
      action: campaignId === null ? 'campaign.created' : 'campaign.updated',
      actorPersonId: person.id,
      subjectType: 'campaign',
      subjectId: id,
      data: { name: input.name, community_ids: input.community_ids },
    });
    const r = await tx.query<CampaignRow>(
      `select id, name, description, community_ids, to_char(starts_on, 'YYYY-MM-DD') as starts_on,
         to_char(ends_on, 'YYYY-MM-DD') as ends_on, owner_id from campaigns where id = $1`,
      [id],
    );
    return r.rows[0]!;
  });
}
