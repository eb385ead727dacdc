import { describe, expect, it } from 'vitest';
import { fullAcct, mentionCandidate, newer } from './notifications.ts';
import { replyVisibility } from './send.ts';
import { htmlToText } from './text.ts';

describe('Mastodon statuses as messages', () => {
  it('turns status HTML into plain text', () => {
    expect(
      htmlToText(
        '<p><span class="h-card"><a href="https://x.example/@airsocial" class="u-url mention">@<span>airsocial</span></a></span> Vol AF1234 &amp; bagage&#39;s<br />perdu</p><p>Merci &lt;3 &#x1F600;</p>',
      ),
    ).toBe("@airsocial Vol AF1234 & bagage's\nperdu\n\nMerci <3 😀");
    expect(htmlToText('<script>alert(1)</script>ok')).toBe('alert(1)ok');
  });

  it('orders ids and names accounts in full', () => {
    expect(newer('113000000000000010', '113000000000000009')).toBe(true);
    expect(newer('99', '100')).toBe(false);
    expect(newer('5', undefined)).toBe(true);
    expect(fullAcct({ acct: 'hans' }, 'social.example')).toBe('@hans@social.example');
    expect(fullAcct({ acct: 'camille@piaille.fr' }, 'social.example')).toBe('@camille@piaille.fr');
  });

  it('answers with the customer’s visibility', () => {
    const config = { public_reply_visibility: 'unlisted' as const };
    expect(replyVisibility('direct', 'public', config)).toBe('direct');
    expect(replyVisibility('private', 'public', config)).toBe('direct');
    expect(replyVisibility('public', 'public', config)).toBe('unlisted');
    expect(replyVisibility('public', 'public', { public_reply_visibility: 'public' })).toBe('public');
    expect(replyVisibility('unlisted', 'private', config)).toBe('direct');
  });

  it('keeps the content warning and leaves out the brand’s own statuses', () => {
    const n = {
      id: '1',
      type: 'mention',
      status: {
        id: '10',
        content: '<p>@airsocial bof</p>',
        spoilerText: 'vol',
        visibility: 'public',
        createdAt: '2026-01-01T10:00:00.000Z',
        account: { id: '7', acct: 'x@y.z', displayName: 'X' },
      },
    };
    expect(mentionCandidate(n, { id: '1', handle: '@airsocial' }, 'h')?.message).toMatchObject({
      external_id: '10',
      text: '[vol]\n\n@airsocial bof',
      author: { handle: '@x@y.z', name: 'X' },
    });
    expect(mentionCandidate(n, { id: '7', handle: '@airsocial' }, 'h')).toBeUndefined();
    expect(mentionCandidate({ ...n, type: 'favourite' }, { id: '1', handle: '@a' }, 'h')).toBeUndefined();
  });
});
