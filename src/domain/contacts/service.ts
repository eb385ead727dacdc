import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import { HttpError, notFound } from '../../server/http/errors.ts';
import { publish } from '../../server/realtime/events.ts';
import { canEditContact, canMergeContacts, canReadCommunity } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { invalidField } from '../validation.ts';
import { type ContactRow, contactCommunities } from './store.ts';

/** A customer is visible through a case the person may read; otherwise it does not exist for them. */
async function visibleContact(
  tx: pg.PoolClient,
  person: PersonPrincipal,
  id: number,
  what = 'contact',
): Promise<{ contact: ContactRow; communities: number[] }> {
  const r = await tx.query<ContactRow>(
    'select id, display_name, vip, notes, merged_into, created_at from contacts where org_id = $1 and id = $2 for update',
    [person.orgId, id],
  );
  const contact = r.rows[0];
  const communities = contact ? await contactCommunities(tx, person.orgId, id) : [];
  if (!contact || !communities.some((c) => canReadCommunity(person, c))) throw notFound(what);
  return { contact, communities };
}

export async function updateContact(
  pool: pg.Pool,
  person: PersonPrincipal,
  id: number,
  patch: { vip?: boolean | undefined; notes?: string | undefined },
): Promise<ContactRow> {
  return transaction(pool, async (tx) => {
    const { contact, communities } = await visibleContact(tx, person, id);
    if (!canEditContact(person, communities))
      throw new HttpError(403, 'forbidden', 'your role cannot change customers');
    const next = { vip: patch.vip ?? contact.vip, notes: patch.notes ?? contact.notes };
    const fields = (['vip', 'notes'] as const).filter((f) => next[f] !== contact[f]);
    if (fields.length === 0) return contact;
    await tx.query('update contacts set vip = $2, notes = $3 where id = $1', [id, next.vip, next.notes]);
    await audit(tx, {
      orgId: person.orgId,
      action: 'contact.updated',
      actorPersonId: person.id,
      subjectType: 'contact',
      subjectId: id,
      // Notes are written by people but may quote the customer: the audit names the fields only.
      data: { fields, ...(fields.includes('vip') ? { vip: next.vip } : {}) },
    });
    return { ...contact, ...next };
  });
}

export interface ContactMergeResult {
  contact_id: number;
  merged_contact_id: number;
  moved: { identities: number; cases: number; messages: number };
}

/**
 * Merges one customer into another: identities, cases, messages and conversations move to the target, so
 * ingest resolves the merged identities to the target from now on; the source keeps `merged_into`.
 * Allowed to people who work cases and can read at least one case of each customer.
 */
export async function mergeContacts(
  pool: pg.Pool,
  person: PersonPrincipal,
  sourceId: number,
  targetId: number,
): Promise<ContactMergeResult> {
  if (sourceId === targetId) throw invalidField('into', 'a customer cannot be merged into themselves');
  return transaction(pool, async (tx) => {
    // Lock both in id order so two opposite merges cannot deadlock.
    const [first, second] = sourceId < targetId ? [sourceId, targetId] : [targetId, sourceId];
    const a = await visibleContact(tx, person, first, first === sourceId ? 'contact' : 'target contact');
    const b = await visibleContact(tx, person, second, second === sourceId ? 'contact' : 'target contact');
    const [source, target] = first === sourceId ? [a, b] : [b, a];
    if (!canMergeContacts(person, source.communities, target.communities)) {
      throw new HttpError(403, 'forbidden', 'your role cannot merge customers');
    }
    if (source.contact.merged_into !== null) {
      throw new HttpError(409, 'merged', `this customer was already merged into ${source.contact.merged_into}`);
    }
    if (target.contact.merged_into !== null) {
      throw new HttpError(409, 'target_merged', `customer ${targetId} was merged into ${target.contact.merged_into}`);
    }
    const identities = await tx.query('update contact_identities set contact_id = $2 where contact_id = $1', [
      sourceId,
      targetId,
    ]);
    const cases = await tx.query<{ id: number; community_id: number }>(
      'update cases set contact_id = $2, updated_at = now() where contact_id = $1 returning id, community_id',
      [sourceId, targetId],
    );
    const messages = await tx.query('update messages set contact_id = $2 where contact_id = $1', [sourceId, targetId]);
    // A thread both identities took part in already exists for the target: that one stays with the source row,
    // and new messages of the thread find the target's.
    await tx.query(
      `update conversations s set contact_id = $2
       where s.contact_id = $1 and not exists (select 1 from conversations t
         where t.org_id = s.org_id and t.channel = s.channel and t.root_external_id = s.root_external_id
           and t.contact_id = $2)`,
      [sourceId, targetId],
    );
    await tx.query(
      `update contacts t set vip = t.vip or s.vip,
         notes = case when s.notes = '' then t.notes when t.notes = '' then s.notes else t.notes || E'\n\n' || s.notes end
       from contacts s where t.id = $2 and s.id = $1`,
      [sourceId, targetId],
    );
    await tx.query('update contacts set merged_into = $2 where id = $1', [sourceId, targetId]);
    const caseIds = cases.rows.map((c) => c.id);
    await tx.query(
      `insert into case_events (org_id, case_id, actor_person_id, kind, data)
       select $1, id, $2, 'contact_merged', $3 from unnest($4::bigint[]) as id`,
      [person.orgId, person.id, { from: sourceId, into: targetId }, caseIds],
    );
    const moved = { identities: identities.rowCount ?? 0, cases: caseIds.length, messages: messages.rowCount ?? 0 };
    await audit(tx, {
      orgId: person.orgId,
      action: 'contact.merged',
      actorPersonId: person.id,
      subjectType: 'contact',
      subjectId: sourceId,
      data: { into: targetId, ...moved },
    });
    await publish(
      tx,
      cases.rows.map((c) => ({
        type: 'case.updated',
        org_id: person.orgId,
        case_id: c.id,
        community_id: c.community_id,
      })),
    );
    return { contact_id: targetId, merged_contact_id: sourceId, moved };
  });
}
