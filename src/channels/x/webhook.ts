import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountContext, ChannelRuntime } from '../connector.ts';
import { ingestCandidates, obj, str } from '../social/normalized.ts';
import { bindRuntime } from '../social/outbound.ts';
import { parseJson, rawBody, receiveRawJson } from '../social/raw-body.ts';
import { hmac, sameSignature } from '../social/signature.ts';
import { deliveryCandidates, deliveryUserId } from './events.ts';
import { type XConfig, type XCredentials, xConfigSchema, xCredentialsSchema } from './settings.ts';

interface XAccount {
  context: AccountContext;
  config: XConfig;
  credentials: XCredentials;
}

async function xAccounts(rt: ChannelRuntime, consumerKey: string | undefined): Promise<XAccount[]> {
  const out: XAccount[] = [];
  for (const context of await rt.accounts('x')) {
    const config = xConfigSchema.safeParse(context.config);
    const credentials = xCredentialsSchema.safeParse(context.credentials);
    if (!config.success || !credentials.success) continue;
    if (consumerKey !== undefined && credentials.data.consumer_key !== consumerKey) continue;
    out.push({ context, config: config.data, credentials: credentials.data });
  }
  return out;
}

/** `sha256=` + base64 HMAC-SHA256 with the consumer secret: both the CRC answer and the delivery signature. */
export function xSignature(consumerSecret: string, data: string | Buffer): string {
  return `sha256=${hmac('sha256', consumerSecret, data).toString('base64')}`;
}

/**
 * The webhook of an X app (Account Activity API and X Activity API deliveries,
 * https://docs.x.com/x-api/webhooks/introduction). With one app, register `/api/v1/channels/x/webhook`; with
 * several, each registers `/api/v1/channels/x/webhook/<consumer key>`.
 */
export function xWebhookRoutes(app: FastifyInstance, rt: ChannelRuntime): void {
  bindRuntime(rt);
  receiveRawJson(app);
  const appKey = (params: unknown) => str(obj(params).app);

  // Challenge-Response Check: prove we hold the consumer secret.
  const crc = async (req: FastifyRequest, reply: FastifyReply) => {
    const token = str(obj(req.query).crc_token);
    if (!token) return reply.status(400).send({ error: 'invalid_request', message: 'crc_token is required' });
    const secrets = [...new Set((await xAccounts(rt, appKey(req.params))).map((a) => a.credentials.consumer_secret))];
    if (secrets.length === 0)
      return reply.status(404).send({ error: 'not_found', message: 'no X account is connected' });
    if (secrets.length > 1) {
      return reply.status(409).send({
        error: 'ambiguous_app',
        message: 'several X apps are connected: register /api/v1/channels/x/webhook/<consumer key> for each',
      });
    }
    return { response_token: xSignature(secrets[0]!, token) };
  };
  app.get('/api/v1/channels/x/webhook', { schema: { hide: true } }, crc);
  app.get('/api/v1/channels/x/webhook/:app', { schema: { hide: true } }, crc);

  const receive = async (req: FastifyRequest, reply: FastifyReply) => {
    const raw = rawBody(req.body);
    const signature = str(req.headers['x-twitter-webhooks-signature']);
    const accounts = await xAccounts(rt, appKey(req.params));
    const signedBy = accounts.filter((a) => sameSignature(signature, xSignature(a.credentials.consumer_secret, raw)));
    if (signedBy.length === 0) {
      return reply
        .status(401)
        .send({ error: 'invalid_signature', message: 'x-twitter-webhooks-signature does not verify' });
    }
    const body = parseJson(raw);
    if (body === undefined || typeof body !== 'object' || body === null) {
      await rt.deadLetter('x:webhook', 'the body is not JSON', raw.toString('utf8'));
      return reply.status(400).send({ error: 'invalid_body', message: 'the body is not JSON' });
    }
    const userId = deliveryUserId(obj(body));
    const account = signedBy.find((a) => a.config.user_id === userId);
    if (!account) {
      await rt.deadLetter('x:webhook', `for_user_id: no connected X account has id ${userId}`, body);
      return reply.status(200).send({ received: true });
    }
    const handle = account.context.account.handle;
    await ingestCandidates(
      rt,
      `x:${handle}`,
      deliveryCandidates({ handle, userId: account.config.user_id }, obj(body)),
    );
    return reply.status(200).send({ received: true });
  };
  app.post('/api/v1/channels/x/webhook', { schema: { hide: true } }, receive);
  app.post('/api/v1/channels/x/webhook/:app', { schema: { hide: true } }, receive);
}
