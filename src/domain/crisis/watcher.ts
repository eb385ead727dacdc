import type pg from 'pg';
import type { Logger } from 'pino';
import { transaction } from '../../server/db/database.ts';
import { notify } from '../notifications/service.ts';
import { type Alert, CrisisDetector } from './detector.ts';
import { foldTerms } from './terms.ts';

/**
 * Runs the crisis detector (the one behind `passeur detect`) on live traffic. It never slows ingest: it reads the
 * messages stored since its last pass, by id, every few seconds. One process of the organization owns the
 * detector at a time (a session advisory lock held on its own connection); another takes over when it stops,
 * rebuilding the baseline from the last hours of stored messages. Alerts are stored with their evidence, pushed
 * live (NOTIFY `passeur_crisis`) and notified to the leaders and the crisis cell.
 */
export const CRISIS_CHANNEL = 'passeur_crisis';
const OWNER_LOCK = 7_311_060;
const INTERVAL_MS = 3_000;
const BATCH = 5_000;
/** History read to rebuild a baseline (the detector needs at least 45 minutes before it judges). */
const PRIME_MS = 3 * 3_600_000;
/** A message older than its community's stream by more than this is a backfill (import, replay), not live. */
const LATE_MS = 5 * 60_000;
/** Minutes kept for the evidence series. */
const SERIES_MINUTES = 60;

interface Row {
  id: number;
  text: string;
  at: Date;
  community_id: number;
  negative: boolean;
}

interface Stream {
  detector: CrisisDetector;
  last: number;
  /** Per minute (epoch minute → inbound, negative), for the evidence series. */
  minutes: Map<number, { n: number; neg: number }>;
  /** The texts of the last minutes, for the top terms of an alert. */
  recent: { at: number; text: string }[];
}

export interface StoredAlert {
  id: number;
  community_id: number;
  kind: string;
  score: number;
  detected_at: string;
}

export interface WatcherDeps {
  pool: pg.Pool;
  orgId: () => number;
  log: Logger;
  intervalMs?: number;
  sensitivity?: number;
}

