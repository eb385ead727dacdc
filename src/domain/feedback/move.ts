import type { Queryable } from '../../server/db/database.ts';

/**
 * A merged case's ideas and incidents follow its messages to the target case (inside the merge's transaction);
 * a link the target already has is not doubled. Kept apart from the service so the merge depends on nothing else.
 */
export async function moveFeedbackLinks(tx: Queryable, fromCaseId: number, toCaseId: number): Promise<void> {
  for (const [table, fk] of [
    ['idea_cases', 'idea_id'],
    ['incident_cases', 'incident_id'],
  ] as const) {
    await tx.query(
      `insert into ${table} (${fk}, case_id, org_id, linked_by, linked_at)
       select ${fk}, $2, org_id, linked_by, linked_at from ${table} where case_id = $1 on conflict do nothing`,
      [fromCaseId, toCaseId],
    );
    await tx.query(`delete from ${table} where case_id = $1`, [fromCaseId]);
  }
}
