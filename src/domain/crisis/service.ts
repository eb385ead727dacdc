import type pg from 'pg';
import { z } from 'zod';
import { type Queryable, transaction } from '../../server/db/database.ts';
import { HttpError, notFound } from '../../server/http/errors.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { notify } from '../notifications/service.ts';
import { CONFIG_CHANNEL } from '../organization/config-events.ts';
import type { Directory } from '../organization/directory.ts';
import { queueReply } from '../outbox/service.ts';
import { pausePublishing, resumePublishing } from '../publishing/service.ts';
import { currentPolicy, insertPolicy } from '../routing/store.ts';
import { type Playbook, playbookSchema } from './playbook.ts';
import { alertRecipients, CRISIS_CHANNEL } from './watcher.ts';

/**
 * Declaring a crisis applies a playbook in one transaction; every change is recorded with the value it
 * replaced (`crisis_changes`), so standing down restores each one, and each step lands in the crisis timeline
 * and the audit log.
 */
const CRISIS_LOCK = 7_311_061;
const ROUTING_LOCK = 7_311_010;

export const declareSchema = z.strictObject({
  playbook_id: z.number().int().positive(),
  alert_id: z.number().int().positive().optional(),
  title: z.string().trim().min(1).max(200).optional(),
  /** Communities concerned; default the alert's community, else all. */
  community_ids: z.array(z.number().int().positive()).max(100).optional(),
});
export type DeclareInput = z.infer<typeof declareSchema>;

export const bulkReplySchema = z.strictObject({
  case_ids: z.array(z.number().int().positive()).min(1).max(500),
  text: z.string().trim().min(1).max(5000),
  resolve: z.boolean().default(false),
});

export interface CrisisRow {
  id: number;
  title: string;
  playbook_id: number | null;
  playbook: Playbook;
  alert_id: number | null;
  community_ids: number[];
  status: 'active' | 'stood_down';
  declared_by: number | null;
  declared_at: Date;
  stood_down_by: number | null;
  stood_down_at: Date | null;
}

export interface ChangeRow {
  id: number;
  kind: string;
  target: string;
  previous: unknown;
  applied: unknown;
  applied_at: Date;
  reverted_at: Date | null;
  revert_note: string | null;
}

interface Deps {
  pool: pg.Pool;
  directory: () => Directory;
  reloadDirectory: () => Promise<void>;
}

async function timeline(db: Queryable, crisisId: number, kind: string, personId: number | null, data = {}) {
  await db.query('insert into crisis_timeline (crisis_id, kind, person_id, data) values ($1, $2, $3, $4)', [
    crisisId,
    kind,
    personId,
    JSON.stringify(data),
  ]);
}

async function record(
  db: Queryable,
  crisisId: number,
  kind: string,
  target: string,
  previous: unknown,
  applied: unknown,
) {
  await db.query(
    'insert into crisis_changes (crisis_id, kind, target, previous, applied) values ($1, $2, $3, $4, $5)',
    [crisisId, kind, target, JSON.stringify(previous ?? null), JSON.stringify(applied ?? null)],
  );
}

async function pushLive(db: Queryable, orgId: number, id: number) {
  await db.query('select pg_notify($1, $2)', [CRISIS_CHANNEL, JSON.stringify({ type: 'crisis', org_id: orgId, id })]);
}

export async function loadCrisis(db: Queryable, orgId: number, id: number): Promise<CrisisRow> {
  const r = await db.query<CrisisRow>('select * from crises where id = $1 and org_id = $2', [id, orgId]);
  const row = r.rows[0];
  if (!row) throw notFound('crisis');
  return { ...row, alert_id: row.alert_id === null ? null : Number(row.alert_id) };
}

