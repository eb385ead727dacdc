import { UsageError } from '../args.ts';

export const summary = 'demo scenarios: `passeur demo bluesky` (a local Bluesky network), `passeur demo crisis`';

type Scenario = { run(argv: string[]): Promise<number>; summary: string };

/** Scenarios live in ./demo-<name>.ts and load lazily. */
const SCENARIOS: Record<string, () => Promise<Scenario>> = {
  bluesky: () => import('./demo-bluesky.ts') as Promise<Scenario>,
  crisis: () => import('./demo-crisis.ts') as Promise<Scenario>,
};

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name ? SCENARIOS[name] : undefined;
  if (!load) {
    throw new UsageError(
      `${name ? `unknown scenario "${name}"` : 'which scenario?'}\nusage: passeur demo <${Object.keys(SCENARIOS).join('|')}> [options]`,
    );
  }
  return (await load()).run(rest);
}
