import { describe, expect, it } from 'vitest';
import { linkify } from './linkify.ts';

describe('linkify', () => {
  it('returns plain text untouched', () => {
    expect(linkify('just words')).toEqual([{ text: 'just words' }]);
  });

  it('links http and https URLs and leaves sentence punctuation outside', () => {
    expect(linkify('See https://example.com/a?b=1, or http://x.org.')).toEqual([
      { text: 'See ' },
      { text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { text: ', or ' },
      { text: 'http://x.org', href: 'http://x.org/' },
      { text: '.' },
    ]);
  });

  it('keeps a parenthesis the URL itself opened', () => {
    expect(linkify('(https://en.wikipedia.org/wiki/Foo_(bar))')[1]).toEqual({
      text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
      href: 'https://en.wikipedia.org/wiki/Foo_(bar)',
    });
  });

  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:msgbox', 'xhttps://evil.test']) {
      expect(linkify(text).every((segment) => segment.href === undefined)).toBe(true);
    }
  });
});
