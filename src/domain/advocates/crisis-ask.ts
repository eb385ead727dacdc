import { z } from 'zod';
import { transaction } from '../../server/db/database.ts';
import { forbidden, HttpError, notFound } from '../../server/http/errors.ts';
import { canAskAdvocates } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { loadCrisis } from '../crisis/service.ts';
import { CRISIS_CHANNEL } from '../crisis/watcher.ts';
import { checkReply, type GovernanceDeps } from '../governance/service.ts';
import { invalidField } from '../validation.ts';
import { advocateContact, messageAdvocate, outcomeOf, presentAction, recordAction, replyPath } from './service.ts';

/**
 * During an active crisis, a leader or the crisis's task force asks chosen advocates of a community to share
 * the official information sources of the crisis (its playbook's `sources`). Each advocate gets a message in
 * their own latest case, through governance and the outbox; an advocate with no case to answer in becomes a
 * task, done by hand. Every ask is recorded, audited and written in the crisis timeline.
 */

export const askSchema = z.strictObject({
  crisis_id: z.number().int().positive(),
  community_id: z.number().int().positive(),
  contact_ids: z.array(z.number().int().positive()).min(1).max(50),
  /** The message; default: the prepared text in the community's language. It must name a source's address. */
  text: z.string().trim().min(1).max(5000).optional(),
  /** Prepare only: the text and, per advocate, where it would go. */
  dry_run: z.boolean().default(false),
  acknowledge_warnings: z.boolean().optional(),
});
export type AskInput = z.infer<typeof askSchema>;

const TEMPLATES: Record<string, string> = {
  fr: 'Merci pour votre soutien ! Les informations officielles et à jour sont ici : {sources}. Si vous voyez des questions autour de vous, n’hésitez pas à partager ces liens.',
  de: 'Danke für Ihre Unterstützung! Die offiziellen, aktuellen Informationen finden Sie hier: {sources}. Wenn Sie Fragen in Ihrem Umfeld sehen, teilen Sie diese Links gerne.',
  it: 'Grazie per il suo sostegno! Le informazioni ufficiali e aggiornate sono qui: {sources}. Se vede domande intorno a lei, condivida pure questi link.',
  en: 'Thank you for your support! The official, up-to-date information is here: {sources}. If you see questions around you, feel free to share these links.',
};

/** The prepared message of a community's language, naming every source with its address. */
export function askText(language: string, sources: readonly { title: string; url: string }[]): string {
  const list = sources.map((s) => `${s.title}: ${s.url}`).join(' · ');
  return (TEMPLATES[language] ?? TEMPLATES.en!).replace('{sources}', list);
}

export interface AskResult {
  contact_id: number;
  outcome: 'queued' | 'awaiting_approval' | 'task' | 'failed' | 'prepared';
  case_id: number | null;
  account: string | null;
  error?: string;
  /** Dry run: what governance says of the message in that case (guideline findings, approval needed). */
  check?: { warnings: string[]; blocks: string[]; approval_required: number };
  action?: ReturnType<typeof presentAction>;
}

export async function askToShare(deps: GovernanceDeps, person: PersonPrincipal, input: AskInput) {
  const crisis = await loadCrisis(deps.pool, person.orgId, input.crisis_id);
  const community = deps.directory.communities.get(input.community_id);
  if (!community) throw notFound('community');
  if (!crisis.community_ids.includes(community.id)) {
    throw invalidField('community_id', 'not a community of this crisis');
  }
  if (
    !canAskAdvocates(
      person,
      { communityIds: crisis.community_ids, taskForce: crisis.playbook.task_force },
      community.id,
    )
  ) {
    throw forbidden('asking advocates to share (leaders and the crisis task force)');
  }
  if (crisis.status !== 'active') throw new HttpError(409, 'not_active', 'this crisis was stood down');
  const sources = crisis.playbook.sources;
  if (sources.length === 0) {
    throw new HttpError(409, 'no_sources', 'the playbook of this crisis names no official information source');
  }
  const text = input.text ?? askText(community.language, sources);
  if (!sources.some((s) => text.includes(s.url))) {
    throw invalidField('text', 'the message must give the address of at least one official source of the crisis');
  }
  const results: AskResult[] = [];
  for (const requested of [...new Set(input.contact_ids)]) {
    let contactId = requested;
    try {
      contactId = await advocateContact(deps.pool, person, requested, community.id);
      const excluded = await deps.pool.query(
        'select 1 from advocate_status where community_id = $1 and contact_id = $2 and excluded_at is not null',
        [community.id, contactId],
      );
      if (excluded.rowCount) throw new HttpError(409, 'excluded', 'this contact is excluded from the advocates');
      const path = await replyPath(deps.pool, deps.directory, contactId, community.id);
      const base = { contact_id: contactId, case_id: path?.case_id ?? null, account: path?.account ?? null };
      if (input.dry_run) {
        if (!path) {
          results.push({ ...base, outcome: 'task' });
          continue;
        }
        const check = await checkReply(deps, person, path.case_id, { text });
        const of = (severity: string) => check.findings.filter((f) => f.severity === severity).map((f) => f.message);
        results.push({
          ...base,
          outcome: 'prepared',
          check: { warnings: of('warn'), blocks: of('block'), approval_required: check.approval.required },
        });
        continue;
      }
      const sent = path ? await messageAdvocate(deps, person, path, text, input.acknowledge_warnings) : null;
      const action = await transaction(deps.pool, (tx) =>
        recordAction(tx, person, {
          communityId: community.id,
          contactId,
          kind: 'asked_to_share',
          crisisId: crisis.id,
          caseId: path?.case_id,
          ...(sent ? outcomeOf(sent) : { outcome: 'task' }),
        }),
      );
      results.push({ ...base, outcome: action.outcome as AskResult['outcome'], action: presentAction(action) });
    } catch (err) {
      if (!(err instanceof HttpError) && !(err instanceof Error && 'issues' in err)) throw err;
      results.push({ contact_id: contactId, outcome: 'failed', case_id: null, account: null, error: err.message });
    }
  }
  if (!input.dry_run) {
    const count = (o: string) => results.filter((r) => r.outcome === o).length;
    await transaction(deps.pool, async (tx) => {
      await tx.query('insert into crisis_timeline (crisis_id, kind, person_id, data) values ($1, $2, $3, $4)', [
        crisis.id,
        'advocates_asked',
        person.id,
        JSON.stringify({
          community_id: community.id,
          queued: count('queued'),
          awaiting_approval: count('awaiting_approval'),
          tasks: count('task'),
          failed: count('failed'),
        }),
      ]);
      await tx.query('select pg_notify($1, $2)', [
        CRISIS_CHANNEL,
        JSON.stringify({ type: 'crisis', org_id: person.orgId, id: crisis.id }),
      ]);
    });
  }
  return { text, sources, results };
}
