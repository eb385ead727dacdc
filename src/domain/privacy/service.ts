import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import { notFound } from '../../server/http/errors.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';

/**
 * A customer's rights over their data (GDPR access and erasure): everything Passeur holds about a contact, as
 * one JSON document; and erasing it — the text of every message of their cases, their names and handles — while
 * the skeletons of the cases (ids, dates, statuses, labels, counts) and the audit chain stay, so figures and the
 * record of who did what remain true. Audit entries name the contact by id only, never by content.
 */

export const ERASED_TEXT = '[erased]';
export const ERASED_NAME = 'Erased customer';

export interface ContactExport {
  exported_at: string;
  contact: { id: number; display_name: string; vip: boolean; notes: string; created_at: Date };
  identities: { channel: string; handle: string; name: string | null; created_at: Date }[];
  cases: {
    id: number;
    community: string | null;
    status: string;
    subject: string;
    tags: string[];
    created_at: Date;
    resolved_at: Date | null;
  }[];
  messages: {
    id: number;
    case_id: number;
    direction: string;
    channel: string;
    author_handle: string;
    author_name: string | null;
    text: string;
    created_at: Date;
  }[];
  notes: { id: number; case_id: number; author: string | null; text: string; created_at: Date }[];
}

async function lockedContact(db: pg.PoolClient, orgId: number, id: number) {
  const r = await db.query<{ id: number; display_name: string; vip: boolean; notes: string; created_at: Date }>(
    'select id, display_name, vip, notes, created_at from contacts where id = $1 and org_id = $2 for update',
    [id, orgId],
  );
  const c = r.rows[0];
  if (!c) throw notFound('contact');
  return c;
}

/** Everything about one contact: identities, cases, messages (customer's and ours), notes. Audited. */
export async function exportContact(pool: pg.Pool, person: PersonPrincipal, id: number): Promise<ContactExport> {
  return transaction(pool, async (tx) => {
    const contact = await lockedContact(tx, person.orgId, id);
    const [identities, cases, messages] = await Promise.all([
      tx.query<ContactExport['identities'][number]>(
        'select channel, handle, name, created_at from contact_identities where contact_id = $1 order by id',
        [id],
      ),
      tx.query<ContactExport['cases'][number]>(
        `select c.id, cm.name as community, c.status, c.subject, c.tags, c.created_at, c.resolved_at
         from cases c left join communities cm on cm.id = c.community_id
         where c.contact_id = $1 and c.org_id = $2 order by c.id`,
        [id, person.orgId],
      ),
      tx.query<ContactExport['messages'][number] & { person_name: string | null }>(
        `select m.id, m.case_id, m.direction, m.channel, m.author_handle, m.author_name, m.text, m.created_at,
           p.name as person_name
         from messages m left join people p on p.id = m.person_id
         where m.org_id = $2 and (m.contact_id = $1 or m.case_id in (select id from cases where contact_id = $1))
         order by m.created_at, m.id`,
        [id, person.orgId],
      ),
    ]);
    const out: ContactExport = {
      exported_at: new Date().toISOString(),
      contact,
      identities: identities.rows,
      cases: cases.rows,
      messages: messages.rows.filter((m) => m.direction !== 'note').map(({ person_name: _p, ...m }) => m),
      notes: messages.rows
        .filter((m) => m.direction === 'note')
        .map((m) => ({ id: m.id, case_id: m.case_id, author: m.person_name, text: m.text, created_at: m.created_at })),
    };
    await audit(tx, {
      orgId: person.orgId,
      action: 'contact.export',
      actorPersonId: person.id,
      subjectType: 'contact',
      subjectId: id,
      data: { cases: out.cases.length, messages: out.messages.length, notes: out.notes.length },
    });
    return out;
  });
}

export interface EraseResult {
  contact_id: number;
  identities: number;
  cases: number;
  messages: number;
}

/**
 * Erases a contact's personal data for good. Message texts, authors and network metadata of their cases become
 * `[erased]`; their name, notes and handles go; the cases keep their ids, dates, statuses and labels; queued
 * replies to them are cancelled. Audited (by id and counts only).
 */
export async function eraseContact(pool: pg.Pool, person: PersonPrincipal, id: number): Promise<EraseResult> {
  return transaction(pool, async (tx) => {
    await lockedContact(tx, person.orgId, id);
    const cases = await tx.query<{ id: number }>(
      'select id from cases where contact_id = $1 and org_id = $2 for update',
      [id, person.orgId],
    );
    const caseIds = cases.rows.map((r) => r.id);
    const messages = await tx.query<{ id: number }>(
      `update messages set text = $3, author_handle = case when direction = 'in' then $4 else author_handle end,
         author_name = case when direction = 'in' then null else author_name end, meta = null, in_reply_to = null
       where org_id = $2 and (contact_id = $1 or case_id = any($5::bigint[]))
       returning id`,
      [id, person.orgId, ERASED_TEXT, `erased-${id}`, caseIds],
    );
    const messageIds = messages.rows.map((r) => r.id);
    // Replies not yet sent are not sent; those sent keep their record without the text.
    await tx.query(
      `update outbox set status = case when status in ('pending', 'sending') then 'cancelled' else status end,
         payload = jsonb_set(payload, '{text}', to_jsonb($2::text))
       where message_id = any($1::bigint[])`,
      [messageIds, ERASED_TEXT],
    );
    await tx.query(`update cases set subject = '', search = null, updated_at = now() where id = any($1::bigint[])`, [
      caseIds,
    ]);
    const identities = await tx.query(
      `update contact_identities set handle = 'erased-' || id, name = null where contact_id = $1 returning id`,
      [id],
    );
    await tx.query(`update contacts set display_name = $2, notes = '', vip = false where id = $1`, [id, ERASED_NAME]);
    const result: EraseResult = {
      contact_id: id,
      identities: identities.rowCount ?? 0,
      cases: caseIds.length,
      messages: messageIds.length,
    };
    await audit(tx, {
      orgId: person.orgId,
      action: 'contact.erase',
      actorPersonId: person.id,
      subjectType: 'contact',
      subjectId: id,
      data: { identities: result.identities, cases: result.cases, messages: result.messages },
    });
    return result;
  });
}
