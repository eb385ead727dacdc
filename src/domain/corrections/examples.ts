import type { Queryable } from '../../server/db/database.ts';
import type { LearnExample } from '../../triage/learn.ts';

/**
 * The training set: one example per corrected message, with the latest correction of each field. A field
 * nobody corrected stays absent (the model learns nothing about it from that message).
 */
export async function correctedExamples(
  db: Queryable,
  orgId: number,
): Promise<{ examples: LearnExample[]; lastId: number }> {
  const r = await db.query<{ message_id: number; text: string; field: string; value: unknown; id: number }>(
    `select distinct on (c.message_id, c.field) c.message_id, m.text, c.field, c.value, c.id
     from triage_corrections c join messages m on m.id = c.message_id
     where c.org_id = $1
     order by c.message_id, c.field, c.id desc`,
    [orgId],
  );
  const byMessage = new Map<number, LearnExample>();
  let lastId = 0;
  for (const row of r.rows) {
    lastId = Math.max(lastId, row.id);
    const ex = byMessage.get(row.message_id) ?? { text: row.text };
    (ex as unknown as Record<string, unknown>)[row.field] = row.value;
    byMessage.set(row.message_id, ex);
  }
  return { examples: [...byMessage.values()], lastId };
}
