import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import { forbidden, HttpError, notFound } from '../../server/http/errors.ts';
import { canAcknowledgeHandover, canPrepareHandover, canReadHandover } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import type { Community, Directory } from '../organization/directory.ts';
import { invalidField } from '../validation.ts';
import { generateContent, withoutText } from './content.ts';
import { notifyHandover } from './notify.ts';
import { type BriefRow, dutyPeople, getBrief, type ItemEdit, latestBrief } from './store.ts';
import { configuredTimes, type DutyPerson, type Handover, handoverTimes, MERGE_MINUTES, onDutyAt } from './times.ts';

/**
 * Handover briefs: generated for a community and a period (automatically at its shift changes, or on demand),
 * edited by the outgoing shift while a draft, published to the next shift (notified, by email as they choose),
 * acknowledged by them. One brief per community and period: generating again the same period returns it.
 */

const HANDOVER_LOCK = 7_311_081;
/** The draft of a scheduled brief appears this long before the handover, for the outgoing shift to review. */
export const LEAD_MINUTES = 30;
/** After a pause of the workers, handovers this recent still get their brief. */
export const CATCH_UP_HOURS = 6;
const MINUTE = 60_000;
const DAY = 86_400_000;

export interface Deps {
  pool: pg.Pool;
  directory: Directory;
}

function scheduleOf(community: Community) {
  const times = configuredTimes(community.settings);
  return times ? { times, timezone: community.timezone } : undefined;
}

/** Where a new brief's period starts: the end of the previous brief, else the previous handover, else a day before. */
function periodStart(latest: BriefRow | undefined, people: DutyPerson[], community: Community, to: Date): Date {
  if (latest && latest.period_to < to && latest.period_to.getTime() > to.getTime() - 7 * DAY) return latest.period_to;
  const before = handoverTimes(
    people,
    new Date(to.getTime() - 7 * DAY),
    new Date(to.getTime() - MINUTE),
    scheduleOf(community),
  );
  return before.at(-1)?.at ?? new Date(to.getTime() - DAY);
}

async function lockCommunity(tx: pg.PoolClient, communityId: number) {
  await tx.query('select pg_advisory_xact_lock($1, $2)', [HANDOVER_LOCK, communityId]);
}

/** Stores a new brief for [from, to), or returns the one this community already has for that period. */
async function insertBrief(
  tx: pg.PoolClient,
  b: {
    orgId: number;
    community: Community;
    from: Date;
    to: Date;
    trigger: 'schedule' | 'manual';
    by: number | null;
    outgoing: number[];
    incoming: number[];
    now: Date;
  },
): Promise<{ brief: BriefRow; created: boolean }> {
  const content = withoutText(await generateContent(tx, b.orgId, b.community, b.from, b.to, b.now));
  const r = await tx.query<BriefRow>(
    `insert into handover_briefs (org_id, community_id, period_from, period_to, trigger, content, generated_at,
       outgoing_ids, incoming_ids, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (community_id, period_from, period_to) do nothing
     returning *`,
    [b.orgId, b.community.id, b.from, b.to, b.trigger, content, b.now, b.outgoing, b.incoming, b.by],
  );
  if (r.rows[0]) {
    const brief = { ...r.rows[0], id: Number(r.rows[0].id) };
    await audit(tx, {
      orgId: b.orgId,
      action: 'handover.generated',
      actorPersonId: b.by,
      subjectType: 'handover_brief',
      subjectId: brief.id,
      data: { community_id: b.community.id, trigger: b.trigger, period_to: b.to.toISOString() },
    });
    return { brief, created: true };
  }
  const existing = await tx.query<{ id: number }>(
    'select id from handover_briefs where community_id = $1 and period_from = $2 and period_to = $3',
    [b.community.id, b.from, b.to],
  );
  return { brief: (await getBrief(tx, b.orgId, Number(existing.rows[0]!.id)))!, created: false };
}

/** Brings a draft up to date (its period now ends at `to`); the note and the item edits stay. */
async function refreshDraft(
  tx: pg.PoolClient,
  brief: BriefRow,
  community: Community,
  to: Date,
  now: Date,
  by: number | null,
): Promise<BriefRow> {
  const end = to > brief.period_to ? to : brief.period_to;
  const content = withoutText(await generateContent(tx, brief.org_id, community, brief.period_from, end, now));
  await tx.query('update handover_briefs set content = $2, period_to = $3, generated_at = $4 where id = $1', [
    brief.id,
    content,
    end,
    now,
  ]);
  await audit(tx, {
    orgId: brief.org_id,
    action: 'handover.regenerated',
    actorPersonId: by,
    subjectType: 'handover_brief',
    subjectId: brief.id,
    data: { community_id: community.id, period_to: end.toISOString() },
  });
  return (await getBrief(tx, brief.org_id, brief.id))!;
}

