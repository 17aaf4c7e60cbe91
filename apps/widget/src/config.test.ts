import { describe, expect, it } from 'vitest';
import { findScript, readConfig } from './config.ts';

function script(src: string, site?: string) {
  const el = document.createElement('script');
  // Not JavaScript, so the test DOM does not try to fetch it when attached.
  el.type = 'text/plain';
  el.src = src;
  if (site !== undefined) el.dataset['site'] = site;
  return el;
}

describe('readConfig', () => {
  it('derives the socket from the script URL: http→ws, https→wss, same host and prefix', () => {
    expect(readConfig(script('http://localhost:3000/widget.js', 'site_1'))).toEqual({
      siteKey: 'site_1',
      socketUrl: 'ws://localhost:3000/ws/visitor',
    });
    expect(readConfig(script('https://chat.example.com/parley/widget.js?v=2', 'abc'))).toEqual({
      siteKey: 'abc',
      socketUrl: 'wss://chat.example.com/parley/ws/visitor',
    });
  });

  it('needs data-site', () => {
    expect(readConfig(script('https://chat.example.com/widget.js'))).toBeUndefined();
    expect(readConfig(script('https://chat.example.com/widget.js', '  '))).toBeUndefined();
  });
});

describe('findScript', () => {
  it('prefers currentScript and falls back to the data-site selector', () => {
    const tag = script('https://chat.example.com/widget.js', 'site_1');
    document.body.append(tag);
    try {
      expect(findScript(document, tag)).toBe(tag);
      expect(findScript(document, null)).toBe(tag);
    } finally {
      tag.remove();
    }
  });
});
