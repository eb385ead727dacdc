import { z } from 'zod';
import type { Queryable } from '../../server/db/database.ts';
import { ruleSchema } from '../routing/policy.ts';

/**
 * A crisis playbook: what a crisis cell prepared in advance and applies in one action when it declares a
 * crisis. Data only; `declareCrisis` applies it and records every change it makes, so standing down can undo it.
 */
const lang = z.string().regex(/^[a-z]{2}$/);
const text = (max: number) => z.string().trim().min(1).max(max);

export const playbookSchema = z.strictObject({
  slug: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
  name: text(120),
  description: z.string().max(2000).default(''),
  /** People to put on duty (by email) while the crisis lasts. */
  task_force: z.array(z.email()).max(200).default([]),
  /** Where customers and agents find the reference information. */
  sources: z
    .array(z.strictObject({ title: text(200), url: z.url() }))
    .max(50)
    .default([]),
  /** Approved holding statements, one or more per language. */
  holding_statements: z.array(z.strictObject({ language: lang, title: text(120), body: text(5000) })).max(100),
  /** Canned replies added for the crisis (removed when it is stood down). */
  macros: z
    .array(z.strictObject({ language: lang, title: text(120), body: text(5000) }))
    .max(100)
    .default([]),
  /** Routing rules switched on first in the policy while the crisis lasts (ids are prefixed `crisis-`). */
  routing_rules: z.array(ruleSchema).max(50).default([]),
  /** Approval changes (e.g. holding statements need no approval): recorded; applied where approvals exist. */
  approvals: z.record(z.string(), z.unknown()).default({}),
  /** Scheduled publications to pause (descriptions kept as data; marketing pauses them). */
  scheduled_posts_to_pause: z.array(text(200)).max(100).default([]),
  /** Who is told when an alert fires or the crisis is declared: roles, teams (slugs) and emails. */
  notify: z
    .strictObject({
      roles: z.array(z.string()).default(['leader']),
      teams: z.array(z.string()).default([]),
      emails: z.array(z.email()).default([]),
    })
    .default({ roles: ['leader'], teams: [], emails: [] }),
  /** Topics that would otherwise reach the call center: cases resolved in the channel count as deflected. */
  call_center_topics: z.array(z.string()).default([]),
});
export type Playbook = z.infer<typeof playbookSchema>;
export type PlaybookInput = z.input<typeof playbookSchema>;

