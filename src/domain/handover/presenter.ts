import { canAcknowledgeHandover, canPrepareHandover } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import type { Community } from '../organization/directory.ts';
import type { BriefContent } from './content.ts';
import type { Acknowledgement, BriefListRow, BriefRow, ItemEdit } from './store.ts';

/** What leaves the server about handover briefs: named fields, the outgoing shift's edits applied. */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type Sections = Pick<BriefContent, 'cases' | 'consults' | 'promises' | 'incidents'>;

/**
 * The sections with each item's edit. Hidden items are left out, except for the people who may still edit the
 * draft (they see them marked, to show them again).
 */
export function editedSections(b: BriefRow, withHidden: boolean) {
  const apply = <T extends { key: string }>(items: T[]) =>
    items
      .map((item) => {
        const edit: ItemEdit = b.item_edits[item.key] ?? {};
        return { ...item, hidden: edit.hidden === true, comment: edit.comment ?? null };
      })
      .filter((item) => withHidden || !item.hidden);
  const c: Sections = b.content;
  return {
    cases: apply(c.cases),
    consults: apply(c.consults),
    promises: apply(c.promises),
    incidents: apply(c.incidents),
  };
}

function communityRef(community: Community | undefined, id: number) {
  return { id, name: community?.name ?? '', slug: community?.slug ?? '', timezone: community?.timezone ?? 'UTC' };
}

export function presentBriefSummary(b: BriefListRow, community: Community | undefined, person: PersonPrincipal) {
  return {
    id: b.id,
    community: communityRef(community, b.community_id),
    period_from: iso(b.period_from),
    period_to: iso(b.period_to),
    trigger: b.trigger,
    status: b.status,
    counts: b.content.counts,
    published_at: iso(b.published_at),
    acknowledged_at: iso(b.acknowledged_at),
    acknowledged_by_me: b.acknowledged_by_me,
    /** Whether this person's acknowledgement is expected and missing. */
    awaiting_me:
      b.status !== 'draft' &&
      !b.acknowledged_by_me &&
      ((b.status === 'published' && b.published_by !== person.id) || b.incoming_ids.includes(person.id)),
  };
}

export function presentBrief(
  b: BriefRow,
  community: Community | undefined,
  person: PersonPrincipal,
  acks: Acknowledgement[],
  names: Map<number, string>,
) {
  const canEdit = b.status === 'draft' && canPrepareHandover(person, b.community_id);
  const ref = (id: number | null) => (id === null ? null : { id, name: names.get(id) ?? '' });
  const mine = acks.some((a) => a.person_id === person.id);
  return {
    id: b.id,
    community: communityRef(community, b.community_id),
    period_from: iso(b.period_from),
    period_to: iso(b.period_to),
    trigger: b.trigger,
    status: b.status,
    generated_at: iso(b.generated_at),
    note: b.note,
    sections: editedSections(b, canEdit),
    counts: b.content.counts,
    outgoing: b.outgoing_ids.map((id) => ref(id)!),
    incoming: b.incoming_ids.map((id) => ref(id)!),
    created_by: ref(b.created_by),
    edited_by: ref(b.edited_by),
    edited_at: iso(b.edited_at),
    published_by: ref(b.published_by),
    published_at: iso(b.published_at),
    acknowledged_by: ref(b.acknowledged_by),
    acknowledged_at: iso(b.acknowledged_at),
    acknowledgements: acks.map((a) => ({ person: { id: a.person_id, name: a.name }, at: a.at.toISOString() })),
    can: {
      edit: canEdit,
      publish: canEdit,
      generate: canPrepareHandover(person, b.community_id),
      acknowledge:
        b.status !== 'draft' &&
        !mine &&
        canAcknowledgeHandover(person, { communityId: b.community_id, publishedBy: b.published_by }),
    },
  };
}
