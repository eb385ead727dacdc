import type pg from 'pg';
import { backdateDemoCases } from '../../demo/backdate.ts';
import { transaction } from '../../server/db/database.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import type { IngestDeps } from '../ingest/service.ts';
import { ingest } from '../ingest/service.ts';
import type { Directory } from '../organization/directory.ts';
import { communityScorecard, submitReview } from './service.ts';

/**
 * The demo organization's first quality reviews: three conversations of AirSocial · FR (the customers' messages
 * through the normal ingest path, the replies Léa and Sophie sent the day before), reviewed by Marie, so the Quality
 * page has scores and Léa and Sophie have feedback to acknowledge. Runs once: nothing happens when the organization
 * already has a review.
 */

const DEMO_LOCK = 7_311_231;
const HOUR = 3_600_000;

const CONVERSATIONS = [
  {
    key: 'qa-demo-1',
    author: { handle: '@claire_b', name: 'Claire Bonnet' },
    text: 'Bonjour, mon vol AS1234 Genève–Paris a été annulé ce matin. Puis-je être remboursé ?',
    reply: {
      by: 'lea',
      text: 'Bonjour Claire, nous sommes désolés pour cette annulation. Vous pouvez demander le remboursement depuis votre espace client, rubrique Réservations ; il arrive sous 7 jours.',
    },
    review: {
      ratings: {},
      comments: {},
      feedback: 'Très bonne réponse : personnelle, complète et exacte.',
    },
  },
  {
    key: 'qa-demo-2',
    author: { handle: '@marc_d', name: 'Marc Dubois' },
    text: 'Ma valise n’est pas arrivée à Nice, personne ne répond au comptoir !!',
    reply: {
      by: 'lea',
      text: 'Bonjour, faites une déclaration au comptoir bagages.',
    },
    review: {
      ratings: { personalization: 'fail', tone: 'partial', answered: 'partial' },
      comments: {
        personalization: 'Saluez le client par son nom et reconnaissez l’attente.',
        answered: 'Indiquer aussi le suivi en ligne du bagage.',
      },
      feedback: 'Juste sur le fond, mais trop sec pour un client déjà énervé.',
    },
  },
  {
    key: 'qa-demo-3',
    author: { handle: '@ines_m', name: 'Inès Moreau' },
    text: 'Est-ce que je peux emporter ma poussette jusqu’à la porte d’embarquement ?',
    reply: {
      by: 'sophie',
      text: 'Bonjour Inès, oui : la poussette vous accompagne jusqu’à la porte et vous la récupérez à la sortie de l’avion.',
    },
    review: {
      ratings: { accuracy: 'partial' },
      comments: { accuracy: 'Sur les vols régionaux, elle est récupérée au tapis bagages.' },
      feedback: 'Bon ton et bonne personnalisation ; vérifier l’exception des vols régionaux.',
    },
  },
] as const;

export async function seedDemoReviews(deps: {
  pool: pg.Pool;
  directory: Directory;
  ingestDeps: IngestDeps;
}): Promise<number> {
  const { pool, directory } = deps;
  const orgId = directory.orgId;
  const community = [...directory.communities.values()].find((c) => c.slug === 'airsocial-fr');
  const account = [...directory.accounts.values()].find((a) => a.communityId === community?.id && a.kind === 'account');
  if (!community || !account) return 0;
  const people = await pool.query<{ id: number; email: string; name: string; role: string }>(
    `select id, email, name, role from people where org_id = $1 and email = any($2::text[])`,
    [orgId, ['marie@airsocial.example', 'lea@airsocial.example', 'sophie@airsocial.example']],
  );
  const person = (who: string) => people.rows.find((p) => p.email === `${who}@airsocial.example`);
  const marie = person('marie');
  if (!marie || !person('lea') || !person('sophie')) return 0;
  const done = await pool.query('select 1 from qa_reviews where org_id = $1 limit 1', [orgId]);
  if (done.rows[0]) return 0;

  const results = await ingest(
    deps.ingestDeps,
    CONVERSATIONS.map((c, i) => ({
      channel: account.network,
      external_id: c.key,
      account: account.handle,
      author: c.author,
      text: c.text,
      created_at: new Date(Date.now() - (26 - i) * HOUR).toISOString(),
    })),
  );
  const replies = await transaction(pool, async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [DEMO_LOCK]);
    const again = await tx.query('select 1 from qa_reviews where org_id = $1 limit 1', [orgId]);
    if (again.rows[0]) return [];
    const ids: number[] = [];
    for (const [i, c] of CONVERSATIONS.entries()) {
      const caseId = results[i]!.case_id;
      const author = person(c.reply.by)!;
      const sentAt = new Date(Date.now() - (25 - i) * HOUR);
      const m = await tx.query<{ id: string }>(
        `insert into messages (org_id, channel, external_id, case_id, account_id, direction, kind, author_handle,
           author_name, person_id, text, created_at, meta)
         values ($1, $2, $3, $4, $5, 'out', 'reply', $6, $7, $8, $9, $10, '{"visibility":"public"}')
         on conflict do nothing returning id`,
        [
          orgId,
          account.network,
          `${c.key}-reply`,
          caseId,
          account.id,
          account.handle,
          account.displayName,
          author.id,
          c.reply.text,
          sentAt,
        ],
      );
      if (!m.rows[0]) continue;
      const messageId = Number(m.rows[0].id);
      await tx.query(
        `insert into outbox (org_id, message_id, case_id, account_id, network, idempotency_key, payload, status,
           created_by, created_at, sent_at, external_id, not_before)
         values ($1, $2, $3, $4, $5, $6, $7, 'sent', $8, $9, $9, $10, $9)`,
        [
          orgId,
          messageId,
          caseId,
          account.id,
          account.network,
          `${c.key}-reply`,
          { text: c.reply.text, visibility: 'public' },
          author.id,
          sentAt,
          `${c.key}-reply`,
        ],
      );
      await tx.query(
        `update cases set status = 'waiting_customer', updated_at = now(), message_count = message_count + 1,
           assignee_id = coalesce(assignee_id, $2), first_responded_at = coalesce(first_responded_at, $3)
         where id = $1`,
        [caseId, author.id, sentAt],
      );
      ids.push(messageId);
    }
    await backdateDemoCases(
      tx,
      results.map((r) => Number(r.case_id)),
    );
    return ids;
  });
  if (replies.length !== CONVERSATIONS.length) return 0;

  const principal: PersonPrincipal = {
    kind: 'person',
    id: marie.id,
    orgId,
    name: marie.name,
    email: marie.email,
    role: 'leader',
    languages: ['fr'],
    locale: 'fr',
    timezone: community.timezone,
    autonomy: 'senior',
    communityIds: new Set(directory.communities.keys()),
    teamIds: [],
    sessionId: 'demo',
  };
  const card = await communityScorecard({ pool, directory }, orgId, community.id);
  for (const [i, c] of CONVERSATIONS.entries()) {
    const ratings = c.review.ratings as Record<string, 'pass' | 'partial' | 'fail'>;
    const comments = c.review.comments as Record<string, string>;
    await submitReview({ pool, directory }, principal, {
      message_id: replies[i]!,
      scores: card.map((k) => ({
        id: k.id,
        rating: ratings[k.id] ?? 'pass',
        ...(comments[k.id] ? { comment: comments[k.id] } : {}),
      })),
      feedback: c.review.feedback,
    });
  }
  return replies.length;
}
