import { z } from 'zod';
import type { Queryable } from '../../server/db/database.ts';

/**
 * Coverage settings of a community (migration 0017): what happens to an off-duty person's open cases, the
 * automatic acknowledgement sent when nobody of the community is on duty, and who is paged for urgent cases.
 */
export const OFF_DUTY_POLICIES = ['stay', 'backup', 'team'] as const;
export type OffDutyCasePolicy = (typeof OFF_DUTY_POLICIES)[number];

const infoLink = z
  .string()
  .max(500)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'an http(s) URL without credentials');

export const autoAckTextSchema = z.strictObject({
  text: z.string().trim().min(1).max(500),
  /** The page customers can read meanwhile (flight status, service notices). */
  link: infoLink.nullable().default(null),
});
export type AutoAckText = z.infer<typeof autoAckTextSchema>;

export const settingsInputSchema = z.strictObject({
  off_duty_policy: z.enum(OFF_DUTY_POLICIES),
  auto_ack: z.strictObject({
    enabled: z.boolean(),
    /** Per ISO 639-1 language code. */
    texts: z
      .record(z.string().regex(/^[a-z]{2}$/, 'an ISO 639-1 language code'), autoAckTextSchema)
      .refine((t) => Object.keys(t).length <= 20, 'at most 20 languages')
      .default({}),
  }),
  paging: z.strictObject({
    enabled: z.boolean(),
    on_call_ids: z
      .array(z.number().int().positive())
      .max(10)
      .default([])
      .transform((ids) => [...new Set(ids)]),
    /** Signed POSTs (like outgoing webhooks) to a paging system; null: none. */
    webhook_url: z.string().max(2000).nullable().default(null),
  }),
});
export type SettingsInput = z.infer<typeof settingsInputSchema>;

export interface CoverageSettings {
  communityId: number;
  offDutyPolicy: OffDutyCasePolicy;
  autoAckEnabled: boolean;
  autoAckTexts: Record<string, AutoAckText>;
  pagingEnabled: boolean;
  onCallIds: number[];
  pagerWebhookId: number | null;
  pagerWebhookUrl: string | null;
  updatedBy: number | null;
  updatedAt: Date | null;
}

interface Row {
  community_id: number;
  off_duty_policy: OffDutyCasePolicy;
  auto_ack_enabled: boolean;
  auto_ack_texts: Record<string, AutoAckText>;
  paging_enabled: boolean;
  on_call_ids: number[];
  pager_webhook_id: number | null;
  pager_webhook_url: string | null;
  updated_by: number | null;
  updated_at: Date;
}

const toSettings = (r: Row): CoverageSettings => ({
  communityId: r.community_id,
  offDutyPolicy: r.off_duty_policy,
  autoAckEnabled: r.auto_ack_enabled,
  autoAckTexts: r.auto_ack_texts,
  pagingEnabled: r.paging_enabled,
  onCallIds: r.on_call_ids,
  pagerWebhookId: r.pager_webhook_id,
  pagerWebhookUrl: r.pager_webhook_url,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

/** A community without saved settings: cases stay with their assignee, no acknowledgement, no paging. */
export function defaultSettings(communityId: number): CoverageSettings {
  return {
    communityId,
    offDutyPolicy: 'stay',
    autoAckEnabled: false,
    autoAckTexts: {},
    pagingEnabled: false,
    onCallIds: [],
    pagerWebhookId: null,
    pagerWebhookUrl: null,
    updatedBy: null,
    updatedAt: null,
  };
}

/** The saved settings of the organization's communities, by community id. */
export async function loadSettings(db: Queryable, orgId: number): Promise<Map<number, CoverageSettings>> {
  const r = await db.query<Row>(
    `select s.community_id, s.off_duty_policy, s.auto_ack_enabled, s.auto_ack_texts, s.paging_enabled, s.on_call_ids,
       s.pager_webhook_id, w.url as pager_webhook_url, s.updated_by, s.updated_at
     from coverage_settings s left join webhooks w on w.id = s.pager_webhook_id
     where s.org_id = $1`,
    [orgId],
  );
  return new Map(r.rows.map((row) => [row.community_id, toSettings(row)]));
}

/** What leaves the server: ids, texts and the pager's URL (its secret only once, when it is created). */
export function presentSettings(s: CoverageSettings) {
  return {
    community_id: s.communityId,
    off_duty_policy: s.offDutyPolicy,
    auto_ack: { enabled: s.autoAckEnabled, texts: s.autoAckTexts },
    paging: {
      enabled: s.pagingEnabled,
      on_call_ids: s.onCallIds,
      webhook: s.pagerWebhookId === null ? null : { id: s.pagerWebhookId, url: s.pagerWebhookUrl },
    },
    updated_by: s.updatedBy,
    updated_at: s.updatedAt?.toISOString() ?? null,
  };
}

/**
 * The acknowledgement for a message: in its language, else the community's, else English; null when the
 * community has no text in any of them. The information link goes on its own line.
 */
export function acknowledgementFor(
  texts: Readonly<Record<string, AutoAckText>>,
  languages: readonly (string | null | undefined)[],
): { lang: string; text: string } | null {
  for (const lang of [...languages, 'en']) {
    if (!lang) continue;
    const t = texts[lang];
    if (t) return { lang, text: t.link ? `${t.text}\n${t.link}` : t.text };
  }
  return null;
}
