import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Keyring } from '../../server/secrets/keyring.ts';

/**
 * The Reply-To address of a consult notification: `<local>+<consult id>.<tag>@<domain>`, where the tag is an
 * HMAC of the consult id under a key derived from the keyring (never the keyring's own key). Without the key, an
 * address for another consult cannot be made, nor guessed (80 bits). Every key of the keyring verifies, so the
 * addresses already sent keep working after a key rotation; the first key signs.
 */
const INFO = 'passeur consult reply address v1';
/** 20 hex digits: 80 bits of the HMAC. */
const TAG_HEX = 20;

export class ReplyAddresses {
  private readonly keys: Buffer[];
  readonly local: string;
  readonly domain: string;

  /** `address`: the reply mailbox's own address (`consults@passeur.example`). */
  constructor(keyring: Keyring, address: string) {
    const at = address.lastIndexOf('@');
    if (at <= 0 || at === address.length - 1) throw new Error(`"${address}" is not an email address`);
    if (address.slice(0, at).includes('+')) throw new Error(`"${address}": the reply address cannot contain "+"`);
    this.local = address.slice(0, at).toLowerCase();
    this.domain = address.slice(at + 1).toLowerCase();
    this.keys = keyring.keys.map((k) => Buffer.from(hkdfSync('sha256', k.key, Buffer.alloc(0), INFO, 32)));
  }

  /** The reply mailbox's own address. */
  get address(): string {
    return `${this.local}@${this.domain}`;
  }

  private tag(key: Buffer, consultId: number): string {
    return createHmac('sha256', key).update(`consult:${consultId}`).digest('hex').slice(0, TAG_HEX);
  }

  /** The address a reply about this consult goes to. */
  forConsult(consultId: number): string {
    return `${this.local}+${consultId}.${this.tag(this.keys[0]!, consultId)}@${this.domain}`;
  }

  /**
   * The consult an address stands for, when its tag is right; undefined for any other address (another mailbox,
   * no tag, a tampered id or tag).
   */
  consultOf(address: string): number | undefined {
    const m = /^([^@+]+)\+(\d{1,15})\.([0-9a-f]+)@(.+)$/i.exec(address.trim());
    if (!m) return undefined;
    const [, local, idText, tagText, domain] = m;
    if (local!.toLowerCase() !== this.local || domain!.toLowerCase() !== this.domain) return undefined;
    const tag = Buffer.from(tagText!.toLowerCase(), 'utf8');
    if (tag.length !== TAG_HEX) return undefined;
    const id = Number(idText);
    if (!Number.isSafeInteger(id) || id <= 0 || String(id) !== idText) return undefined;
    const ok = this.keys.some((k) => timingSafeEqual(Buffer.from(this.tag(k, id), 'utf8'), tag));
    return ok ? id : undefined;
  }
}

/** The Reply-To of a notification email: a consult's reply address on the emails asking (and reminding) the expert. */
export function consultReplyTo(addresses: ReplyAddresses) {
  return (n: { kind: string; data: Record<string, unknown> }): string | undefined =>
    n.kind === 'consult' && typeof n.data.consult_id === 'number' ? addresses.forConsult(n.data.consult_id) : undefined;
}
