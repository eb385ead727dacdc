import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Keyring, loadKeyring, parseKeys } from './keyring.ts';

describe('credentials keyring', () => {
  it('round-trips, never shows the plaintext, and detects tampering', () => {
    const ring = new Keyring([{ id: 'a', key: randomBytes(32) }], 'test');
    const blob = ring.encrypt({ password: 'hunter2' });
    expect(blob.toString('latin1')).not.toContain('hunter2');
    expect(ring.decrypt(blob)).toEqual({ password: 'hunter2' });
    blob.writeUInt8(blob.readUInt8(blob.length - 1) ^ 1, blob.length - 1);
    expect(() => ring.decrypt(blob)).toThrow();
  });

  it('rotates: the new key encrypts, old keys still decrypt', () => {
    const old = { id: 'old', key: randomBytes(32) };
    const blob = new Keyring([old], 't').encrypt({ token: 'x' });
    const rotated = new Keyring([{ id: 'new', key: randomBytes(32) }, old], 't');
    expect(rotated.decrypt(blob)).toEqual({ token: 'x' });
    expect(rotated.isStale(blob)).toBe(true);
    expect(rotated.isStale(rotated.encrypt({}))).toBe(false);
    expect(() => new Keyring([{ id: 'other', key: randomBytes(32) }], 't').decrypt(blob)).toThrow(/key "old"/);
  });

  it('creates a private key file on first use and reads it back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passeur-keys-'));
    const a = loadKeyring({ dataDir: dir });
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const b = loadKeyring({ dataDir: dir });
    expect(b.decrypt(a.encrypt({ n: 1 }))).toEqual({ n: 1 });
    expect(() => parseKeys('k:short').map((k) => new Keyring([k], 'x'))).toThrow(/32 bytes/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
