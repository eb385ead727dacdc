/**
 * Reply variables: `{{contact.name}}`, `{{contact.handle}}`, `{{case.id}}`, `{{agent.name}}`,
 * `{{agent.first_name}}`, `{{community.name}}`. An unknown variable stays as written and is reported, so a typo
 * is seen before the reply goes out; a known one without a value is reported too.
 */

export const REPLY_VARIABLES = [
  'contact.name',
  'contact.handle',
  'case.id',
  'agent.name',
  'agent.first_name',
  'community.name',
] as const;
export type ReplyVariable = (typeof REPLY_VARIABLES)[number];

export interface Filled {
  text: string;
  used: ReplyVariable[];
  unknown: string[];
  empty: ReplyVariable[];
}

const PLACEHOLDER = /\{\{\s*([^{}\s]*)\s*\}\}/g;
const KNOWN = new Set<string>(REPLY_VARIABLES);

export function fillVariables(template: string, values: Partial<Record<ReplyVariable, string | null>>): Filled {
  const used = new Set<ReplyVariable>();
  const unknown = new Set<string>();
  const empty = new Set<ReplyVariable>();
  const text = template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!KNOWN.has(name)) {
      unknown.add(name || whole);
      return whole;
    }
    const v = name as ReplyVariable;
    used.add(v);
    const value = values[v];
    if (value === null || value === undefined || value === '') {
      empty.add(v);
      return whole;
    }
    return value;
  });
  return { text, used: [...used], unknown: [...unknown], empty: [...empty] };
}

/** The first word of a name ("Léa Martin" → "Léa"). */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}
