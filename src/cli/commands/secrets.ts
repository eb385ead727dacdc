import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { Keyring, loadKeyring, parseKeys } from '../../server/secrets/keyring.ts';
import { dropOldKeys, newKey, prependKey, reencryptAll } from '../../server/secrets/rotate.ts';
import { parseOptions, UsageError } from '../args.ts';

export const summary = 'rotate the key that encrypts channel credentials and webhook secrets';

const USAGE = 'passeur secrets rotate [--data DIR] [--drop-old]';

/**
 * With a key file (default `<data>/secret.key`, or PASSEUR_SECRET_KEY_FILE): a new key is put first in the file,
 * every credential is re-encrypted under it, and with --drop-old the old keys are then removed from the file.
 * With PASSEUR_SECRET_KEY: list the new key first and the old ones after it (one `id:base64` per line); every
 * credential is re-encrypted under the first. Restart every Passeur process afterwards so they load the new key.
 */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    { data: { type: 'string' }, 'drop-old': { type: 'boolean', default: false } },
    USAGE,
  );
  if (positionals[0] !== 'rotate' || positionals.length !== 1) throw new UsageError(`usage: ${USAGE}`);
  const config = loadConfig(process.env, values.data ? { dataDir: values.data } : {});
  let keyring: Keyring;
  let file: string | undefined;
  if (config.secretKey) {
    if (values['drop-old'])
      throw new UsageError(
        '--drop-old applies to a key file; with PASSEUR_SECRET_KEY, remove the old keys from it yourself',
      );
    keyring = new Keyring(parseKeys(config.secretKey), 'PASSEUR_SECRET_KEY');
  } else {
    file = config.secretKeyFile || path.join(config.dataDir, 'secret.key');
    if (!fs.existsSync(file)) throw new UsageError(`${file}: no key file, so nothing is encrypted yet`);
    const current = loadKeyring({ keyFile: file, dataDir: config.dataDir });
    const key = newKey(current.keys);
    prependKey(file, key);
    keyring = loadKeyring({ keyFile: file, dataDir: config.dataDir });
    process.stderr.write(`new key "${key.id}" added first to ${file}\n`);
  }
  const db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    shareIfHeld: true,
    poolSize: 2,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  try {
    let r: Awaited<ReturnType<typeof reencryptAll>>;
    try {
      r = await reencryptAll(db.pool, keyring);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new UsageError(
        `nothing was rotated: ${message}` +
          (config.secretKey ? ' (list the new key first and every old key after it in PASSEUR_SECRET_KEY)' : ''),
      );
    }
    process.stdout.write(
      `re-encrypted under key "${r.keyId}": ${r.accounts} channel account(s), ${r.webhooks} webhook secret(s), ` +
        `${r.signIn} sign-in secret(s); ` +
        `${r.unchanged} already under it\n`,
    );
    if (file && values['drop-old']) {
      const dropped = dropOldKeys(file);
      process.stdout.write(`removed ${dropped} old key(s) from ${file}\n`);
    }
    process.stderr.write('restart every Passeur process sharing this database so they load the new key\n');
  } finally {
    await db.close();
  }
  return 0;
}
