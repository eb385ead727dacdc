import type { Queryable } from '../../server/db/database.ts';
import type { Urgency } from '../../triage/types.ts';
import { truncateText } from '../ingest/model.ts';
import type { Directory } from '../organization/directory.ts';
import { autonomyOf, checkGuidelines, type GovernancePolicy, requiredApprovals } from './policy.ts';

const SAMPLES = 5;
const MIN_WORDS_FOR_LANGUAGE = 4;

interface Sample {
  message_id: number;
  case_id: number;
  excerpt: string;
  why: string[];
}

/**
 * A policy tried on the latest replies before it is saved (like the routing preview): how many would have needed
 * approval under each rule, and how often each guideline would have blocked or warned, with examples.
 */
export async function previewGovernance(
  db: Queryable,
  directory: Directory,
  policy: GovernancePolicy,
  limit: number,
  detectLang: (text: string) => string,
) {
  const rows = await db.query<{
    id: number;
    case_id: number;
    text: string;
    visibility: string | null;
    community_id: number;
    channel: string;
    tags: string[];
    email: string | null;
    autonomy: string | null;
    sensitive: string[] | null;
    urgency: Urgency | null;
    sentiment: string | null;
    lang: string | null;
  }>(
    `select m.id, m.case_id, m.text, m.meta->>'visibility' as visibility, c.community_id, c.channel, c.tags,
       p.email, p.autonomy, i.sensitive, i.urgency, i.sentiment, i.lang
     from messages m
     join cases c on c.id = m.case_id
     left join people p on p.id = m.person_id
     left join lateral (
       select sensitive, urgency, sentiment, lang from messages
       where case_id = m.case_id and direction = 'in' and id < m.id order by id desc limit 1) i on true
     where m.org_id = $1 and m.direction = 'out' and m.kind = 'reply'
     order by m.id desc limit $2`,
    [directory.orgId, limit],
  );
  const perRule = new Map<string, { count: number; samples: Sample[] }>();
  const perGuideline = new Map<string, { block: number; warn: number; samples: Sample[] }>();
  let needing = 0;
  for (const m of rows.rows) {
    const community = directory.communities.get(m.community_id)?.slug ?? '';
    const decision = requiredApprovals(policy.approvals, {
      community,
      channel: m.channel,
      autonomy: autonomyOf(policy, { email: m.email ?? '', autonomy: m.autonomy ?? 'standard' }, community),
      sensitive: m.sensitive ?? [],
      urgency: m.urgency ?? 'normal',
      sentiment: m.sentiment ?? 'neutral',
      caseTags: m.tags,
      text: m.text,
    });
    const sample = (why: string[]): Sample => ({
      message_id: m.id,
      case_id: m.case_id,
      excerpt: truncateText(m.text, 160),
      why,
    });
    if (decision.requirement.approvals > 0 || decision.requirement.mode === 'all') needing++;
    if (decision.rule) {
      const entry = perRule.get(decision.rule.id) ?? { count: 0, samples: [] };
      entry.count++;
      if (entry.samples.length < SAMPLES) entry.samples.push(sample(decision.reasons));
      perRule.set(decision.rule.id, entry);
    }
    const words = m.text.split(/\s+/u).filter(Boolean).length;
    const findings = checkGuidelines(policy.guidelines, {
      community,
      text: m.text,
      visibility: m.visibility === 'private' ? 'private' : 'public',
      customerLang: m.lang ?? 'und',
      replyLang: words >= MIN_WORDS_FOR_LANGUAGE ? detectLang(m.text) : 'und',
    });
    for (const f of findings) {
      const entry = perGuideline.get(f.guideline) ?? { block: 0, warn: 0, samples: [] };
      entry[f.severity]++;
      if (entry.samples.length < SAMPLES) entry.samples.push(sample([f.message]));
      perGuideline.set(f.guideline, entry);
    }
  }
  return {
    replies: rows.rows.length,
    needing_approval: needing,
    rules: policy.approvals.map((r) => ({
      id: r.id,
      name: r.name,
      count: perRule.get(r.id)?.count ?? 0,
      samples: perRule.get(r.id)?.samples ?? [],
    })),
    guidelines: policy.guidelines.map((g) => ({
      id: g.id,
      kind: g.kind,
      severity: g.severity,
      count: (perGuideline.get(g.id)?.block ?? 0) + (perGuideline.get(g.id)?.warn ?? 0),
      samples: perGuideline.get(g.id)?.samples ?? [],
    })),
  };
}