export class CrisisWatcher {
  private readonly deps: WatcherDeps;
  private owner: pg.PoolClient | undefined;
  private cursor = 0;
  private readonly streams = new Map<number, Stream>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(deps: WatcherDeps) {
    this.deps = deps;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running
        .then(() => this.tick())
        .catch((err: unknown) => this.deps.log.warn({ err }, 'crisis watcher: pass failed'));
    }, this.deps.intervalMs ?? INTERVAL_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.release();
  }

  get isOwner(): boolean {
    return this.owner !== undefined;
  }

  /** One pass: take ownership if free, then read and judge the new messages. Returns the alerts stored. */
  async tick(now = Date.now()): Promise<StoredAlert[]> {
    if (!this.owner && !(await this.acquire(now))) return [];
    try {
      return await this.sweep();
    } catch (err) {
      // A broken owner connection gives the detector up; the next pass (here or elsewhere) starts afresh.
      await this.release();
      throw err;
    }
  }

  private async acquire(now: number): Promise<boolean> {
    const client = await this.deps.pool.connect();
    try {
      const r = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [
        OWNER_LOCK,
        this.deps.orgId(),
      ]);
      if (!r.rows[0]?.ok) {
        client.release();
        return false;
      }
    } catch (err) {
      client.release();
      throw err;
    }
    this.owner = client;
    this.streams.clear();
    const max = await this.deps.pool.query<{ id: string | null }>('select max(id) as id from messages');
    this.cursor = Number(max.rows[0]?.id ?? 0);
    await this.prime(null, now);
    return true;
  }

  private async release(): Promise<void> {
    const client = this.owner;
    this.owner = undefined;
    if (!client) return;
    try {
      await client.query('select pg_advisory_unlock($1, $2)', [OWNER_LOCK, this.deps.orgId()]);
      client.release();
    } catch {
      client.release(true);
    }
  }

  /** Rebuilds the baselines (of one community, or all) from the stored history, discarding what they flag. */
  private async prime(communityId: number | null, now: number): Promise<void> {
    const rows = await this.deps.pool.query<Row>(
      `select m.id, m.text, m.created_at as at, c.community_id, coalesce(m.sentiment = 'negative', false) as negative
       from messages m join cases c on c.id = m.case_id
       where m.org_id = $1 and m.direction = 'in' and m.id <= $2 and m.id > $2 - 200000
         and m.created_at > $3 and m.created_at <= $4 and ($5::int is null or c.community_id = $5)
       order by m.created_at, m.id`,
      [this.deps.orgId(), this.cursor, new Date(now - PRIME_MS), new Date(now + 60_000), communityId],
    );
    if (communityId !== null) this.streams.delete(communityId);
    else this.streams.clear();
    for (const r of rows.rows) this.feed(r, r.at.getTime());
  }

  private stream(communityId: number): Stream {
    let s = this.streams.get(communityId);
    if (!s) {
      s = {
        detector: new CrisisDetector(this.deps.sensitivity ? { sensitivity: this.deps.sensitivity } : {}),
        last: 0,
        minutes: new Map(),
        recent: [],
      };
      this.streams.set(communityId, s);
    }
    return s;
  }

  private feed(r: Row, at: number): Alert[] {
    const s = this.stream(r.community_id);
    s.last = Math.max(s.last, at);
    const minute = Math.floor(at / 60_000);
    const cell = s.minutes.get(minute) ?? { n: 0, neg: 0 };
    cell.n++;
    if (r.negative) cell.neg++;
    s.minutes.set(minute, cell);
    for (const k of s.minutes.keys()) if (k < minute - SERIES_MINUTES) s.minutes.delete(k);
    s.recent.push({ at, text: r.text });
    while (s.recent.length > 0 && s.recent[0]!.at < at - 10 * 60_000) s.recent.shift();
    if (s.recent.length > 2000) s.recent.splice(0, s.recent.length - 2000);
    return s.detector.push({
      id: String(r.id),
      text: r.text,
      at,
      community: String(r.community_id),
      negative: r.negative,
    });
  }

  private async sweep(): Promise<StoredAlert[]> {
    const orgId = this.deps.orgId();
    const r = await this.deps.pool.query<Row>(
      `select m.id, m.text, m.created_at as at, c.community_id, coalesce(m.sentiment = 'negative', false) as negative
       from messages m join cases c on c.id = m.case_id
       where m.id > $1 and m.org_id = $2 and m.direction = 'in' order by m.id limit ${BATCH}`,
      [this.cursor, orgId],
    );
    if (r.rows.length === 0) return [];
    const maxId = Math.max(...r.rows.map((x) => Number(x.id)));
    // In time order within the pass; a backfill (much older than its community's stream) rebuilds that baseline.
    const rows = r.rows.map((x) => ({ ...x, id: Number(x.id) })).sort((a, b) => a.at.getTime() - b.at.getTime());
    const rebuild = new Set<number>();
    const alerts: { alert: Alert; communityId: number }[] = [];
    for (const row of rows) {
      const s = this.streams.get(row.community_id);
      const at = row.at.getTime();
      if (s && at < s.last - LATE_MS) {
        rebuild.add(row.community_id);
        continue;
      }
      for (const alert of this.feed(row, Math.max(at, s?.last ?? 0)))
        alerts.push({ alert, communityId: row.community_id });
    }
    this.cursor = maxId;
    for (const id of rebuild) await this.prime(id, Date.now());
    const stored: StoredAlert[] = [];
    for (const { alert, communityId } of alerts) stored.push(await this.store(orgId, communityId, alert));
    return stored;
  }

  /** The evidence a person needs to judge an alert: the series, the words, the messages. */
  private evidence(communityId: number, alert: Alert) {
    const s = this.streams.get(communityId)!;
    const end = Math.floor(Date.parse(alert.at) / 60_000);
    const series: { minute: string; n: number; negative: number }[] = [];
    for (let m = end - SERIES_MINUTES + 1; m <= end; m++) {
      const c = s.minutes.get(m);
      series.push({ minute: new Date(m * 60_000).toISOString(), n: c?.n ?? 0, negative: c?.neg ?? 0 });
    }
    const counts = new Map<string, number>();
    const since = Date.parse(alert.at) - 5 * 60_000;
    for (const x of s.recent) {
      if (x.at < since) continue;
      for (const t of foldTerms(x.text)) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    const detectorTerms = (alert.evidence.terms as { term: string; count: number }[] | undefined) ?? [];
    const topTerms = (
      detectorTerms.length > 0
        ? detectorTerms.map((t) => ({ term: t.term, count: t.count }))
        : [...counts].map(([term, count]) => ({ term, count }))
    )
      .sort((a, b) => b.count - a.count)
      .slice(0, 10);
    const { sample_ids: sampleIds, terms: _terms, ...rest } = alert.evidence as Record<string, unknown>;
    return {
      ...rest,
      detector_terms: detectorTerms,
      series,
      top_terms: topTerms,
      sample_message_ids: ((sampleIds as string[] | undefined) ?? []).map(Number),
    };
  }

  private async store(orgId: number, communityId: number, alert: Alert): Promise<StoredAlert> {
    const evidence = this.evidence(communityId, alert);
    return transaction(this.deps.pool, async (tx) => {
      // A surge that keeps growing updates its open alert (new evidence, higher score) rather than adding alerts.
      const open = await tx.query<StoredAlert>(
        `update crisis_alerts set score = greatest(score, $4), evidence = $5
         where id = (select id from crisis_alerts where org_id = $1 and community_id = $2 and kind = $3
                       and status = 'open' and detected_at > $6::timestamptz - interval '30 minutes'
                     order by id desc limit 1)
         returning id, community_id, kind, score, detected_at`,
        [orgId, communityId, alert.kind, alert.score, JSON.stringify(evidence), alert.at],
      );
      if (open.rows[0]) {
        await tx.query('select pg_notify($1, $2)', [
          CRISIS_CHANNEL,
          JSON.stringify({ type: 'alert', org_id: orgId, id: Number(open.rows[0].id) }),
        ]);
        return { ...open.rows[0], id: Number(open.rows[0].id) };
      }
      const r = await tx.query<StoredAlert>(
        `insert into crisis_alerts (org_id, community_id, kind, score, detected_at, evidence)
         values ($1, $2, $3, $4, $5, $6) returning id, community_id, kind, score, detected_at`,
        [orgId, communityId, alert.kind, alert.score, alert.at, JSON.stringify(evidence)],
      );
      const stored = { ...r.rows[0]!, id: Number(r.rows[0]!.id) };
      // Leaders (and the crisis cell of the playbooks) learn of it at once, on a case the alert shows.
      const sampleCase = await tx.query<{ case_id: string }>(
        'select case_id from messages where id = any($1::bigint[]) and org_id = $2 order by id limit 1',
        [evidence.sample_message_ids, orgId],
      );
      const recipients = await alertRecipients(tx, orgId);
      if (sampleCase.rows[0] && recipients.length > 0) {
        await notify(tx, {
          orgId,
          personIds: recipients,
          kind: 'crisis_alert',
          caseId: Number(sampleCase.rows[0].case_id),
          data: { alert_id: stored.id, alert_kind: alert.kind, community_id: communityId },
        });
      }
      await tx.query('select pg_notify($1, $2)', [
        CRISIS_CHANNEL,
        JSON.stringify({ type: 'alert', org_id: orgId, id: stored.id }),
      ]);
      this.deps.log.info({ alert: stored.id, community: communityId, kind: alert.kind }, 'crisis alert');
      return stored;
    });
  }
}

