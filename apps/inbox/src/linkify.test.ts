import { describe, expect, it } from 'vitest';
import { linkify } from './linkify.ts';

describe('linkify', () => {
  it('leaves text without URLs as one text segment', () => {
    expect(linkify('<b>hi</b> & bye')).toEqual([{ kind: 'text', text: '<b>hi</b> & bye' }]);
  });

  it('links http and https URLs, leaving trailing punctuation as text', () => {
    expect(linkify('Docs: https://parley.dev/docs, or http://x.io.')).toEqual([
      { kind: 'text', text: 'Docs: ' },
      { kind: 'link', text: 'https://parley.dev/docs', href: 'https://parley.dev/docs' },
      { kind: 'text', text: ', or ' },
      { kind: 'link', text: 'http://x.io', href: 'http://x.io/' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,hi', 'ftp://x.io', 'mailto:a@b.c']) {
      expect(linkify(text)).toEqual([{ kind: 'text', text }]);
    }
  });

  it('stops a URL at quotes and angle brackets', () => {
    const segments = linkify('<a href="https://evil.io/x">click</a>');
    expect(segments.filter((s) => s.kind === 'link')).toEqual([
      { kind: 'link', text: 'https://evil.io/x', href: 'https://evil.io/x' },
    ]);
    expect(segments.map((s) => s.text).join('')).toBe('<a href="https://evil.io/x">click</a>');
  });
});