/** The demo organization's playbook for an ash cloud that closes the airspace. */
export const VOLCANIC_ASH_PLAYBOOK: PlaybookInput = {
  slug: 'volcanic-ash',
  name: 'Volcanic ash / airspace closure',
  description:
    'An ash cloud closes part of European airspace: flights cancelled for hours or days, rebooking, refunds, hotels. ' +
    'Reassure, point to the flight status page, never promise a departure time.',
  task_force: [
    'marie@airsocial.example',
    'lea@airsocial.example',
    'jonas@airsocial.example',
    'giulia@airsocial.example',
    'emma@airsocial.example',
    'luca@airsocial.example',
  ],
  sources: [
    { title: 'Flight status', url: 'https://airsocial.example/status' },
    { title: 'Rebooking and refunds during airspace closures', url: 'https://airsocial.example/disruption' },
    { title: 'EUROCONTROL network situation', url: 'https://www.eurocontrol.int/network-operations' },
  ],
  holding_statements: [
    {
      language: 'fr',
      title: 'Cendres volcaniques — point de situation',
      body:
        'Nous sommes désolés : un nuage de cendres volcaniques ferme une partie de l’espace aérien et plusieurs vols sont annulés. ' +
        'Vous pouvez changer de vol sans frais ou demander un remboursement sur airsocial.example/disruption. ' +
        'Nous suivons la situation en continu et vous tenons informé·e ici.',
    },
    {
      language: 'de',
      title: 'Vulkanasche — aktuelle Lage',
      body:
        'Es tut uns leid: Eine Vulkanaschewolke sperrt einen Teil des Luftraums, mehrere Flüge sind annulliert. ' +
        'Sie können kostenlos umbuchen oder eine Erstattung beantragen: airsocial.example/disruption. ' +
        'Wir verfolgen die Lage laufend und informieren Sie hier.',
    },
    {
      language: 'it',
      title: 'Ceneri vulcaniche — aggiornamento',
      body:
        'Ci dispiace: una nube di cenere vulcanica chiude parte dello spazio aereo e diversi voli sono cancellati. ' +
        'Può cambiare volo senza costi o chiedere il rimborso su airsocial.example/disruption. ' +
        'Seguiamo la situazione da vicino e la aggiorniamo qui.',
    },
    {
      language: 'en',
      title: 'Volcanic ash — update',
      body:
        'We are sorry: a volcanic ash cloud has closed part of the airspace and several flights are cancelled. ' +
        'You can rebook free of charge or request a refund at airsocial.example/disruption. ' +
        'We are following the situation closely and will keep you posted here.',
    },
  ],
  macros: [
    {
      language: 'fr',
      title: 'Cendres — hôtel et repas',
      body: 'Si votre vol est annulé, conservez vos reçus d’hôtel et de repas : nous les remboursons selon le règlement UE 261.',
    },
    {
      language: 'de',
      title: 'Asche — Hotel und Verpflegung',
      body: 'Wenn Ihr Flug annulliert ist, bewahren Sie Hotel- und Essensbelege auf: Wir erstatten sie gemäss EU-Verordnung 261.',
    },
    {
      language: 'it',
      title: 'Cenere — hotel e pasti',
      body: 'Se il suo volo è cancellato, conservi le ricevute di hotel e pasti: le rimborsiamo secondo il regolamento UE 261.',
    },
    {
      language: 'en',
      title: 'Ash — hotel and meals',
      body: 'If your flight is cancelled, keep your hotel and meal receipts: we refund them under EU regulation 261.',
    },
  ],
  routing_rules: [
    {
      id: 'crisis-ash-urgent',
      name: 'Crisis: stranded passengers first',
      enabled: true,
      when: { keywords: ['stranded', 'bloqué', 'bloquée', 'gestrandet', 'bloccato', 'bloccata', 'tonight', 'ce soir'] },
      actions: { priority: 'urgent', tags: ['crisis', 'ash'] },
      continue: true,
    },
    {
      id: 'crisis-ash-tag',
      name: 'Crisis: tag ash cloud messages',
      enabled: true,
      when: { keywords: ['ash', 'cendres', 'asche', 'cenere', 'volcan', 'vulkan', 'vulcano', 'volcano'] },
      actions: { priority: 'high', tags: ['crisis', 'ash'] },
      continue: true,
    },
  ],
  approvals: { holding_statements: 'no_approval', other_replies: 'unchanged' },
  scheduled_posts_to_pause: ['Summer sale campaign', 'Weekly destination photo'],
  notify: { roles: ['leader'], teams: ['crisis_cell'], emails: [] },
  call_center_topics: ['cancellation', 'refund', 'booking', 'delay'],
};

export interface PlaybookRow {
  id: number;
  slug: string;
  name: string;
  definition: Playbook;
}

/** Seeds the given playbooks for an organization that has none of that slug (idempotent). */
export async function seedPlaybooks(db: Queryable, orgId: number, playbooks: readonly PlaybookInput[]): Promise<void> {
  for (const p of playbooks) {
    const def = playbookSchema.parse(p);
    await db.query(
      `insert into crisis_playbooks (org_id, slug, name, definition) values ($1, $2, $3, $4)
       on conflict (org_id, slug) do nothing`,
      [orgId, def.slug, def.name, JSON.stringify(def)],
    );
  }
}

export async function listPlaybooks(db: Queryable, orgId: number): Promise<PlaybookRow[]> {
  const r = await db.query<PlaybookRow>(
    'select id, slug, name, definition from crisis_playbooks where org_id = $1 order by name, id',
    [orgId],
  );
  return r.rows.map((row) => ({ ...row, definition: playbookSchema.parse(row.definition) }));
}
