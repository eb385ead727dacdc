import type pg from 'pg';
import { z } from 'zod';
import { transaction } from '../../server/db/database.ts';
import { HttpError, notFound } from '../../server/http/errors.ts';
import { publish } from '../../server/realtime/events.ts';
import { INTENTS, SENTIMENTS } from '../../triage/types.ts';
import { canReadCommunity, canWorkCase } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import type { Directory } from '../organization/directory.ts';
import { invalidField } from '../validation.ts';

export const correctionSchema = z
  .strictObject({
    lang: z
      .string()
      .regex(/^[a-z]{2}$/, 'an ISO 639-1 code such as fr')
      .optional(),
    sentiment: z.enum(SENTIMENTS).optional(),
    intent: z.enum(INTENTS).optional(),
    /** Main topic first; an empty list means "no topic". */
    topics: z.array(z.string().min(1).max(64)).max(10).optional(),
    /** A team slug. */
    team: z.string().min(1).max(64).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'correct at least one label');

export type Correction = z.infer<typeof correctionSchema>;

/**
 * Records a person's correction of a message's triage: one row per corrected field (the model learns from
 * them), the message's labels updated, and the case's too when it is the case's latest customer message.
 */
export async function correctTriage(
  deps: { pool: pg.Pool; directory: Directory },
  person: PersonPrincipal,
  messageId: number,
  correction: Correction,
): Promise<void> {
  const topicsAllowed = new Set((deps.directory.settings.topics as string[] | undefined) ?? []);
  for (const t of correction.topics ?? []) {
    if (topicsAllowed.size > 0 && !topicsAllowed.has(t))
      throw invalidField('topics', `"${t}" is not a topic of this organization`);
  }
  if (correction.team && !deps.directory.team(correction.team))
    throw invalidField('team', `no team "${correction.team}"`);
  await transaction(deps.pool, async (tx) => {
    const r = await tx.query<{
      id: number;
      case_id: number;
      community_id: number;
      direction: string;
      lang: string | null;
      sentiment: string | null;
      intent: string | null;
      topics: string[] | null;
      team: string | null;
      latest: boolean;
    }>(
      `select m.id, m.case_id, c.community_id, m.direction, m.lang, m.sentiment, m.intent, m.topics, m.triage->>'team' as team,
         m.id = (select max(id) from messages where case_id = m.case_id and direction = 'in') as latest
       from messages m join cases c on c.id = m.case_id
       where m.id = $1 and m.org_id = $2 for update of m`,
      [messageId, person.orgId],
    );
    const m = r.rows[0];
    if (!m || !canReadCommunity(person, m.community_id)) throw notFound('message');
    if (!canWorkCase(person, m.community_id)) throw new HttpError(403, 'forbidden', 'your role cannot correct triage');
    if (m.direction !== 'in') throw invalidField('message', 'only customer messages are triaged');
    const previous: Record<string, unknown> = {
      lang: m.lang,
      sentiment: m.sentiment,
      intent: m.intent,
      topics: m.topics,
      team: m.team,
    };
    const fields = Object.entries(correction) as [keyof Correction, unknown][];
    await tx.query(
      `insert into triage_corrections (org_id, message_id, person_id, field, previous, value)
       select $1, $2, $3, f.field, f.previous, f.value from jsonb_to_recordset($4::jsonb) as f(field text, previous jsonb, value jsonb)`,
      [
        person.orgId,
        messageId,
        person.id,
        JSON.stringify(fields.map(([field, value]) => ({ field, previous: previous[field] ?? null, value }))),
      ],
    );
    await tx.query(
      `update messages set
         lang = coalesce($2, lang), sentiment = coalesce($3, sentiment), intent = coalesce($4, intent),
         topics = coalesce($5, topics),
         triage = coalesce(triage, '{}'::jsonb) || jsonb_build_object('corrected', coalesce(triage->'corrected', '{}'::jsonb) || $6::jsonb)
           || case when $7::text is null then '{}'::jsonb else jsonb_build_object('team', $7::text) end
       where id = $1`,
      [
        messageId,
        correction.lang ?? null,
        correction.sentiment ?? null,
        correction.intent ?? null,
        correction.topics ?? null,
        JSON.stringify(Object.fromEntries(fields.map(([f]) => [f, { by: person.id, at: new Date().toISOString() }]))),
        correction.team ?? null,
      ],
    );
    if (m.latest) {
      await tx.query(
        `update cases set sentiment = coalesce($2, sentiment), intent = coalesce($3, intent), topics = coalesce($4, topics),
           language = coalesce($5, language), updated_at = now()
         where id = $1`,
        [
          m.case_id,
          correction.sentiment ?? null,
          correction.intent ?? null,
          correction.topics ?? null,
          correction.lang ?? null,
        ],
      );
    }
    await audit(tx, {
      orgId: person.orgId,
      action: 'triage.corrected',
      actorPersonId: person.id,
      subjectType: 'message',
      subjectId: messageId,
      data: { fields: fields.map(([f]) => f) },
    });
    await publish(tx, [
      {
        type: 'message.updated',
        org_id: person.orgId,
        case_id: m.case_id,
        community_id: m.community_id,
        message_id: messageId,
      },
      { type: 'case.updated', org_id: person.orgId, case_id: m.case_id, community_id: m.community_id },
    ]);
  });
}
