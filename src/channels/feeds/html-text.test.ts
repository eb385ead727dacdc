import { describe, expect, it } from 'vitest';
import { excerpt, htmlToText } from './html-text.ts';

describe('HTML to text', () => {
  it('keeps paragraphs and lines, drops scripts, styles and comments, decodes entities once', () => {
    expect(
      htmlToText(
        '<h2>Titre</h2><p>Un&nbsp;paragraphe<br>sur deux lignes</p><!-- x --><ul><li>a</li><li>b</li></ul><script>var x = "<p>";</script><style>p{}</style><p>&amp;lt;b&amp;gt; AT&amp;T</p>',
      ),
    ).toBe('Titre\n\nUn paragraphe\nsur deux lignes\n\na\nb\n\n&lt;b&gt; AT&T');
  });

  it('never lets broken markup swallow the text after it', () => {
    expect(htmlToText('<p class="x>Texte visible</p>')).toBe('Texte visible');
    expect(htmlToText('prix < 10 € et 3<4')).toBe('prix < 10 € et 3<4');
    expect(htmlToText('<b>gras <i>italique</p> suite')).toBe('gras italique\n\nsuite');
    expect(htmlToText('<a href="https://x.example/a>lien</a> après')).toBe('lien après');
    expect(htmlToText('avant <img src="x.png" alt="image" après')).toBe('avant');
    // An unclosed script keeps its text: showing too much beats losing the rest of an article.
    expect(htmlToText('<script>never closed')).toBe('never closed');
    expect(htmlToText('<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>')).toBe('a b\nc');
  });

  it('cuts excerpts at a word boundary', () => {
    expect(excerpt('court', 10)).toBe('court');
    expect(excerpt('Un texte beaucoup trop long pour tenir ici', 20)).toBe('Un texte beaucoup…');
    expect(excerpt('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
