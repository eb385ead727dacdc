import { describe, expect, it } from 'vitest';
import { absoluteUrl, hostOf, itemExternalId, normalizeLink, seenKey } from './identity.ts';

describe('article identity', () => {
  it('normalizes links: scheme, www, tracking parameters, parameter order, noise fragments, trailing slash', () => {
    const canonical = 'voyages-leman.example/2025/06/airsocial-bagages-geneve';
    for (const u of [
      'https://www.voyages-leman.example/2025/06/airsocial-bagages-geneve/',
      'http://voyages-leman.example/2025/06/airsocial-bagages-geneve?utm_source=atom&utm_medium=feed',
      'https://VOYAGES-LEMAN.example:443/2025/06/airsocial-bagages-geneve/#respond',
      'https://voyages-leman.example/2025/06/airsocial-bagages-geneve/?fbclid=abc#more-812',
    ])
      expect(normalizeLink(u), u).toBe(canonical);
    expect(normalizeLink('https://x.example/a?b=2&a=1')).toBe('x.example/a?a=1&b=2');
    expect(normalizeLink('https://x.example/post#comment-12')).toBe('x.example/post#comment-12');
    expect(normalizeLink('https://x.example:8080/')).toBe('x.example:8080');
    expect(normalizeLink('mailto:a@b.example')).toBeUndefined();
  });

  it('derives the external id from the link, else a URL guid, else the guid within its feed', () => {
    const feed = 'https://feeds.example/rss';
    expect(itemExternalId({ link: 'https://www.a.example/p/1/', guid: 'x' }, feed)).toBe('a.example/p/1');
    expect(itemExternalId({ guid: 'https://a.example/?p=12' }, feed)).toBe('a.example?p=12');
    expect(itemExternalId({ guid: '8f2d1c' }, feed)).toBe('guid:feeds.example/rss:8f2d1c');
    expect(itemExternalId({ title: 'T', text: 'x' }, feed)).toMatch(/^item:[0-9a-f]{64}$/);
    expect(itemExternalId({ link: `https://a.example/${'x'.repeat(600)}` }, feed)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(seenKey('a.example/p/1')).toHaveLength(16);
  });

  it('resolves relative links and reads hosts', () => {
    expect(absoluteUrl('/a', 'https://x.example/feed/')).toBe('https://x.example/a');
    expect(absoluteUrl('javascript:alert(1)', 'https://x.example/')).toBeUndefined();
    expect(absoluteUrl('', 'https://x.example/')).toBeUndefined();
    expect(hostOf('https://www.Blog.example/x')).toBe('blog.example');
    expect(hostOf('not a url')).toBeUndefined();
  });
});
