import type { Rule, RuleActions, RuleConditions } from '../../api.ts';

/** Pure helpers of the routing editor: ids, order, cleaning, dirty checks, errors. No DOM, no React. */

/** A fresh id not used by any rule (`rule-1`, `rule-2`…). */
export function newRuleId(rules: readonly Rule[]): string {
  const used = new Set(rules.map((r) => r.id));
  for (let n = rules.length + 1; ; n++) {
    const id = `rule-${n}`;
    if (!used.has(id)) return id;
  }
}

export function newRule(rules: readonly Rule[], name: string): Rule {
  return { id: newRuleId(rules), name, enabled: true, when: {}, actions: {}, continue: false };
}

/** The list with the rule at `i` moved by `delta` places (clamped); the same list when it cannot move. */
export function moveRule<T>(list: readonly T[], i: number, delta: number): T[] {
  const j = Math.max(0, Math.min(list.length - 1, i + delta));
  if (i < 0 || i >= list.length || j === i) return [...list];
  const next = [...list];
  const [item] = next.splice(i, 1);
  next.splice(j, 0, item!);
  return next;
}

const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Conditions without empty lists or blank values, which the server would read as "never matches". */
export function cleanConditions(w: RuleConditions): RuleConditions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(w)) {
    if (empty(v)) continue;
    if (k === 'regex' && typeof v === 'string') {
      if (v.trim()) out[k] = v.trim();
      continue;
    }
    if (k === 'time' && v && typeof v === 'object') {
      const time = v as NonNullable<RuleConditions['time']>;
      out[k] = { from: time.from, to: time.to, ...(time.days && time.days.length > 0 ? { days: time.days } : {}) };
      continue;
    }
    out[k] = v;
  }
  return out as RuleConditions;
}

export function cleanActions(a: RuleActions): RuleActions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) {
    if (empty(v)) continue;
    if (k === 'auto_acknowledge' && v === false) continue;
    if (k === 'reassign_after_minutes' && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) continue;
    out[k] = v;
  }
  return out as RuleActions;
}

/** A rule as it is saved: trimmed name, clean conditions and actions, every field in a stable order. */
export function cleanRule(r: Rule): Rule {
  return {
    id: r.id,
    name: r.name.trim(),
    enabled: r.enabled,
    when: cleanConditions(r.when),
    actions: cleanActions(r.actions),
    continue: r.continue,
  };
}

/** JSON with object keys sorted, so two policies compare equal whatever order their fields came in. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function samePolicy(a: readonly Rule[], b: readonly Rule[]): boolean {
  return stableJson(a.map(cleanRule)) === stableJson(b.map(cleanRule));
}

/** Which rule a server error names: `rules.3.when.regex` → 3; null for the policy as a whole. */
export function ruleIndexOfField(field: string | undefined): number | null {
  const m = /^rules\.(\d+)(\.|$)/.exec(field ?? '');
  return m ? Number(m[1]) : null;
}

/** Problems the editor can tell before asking the server: blank names, time windows without both ends. */
export function localProblems(rules: readonly Rule[]): Map<number, string> {
  const out = new Map<number, string>();
  rules.forEach((r, i) => {
    if (!r.name.trim()) out.set(i, 'name');
    else if (r.when.time && (!r.when.time.from || !r.when.time.to)) out.set(i, 'time');
  });
  return out;
}
