import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import type { Keyring } from '../../server/secrets/keyring.ts';
import { CASE_READER_ROLES } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { invalidField } from '../validation.ts';
import { newWebhookSecret } from '../webhooks/signature.ts';
import { sealSecret } from '../webhooks/store.ts';
import { refuseTarget } from '../webhooks/target.ts';
import { PAGE_EVENT } from './out-of-hours.ts';
import { type CoverageSettings, defaultSettings, loadSettings, type SettingsInput } from './settings.ts';

/**
 * Saves a community's coverage settings (leaders). The pager webhook is an outgoing webhook of its own
 * (listed with the others, event `case.paged`, signed the same way); a new URL gets a new signing secret,
 * returned in this answer only. Auto-acknowledgement texts are approved by saving them: they go out without
 * the approval queue (docs/out-of-hours.md).
 */
export async function saveSettings(
  deps: { pool: pg.Pool; keyring: Keyring; allowPrivateWebhooks: boolean },
  actor: PersonPrincipal,
  communityId: number,
  input: SettingsInput,
): Promise<{ settings: CoverageSettings; pagerSecret: string | null }> {
  if (input.auto_ack.enabled && Object.keys(input.auto_ack.texts).length === 0) {
    throw invalidField('auto_ack.texts', 'an acknowledgement needs a text in at least one language');
  }
  if (input.paging.enabled && input.paging.on_call_ids.length === 0 && input.paging.webhook_url === null) {
    throw invalidField('paging', 'paging needs an on-call person or a webhook URL');
  }
  const current = (await loadSettings(deps.pool, actor.orgId)).get(communityId) ?? defaultSettings(communityId);
  const url = input.paging.webhook_url?.trim() || null;
  const newUrl = url !== null && url !== current.pagerWebhookUrl;
  if (newUrl) {
    // Checked before the transaction: it resolves the host name (and again at every delivery).
    const refused = await refuseTarget(url, deps.allowPrivateWebhooks);
    if (refused) throw invalidField('paging.webhook_url', refused);
  }
  return transaction(deps.pool, async (tx) => {
    const onCall = await tx.query<{ id: number }>(
      `select p.id from people p
       where p.org_id = $1 and p.active and p.id = any($2::int[]) and p.role = any($4::text[])
         and (p.role = 'leader' or exists (
           select 1 from person_communities pc where pc.person_id = p.id and pc.community_id = $3))`,
      [actor.orgId, input.paging.on_call_ids, communityId, CASE_READER_ROLES],
    );
    for (const [i, id] of input.paging.on_call_ids.entries()) {
      if (!onCall.rows.some((r) => r.id === id)) {
        throw invalidField(`paging.on_call_ids.${i}`, `person ${id} cannot read this community's cases`);
      }
    }
    let webhookId = url === null ? null : current.pagerWebhookId;
    let secret: string | null = null;
    if (newUrl || url === null) {
      if (current.pagerWebhookId !== null) {
        await tx.query('delete from webhooks where id = $1 and org_id = $2', [current.pagerWebhookId, actor.orgId]);
      }
      webhookId = null;
    }
    if (newUrl) {
      secret = newWebhookSecret();
      const w = await tx.query<{ id: number }>(
        `insert into webhooks (org_id, url, secret, events) values ($1, $2, $3, $4) returning id`,
        [actor.orgId, url, sealSecret(deps.keyring, secret), [PAGE_EVENT]],
      );
      webhookId = w.rows[0]!.id;
    }
    await tx.query(
      `insert into coverage_settings (community_id, org_id, off_duty_policy, auto_ack_enabled, auto_ack_texts,
         paging_enabled, on_call_ids, pager_webhook_id, updated_by, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
       on conflict (community_id) do update set off_duty_policy = excluded.off_duty_policy,
         auto_ack_enabled = excluded.auto_ack_enabled, auto_ack_texts = excluded.auto_ack_texts,
         paging_enabled = excluded.paging_enabled, on_call_ids = excluded.on_call_ids,
         pager_webhook_id = excluded.pager_webhook_id, updated_by = excluded.updated_by, updated_at = now()`,
      [
        communityId,
        actor.orgId,
        input.off_duty_policy,
        input.auto_ack.enabled,
        JSON.stringify(input.auto_ack.texts),
        input.paging.enabled,
        input.paging.on_call_ids,
        webhookId,
        actor.id,
      ],
    );
    await audit(tx, {
      orgId: actor.orgId,
      action: 'coverage.settings_updated',
      actorPersonId: actor.id,
      subjectType: 'community',
      subjectId: communityId,
      data: {
        off_duty_policy: input.off_duty_policy,
        auto_ack: input.auto_ack.enabled,
        languages: Object.keys(input.auto_ack.texts).sort(),
        paging: input.paging.enabled,
        on_call_ids: input.paging.on_call_ids,
        pager_host: url === null ? null : new URL(url).host,
        pager_webhook_id: webhookId,
      },
    });
    const saved = (await loadSettings(tx, actor.orgId)).get(communityId)!;
    return { settings: saved, pagerSecret: secret };
  });
}