export async function declareCrisis(deps: Deps, person: PersonPrincipal, input: DeclareInput): Promise<CrisisRow> {
  const orgId = person.orgId;
  const directory = deps.directory();
  const crisis = await transaction(deps.pool, async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1, $2)', [CRISIS_LOCK, orgId]);
    const active = await tx.query<{ id: number }>("select id from crises where org_id = $1 and status = 'active'", [
      orgId,
    ]);
    if (active.rows[0])
      throw new HttpError(409, 'crisis_active', `crisis ${active.rows[0].id} is in progress: stand it down first`);
    const pb = await tx.query<{ id: number; name: string; definition: unknown }>(
      'select id, name, definition from crisis_playbooks where id = $1 and org_id = $2',
      [input.playbook_id, orgId],
    );
    if (!pb.rows[0]) throw notFound('playbook');
    const playbook = playbookSchema.parse(pb.rows[0].definition);
    let alertCommunity: number | null = null;
    let sampleCase: number | null = null;
    if (input.alert_id !== undefined) {
      const a = await tx.query<{
        community_id: number | null;
        status: string;
        evidence: { sample_message_ids?: number[] };
      }>('select community_id, status, evidence from crisis_alerts where id = $1 and org_id = $2 for update', [
        input.alert_id,
        orgId,
      ]);
      if (!a.rows[0]) throw notFound('alert');
      alertCommunity = a.rows[0].community_id;
      const sc = await tx.query<{ case_id: string }>(
        'select case_id from messages where id = any($1::bigint[]) and org_id = $2 order by id limit 1',
        [a.rows[0].evidence.sample_message_ids ?? [], orgId],
      );
      sampleCase = sc.rows[0] ? Number(sc.rows[0].case_id) : null;
    }
    const communityIds = (
      input.community_ids ?? (alertCommunity !== null ? [alertCommunity] : [...directory.communities.keys()])
    ).filter((id) => directory.communities.has(id));
    const title = input.title ?? playbook.name;
    const ins = await tx.query<{ id: number }>(
      `insert into crises (org_id, title, playbook_id, playbook, alert_id, community_ids, declared_by)
       values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [orgId, title, pb.rows[0].id, JSON.stringify(playbook), input.alert_id ?? null, communityIds, person.id],
    );
    const crisisId = ins.rows[0]!.id;
    if (input.alert_id !== undefined) {
      await tx.query("update crisis_alerts set status = 'declared', crisis_id = $2 where id = $1", [
        input.alert_id,
        crisisId,
      ]);
    }
    await timeline(tx, crisisId, 'declared', person.id, {
      title,
      playbook: playbook.slug,
      alert_id: input.alert_id ?? null,
      community_ids: communityIds,
    });

    // 1. Task force on duty.
    const people = await tx.query<{ id: number; name: string; on_duty: boolean | null }>(
      'select id, name, on_duty from people where org_id = $1 and active and email = any($2::text[]) order by id for update',
      [orgId, playbook.task_force],
    );
    for (const p of people.rows) {
      await tx.query('update people set on_duty = true where id = $1', [p.id]);
      await record(tx, crisisId, 'duty', `person:${p.id}`, { on_duty: p.on_duty }, { on_duty: true, name: p.name });
    }
    // 2. Holding statements and macros as canned replies for every community (the composer offers them).
    const canned = [
      ...playbook.holding_statements.map((h) => ({ ...h, title: `[${title}] ${h.title}` })),
      ...playbook.macros.map((m) => ({ ...m, title: `[${title}] ${m.title}` })),
    ];
    for (const c of canned) {
      const r = await tx.query<{ id: number }>(
        `insert into canned_replies (org_id, community_id, language, title, body, created_by)
         values ($1, null, $2, $3, $4, $5) returning id`,
        [orgId, c.language, c.title, c.body, person.id],
      );
      await record(tx, crisisId, 'canned_reply', `canned_reply:${r.rows[0]!.id}`, null, {
        language: c.language,
        title: c.title,
      });
    }
    // 3. Routing rules switched on first in the policy.
    if (playbook.routing_rules.length > 0) {
      await tx.query('select pg_advisory_xact_lock($1, $2)', [ROUTING_LOCK, orgId]);
      const policy = await currentPolicy(tx, orgId);
      const ids = new Set(playbook.routing_rules.map((r) => r.id));
      const rules = [...playbook.routing_rules, ...policy.rules.filter((r) => !ids.has(r.id))];
      const version = await insertPolicy(tx, orgId, rules, `crisis ${crisisId}: ${title}`, person.id);
      await record(
        tx,
        crisisId,
        'routing',
        'routing_policy',
        { version: policy.version },
        { version, rule_ids: [...ids] },
      );
      await tx.query('select pg_notify($1, $2)', [CONFIG_CHANNEL, 'routing']);
    }
    // 4. The organization knows it is in crisis mode.
    const settings = await tx.query<{ crisis: unknown }>(
      "select settings->'crisis' as crisis from organizations where id = $1 for update",
      [orgId],
    );
    const mode = { id: crisisId, title, community_ids: communityIds };
    await tx.query("update organizations set settings = jsonb_set(settings, '{crisis}', $2::jsonb) where id = $1", [
      orgId,
      JSON.stringify(mode),
    ]);
    await record(tx, crisisId, 'setting', 'organization.settings.crisis', settings.rows[0]?.crisis ?? null, mode);
    // 5. Approval changes: recorded as data (no approval settings to switch here).
    if (Object.keys(playbook.approvals).length > 0)
      await record(tx, crisisId, 'approvals', 'approvals', null, playbook.approvals);
    // 6. Scheduled posts: publishing is paused in the crisis's communities (docs/publishing.md); a community
    // already paused stays as it was and is not resumed by standing down.
    if (playbook.scheduled_posts_to_pause.length > 0) {
      await record(tx, crisisId, 'scheduled_posts', 'scheduled_posts', null, playbook.scheduled_posts_to_pause);
      const reason = `crisis: ${title} (${playbook.scheduled_posts_to_pause.join('; ')})`.slice(0, 500);
      for (const communityId of communityIds) {
        const paused = await pausePublishing(tx, { orgId, communityId, reason, personId: person.id, crisisId });
        if (paused)
          await record(
            tx,
            crisisId,
            'publishing_pause',
            `community:${communityId}`,
            { paused: false },
            { paused: true },
          );
      }
    }

    const changes = await tx.query<{ kind: string; n: number }>(
      'select kind, count(*)::int as n from crisis_changes where crisis_id = $1 group by kind order by kind',
      [crisisId],
    );
    const byKind = Object.fromEntries(changes.rows.map((r) => [r.kind, r.n]));
    await timeline(tx, crisisId, 'playbook_applied', person.id, { playbook: playbook.slug, changes: byKind });
    await audit(tx, {
      orgId,
      action: 'crisis.declared',
      actorPersonId: person.id,
      subjectType: 'crisis',
      subjectId: crisisId,
      data: { playbook_id: pb.rows[0].id, alert_id: input.alert_id ?? null, changes: byKind },
    });
    const recipients = (await alertRecipients(tx as pg.ClientBase, orgId)).filter((id) => id !== person.id);
    if (sampleCase !== null && recipients.length > 0) {
      await notify(tx, {
        orgId,
        personIds: recipients,
        kind: 'crisis_declared',
        caseId: sampleCase,
        data: { crisis_id: crisisId, by: person.id, by_name: person.name },
      });
    }
    await pushLive(tx, orgId, crisisId);
    return loadCrisis(tx, orgId, crisisId);
  });
  await deps.reloadDirectory();
  return crisis;
}

export async function standDown(deps: Deps, person: PersonPrincipal, crisisId: number): Promise<CrisisRow> {
  const orgId = person.orgId;
  const crisis = await transaction(deps.pool, async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1, $2)', [CRISIS_LOCK, orgId]);
    const c = await loadCrisis(tx, orgId, crisisId);
    if (c.status !== 'active') throw new HttpError(409, 'not_active', 'this crisis was already stood down');
    const changes = await tx.query<ChangeRow>(
      'select * from crisis_changes where crisis_id = $1 and reverted_at is null order by id desc',
      [crisisId],
    );
    const reverted: Record<string, number> = {};
    for (const ch of changes.rows) {
      let note = 'restored';
      if (ch.kind === 'duty') {
        const id = Number(ch.target.split(':')[1]);
        await tx.query('update people set on_duty = $2 where id = $1 and org_id = $3', [
          id,
          (ch.previous as { on_duty: boolean | null }).on_duty,
          orgId,
        ]);
      } else if (ch.kind === 'canned_reply') {
        const id = Number(ch.target.split(':')[1]);
        const r = await tx.query('delete from canned_replies where id = $1 and org_id = $2', [id, orgId]);
        note = r.rowCount ? 'removed' : 'already removed';
      } else if (ch.kind === 'routing') {
        // Rules edited by hand meanwhile stay: only the crisis rules leave the policy in force.
        await tx.query('select pg_advisory_xact_lock($1, $2)', [ROUTING_LOCK, orgId]);
        const ids = new Set((ch.applied as { rule_ids: string[] }).rule_ids);
        const policy = await currentPolicy(tx, orgId);
        const rules = policy.rules.filter((r) => !ids.has(r.id));
        if (rules.length !== policy.rules.length && rules.length > 0) {
          const version = await insertPolicy(tx, orgId, rules, `crisis ${crisisId} stood down`, person.id);
          note = `crisis rules removed (version ${version})`;
          await tx.query('select pg_notify($1, $2)', [CONFIG_CHANNEL, 'routing']);
        } else note = 'crisis rules were no longer in the policy';
      } else if (ch.kind === 'setting') {
        const previous = ch.previous;
        if (previous === null)
          await tx.query("update organizations set settings = settings - 'crisis' where id = $1", [orgId]);
        else
          await tx.query(
            "update organizations set settings = jsonb_set(settings, '{crisis}', $2::jsonb) where id = $1",
            [orgId, JSON.stringify(previous)],
          );
      } else if (ch.kind === 'publishing_pause') {
        // Only the pause this crisis set is lifted: a leader's pause set meanwhile stays.
        const communityId = Number(ch.target.split(':')[1]);
        const resumed = await resumePublishing(tx, { orgId, communityId, personId: person.id, crisisId });
        note = resumed ? 'publishing resumed' : 'publishing was no longer paused by this crisis';
      } else {
        note = 'recorded only';
      }
      await tx.query('update crisis_changes set reverted_at = now(), revert_note = $2 where id = $1', [ch.id, note]);
      reverted[ch.kind] = (reverted[ch.kind] ?? 0) + 1;
    }
    await tx.query("update crises set status = 'stood_down', stood_down_by = $2, stood_down_at = now() where id = $1", [
      crisisId,
      person.id,
    ]);
    await timeline(tx, crisisId, 'stood_down', person.id, { reverted });
    await audit(tx, {
      orgId,
      action: 'crisis.stood_down',
      actorPersonId: person.id,
      subjectType: 'crisis',
      subjectId: crisisId,
      data: { reverted },
    });
    await pushLive(tx, orgId, crisisId);
    return loadCrisis(tx, orgId, crisisId);
  });
  await deps.reloadDirectory();
  return crisis;
}

/** Dismissing an alert: a leader judged it is no crisis. */
export async function dismissAlert(pool: pg.Pool, person: PersonPrincipal, alertId: number): Promise<void> {
  await transaction(pool, async (tx) => {
    const r = await tx.query(
      "update crisis_alerts set status = 'dismissed' where id = $1 and org_id = $2 and status = 'open'",
      [alertId, person.orgId],
    );
    if (!r.rowCount) throw notFound('open alert');
    await audit(tx, {
      orgId: person.orgId,
      action: 'crisis.alert_dismissed',
      actorPersonId: person.id,
      subjectType: 'crisis_alert',
      subjectId: alertId,
    });
    await pushLive(tx, person.orgId, 0);
  });
}

export interface BulkReplyResult {
  sent: number;
  results: { case_id: number; outcome: 'queued' | 'failed'; error?: string; outbox_id?: number }[];
}

/**
 * One reply (a holding statement, a macro) to many cases: each case keeps its own thread and goes through the
 * outbox on its own account, with the send delay; a refused case does not stop the others.
 */
export async function bulkReply(
  deps: { pool: pg.Pool; directory: Directory; sendDelayMs: number },
  person: PersonPrincipal,
  crisisId: number,
  input: z.infer<typeof bulkReplySchema>,
): Promise<BulkReplyResult> {
  const c = await loadCrisis(deps.pool, person.orgId, crisisId);
  if (c.status !== 'active') throw new HttpError(409, 'not_active', 'this crisis was stood down');
  // Only texts approved in advance (the playbook's holding statements and macros) go out in bulk: they need no
  // further approval; anything else is written case by case, through the usual reply and its approvals.
  const approved = [...c.playbook.holding_statements, ...c.playbook.macros].map((x) => x.body.trim());
  if (!approved.includes(input.text.trim())) {
    throw new HttpError(
      422,
      'not_approved',
      'a bulk reply sends a holding statement or macro of the playbook, unchanged; reply case by case otherwise',
    );
  }
  const results: BulkReplyResult['results'] = [];
  for (const id of [...new Set(input.case_ids)]) {
    try {
      const q = await queueReply(deps, person, id, { text: input.text, resolve: input.resolve });
      results.push({ case_id: id, outcome: 'queued', outbox_id: q.outbox_id });
    } catch (err) {
      if (!(err instanceof HttpError) && !(err instanceof Error && 'issues' in err)) throw err;
      results.push({ case_id: id, outcome: 'failed', error: err.message });
    }
  }
  const sent = results.filter((r) => r.outcome === 'queued').length;
  await transaction(deps.pool, async (tx) => {
    await timeline(tx, crisisId, 'bulk_reply', person.id, {
      cases: input.case_ids.length,
      queued: sent,
      resolve: input.resolve,
    });
    await audit(tx, {
      orgId: person.orgId,
      action: 'crisis.bulk_reply',
      actorPersonId: person.id,
      subjectType: 'crisis',
      subjectId: crisisId,
      data: { case_ids: input.case_ids, queued: sent },
    });
    await pushLive(tx, person.orgId, crisisId);
  });
  return { sent, results };
}
