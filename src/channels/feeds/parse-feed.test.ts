import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures/feeds/peer.ts';
import { decodeFeed } from './decode.ts';
import { FeedFormatError } from './feed-model.ts';
import { parseFeed } from './parse-feed.ts';

const read = (name: string, contentType = 'application/xml') =>
  parseFeed(decodeFeed(fixture(name), contentType).text, `https://feeds.example/${name}`);

describe('feed formats', () => {
  it('reads RSS 2.0 with content:encoded, dc:creator, CDATA and HTML entities', () => {
    const f = read('voyages.rss');
    expect(f).toMatchObject({
      format: 'rss2',
      title: 'Le Blog du Voyageur Léman',
      lang: 'fr',
      site: 'https://www.voyages-leman.example/',
    });
    expect(f.items).toHaveLength(4);
    const [first] = f.items;
    expect(first).toMatchObject({
      title: 'AirSocial perd encore des bagages à Genève',
      link: 'https://www.voyages-leman.example/2025/06/airsocial-bagages-geneve/',
      id: 'https://www.voyages-leman.example/?p=812',
      author: 'Claire Dumoulin',
    });
    expect(first!.published?.toISOString()).toBe('2025-06-03T06:15:00.000Z');
    expect(first!.summary).toMatch(/^Troisième valise égarée cette année à l’aéroport de Genève : une famille/);
    expect(first!.content).toContain('Cinq jours sans nouvelles\n\nLe vol AF1234');
    expect(first!.content).not.toContain('dataLayer');
    expect(f.items[3]!.published).toBeUndefined();
  });

  it('reads RSS 1.0 (RDF) with dc:date and items beside the channel', () => {
    const f = read('gazette.rdf');
    expect(f).toMatchObject({ format: 'rss1', title: 'La Gazette romande – Économie', lang: 'fr' });
    expect(f.items.map((i) => i.title)).toEqual([
      'Retards en série chez AirSocial à Cointrin',
      "L'horlogerie exporte moins vers l'Asie",
    ]);
    expect(f.items[0]!.published?.toISOString()).toBe('2025-06-02T16:40:00.000Z');
    expect(f.items[0]!.id).toBe('https://gazette-romande.example/economie/2025/06/02/retards-airsocial-cointrin');
  });

  it('reads Atom: xml:base, html and xhtml text, threading (RFC 4685)', () => {
    const f = read('voyages.atom');
    expect(f).toMatchObject({ format: 'atom', lang: 'fr', site: 'https://voyages-leman.example/' });
    const [comment, post] = f.items;
    expect(comment).toMatchObject({
      title: 'Commentaire de Marc sur « AirSocial perd encore des bagages à Genève »',
      link: 'https://voyages-leman.example/2025/06/airsocial-bagages-geneve/#comment-4411',
      content: 'Même chose pour moi : AirSocial a laissé mes bagages à Zurich deux fois ce printemps.',
      author: 'Marc Rochat',
      inReplyTo: 'https://voyages-leman.example/2025/06/airsocial-bagages-geneve/',
    });
    expect(post!.summary).toBe('Troisième valise égarée cette année à l’aéroport de Genève.');
    expect(post!.published?.toISOString()).toBe('2025-06-03T06:15:00.000Z');
  });

  it('reads JSON Feed 1.1 with item languages, summaries and authors', () => {
    const f = read('reiseblog.json');
    expect(f).toMatchObject({ format: 'json', title: 'Unterwegs – Reiseblog', lang: 'de' });
    expect(f.items.map((i) => [i.lang, i.author])).toEqual([
      ['de', 'Nina Keller'],
      ['fr', 'Nina Keller'],
      [undefined, 'Nina Keller'],
    ]);
    expect(f.items[0]!.content).toBe(
      'Schon wieder: unser Gepäck (bagages, wie man in Genf sagt) blieb bei AirSocial hängen.',
    );
    expect(f.items[1]!.summary).toMatch(/^Version française : nos bagages/);
  });

  it('reads a Windows-1252 feed announced as ISO-8859-1, with an odd time zone name', () => {
    const f = read('chronique-latin1.rss', 'application/rss+xml; charset=ISO-8859-1');
    expect(f.items[0]!.title).toBe('Été chaotique : AirSocial et les bagages égarés');
    expect(f.items[0]!.summary).toBe(
      'À l’aéroport de Genève, « on ne compte plus les bagages égarés » chez AirSocial ; même les hôtesses sont désolées… Coût estimé : 12 500 €.',
    );
    expect(f.items[0]!.published?.toISOString()).toBe('2025-06-02T12:00:00.000Z');
    expect(f.items[0]!.link).toBe('http://aeroports-chronique.example/chronique.php?id=311&lang=fr');
  });

  it('keeps the text of broken HTML descriptions readable', () => {
    const f = read('forum-broken.rss');
    expect(f.title).toBe('Forum des voyageurs & expatriés');
    expect(f.items[0]!.title).toBe('AirSocial : retard de 5 h & aucune info sur les bagages');
    expect(f.items[0]!.summary).toBe(
      'Vol AirSocial GVA–NCE en retard 5 h\nAucun repas, prix du sandwich < 10 € quand même\n\nMes bagages ? Perdus. jb confirme ’la même chose’ &foo; Fin.',
    );
    // HTML left unescaped inside <description> is read as markup, not lost.
    expect(f.items[1]!.summary).toBe(
      'Ma valise est arrivée cassée — mes bagages étaient\ntrempés. AirSocial me propose un bon de 20 €.\n\nDéclaration faite\nPhotos envoyées',
    );
  });

  it('refuses what is not a complete feed', () => {
    expect(() => read('truncated.rss')).toThrow(FeedFormatError);
    expect(() => read('truncated.rss')).toThrow(/ends inside <rss>/);
    expect(() => parseFeed('<!DOCTYPE html><html><body>Oops</body></html>', 'https://x.example/')).toThrow(
      /not RSS, RDF or Atom/,
    );
    expect(() => parseFeed('{"items": [', 'https://x.example/')).toThrow(/invalid JSON/);
    expect(() => parseFeed('{"title": "x", "items": []}', 'https://x.example/')).toThrow(/JSON Feed "version"/);
    expect(() => parseFeed('', 'https://x.example/')).toThrow(/no XML document/);
  });

  it('never expands DOCTYPE entities, resolves undeclared and unusual prefixes, skips unsafe links', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
      <rss xmlns:c="http://purl.org/rss/1.0/modules/content/"><channel><title>T &c;</title>
      <item><title>One</title><link>javascript:alert(1)</link><c:encoded>&lt;p&gt;Body&lt;/p&gt;</c:encoded><dc:creator>Ann</dc:creator></item>
      </channel></rss>`;
    const f = parseFeed(lol, 'https://x.example/feed');
    expect(f.title).toBe('T &c;');
    expect(f.items[0]).toMatchObject({ title: 'One', content: 'Body', author: 'Ann' });
    expect(f.items[0]!.link).toBeUndefined();
  });

  it('reads unescaped HTML with unclosed line breaks and images', () => {
    const f = parseFeed(
      `<rss><channel><item><title>T</title><description>Un<br>deux <img src="x.png">trois<hr>quatre</description><link>https://x.example/1</link></item></channel></rss>`,
      'https://x.example/feed',
    );
    expect(f.items[0]).toMatchObject({ summary: 'Un\ndeux trois\n\nquatre', link: 'https://x.example/1' });
  });

  it('reads Atom 0.3 and RSS with a default namespace', () => {
    const atom03 = `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old</title>
      <entry><title>E</title><link rel="alternate" type="text/html" href="https://old.example/e"/><issued>2004-03-01T10:00:00+01:00</issued>
      <summary type="text/plain">AT&amp;T &lt;b&gt; stays text</summary></entry></feed>`;
    const f = parseFeed(atom03, 'https://old.example/atom');
    expect(f.items[0]).toMatchObject({ title: 'E', link: 'https://old.example/e', summary: 'AT&T <b> stays text' });
    expect(f.items[0]!.published?.toISOString()).toBe('2004-03-01T09:00:00.000Z');
    const rss = parseFeed(
      `<rss version="2.0" xmlns="http://backend.userland.com/rss2"><channel><title>N</title><item><title>I</title><link>https://n.example/i</link></item></channel></rss>`,
      'https://n.example/rss',
    );
    expect(rss).toMatchObject({ title: 'N', items: [{ title: 'I', link: 'https://n.example/i' }] });
  });
});
