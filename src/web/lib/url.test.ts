import { describe, expect, it } from 'vitest';
import { inboxHref, inboxStateFromSearch } from '../pages/inbox/state.ts';
import { matchRoute } from './router.ts';
import { safeHttpUrl } from './url.ts';

describe('customer URLs', () => {
  it('become links only when plain http(s)', () => {
    expect(safeHttpUrl('https://bsky.app/profile/x/post/1')).toBe('https://bsky.app/profile/x/post/1');
    expect(safeHttpUrl('http://example.org')).toBe('http://example.org/');
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:x',
      'file:///etc/passwd',
      '//evil.example/x',
      '/relative',
      'https://user:pass@evil.example/',
      'https://exa mple.org',
      '',
      null,
      undefined,
      `https://x.org/${'a'.repeat(3000)}`,
    ]) {
      expect(safeHttpUrl(bad), String(bad)).toBeNull();
    }
  });
});

describe('routes', () => {
  const route = (href: string) => {
    const u = new URL(href, 'http://passeur.local');
    return matchRoute({ path: u.pathname, search: u.searchParams });
  };
  it('maps addresses to pages', () => {
    expect(route('/')).toEqual({ name: 'inbox' });
    expect(route('/?view=mine')).toEqual({ name: 'inbox' });
    expect(route('/cases/42')).toEqual({ name: 'case', id: 42 });
    expect(route('/cases/42/')).toEqual({ name: 'case', id: 42 });
    expect(route('/cases/abc')).toEqual({ name: 'not_found' });
    expect(route('/login')).toEqual({ name: 'login', next: null });
  });
  it('returns after sign-in only to an address of the app itself', () => {
    expect(route('/login?next=%2Fcases%2F7')).toEqual({ name: 'login', next: '/cases/7' });
    expect(route('/login?next=%2F%2Fevil.example')).toEqual({ name: 'login', next: null });
    expect(route('/login?next=https%3A%2F%2Fevil.example')).toEqual({ name: 'login', next: null });
    expect(route('/login?next=%2F%5Cevil.example')).toEqual({ name: 'login', next: null });
  });
  it('keeps the inbox view and filters in the address', () => {
    const s = inboxStateFromSearch(new URLSearchParams('view=unassigned&community=5&channel=sandbox&status=new,open'));
    expect(s).toEqual({ view: 'unassigned', filters: { community: 5, channel: 'sandbox', status: 'new,open' } });
    expect(inboxHref(s)).toBe('/?view=unassigned&community=5&channel=sandbox&status=new%2Copen');
    const junk = inboxStateFromSearch(new URLSearchParams('view=evil&community=-1&channel=<x>&status=;drop'), 'all');
    expect(junk).toEqual({ view: 'all', filters: { community: undefined, channel: undefined, status: undefined } });
  });
});
