import type pg from 'pg';
import { z } from 'zod';
import { transaction } from '../../server/db/database.ts';
import { publish, type RealtimeEvent } from '../../server/realtime/events.ts';
import { canReadCommunity, canWorkCase } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import type { Directory } from '../organization/directory.ts';
import { PRIORITIES } from '../routing/priorities.ts';
import { ValidationError } from '../validation.ts';
import { applyCasePatch, type CasePatch } from './service.ts';
import { CASE_STATUSES, type CaseRow } from './store.ts';

/** One action on many cases at once, in one transaction; each case is checked on its own. */

export const BULK_LIMIT = 500;
const ids = z.array(z.number().int().positive()).min(1).max(BULK_LIMIT);
const tag = z.string().trim().min(1).max(50);

export const bulkSchema = z.discriminatedUnion('action', [
  z.strictObject({ ids, action: z.literal('assign'), value: z.number().int().positive().nullable() }),
  z.strictObject({ ids, action: z.literal('status'), value: z.enum(CASE_STATUSES) }),
  z.strictObject({ ids, action: z.literal('priority'), value: z.enum(PRIORITIES) }),
  z.strictObject({ ids, action: z.literal('tag'), value: tag }),
  z.strictObject({ ids, action: z.literal('untag'), value: tag }),
]);
export type BulkInput = z.infer<typeof bulkSchema>;

/**
 * updated: changed; unchanged: already so; not_found: no such case or not in your communities;
 * forbidden: your role cannot change it; invalid: this value does not apply to this case (see `error`).
 */
export type BulkOutcome = 'updated' | 'unchanged' | 'not_found' | 'forbidden' | 'invalid';

export interface BulkResult {
  action: BulkInput['action'];
  updated: number;
  results: { id: number; outcome: BulkOutcome; error?: string }[];
}

function patchFor(input: BulkInput, c: CaseRow): CasePatch {
  switch (input.action) {
    case 'assign':
      return { assignee_id: input.value };
    case 'status':
      return { status: input.value };
    case 'priority':
      return { priority: input.value };
    case 'tag':
      return { tags: [...c.tags, input.value] };
    case 'untag':
      return { tags: c.tags.filter((t) => t !== input.value) };
  }
}

export async function bulkUpdate(
  deps: { pool: pg.Pool; directory: Directory },
  person: PersonPrincipal,
  input: BulkInput,
): Promise<BulkResult> {
  const unique = [...new Set(input.ids)];
  return transaction(deps.pool, async (tx) => {
    // Locked in id order, so two bulk actions over overlapping sets cannot deadlock.
    const locked = await tx.query<CaseRow>(
      'select * from cases where org_id = $1 and id = any($2::bigint[]) order by id for update',
      [person.orgId, unique],
    );
    const byId = new Map(locked.rows.map((c) => [c.id, c]));
    const results: BulkResult['results'] = [];
    const events: RealtimeEvent[] = [];
    for (const id of unique) {
      const c = byId.get(id);
      if (!c || !canReadCommunity(person, c.community_id)) {
        results.push({ id, outcome: 'not_found' });
        continue;
      }
      if (!canWorkCase(person, c.community_id)) {
        results.push({ id, outcome: 'forbidden', error: 'your role cannot change cases of this community' });
        continue;
      }
      if (c.merged_into !== null) {
        results.push({ id, outcome: 'invalid', error: `this case was merged into case ${c.merged_into}` });
        continue;
      }
      // A refused value for one case must not undo the others: each case runs in its own savepoint.
      await tx.query('savepoint bulk_case');
      try {
        const event = await applyCasePatch(tx, deps.directory, person, c, patchFor(input, c), 'bulk');
        await tx.query('release savepoint bulk_case');
        if (event) events.push(event);
        results.push({ id, outcome: event ? 'updated' : 'unchanged' });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        await tx.query('rollback to savepoint bulk_case');
        results.push({ id, outcome: 'invalid', error: err.issues.map((i) => i.message).join('; ') });
      }
    }
    await publish(tx, events);
    return { action: input.action, updated: events.length, results };
  });
}
