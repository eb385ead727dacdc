import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { transaction } from '../../server/db/database.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canReadAudit } from '../access/policy.ts';
import { audit, verifyChain } from './log.ts';
import { type AuditQuery, type AuditRow, auditCsv, searchAudit } from './search.ts';

/** The most entries one export holds; narrow the filters (dates) for more. */
export const EXPORT_LIMIT = 50_000;

const filters = z.object({
  actor_person_id: z.coerce.number().int().positive().optional(),
  actor_token_id: z.coerce.number().int().positive().optional(),
  /** An exact action, or a prefix ending in `*` (e.g. `consult.*`). */
  action: z
    .string()
    .regex(/^[\w.:-]{1,80}\*?$/)
    .optional(),
  subject_type: z.string().max(40).optional(),
  subject_id: z.string().max(80).optional(),
  /** From this instant (inclusive; ISO date or date-time). */
  from: z.coerce.date().optional(),
  /** Until this instant (exclusive). */
  to: z.coerce.date().optional(),
});

const searchQuery = filters.extend({
  /** `next_before` of the previous page. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

function query(orgId: number, q: z.output<typeof filters>): Omit<AuditQuery, 'limit'> {
  return {
    orgId,
    actorPersonId: q.actor_person_id,
    actorTokenId: q.actor_token_id,
    action: q.action,
    subjectType: q.subject_type,
    subjectId: q.subject_id,
    from: q.from,
    to: q.to,
  };
}

function present(r: AuditRow) {
  return {
    id: r.id,
    at: r.at.toISOString(),
    action: r.action,
    actor:
      r.actor_person_id !== null
        ? { kind: 'person', id: r.actor_person_id, name: r.actor_name }
        : r.actor_token_id !== null
          ? { kind: 'token', id: r.actor_token_id, name: null }
          : null,
    account_id: r.account_id,
    subject: r.subject_type === null ? null : { type: r.subject_type, id: r.subject_id },
    data: r.data,
    hash: r.hash,
  };
}

/** The audit log for leaders: search (newest first, paginated), CSV export (itself audited), chain check. */
export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/audit',
    {
      schema: {
        summary: 'Search the audit log (leaders): by actor, action, subject, date range; newest first',
        tags: ['audit'],
        querystring: doc(searchQuery),
      },
    },
    async (req) => {
      const q = parse(searchQuery, req.query);
      const p = await requirePerson(ctx, req);
      if (!canReadAudit(p)) throw forbidden('reading the audit log');
      const rows = await searchAudit(ctx.pool, { ...query(p.orgId, q), before: q.before, limit: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      return {
        items: page.map(present),
        next_before: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },
  );

  app.get(
    '/api/v1/audit/export.csv',
    {
      schema: {
        summary: `Export the matching audit entries as CSV (leaders; at most ${EXPORT_LIMIT}); the export is audited`,
        tags: ['audit'],
        querystring: doc(filters),
      },
    },
    async (req, reply) => {
      const q = parse(filters, req.query);
      const p = await requirePerson(ctx, req);
      if (!canReadAudit(p)) throw forbidden('exporting the audit log');
      const csv = await transaction(ctx.pool, async (tx) => {
        const rows = await searchAudit(tx, { ...query(p.orgId, q), limit: EXPORT_LIMIT });
        await audit(tx, {
          orgId: p.orgId,
          action: 'audit.exported',
          actorPersonId: p.id,
          subjectType: 'audit',
          data: {
            filters: Object.fromEntries(
              Object.entries(q)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
            ),
            rows: rows.length,
            truncated: rows.length >= EXPORT_LIMIT,
          },
        });
        return auditCsv(rows);
      });
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="passeur-audit-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  app.get(
    '/api/v1/audit/verify',
    { schema: { summary: 'Recompute the audit hash chain (leaders)', tags: ['audit'] } },
    async (req) => {
      const p = await requirePerson(ctx, req);
      if (!canReadAudit(p)) throw forbidden('reading the audit log');
      const broken = await verifyChain(ctx.pool, p.orgId);
      return { intact: broken === null, first_broken_id: broken };
    },
  );
}
