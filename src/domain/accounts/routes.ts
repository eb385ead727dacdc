import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { transaction } from '../../server/db/database.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, HttpError, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canAdminister } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { CONFIG_CHANNEL } from '../organization/config-events.ts';
import { fieldIssues, ValidationError } from '../validation.ts';
import { accountContexts } from './store.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

const createSchema = z.strictObject({
  community_id: z.number().int().positive(),
  network: z.string().min(1).max(32),
  handle: z.string().min(1).max(256),
  display_name: z.string().max(200).optional(),
  kind: z.enum(['account', 'monitor']).default('account'),
  config: z.record(z.string(), z.unknown()).default({}),
  credentials: z.record(z.string(), z.unknown()).optional(),
});

const patchSchema = z.strictObject({
  display_name: z.string().max(200).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  credentials: z.record(z.string(), z.unknown()).optional(),
  /** Kill switch: nothing goes out from a paused account, and its inbound stops. */
  paused: z.boolean().optional(),
  /** After fixing credentials: try again. */
  reconnect: z.literal(true).optional(),
});

interface AccountRow {
  id: number;
  community_id: number;
  network: string;
  handle: string;
  display_name: string;
  kind: string;
  config: Record<string, unknown>;
  status: string;
  paused: boolean;
  has_credentials: boolean;
  last_success_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  failure_count: number;
}

