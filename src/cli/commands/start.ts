import { loadConfig } from '../../server/config.ts';
import { DataFolderError } from '../../server/db/embedded.ts';
import { startPasseur } from '../../server/main.ts';
import { parseOptions, UsageError } from '../args.ts';

export const summary = 'serve Passeur (web UI, API, workers) with the embedded or an external PostgreSQL';

function parseRole(role: string): 'all' | 'api' | 'worker' {
  if (role === 'all' || role === 'api' || role === 'worker') return role;
  throw new UsageError(`--role must be all, api or worker (not "${role}")`);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(
    argv,
    {
      port: { type: 'string' },
      data: { type: 'string' },
      'no-demo-stream': { type: 'boolean' },
      role: { type: 'string' },
    },
    'passeur start [--port N] [--data DIR] [--no-demo-stream] [--role all|api|worker]',
  );
  const config = loadConfig(process.env, {
    ...(values.port !== undefined ? { port: Number(values.port) } : {}),
    ...(values.data !== undefined ? { dataDir: values.data } : {}),
    ...(values['no-demo-stream'] ? { demoStream: false } : {}),
    ...(values.role !== undefined ? { role: parseRole(values.role) } : {}),
  });
  let running: Awaited<ReturnType<typeof startPasseur>>;
  try {
    running = await startPasseur(config, { banner: (lines) => process.stdout.write(`\n${lines.join('\n')}\n\n`) });
  } catch (err) {
    if (err instanceof DataFolderError) {
      process.stderr.write(`passeur: ${err.message}\n`);
      return 1;
    }
    if ((err as { code?: string }).code === 'EADDRINUSE') {
      process.stderr.write(
        `passeur: port ${config.port} is already in use (is Passeur already running?); choose another with PORT=… or --port\n`,
      );
      return 1;
    }
    throw err;
  }
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        process.stderr.write(`passeur: ${signal} again, exiting at once\n`);
        process.exit(130);
      }
      stopping = true;
      process.stderr.write(`passeur: ${signal} received, finishing in-flight work…\n`);
      running.close().then(resolve, (err: unknown) => {
        process.stderr.write(`passeur: shutdown error: ${String(err)}\n`);
        resolve();
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
