/**
 * The `passeur` command. Each sub-command lives in ./commands/<name>.ts and exports
 * `run(argv: string[]): Promise<number>` (the process exit code); modules load lazily so
 * `passeur triage` never pays for the server's imports.
 */
import { UsageError } from './args.ts';

type CommandModule = { run(argv: string[]): Promise<number>; summary: string };

const commands: Record<string, () => Promise<CommandModule>> = {
  start: () => import('./commands/start.ts'),
  token: () => import('./commands/token.ts'),
  import: () => import('./commands/import.ts'),
  triage: () => import('./commands/triage.ts'),
  learn: () => import('./commands/learn.ts'),
  bench: () => import('./commands/bench.ts'),
  migrate: () => import('./commands/migrate.ts'),
  demo: () => import('./commands/demo.ts'),
  detect: () => import('./commands/detect.ts'),
  backup: () => import('./commands/backup.ts'),
  restore: () => import('./commands/restore.ts'),
  archive: () => import('./commands/archive.ts'),
  secrets: () => import('./commands/secrets.ts'),
  'second-factor': () => import('./commands/second-factor.ts'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write('usage: passeur <command> [options]\n\ncommands:\n');
    for (const [cmd, load] of Object.entries(commands)) {
      const mod = await load().catch(() => null);
      process.stdout.write(`  ${cmd.padEnd(10)} ${mod?.summary ?? ''}\n`);
    }
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`passeur: unknown command "${name}" (try: passeur --help)\n`);
    return 2;
  }
  const mod = await load();
  try {
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`passeur ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`passeur: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