/** Publishes a draft: the next shift is notified (and emailed, as each of them chooses). */
async function publishDraft(tx: pg.PoolClient, brief: BriefRow, community: Community, by: PersonPrincipal | null) {
  await tx.query(
    `update handover_briefs set status = 'published', published_by = $2, published_at = now() where id = $1`,
    [brief.id, by?.id ?? null],
  );
  const recipients = brief.incoming_ids.filter((id) => id !== by?.id);
  const notified = await notifyHandover(tx, {
    orgId: brief.org_id,
    personIds: recipients,
    briefId: brief.id,
    communityId: community.id,
    data: {
      community_name: community.name,
      period_to: brief.period_to.toISOString(),
      ...(by ? { by_name: by.name } : {}),
    },
  });
  await audit(tx, {
    orgId: brief.org_id,
    action: 'handover.published',
    actorPersonId: by?.id ?? null,
    subjectType: 'handover_brief',
    subjectId: brief.id,
    data: { community_id: community.id, notified },
  });
}

function communityOf(deps: Deps, person: PersonPrincipal, communityId: number): Community {
  const community = deps.directory.communities.get(communityId);
  if (!community || !canReadHandover(person, communityId)) throw notFound('community');
  return community;
}

/**
 * "Generate now": brings the community's draft up to date, or starts the brief of the period since the last one.
 * The next shift is the one of the coming handover (or of the one that just passed, within LEAD_MINUTES).
 */
export async function generateNow(
  deps: Deps,
  person: PersonPrincipal,
  communityId: number,
  now = new Date(),
): Promise<BriefRow> {
  const community = communityOf(deps, person, communityId);
  if (!canPrepareHandover(person, communityId)) throw forbidden('preparing a handover brief');
  return transaction(deps.pool, async (tx) => {
    await lockCommunity(tx, communityId);
    // Up to this very moment (what arrived a second ago is in the brief); drafts are refreshed, not duplicated.
    const to = now;
    const latest = await latestBrief(tx, person.orgId, communityId);
    if (latest?.status === 'draft') return refreshDraft(tx, latest, community, to, now, person.id);
    if (latest && latest.period_to >= to)
      throw new HttpError(409, 'handover_published', 'the brief of this period is already published');
    const people = await dutyPeople(tx, person.orgId, communityId, now);
    const next: Handover | undefined = handoverTimes(
      people,
      new Date(to.getTime() - LEAD_MINUTES * MINUTE),
      new Date(to.getTime() + 7 * DAY),
      scheduleOf(community),
    )[0];
    const { brief } = await insertBrief(tx, {
      orgId: person.orgId,
      community,
      from: periodStart(latest, people, community, to),
      to,
      trigger: 'manual',
      by: person.id,
      outgoing: onDutyAt(people, now.getTime()),
      incoming: next?.incoming ?? [],
      now,
    });
    return brief;
  });
}

export interface EditInput {
  note?: string | undefined;
  items?: Record<string, ItemEdit | null> | undefined;
}

async function lockedBrief(tx: pg.PoolClient, person: PersonPrincipal, id: number): Promise<BriefRow> {
  const brief = await getBrief(tx, person.orgId, id, true);
  if (!brief || !canReadHandover(person, brief.community_id)) throw notFound('handover brief');
  return brief;
}

/** The outgoing shift's edits of a draft: the note, and per item hidden and/or a comment (null removes the edit). */
export async function editBrief(deps: Deps, person: PersonPrincipal, id: number, input: EditInput): Promise<void> {
  await transaction(deps.pool, async (tx) => {
    const brief = await lockedBrief(tx, person, id);
    if (!canPrepareHandover(person, brief.community_id)) throw forbidden('editing a handover brief');
    if (brief.status !== 'draft') throw new HttpError(409, 'handover_published', 'a published brief cannot be edited');
    const keys = new Set(
      [brief.content.cases, brief.content.consults, brief.content.promises, brief.content.incidents].flatMap((s) =>
        s.map((i) => i.key),
      ),
    );
    const edits = { ...brief.item_edits };
    for (const [key, edit] of Object.entries(input.items ?? {})) {
      if (!keys.has(key)) throw invalidField(`items.${key}`, 'no such item in this brief');
      const comment = edit?.comment?.trim();
      const next: ItemEdit = {
        ...(edit?.hidden ? { hidden: true } : {}),
        ...(comment ? { comment } : {}),
      };
      if (Object.keys(next).length === 0) delete edits[key];
      else edits[key] = next;
    }
    await tx.query(
      `update handover_briefs set note = $2, item_edits = $3, edited_by = $4, edited_at = now() where id = $1`,
      [brief.id, input.note ?? brief.note, edits, person.id],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'handover.edited',
      actorPersonId: person.id,
      subjectType: 'handover_brief',
      subjectId: brief.id,
      data: { note: input.note !== undefined, items: Object.keys(input.items ?? {}) },
    });
  });
}

export async function publishBrief(deps: Deps, person: PersonPrincipal, id: number): Promise<void> {
  await transaction(deps.pool, async (tx) => {
    const brief = await lockedBrief(tx, person, id);
    if (!canPrepareHandover(person, brief.community_id)) throw forbidden('publishing a handover brief');
    if (brief.status !== 'draft') throw new HttpError(409, 'handover_published', 'this brief is already published');
    await publishDraft(tx, brief, deps.directory.communities.get(brief.community_id)!, person);
  });
}

