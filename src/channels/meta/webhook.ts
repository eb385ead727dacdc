import type { FastifyInstance } from 'fastify';
import { type ChannelRuntime, SendError } from '../connector.ts';
import { feedCandidates } from '../facebook/feed.ts';
import { instagramCandidates } from '../instagram/changes.ts';
import { type Candidate, ingestCandidates, list, obj, str } from '../social/normalized.ts';
import { bindRuntime } from '../social/outbound.ts';
import { parseJson, rawBody, receiveRawJson } from '../social/raw-body.ts';
import { hmac, sameSignature } from '../social/signature.ts';
import { type MetaAccount, metaAccounts } from './accounts.ts';
import { messagingCandidates } from './messaging.ts';

const PATH = '/api/v1/channels/meta/webhook';
const installed = new WeakSet<ChannelRuntime>();

/**
 * The one webhook of a Meta app, for its Facebook Pages and Instagram accounts
 * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started). Installed once per server, by
 * whichever of the two connectors registers first.
 */
export function metaWebhookRoutes(app: FastifyInstance, rt: ChannelRuntime): void {
  if (installed.has(rt)) return;
  installed.add(rt);
  bindRuntime(rt);
  receiveRawJson(app);

  // The subscription handshake: Meta sends the Verify Token typed in the app settings; echo the challenge.
  app.get(PATH, { schema: { hide: true } }, async (req, reply) => {
    const q = obj(req.query);
    const token = str(q['hub.verify_token']);
    const accounts = await metaAccounts(rt);
    const known = accounts.some((a) => sameSignature(token, a.verifyToken));
    if (q['hub.mode'] !== 'subscribe' || !known) {
      return reply.status(403).send({ error: 'forbidden', message: 'unknown verify token' });
    }
    return reply.type('text/plain').send(str(q['hub.challenge']) ?? '');
  });

  app.post(PATH, { schema: { hide: true } }, async (req, reply) => {
    const raw = rawBody(req.body);
    const signature = req.headers['x-hub-signature-256'];
    const accounts = await metaAccounts(rt);
    const secrets = new Set(
      [...new Set(accounts.map((a) => a.appSecret))].filter((secret) =>
        sameSignature(
          typeof signature === 'string' ? signature : undefined,
          `sha256=${hmac('sha256', secret, raw).toString('hex')}`,
        ),
      ),
    );
    if (secrets.size === 0) {
      return reply.status(401).send({ error: 'invalid_signature', message: 'X-Hub-Signature-256 does not verify' });
    }
    const body = parseJson(raw);
    if (body === undefined || typeof body !== 'object' || body === null) {
      await rt.deadLetter('meta:webhook', 'the body is not JSON', raw.toString('utf8'));
      return reply.status(400).send({ error: 'invalid_body', message: 'the body is not JSON' });
    }
    // Only accounts of the app that signed: one app cannot speak for another app's pages.
    const signedBy = accounts.filter((a) => secrets.has(a.appSecret));
    try {
      await receive(rt, obj(body), signedBy);
    } catch (err) {
      if (err instanceof SendError && (err.kind === 'transient' || err.kind === 'rate_limited')) {
        // Meta delivers again later; what was stored meanwhile is stored once (idempotent on the message id).
        req.log.warn({ err: err.message }, 'meta webhook: a lookup failed, asking for redelivery');
        return reply.status(503).send({ error: 'unavailable', message: err.message });
      }
      throw err;
    }
    return reply.type('text/plain').send('EVENT_RECEIVED');
  });
}

async function receive(rt: ChannelRuntime, body: Record<string, unknown>, accounts: MetaAccount[]): Promise<void> {
  const network = body.object === 'page' ? 'facebook' : body.object === 'instagram' ? 'instagram' : undefined;
  if (!network) {
    await rt.deadLetter('meta:webhook', `unsupported object "${String(body.object)}"`, body);
    return;
  }
  if (!Array.isArray(body.entry)) {
    await rt.deadLetter(`${network}:webhook`, 'entry: required', body);
    return;
  }
  for (const rawEntry of list(body.entry)) {
    const entry = obj(rawEntry);
    const id = str(entry.id);
    const account = accounts.find((a) => a.network === network && a.ownId === id);
    if (!account) {
      await rt.deadLetter(`${network}:webhook`, `entry.id: no connected ${network} account has id ${id}`, rawEntry);
      continue;
    }
    const candidates: Candidate[] =
      network === 'facebook'
        ? feedCandidates(account.handle, account.ownId, entry)
        : await instagramCandidates(
            { handle: account.handle, igUserId: account.ownId, access: account.access },
            entry,
            rt,
          );
    candidates.push(...messagingCandidates(network, account.handle, account.ownId, entry));
    await ingestCandidates(rt, `${network}:${account.handle}`, candidates);
  }
}
