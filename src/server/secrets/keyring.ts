import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Encrypts channel credentials at rest with AES-256-GCM. Keys come from PASSEUR_SECRET_KEY (base64, 32 bytes),
 * or a key file (PASSEUR_SECRET_KEY_FILE, default `<data>/secret.key`, created on first use). A key file may
 * hold several keys, one `id:base64` per line: the first encrypts, all decrypt — which is how keys rotate.
 * Every process sharing a database must use the same keys.
 */
const VERSION = 1;

export interface Key {
  id: string;
  key: Buffer;
}

export class Keyring {
  readonly keys: Key[];
  readonly source: string;

  constructor(keys: Key[], source: string) {
    if (keys.length === 0) throw new Error('the keyring has no key');
    for (const k of keys) {
      if (k.key.length !== 32) throw new Error(`secret key "${k.id}" must be 32 bytes (base64 of 32 random bytes)`);
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(k.id))
        throw new Error(`secret key id "${k.id}" must be 1-32 letters, digits, - or _`);
    }
    this.keys = keys;
    this.source = source;
  }

  /** version(1) | key id length(1) | key id | iv(12) | tag(16) | ciphertext */
  encrypt(value: unknown): Buffer {
    const k = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', k.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    const id = Buffer.from(k.id, 'utf8');
    return Buffer.concat([Buffer.from([VERSION, id.length]), id, iv, cipher.getAuthTag(), body]);
  }

  decrypt(blob: Buffer): unknown {
    if (blob[0] !== VERSION) throw new Error('unknown credentials format');
    const idLen = blob[1]!;
    const id = blob.subarray(2, 2 + idLen).toString('utf8');
    const k = this.keys.find((x) => x.id === id);
    if (!k) throw new Error(`credentials were encrypted with key "${id}", which this process does not have`);
    const at = 2 + idLen;
    const decipher = createDecipheriv('aes-256-gcm', k.key, blob.subarray(at, at + 12));
    decipher.setAuthTag(blob.subarray(at + 12, at + 28));
    const text = Buffer.concat([decipher.update(blob.subarray(at + 28)), decipher.final()]).toString('utf8');
    return JSON.parse(text);
  }

  /** Whether a blob was encrypted with another key than the current one (to re-encrypt on rotation). */
  isStale(blob: Buffer): boolean {
    const id = blob.subarray(2, 2 + blob[1]!).toString('utf8');
    return id !== this.keys[0]!.id;
  }
}

export function parseKeys(text: string): Key[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((line, i) => {
      const m = /^([A-Za-z0-9_-]{1,32}):(.+)$/.exec(line);
      return m ? { id: m[1]!, key: Buffer.from(m[2]!, 'base64') } : { id: `k${i}`, key: Buffer.from(line, 'base64') };
    });
}

export function loadKeyring(opts: {
  envKey?: string | undefined;
  keyFile?: string | undefined;
  dataDir: string;
}): Keyring {
  if (opts.envKey) return new Keyring(parseKeys(opts.envKey), 'PASSEUR_SECRET_KEY');
  const file = opts.keyFile ?? path.join(opts.dataDir, 'secret.key');
  if (!fs.existsSync(file)) {
    if (opts.keyFile) throw new Error(`PASSEUR_SECRET_KEY_FILE ${file} does not exist`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
    fs.writeFileSync(
      file,
      `# Passeur credentials key (keep it with your backups; processes sharing a database need the same file)\n${id}:${randomBytes(32).toString('base64')}\n`,
      {
        mode: 0o600,
        flag: 'wx',
      },
    );
  }
  return new Keyring(parseKeys(fs.readFileSync(file, 'utf8')), file);
}