/**
 * One acknowledgement per person of the next shift. The first one marks the brief acknowledged (the shift has
 * taken over); the others are recorded too, so the brief shows who of the next shift has read it.
 */
export async function acknowledgeBrief(deps: Deps, person: PersonPrincipal, id: number): Promise<void> {
  await transaction(deps.pool, async (tx) => {
    const brief = await lockedBrief(tx, person, id);
    if (brief.status === 'draft') throw new HttpError(409, 'handover_draft', 'this brief is not published yet');
    if (!canAcknowledgeHandover(person, { communityId: brief.community_id, publishedBy: brief.published_by })) {
      throw forbidden(
        brief.published_by === person.id
          ? 'acknowledging a brief you published (the next shift does)'
          : 'acknowledging a handover brief',
      );
    }
    const r = await tx.query(
      'insert into handover_acknowledgements (brief_id, person_id) values ($1, $2) on conflict do nothing',
      [brief.id, person.id],
    );
    if ((r.rowCount ?? 0) === 0) return;
    if (brief.status === 'published') {
      await tx.query(
        `update handover_briefs set status = 'acknowledged', acknowledged_by = $2, acknowledged_at = now() where id = $1`,
        [brief.id, person.id],
      );
    }
    await audit(tx, {
      orgId: person.orgId,
      action: 'handover.acknowledged',
      actorPersonId: person.id,
      subjectType: 'handover_brief',
      subjectId: brief.id,
      data: { community_id: brief.community_id },
    });
  });
}

export interface PassResult {
  generated: number;
  published: number;
}

/**
 * One pass of the handover timer over every community: LEAD_MINUTES before a handover its draft is generated for
 * the outgoing shift to review (or the community's draft in preparation is extended to it); at the handover the
 * draft, brought up to date, is published (unless someone published it before). A brief published within
 * MERGE_MINUTES before a handover stands for it. Each community is done under its own lock, so processes running
 * the timer together do the work once.
 */
export async function runHandovers(deps: Deps, now = new Date()): Promise<PassResult> {
  const result: PassResult = { generated: 0, published: 0 };
  const orgId = deps.directory.orgId;
  for (const community of deps.directory.communities.values()) {
    const schedule = scheduleOf(community);
    if (schedule && schedule.times.length === 0) continue;
    await transaction(deps.pool, async (tx) => {
      await lockCommunity(tx, community.id);
      const people = await dutyPeople(tx, orgId, community.id, now);
      const due = handoverTimes(
        people,
        new Date(now.getTime() - CATCH_UP_HOURS * 3_600_000),
        new Date(now.getTime() + LEAD_MINUTES * MINUTE),
        schedule,
      ).at(-1);
      if (!due) return;
      const at = due.at;
      const reached = now >= at;
      const latest = await latestBrief(tx, orgId, community.id);
      // A draft is the brief in preparation: it covers this handover, and is published at it.
      if (latest?.status === 'draft') {
        if (reached) {
          const fresh = await refreshDraft(tx, latest, community, at, now, null);
          await publishDraft(tx, fresh, community, null);
          result.published++;
        } else if (latest.period_to < at) await refreshDraft(tx, latest, community, at, now, null);
        return;
      }
      if (latest && latest.period_to.getTime() >= at.getTime() - MERGE_MINUTES * MINUTE) return;
      const { brief, created } = await insertBrief(tx, {
        orgId,
        community,
        from: periodStart(latest, people, community, at),
        to: at,
        trigger: 'schedule',
        by: null,
        outgoing: due.outgoing,
        incoming: due.incoming,
        now,
      });
      if (created) result.generated++;
      if (reached && brief.status === 'draft') {
        await publishDraft(tx, brief, community, null);
        result.published++;
      }
    });
  }
  return result;
}

/**
 * The demo organization's first briefs: every community without a brief gets a draft covering the time since its
 * previous handover (or the last day), so the Handover page has something to review, edit and publish at once.
 */
export async function ensureFirstBriefs(deps: Deps, now = new Date()): Promise<number> {
  let made = 0;
  const orgId = deps.directory.orgId;
  for (const community of deps.directory.communities.values()) {
    await transaction(deps.pool, async (tx) => {
      await lockCommunity(tx, community.id);
      if (await latestBrief(tx, orgId, community.id)) return;
      const people = await dutyPeople(tx, orgId, community.id, now);
      const next = handoverTimes(people, now, new Date(now.getTime() + 7 * DAY), scheduleOf(community))[0];
      const { created } = await insertBrief(tx, {
        orgId,
        community,
        from: periodStart(undefined, people, community, now),
        to: now,
        trigger: 'schedule',
        by: null,
        outgoing: onDutyAt(people, now.getTime()),
        incoming: next?.incoming ?? [],
        now,
      });
      if (created) made++;
    });
  }
  return made;
}
