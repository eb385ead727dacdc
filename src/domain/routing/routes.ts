import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { transaction } from '../../server/db/database.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import type { TriageResult } from '../../triage/types.ts';
import { canAdminister } from '../access/policy.ts';
import { audit } from '../audit/log.ts';
import { truncateText } from '../ingest/model.ts';
import { CONFIG_CHANNEL } from '../organization/config-events.ts';
import { policySchema } from './policy.ts';
import { RoutingEngine } from './router.ts';
import { currentPolicy, insertPolicy, policyVersion, policyVersions } from './store.ts';

const saveSchema = z.strictObject({ rules: policySchema, note: z.string().max(500).default('') });
const previewSchema = z.strictObject({ rules: policySchema, limit: z.number().int().min(1).max(5000).default(1000) });
const PREVIEW_SAMPLES = 5;

export function routingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const leader = async (req: Parameters<typeof requirePerson>[1]) => {
    const p = await requirePerson(ctx, req);
    if (!canAdminister(p)) throw forbidden('changing the routing policy');
    return p;
  };

  app.get(
    '/api/v1/routing/policy',
    { schema: { summary: 'The routing policy in force', tags: ['routing'] } },
    async (req) => {
      await leader(req);
      return currentPolicy(ctx.pool, ctx.directory().orgId);
    },
  );

  app.get(
    '/api/v1/routing/policy/versions',
    { schema: { summary: 'Saved versions of the routing policy', tags: ['routing'] } },
    async (req) => {
      await leader(req);
      return policyVersions(ctx.pool, ctx.directory().orgId);
    },
  );

  app.get(
    '/api/v1/routing/policy/versions/:version',
    { schema: { summary: 'One saved version', tags: ['routing'] } },
    async (req) => {
      await leader(req);
      const { version } = parse(z.object({ version: z.coerce.number().int().min(1) }), req.params);
      const v = await policyVersion(ctx.pool, ctx.directory().orgId, version);
      if (!v) throw notFound('policy version');
      return v;
    },
  );

  app.put(
    '/api/v1/routing/policy',
    { schema: { summary: 'Save a new version of the routing policy', tags: ['routing'], body: doc(saveSchema) } },
    async (req) => {
      const person = await leader(req);
      const body = parse(saveSchema, req.body);
      const orgId = ctx.directory().orgId;
      const unknownTeams = body.rules.filter((r) => r.actions.team && !ctx.directory().team(r.actions.team));
      if (unknownTeams.length > 0) {
        const { invalidField } = await import('../validation.ts');
        throw invalidField(
          'rules',
          `unknown team "${unknownTeams[0]!.actions.team}" in rule "${unknownTeams[0]!.name}"`,
        );
      }
      const version = await transaction(ctx.pool, async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1, $2)', [7_311_010, orgId]);
        const v = await insertPolicy(tx, orgId, body.rules, body.note, person.id);
        await audit(tx, {
          orgId,
          action: 'routing.policy_saved',
          actorPersonId: person.id,
          subjectType: 'routing_policy',
          subjectId: v,
          data: { rules: body.rules.length },
        });
        await tx.query('select pg_notify($1, $2)', [CONFIG_CHANNEL, 'routing']);
        return v;
      });
      await ctx.reloadDirectory();
      return { version };
    },
  );

  app.post(
    '/api/v1/routing/preview',
    {
      schema: {
        summary: 'Test rules on the latest messages before saving them',
        description:
          'For each rule, how many of the last messages it would take, with examples, and how many cases would change team.',
        tags: ['routing'],
        body: doc(previewSchema),
      },
    },
    async (req) => {
      await leader(req);
      const body = parse(previewSchema, req.body);
      const directory = ctx.directory();
      const engine = new RoutingEngine(directory, { version: -1, rules: body.rules });
      const current = ctx.routing();
      const rows = await ctx.pool.query<{
        id: number;
        case_id: number;
        community_id: number;
        channel: string;
        handle: string | null;
        text: string;
        lang: string | null;
        sentiment: string | null;
        intent: string | null;
        topics: string[] | null;
        urgency: TriageResult['urgency'] | null;
        sensitive: string[] | null;
        team: string | null;
        vip: boolean;
        received_at: Date;
        repeat: boolean;
      }>(
        `select m.id, m.case_id, c.community_id, m.channel, a.handle, m.text, m.lang, m.sentiment, m.intent, m.topics,
           m.urgency, m.sensitive, m.triage->>'team' as team, ct.vip, m.received_at,
           exists (select 1 from cases c2 where c2.contact_id = m.contact_id and c2.id <> m.case_id
             and c2.created_at between m.received_at - interval '30 days' and m.received_at) as repeat
         from messages m
         join cases c on c.id = m.case_id
         join contacts ct on ct.id = m.contact_id
         left join channel_accounts a on a.id = m.account_id
         where m.org_id = $1 and m.direction = 'in'
         order by m.id desc limit $2`,
        [directory.orgId, body.limit],
      );
      const perRule = new Map<
        string,
        {
          rule: string;
          count: number;
          samples: { message_id: number; case_id: number; excerpt: string; reasons: string[] }[];
        }
      >();
      let teamChanges = 0;
      let unmatched = 0;
      for (const m of rows.rows) {
        const community = directory.communities.get(m.community_id);
        if (!community) continue;
        const input = {
          community,
          triage: {
            lang: m.lang ?? 'und',
            sentiment: (m.sentiment ?? 'neutral') as TriageResult['sentiment'],
            intent: (m.intent ?? 'other') as TriageResult['intent'],
            topics: m.topics ?? [],
            urgency: m.urgency ?? 'normal',
            sensitive: m.sensitive ?? [],
            team: m.team ?? '',
          } as TriageResult,
          channel: m.channel,
          account: m.handle,
          text: m.text,
          contactVip: m.vip,
          repeatContact: m.repeat,
          at: m.received_at,
        };
        const [proposed] = engine.route([input]);
        const [now] = current.route([input]);
        if (proposed!.teamId !== now!.teamId) teamChanges++;
        if (proposed!.explanation.matched.length === 0) {
          unmatched++;
          continue;
        }
        // Every rule that applied counts, also those that let later rules refine (continue).
        for (const hit of proposed!.explanation.matched) {
          const entry = perRule.get(hit.rule_id) ?? { rule: hit.rule, count: 0, samples: [] };
          entry.count++;
          if (entry.samples.length < PREVIEW_SAMPLES) {
            entry.samples.push({
              message_id: m.id,
              case_id: m.case_id,
              excerpt: truncateText(m.text, 160),
              reasons: hit.reasons,
            });
          }
          perRule.set(hit.rule_id, entry);
        }
      }
      return {
        messages: rows.rows.length,
        unmatched,
        team_changes: teamChanges,
        rules: body.rules.map((r) => ({
          id: r.id,
          name: r.name,
          count: perRule.get(r.id)?.count ?? 0,
          samples: perRule.get(r.id)?.samples ?? [],
        })),
      };
    },
  );
}
