import type { Queryable } from '../server/db/database.ts';

/**
 * Demo cases made of messages from the past (the demo's history, its first quality reviews) are opened when the
 * demo starts; this moves the opening, assignment and SLA deadlines of those already answered back to their first
 * message, as if Passeur had received it then, so their first-response and resolution times are real durations,
 * not negative. Unanswered ones stay opened now: the demo does not start with a wall of breached deadlines.
 */
export async function backdateDemoCases(db: Queryable, caseIds: number[]): Promise<void> {
  if (caseIds.length === 0) return;
  await db.query(
    `update cases c set created_at = f.first, assigned_at = c.assigned_at - (c.created_at - f.first),
       first_response_due_at = c.first_response_due_at - (c.created_at - f.first),
       resolution_due_at = c.resolution_due_at - (c.created_at - f.first)
     from (select case_id, min(created_at) as first from messages where case_id = any($1::bigint[]) group by case_id) f
     where c.id = f.case_id and f.first < c.created_at and c.first_responded_at is not null`,
    [caseIds],
  );
}
