import type pg from 'pg';
import type { InboundMessage, IngestResult } from '../domain/ingest/model.ts';
import type { Directory } from '../domain/organization/directory.ts';
import { backdateDemoCases } from './backdate.ts';

const PREFIX = 'advocates-';
const DAY = 86_400_000;

type Lang = 'fr' | 'de' | 'it' | 'en';

/** Per language: a customer who praises, one who answers others' questions, and what they write. */
const PEOPLE: Record<
  Lang,
  { fan: string; helper: string; askers: [string, string]; praise: [string, string]; ask: string; help: string }
> = {
  fr: {
    fan: 'Camille Roux',
    helper: 'Hugo Lefèvre',
    askers: ['Inès Moreau', 'Théo Girard'],
    ask: 'Bonjour, comment changer mon vol de demain sans payer de frais ?',
    praise: [
      'Merci à l’équipage du vol Paris–Nice, adorable et aux petits soins. Bravo !',
      'Encore un vol parfait, ponctuel et personnel très gentil. Merci !',
    ],
    help: 'Bonjour ! Dans l’app, onglet Mes réservations, on peut changer de vol sans frais. Bon voyage !',
  },
  de: {
    fan: 'Katrin Vogel',
    helper: 'Lukas Brandt',
    askers: ['Anna Weber', 'Felix Huber'],
    ask: 'Hallo, wie kann ich meinen Flug von morgen ohne Gebühren umbuchen?',
    praise: [
      'Danke an die Crew auf dem Flug Zürich–Hamburg, super freundlich und hilfsbereit. Toll gemacht!',
      'Wieder ein perfekter Flug, pünktlich und sehr nettes Personal. Vielen Dank!',
    ],
    help: 'Hallo! In der App unter Meine Buchungen kann man kostenlos umbuchen. Gute Reise!',
  },
  it: {
    fan: 'Chiara Conti',
    helper: 'Marco Bellini',
    askers: ['Sara Greco', 'Luca Ferri'],
    ask: 'Buongiorno, come posso cambiare il volo di domani senza costi?',
    praise: [
      'Grazie all’equipaggio del volo Milano–Parigi, gentilissimi e attenti. Bravi!',
      'Ancora un volo perfetto, puntuale e personale molto gentile. Grazie mille!',
    ],
    help: 'Ciao! Nell’app, sezione Le mie prenotazioni, si può cambiare volo gratis. Buon viaggio!',
  },
  en: {
    fan: 'Olivia Hart',
    helper: 'Sam Porter',
    askers: ['Emily Stone', 'Jack Reed'],
    ask: 'Hello, how can I change my flight tomorrow without paying a fee?',
    praise: [
      'Thanks to the crew on the London–Geneva flight, lovely and so helpful. Great job!',
      'Another perfect flight, on time and really friendly staff. Thank you!',
    ],
    help: 'Hi! In the app, under My bookings, you can change your flight for free. Have a good trip!',
  },
};

const handleOf = (name: string, slug: string) =>
  `@${name
    .normalize('NFD')
    .replace(/[^A-Za-z ]/g, '')
    .toLowerCase()
    .replace(/ /g, '_')}${slug.startsWith('express') ? '_x' : ''}`;

/**
 * A few advocates in each community of the demo organization, so *Advocates* is not empty on first start: a
 * customer who praises the crew twice, and one who answers two other customers' questions in their threads and
 * thanks the brand once (the questions stay open for the desk). Entered through the normal ingest path (triage included);
 * runs once (fixed ids). Returns the messages added.
 */
export async function seedDemoAdvocates(
  deps: { pool: pg.Pool; directory: Directory; ingest(batch: InboundMessage[]): Promise<IngestResult[]> },
  now = Date.now(),
): Promise<number> {
  const done = await deps.pool.query('select 1 from messages where org_id = $1 and external_id = $2 limit 1', [
    deps.directory.orgId,
    `${PREFIX}0`,
  ]);
  if (done.rowCount) return 0;
  const batch: InboundMessage[] = [];
  const at = (days: number, hour: number) => new Date(now - days * DAY + hour * 3_600_000).toISOString();
  for (const community of [...deps.directory.communities.values()].sort((a, b) => a.id - b.id)) {
    const people = PEOPLE[community.language as Lang];
    const account = deps.directory.accountOf(community.id, 'sandbox');
    if (!people || !account) continue;
    const post = (name: string, text: string, created: string, inReplyTo?: string) =>
      batch.push({
        channel: 'sandbox',
        external_id: `${PREFIX}${batch.length}`,
        account: account.handle,
        author: { handle: handleOf(name, community.slug), name },
        text,
        created_at: created,
        ...(inReplyTo ? { in_reply_to: inReplyTo } : {}),
      } as InboundMessage);
    post(people.fan, people.praise[0], at(6, 9));
    post(people.fan, people.praise[1], at(2, 15));
    // Two customers ask how to rebook; the helper answers each in their thread an hour later.
    for (const [i, asker] of people.askers.entries()) {
      const question = `${PREFIX}${batch.length}`;
      post(asker, people.ask, at(5 - i * 2, 8));
      post(people.helper, people.help, at(5 - i * 2, 9), question);
    }
    post(people.helper, people.praise[1], at(1, 10));
  }
  if (batch.length === 0) return 0;
  const results = await deps.ingest(batch);
  await backdateDemoCases(
    deps.pool,
    results.map((r) => Number(r.case_id)),
  );
  return batch.length;
}
