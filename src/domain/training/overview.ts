import type { Queryable } from '../../server/db/database.ts';
import { qaScores } from '../quality/scores.ts';

/**
 * Who has practised what, for training leads: per trainee, sessions and answers, what they practised (community ×
 * intent), and what exists to judge the answers by: the share that would have needed approval, guideline warnings,
 * the median time to answer, leaders' scores and the trainee's own assessment. Also whom they already back up.
 */
export interface TraineeOverview {
  person_id: number;
  name: string;
  role: string;
  sessions: number;
  items: number;
  answered: number;
  needing_approval: number;
  /** needing_approval / answered, 0 when nothing was answered. */
  approval_share: number;
  /** Warnings found in all answers (one answer may have several). */
  guideline_warnings: number;
  answers_with_warnings: number;
  median_seconds_to_answer: number | null;
  leader_scores: number;
  leader_score_avg: number | null;
  self_assessment_avg: number | null;
  last_answered_at: Date | null;
  practised: { community_id: number; intent: string | null; answered: number }[];
  backs_up: { person_id: number; name: string }[];
  /** Quality reviews of their real replies over the last QA_DAYS days (docs/quality.md). */
  qa_reviews: number;
  qa_mean_score: number | null;
}

/** How far back the quality reviews of a trainee's real replies are counted. */
const QA_DAYS = 90;

const NEEDS_APPROVAL = `(coalesce((i.verdict->'approval'->>'required')::int, 0) > 0 or i.verdict->'approval'->>'mode' = 'all')`;

export async function trainingOverview(
  db: Queryable,
  orgId: number,
  communityIds: number[] | null,
  now = new Date(),
): Promise<TraineeOverview[]> {
  const people = await db.query<
    Omit<TraineeOverview, 'approval_share' | 'practised' | 'backs_up' | 'qa_reviews' | 'qa_mean_score'>
  >(
    `select s.person_id, p.name, p.role,
       count(distinct s.id)::int as sessions,
       count(i.id)::int as items,
       count(i.answered_at)::int as answered,
       (count(*) filter (where i.answered_at is not null and ${NEEDS_APPROVAL}))::int as needing_approval,
       coalesce(sum((select count(*) from jsonb_array_elements(coalesce(i.verdict->'findings', '[]'::jsonb)) f
                     where f->>'severity' = 'warn')), 0)::int as guideline_warnings,
       (count(*) filter (where exists (select 1 from jsonb_array_elements(coalesce(i.verdict->'findings', '[]'::jsonb)) f
                     where f->>'severity' = 'warn')))::int as answers_with_warnings,
       percentile_cont(0.5) within group (order by i.seconds_to_answer)
         filter (where i.answered_at is not null) as median_seconds_to_answer,
       count(i.leader_score)::int as leader_scores,
       avg(i.leader_score)::float8 as leader_score_avg,
       avg(i.self_assessment)::float8 as self_assessment_avg,
       max(i.answered_at) as last_answered_at
     from training_sessions s
     join people p on p.id = s.person_id
     left join training_items i on i.session_id = s.id
     where s.org_id = $1 and ($2::int[] is null or s.community_id = any($2))
     group by s.person_id, p.name, p.role
     order by max(i.answered_at) desc nulls last, p.name`,
    [orgId, communityIds],
  );
  const ids = people.rows.map((r) => r.person_id);
  const practised = await db.query<{
    person_id: number;
    community_id: number;
    intent: string | null;
    answered: number;
  }>(
    `select s.person_id, s.community_id, i.intent, count(*)::int as answered
     from training_sessions s join training_items i on i.session_id = s.id
     where s.org_id = $1 and ($2::int[] is null or s.community_id = any($2)) and i.answered_at is not null
     group by s.person_id, s.community_id, i.intent
     order by s.person_id, answered desc, i.intent`,
    [orgId, communityIds],
  );
  const backsUp = await db.query<{ backup_id: number; person_id: number; name: string }>(
    `select b.backup_id, b.person_id, p.name from person_backups b join people p on p.id = b.person_id
     where b.org_id = $1 and b.backup_id = any($2::int[]) order by p.name`,
    [orgId, ids],
  );
  const qa = await qaScores(db, orgId, {
    personIds: ids,
    from: new Date(now.getTime() - QA_DAYS * 86_400_000),
    to: now,
  });
  const qaOf = new Map(qa.people.map((p) => [p.person_id, p]));
  return people.rows.map((r) => ({
    ...r,
    approval_share: r.answered > 0 ? r.needing_approval / r.answered : 0,
    median_seconds_to_answer: r.median_seconds_to_answer === null ? null : Number(r.median_seconds_to_answer),
    practised: practised.rows
      .filter((p) => p.person_id === r.person_id)
      .map(({ community_id, intent, answered }) => ({ community_id, intent, answered })),
    backs_up: backsUp.rows
      .filter((b) => b.backup_id === r.person_id)
      .map((b) => ({ person_id: b.person_id, name: b.name })),
    qa_reviews: qaOf.get(r.person_id)?.reviews ?? 0,
    qa_mean_score: qaOf.get(r.person_id)?.mean_score ?? null,
  }));
}
