import { parseArgs } from 'node:util';

export type OptionSpec = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }
>;

/**
 * Parses a sub-command's options strictly: an unknown option is an error with a clear message
 * rather than a silently ignored typo.
 */
export function parseOptions<T extends OptionSpec>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\nusage: ${usage}`);
  }
}

export class UsageError extends Error {}
