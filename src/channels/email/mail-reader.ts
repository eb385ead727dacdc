import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { type AddressObject, type Headers, MailParser } from 'mailparser';
import { messageIdList, normalizeMessageId } from './message-id.ts';
import { LIMITS } from './settings.ts';

export interface AttachmentInfo {
  name: string | null;
  type: string;
  /** Decoded bytes; null when the message was cut before its end. */
  size: number | null;
  /** Over the attachment limit, or cut with the message: its content was never kept, nor fully read. */
  oversized?: true;
  inline?: true;
}

/** What Passeur keeps of one email: headers that matter, its text, and its attachments' metadata. */
export interface ReadMail {
  messageId: string | undefined;
  inReplyTo: string | undefined;
  references: string[];
  subject: string;
  from: { address: string; name: string | undefined } | undefined;
  replyTo: string | undefined;
  to: string[];
  cc: string[];
  date: Date | undefined;
  /** Plain text: the text part, else the HTML converted to text. */
  text: string;
  attachments: AttachmentInfo[];
  /** Header values by lower-case name (the first of each), unfolded, undecoded: for classification. */
  rawHeaders: Map<string, string>;
  /** SHA-256 of the bytes read: the id of a message without a Message-ID. */
  digest: string;
  /** The message was larger than what is read of it. */
  truncated: boolean;
}

function addresses(value: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  // Group syntax nests addresses one level down.
  return list
    .flatMap((o) => o.value)
    .flatMap((a) => (a.group ? a.group : [a]))
    .filter((a) => typeof a.address === 'string' && a.address.includes('@'))
    .map((a) => ({ address: a.address!.toLowerCase(), name: a.name }));
}

function headerText(headers: Headers, name: string): string | undefined {
  const v = headers.get(name);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(' ');
  return undefined;
}

/**
 * Parses a message as it streams in (from IMAP): attachments are counted and dropped, never held in
 * memory; odd charsets and transfer encodings are decoded by mailparser.
 */
export async function readMail(source: Readable, opts: { truncated?: boolean } = {}): Promise<ReadMail> {
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const parser = new MailParser({
    skipTextToHtml: true,
    skipImageLinks: true,
    checksumAlgo: false,
    // Converting megabytes of HTML to text is slow and says nothing more to an agent.
    maxHtmlLengthToParse: 2_000_000,
  });
  const rawHeaders = new Map<string, string>();
  const attachments: AttachmentInfo[] = [];
  let text = '';
  parser.on('headerLines', (lines: readonly { key: string; line: string }[]) => {
    for (const { key, line } of lines) {
      if (rawHeaders.has(key)) continue;
      rawHeaders.set(
        key,
        line
          .replace(/^[^:]*:/, '')
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim(),
      );
    }
  });
  parser.on('data', (data) => {
    if (data.type === 'text') {
      text = data.text ?? '';
      return;
    }
    let size = 0;
    data.content.on('data', (c: Buffer) => {
      size += c.length;
    });
    data.content.on('end', () => {
      attachments.push({
        name: data.filename ?? null,
        type: data.contentType,
        size,
        ...(size > LIMITS.attachmentBytes ? { oversized: true as const } : {}),
        ...(data.contentDisposition === 'inline' || data.related ? { inline: true as const } : {}),
      });
      data.release?.();
    });
  });
  await Promise.all([pipeline(source, tap, parser), finished(parser)]);

  const truncated = opts.truncated ?? false;
  const last = attachments[attachments.length - 1];
  // The cut falls in the last part read: usually the large attachment that made the message too big.
  if (truncated && last) Object.assign(last, { size: null, oversized: true });
  const headers = parser.headers || new Map();
  const from = addresses(parser.from)[0];
  // mailparser puts "now" in place of a Date header it cannot read; a wrong date is worse than none.
  const rawDate = rawHeaders.get('date')?.replace(/\([^)]*\)/g, '');
  const readable = rawDate !== undefined && !Number.isNaN(Date.parse(rawDate));
  const date =
    readable && parser.date instanceof Date && !Number.isNaN(parser.date.getTime()) ? parser.date : undefined;
  return {
    messageId: parser.messageId ? normalizeMessageId(parser.messageId) : undefined,
    inReplyTo: messageIdList(parser.inReplyTo).at(-1),
    references: messageIdList(parser.references),
    subject: (parser.subject ?? headerText(headers, 'subject') ?? '').trim(),
    from: from ? { address: from.address, name: from.name || undefined } : undefined,
    replyTo: addresses(parser.replyTo)[0]?.address,
    to: addresses(parser.to).map((a) => a.address),
    cc: addresses(parser.cc).map((a) => a.address),
    date,
    text,
    attachments,
    rawHeaders,
    digest: hash.digest('hex'),
    truncated,
  };
}
