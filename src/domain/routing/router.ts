import type { TriageResult } from '../../triage/types.ts';
import type { Community, Directory } from '../organization/directory.ts';
import { localTime } from './local-time.ts';
import { type CompiledRule, compileRule, evaluate, type Facts, type Rule } from './policy.ts';
import type { Priority } from './priorities.ts';

export { PRIORITIES, type Priority } from './priorities.ts';

export interface RoutingInput {
  community: Community;
  triage: TriageResult;
  channel: string;
  /** Handle of the brand account the message reached, if any. */
  account: string | null;
  text: string;
  contactVip: boolean;
  repeatContact: boolean;
  at: Date;
}

export interface RoutingExplanation {
  policy_version: number;
  rule: string;
  rule_id: string | null;
  reasons: string[];
  /** Every rule that applied (more than one through `continue`). */
  matched: { rule: string; rule_id: string; reasons: string[] }[];
  assignment?: string;
}

export interface RoutingDecision {
  teamId: number | null;
  priority: Priority;
  tags: string[];
  assign: 'round_robin' | 'least_loaded' | 'none';
  skills: string[];
  reassignAfterMinutes: number | null;
  autoAcknowledge: boolean;
  explanation: RoutingExplanation;
}

/** Decides team, priority, tags and assignment strategy of new cases. Batch-first: ingest routes many at once. */
export interface Router {
  route(inputs: readonly RoutingInput[]): RoutingDecision[];
}

const URGENCY_PRIORITY: Record<TriageResult['urgency'], Priority> = {
  low: 'low',
  normal: 'normal',
  high: 'high',
  critical: 'urgent',
};

/** The policy in force when an organization has none saved: everything to the triage's team, least-loaded. */
export const FALLBACK_RULES: Rule[] = [
  {
    id: 'default',
    name: 'Default',
    enabled: true,
    when: {},
    actions: { priority: 'from_urgency', assign: 'least_loaded' },
    continue: false,
  },
];

/** Evaluates the organization's routing policy (compiled once per version) against triaged messages. */
export class RoutingEngine implements Router {
  readonly version: number;
  private readonly compiled: CompiledRule[];
  private readonly directory: Directory;

  constructor(directory: Directory, policy: { version: number; rules: Rule[] }) {
    this.directory = directory;
    this.version = policy.version;
    this.compiled = policy.rules.map(compileRule);
  }

  route(inputs: readonly RoutingInput[]): RoutingDecision[] {
    return inputs.map((input) => this.routeOne(input));
  }

  facts(input: RoutingInput): Facts {
    const local = localTime(input.at, input.community.timezone);
    return {
      community: input.community.slug,
      channel: input.channel,
      account: input.account,
      lang: input.triage.lang,
      sentiment: input.triage.sentiment,
      intent: input.triage.intent,
      topics: input.triage.topics,
      urgency: input.triage.urgency,
      sensitive: input.triage.sensitive,
      text: input.text,
      contactVip: input.contactVip,
      repeatContact: input.repeatContact,
      localDay: local.day,
      localMinutes: local.minutes,
    };
  }

  private routeOne(input: RoutingInput): RoutingDecision {
    const { matches, actions } = evaluate(this.compiled, this.facts(input));
    const reasons: string[] = [];
    // Team: the rule's, else the one triage suggests, else the community's default.
    let team = actions.team ? this.directory.team(actions.team) : undefined;
    if (team) reasons.push(`team ${team.name} set by the rule`);
    if (!team) {
      team = this.directory.team(input.triage.team);
      if (team) reasons.push(`team ${team.name} suggested by triage`);
    }
    const teamId = team?.id ?? input.community.defaultTeamId;
    if (!team) reasons.push(`default team of ${input.community.name}`);
    const priority =
      !actions.priority || actions.priority === 'from_urgency'
        ? URGENCY_PRIORITY[input.triage.urgency]
        : actions.priority;
    const last = matches[matches.length - 1];
    return {
      teamId,
      priority,
      tags: [...new Set(actions.tags ?? [])],
      assign: actions.assign ?? 'none',
      skills: actions.skills ?? [],
      reassignAfterMinutes: actions.reassign_after_minutes ?? null,
      autoAcknowledge: actions.auto_acknowledge ?? false,
      explanation: {
        policy_version: this.version,
        rule: last ? last.rule.name : 'no rule matched',
        rule_id: last ? last.rule.id : null,
        reasons: last ? [...last.reasons, ...reasons] : reasons,
        matched: matches.map((m) => ({ rule: m.rule.name, rule_id: m.rule.id, reasons: m.reasons })),
      },
    };
  }
}
