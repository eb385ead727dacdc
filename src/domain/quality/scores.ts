import type { Queryable } from '../../server/db/database.ts';
import type { ReportFilter } from '../reports/filters.ts';

/**
 * QA scores over a period: per person (the authors of the reviewed replies) and per community, the number of
 * reviews, their mean overall score, and the criteria most often failed. The period is that of the replies (when
 * they were written), so a score describes the work of that period whenever it was reviewed.
 */

export interface FailedCriterion {
  id: string;
  label: string;
  /** For a guideline: its kind and policy message, so a page can name it in its own language. */
  guideline_kind?: string;
  message?: string;
  fails: number;
}

export interface QaScore {
  reviews: number;
  /** Mean of the reviews' overall scores (0–100), one decimal; null without reviews. */
  mean_score: number | null;
  /** The criteria rated `fail` most often (at most 3), most failed first. */
  most_failed: FailedCriterion[];
}

export interface QaScores {
  total: QaScore;
  people: (QaScore & { person_id: number; name: string })[];
  communities: (QaScore & { community_id: number })[];
}

interface Row {
  author_id: number;
  name: string;
  community_id: number;
  overall_score: number;
  scores: { id: string; label: string; rating: string; guideline_kind?: string; message?: string }[];
}

class Acc {
  count = 0;
  sum = 0;
  fails = new Map<string, FailedCriterion>();
  add(r: Row) {
    this.count++;
    this.sum += r.overall_score;
    for (const s of r.scores) {
      if (s.rating !== 'fail') continue;
      const f = this.fails.get(s.id) ?? {
        id: s.id,
        label: s.label,
        ...(s.guideline_kind ? { guideline_kind: s.guideline_kind } : {}),
        ...(s.message ? { message: s.message } : {}),
        fails: 0,
      };
      f.fails++;
      this.fails.set(s.id, f);
    }
  }
  result(): QaScore {
    return {
      reviews: this.count,
      mean_score: this.count === 0 ? null : Math.round((10 * this.sum) / this.count) / 10,
      most_failed: [...this.fails.values()].sort((a, b) => b.fails - a.fails || a.id.localeCompare(b.id)).slice(0, 3),
    };
  }
}

/**
 * The QA scores of an organization over [from, to), narrowed to some people (authors) and/or communities.
 * Other features call it too (training shows the scores of trainees): `qaScores(db, orgId, { personIds, from, to })`.
 */
export async function qaScores(
  db: Queryable,
  orgId: number,
  q: { personIds?: readonly number[] | null; communityIds?: readonly number[] | null; from: Date; to: Date },
): Promise<QaScores> {
  const r = await db.query<Row>(
    `select r.author_id, p.name, r.community_id, r.overall_score, r.scores
     from qa_reviews r join messages m on m.id = r.message_id join people p on p.id = r.author_id
     where r.org_id = $1 and m.created_at >= $2 and m.created_at < $3
       and ($4::int[] is null or r.author_id = any($4)) and ($5::int[] is null or r.community_id = any($5))
     order by r.id`,
    [orgId, q.from, q.to, q.personIds ? [...q.personIds] : null, q.communityIds ? [...q.communityIds] : null],
  );
  const total = new Acc();
  const people = new Map<number, { name: string; acc: Acc }>();
  const communities = new Map<number, Acc>();
  for (const row of r.rows) {
    total.add(row);
    const person = people.get(row.author_id) ?? { name: row.name, acc: new Acc() };
    person.acc.add(row);
    people.set(row.author_id, person);
    const community = communities.get(row.community_id) ?? new Acc();
    community.add(row);
    communities.set(row.community_id, community);
  }
  return {
    total: total.result(),
    people: [...people.entries()]
      .map(([person_id, v]) => ({ person_id, name: v.name, ...v.acc.result() }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.person_id - b.person_id),
    communities: [...communities.entries()]
      .map(([community_id, acc]) => ({ community_id, ...acc.result() }))
      .sort((a, b) => a.community_id - b.community_id),
  };
}

/**
 * The report KPI `extensions.quality`: the same scores with the report's period and communities; the report's
 * person filter selects the replies' author. Other filters (team, channel, topic) do not apply to reviews.
 */
export async function qualityKpi(db: Queryable, f: ReportFilter): Promise<QaScores> {
  return qaScores(db, f.orgId, {
    from: f.from,
    to: f.to,
    communityIds: f.communities,
    personIds: f.person !== undefined ? [f.person] : null,
  });
}