/** Who is told of an alert: the leaders, and everyone the playbooks list (roles, teams, emails). */
export async function alertRecipients(db: pg.ClientBase | pg.Pool, orgId: number): Promise<number[]> {
  const r = await db.query<{ id: number }>(
    `with lists as (
       select coalesce(jsonb_agg(distinct r) filter (where r is not null), '[]') as roles,
              coalesce(jsonb_agg(distinct t) filter (where t is not null), '[]') as teams,
              coalesce(jsonb_agg(distinct e) filter (where e is not null), '[]') as emails
       from crisis_playbooks pb
         left join lateral jsonb_array_elements_text(pb.definition->'notify'->'roles') r on true
         left join lateral jsonb_array_elements_text(pb.definition->'notify'->'teams') t on true
         left join lateral jsonb_array_elements_text(pb.definition->'notify'->'emails') e on true
       where pb.org_id = $1)
     select distinct p.id from people p, lists
     where p.org_id = $1 and p.active and (
       p.role = 'leader' or lists.roles ? p.role or lists.emails ? p.email
       or exists (select 1 from team_members tm join teams tt on tt.id = tm.team_id
                  where tm.person_id = p.id and lists.teams ? tt.slug))
     order by p.id`,
    [orgId],
  );
  return r.rows.map((x) => x.id);
}
