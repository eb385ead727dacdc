import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canManageBackups, canManageCoverage, canReadCoverage } from '../access/policy.ts';
import { listBackups, MAX_BACKUPS, saveBackups } from './backups.ts';
import { defaultSettings, loadSettings, presentSettings, settingsInputSchema } from './settings.ts';
import { saveSettings } from './settings-store.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const backupsSchema = z.strictObject({
  /** In rank order: the first is asked first. */
  backup_ids: z
    .array(z.number().int().positive())
    .max(MAX_BACKUPS)
    .refine((ids) => new Set(ids).size === ids.length, 'each backup once'),
});
const actionsQuery = z.object({
  community: z.coerce.number().int().positive().optional(),
  kind: z.enum(['auto_ack', 'page']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * Coverage routes: each community's off-duty policy, out-of-hours acknowledgement and paging (leaders change
 * them, managers read their communities'), each person's backups (leaders and managers), and the list of
 * acknowledgements and pages sent. See docs/out-of-hours.md.
 */
export function coverageBackupRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/coverage/settings',
    {
      schema: { summary: 'Coverage settings of the communities you may read (leaders, managers)', tags: ['coverage'] },
    },
    async (req) => {
      const person = await requirePerson(ctx, req);
      const saved = await loadSettings(ctx.pool, person.orgId);
      const readable = [...ctx.directory().communities.values()].filter((c) => canReadCoverage(person, c.id));
      if (readable.length === 0) throw forbidden('reading coverage settings');
      return readable.map((c) => presentSettings(saved.get(c.id) ?? defaultSettings(c.id)));
    },
  );

  app.put(
    '/api/v1/coverage/settings/:id',
    {
      schema: {
        summary: "Save a community's coverage settings (leaders); a new pager webhook's secret is in this answer only",
        tags: ['coverage'],
        params: doc(idParams),
        body: doc(settingsInputSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const person = await requirePerson(ctx, req);
      if (!canManageCoverage(person)) throw forbidden('changing coverage settings');
      const body = parse(settingsInputSchema, req.body);
      if (!ctx.directory().communities.has(id)) throw notFound('community');
      const { settings, pagerSecret } = await saveSettings(
        { pool: ctx.pool, keyring: ctx.keyring, allowPrivateWebhooks: ctx.config.allowPrivateWebhooks },
        person,
        id,
        body,
      );
      return { ...presentSettings(settings), ...(pagerSecret ? { pager_secret: pagerSecret } : {}) };
    },
  );

  app.get(
    '/api/v1/people/:id/backups',
    {
      schema: {
        summary: "A person's backups, in rank order (leaders, managers)",
        tags: ['coverage'],
        params: doc(idParams),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const person = await requirePerson(ctx, req);
      if (!canManageBackups(person)) throw forbidden("reading a person's backups");
      const exists = await ctx.pool.query('select 1 from people where id = $1 and org_id = $2', [id, person.orgId]);
      if (exists.rows.length === 0) throw notFound('person');
      const backups = await listBackups(ctx.pool, person.orgId, id);
      return { person_id: id, backups };
    },
  );

  app.put(
    '/api/v1/people/:id/backups',
    {
      schema: {
        summary: "Replace a person's backups (leaders; managers for people of their communities)",
        description: "Each backup becomes a member of the person's communities, so they can open every case there.",
        tags: ['coverage'],
        params: doc(idParams),
        body: doc(backupsSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const person = await requirePerson(ctx, req);
      if (!canManageBackups(person)) throw forbidden("changing a person's backups");
      const body = parse(backupsSchema, req.body);
      const saved = await saveBackups(ctx.pool, person, id, body.backup_ids);
      return { person_id: id, ...saved };
    },
  );

  app.get(
    '/api/v1/coverage/actions',
    {
      schema: {
        summary: 'Automatic acknowledgements and pages sent out of hours, newest first (leaders, managers)',
        tags: ['coverage'],
        querystring: doc(actionsQuery),
      },
    },
    async (req) => {
      const q = parse(actionsQuery, req.query);
      const person = await requirePerson(ctx, req);
      const readable = [...ctx.directory().communities.keys()].filter(
        (c) => canReadCoverage(person, c) && (q.community === undefined || q.community === c),
      );
      if (!canManageBackups(person)) throw forbidden('reading out-of-hours actions');
      const r = await ctx.pool.query<{
        id: number;
        kind: string;
        community_id: number;
        case_id: number;
        conversation_id: number | null;
        message_id: number;
        reply_message_id: number | null;
        period_start: Date | null;
        lang: string | null;
        detail: Record<string, unknown>;
        created_at: Date;
      }>(
        `select id, kind, community_id, case_id, conversation_id, message_id, reply_message_id, period_start, lang,
           detail, created_at
         from coverage_actions
         where org_id = $1 and community_id = any($2::int[]) and ($3::text is null or kind = $3)
         order by id desc limit $4`,
        [person.orgId, readable, q.kind ?? null, q.limit],
      );
      return r.rows.map((a) => ({
        ...a,
        period_start: a.period_start?.toISOString() ?? null,
        created_at: a.created_at.toISOString(),
      }));
    },
  );
}