/** Connected accounts and monitors: admins connect them; credentials go in encrypted and never come back out. */
export function accountRoutes(app: FastifyInstance, ctx: AppContext): void {
  const present = (a: AccountRow) => {
    const connector = ctx.connectors.get(a.network);
    return {
      id: a.id,
      community_id: a.community_id,
      network: a.network,
      handle: a.handle,
      display_name: a.display_name,
      kind: a.kind,
      config: a.config,
      status: a.status,
      paused: a.paused,
      has_credentials: a.has_credentials,
      connector: connector
        ? {
            display_name: connector.manifest.displayName,
            inbound: connector.manifest.inbound,
            can_reply: connector.manifest.canReply,
          }
        : null,
      health: {
        last_success_at: a.last_success_at?.toISOString() ?? null,
        last_error: a.last_error,
        last_error_at: a.last_error_at?.toISOString() ?? null,
        failure_count: a.failure_count,
      },
    };
  };
  const load = async (orgId: number, id?: number) =>
    (
      await ctx.pool.query<AccountRow>(
        `select id, community_id, network, handle, display_name, kind, config, status, paused,
           credentials is not null as has_credentials, last_success_at, last_error, last_error_at, failure_count
         from channel_accounts where org_id = $1 and status <> 'removed' and ($2::int is null or id = $2) order by id`,
        [orgId, id ?? null],
      )
    ).rows;

  const validate = (network: string, section: 'config' | 'credentials', value: unknown) => {
    const connector = ctx.connectors.get(network);
    const schema = section === 'config' ? connector?.configSchema : connector?.credentialsSchema;
    if (!schema) return value;
    const r = schema.safeParse(value);
    if (!r.success)
      throw new ValidationError(fieldIssues(r.error).map((i) => ({ ...i, field: `${section}.${i.field}` })));
    return r.data;
  };
  const leader = async (req: Parameters<typeof requirePerson>[1]): Promise<PersonPrincipal> => {
    const p = await requirePerson(ctx, req);
    if (!canAdminister(p)) throw forbidden('managing channel accounts');
    return p;
  };
  const changed = async (tx: { query: (q: string, v: unknown[]) => Promise<unknown> }) => {
    await tx.query('select pg_notify($1, $2)', [CONFIG_CHANNEL, 'accounts']);
  };

  app.get(
    '/api/v1/accounts',
    { schema: { summary: 'Channel accounts and monitors, with their health', tags: ['channels'] } },
    async (req) => {
      const p = await requirePerson(ctx, req);
      const rows = await load(p.orgId);
      return rows.filter((a) => canAdminister(p) || p.communityIds.has(a.community_id)).map(present);
    },
  );

  app.get(
    '/api/v1/networks',
    { schema: { summary: 'Networks this Passeur can connect', tags: ['channels'] } },
    async (req) => {
      await requirePerson(ctx, req);
      return ctx.connectors.list().map((c) => ({
        network: c.manifest.network,
        display_name: c.manifest.displayName,
        kinds: c.manifest.kinds,
        inbound: c.manifest.inbound,
        max_length: c.manifest.maxLength,
        supports_private: c.manifest.supportsPrivate,
        can_reply: c.manifest.canReply,
        config_schema: c.configSchema ? z.toJSONSchema(c.configSchema, { io: 'input', unrepresentable: 'any' }) : null,
        credentials_schema: c.credentialsSchema
          ? z.toJSONSchema(c.credentialsSchema, { io: 'input', unrepresentable: 'any' })
          : null,
      }));
    },
  );

  app.post(
    '/api/v1/accounts',
    { schema: { summary: 'Connect an account or a monitor', tags: ['channels'], body: doc(createSchema) } },
    async (req, reply) => {
      const p = await leader(req);
      const body = parse(createSchema, req.body);
      const connector = ctx.connectors.get(body.network);
      if (!connector)
        throw new ValidationError([{ field: 'network', message: `no connector for "${body.network}" is installed` }]);
      if (!connector.manifest.kinds.includes(body.kind)) {
        throw new ValidationError([
          { field: 'kind', message: `${connector.manifest.displayName} does not support "${body.kind}"` },
        ]);
      }
      if (!ctx.directory().communities.has(body.community_id))
        throw new ValidationError([{ field: 'community_id', message: 'no such community' }]);
      const config = validate(body.network, 'config', body.config);
      const credentials =
        body.credentials === undefined ? undefined : validate(body.network, 'credentials', body.credentials);
      const id = await transaction(ctx.pool, async (tx) => {
        const r = await tx
          .query<{ id: number }>(
            `insert into channel_accounts (org_id, community_id, network, handle, display_name, kind, config, credentials)
             values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
            [
              p.orgId,
              body.community_id,
              body.network,
              body.handle,
              body.display_name ?? body.handle,
              body.kind,
              JSON.stringify(config),
              credentials === undefined ? null : ctx.keyring.encrypt(credentials),
            ],
          )
          .catch((err: { code?: string }) => {
            if (err.code === '23505')
              throw new HttpError(409, 'conflict', `${body.handle} is already connected on ${body.network}`);
            throw err;
          });
        const accountId = r.rows[0]!.id;
        await audit(tx, {
          orgId: p.orgId,
          action: 'account.connected',
          actorPersonId: p.id,
          accountId,
          subjectType: 'channel_account',
          subjectId: accountId,
          data: { network: body.network, kind: body.kind, community_id: body.community_id },
        });
        await changed(tx);
        return accountId;
      });
      await ctx.reloadDirectory();
      return reply.status(201).send(present((await load(p.orgId, id))[0]!));
    },
  );

  app.patch(
    '/api/v1/accounts/:id',
    {
      schema: {
        summary: 'Change settings or credentials, pause or resume, reconnect',
        tags: ['channels'],
        body: doc(patchSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(patchSchema, req.body);
      const p = await leader(req);
      const [row] = await load(p.orgId, id);
      if (!row) throw notFound('account');
      const sets: string[] = [];
      const params: unknown[] = [id];
      const set = (col: string, v: unknown) => {
        params.push(v);
        sets.push(`${col} = $${params.length}`);
      };
      if (body.display_name !== undefined) set('display_name', body.display_name);
      if (body.config !== undefined) set('config', JSON.stringify(validate(row.network, 'config', body.config)));
      if (body.credentials !== undefined)
        set('credentials', ctx.keyring.encrypt(validate(row.network, 'credentials', body.credentials)));
      if (body.paused !== undefined) set('paused', body.paused);
      if (body.reconnect || body.credentials !== undefined) sets.push(`status = 'active', failure_count = 0`);
      if (sets.length === 0) return present(row);
      await transaction(ctx.pool, async (tx) => {
        await tx.query(`update channel_accounts set ${sets.join(', ')} where id = $1`, params);
        await audit(tx, {
          orgId: p.orgId,
          action:
            body.paused === true ? 'account.paused' : body.paused === false ? 'account.resumed' : 'account.updated',
          actorPersonId: p.id,
          accountId: id,
          subjectType: 'channel_account',
          subjectId: id,
          data: { fields: Object.keys(body) },
        });
        await changed(tx);
      });
      await ctx.reloadDirectory();
      return present((await load(p.orgId, id))[0]!);
    },
  );

  app.delete(
    '/api/v1/accounts/:id',
    { schema: { summary: 'Disconnect an account (its history stays)', tags: ['channels'] } },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const p = await leader(req);
      await transaction(ctx.pool, async (tx) => {
        const r = await tx.query(
          `update channel_accounts set status = 'removed', paused = true, credentials = null where id = $1 and org_id = $2 and status <> 'removed'`,
          [id, p.orgId],
        );
        if (r.rowCount === 0) throw notFound('account');
        await audit(tx, {
          orgId: p.orgId,
          action: 'account.removed',
          actorPersonId: p.id,
          accountId: id,
          subjectType: 'channel_account',
          subjectId: id,
        });
        await changed(tx);
      });
      await ctx.reloadDirectory();
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/accounts/:id/test',
    { schema: { summary: 'Test the connection of an account', tags: ['channels'] } },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await leader(req);
      const [account] = await accountContexts(ctx.pool, ctx.keyring, { orgId: p.orgId, id });
      if (!account) throw notFound('account');
      const connector = ctx.connectors.get(account.account.network);
      if (!connector?.test) return { ok: true, detail: 'nothing to test for this network' };
      try {
        return await connector.test(ctx.channels, account);
      } catch (err) {
        return { ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    },
  );

  app.post(
    '/api/v1/communities/:id/pause',
    { schema: { summary: 'Kill switch: pause or resume every account of a community', tags: ['channels'] } },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const { paused } = parse(z.strictObject({ paused: z.boolean() }), req.body);
      const p = await leader(req);
      if (!ctx.directory().communities.has(id)) throw notFound('community');
      const n = await transaction(ctx.pool, async (tx) => {
        const r = await tx.query(
          `update channel_accounts set paused = $3 where org_id = $1 and community_id = $2 and status <> 'removed'`,
          [p.orgId, id, paused],
        );
        await audit(tx, {
          orgId: p.orgId,
          action: paused ? 'community.paused' : 'community.resumed',
          actorPersonId: p.id,
          subjectType: 'community',
          subjectId: id,
          data: { accounts: r.rowCount },
        });
        await changed(tx);
        return r.rowCount ?? 0;
      });
      await ctx.reloadDirectory();
      return { accounts: n, paused };
    },
  );
}
