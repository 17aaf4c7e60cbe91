import { afterEach, describe, expect, it } from 'vitest';
import { mountShadow } from './mount.ts';

afterEach(() => {
  for (const el of document.querySelectorAll('parley-widget')) el.remove();
});

describe('mountShadow', () => {
  it('renders into an open shadow root at the end of body, outside the light DOM', () => {
    const root = mountShadow(document, '.x{color:red}');
    const host = document.body.lastElementChild as HTMLElement;
    expect(host.tagName).toBe('PARLEY-WIDGET');
    expect(host.shadowRoot).not.toBeNull();
    expect(root.getRootNode()).toBe(host.shadowRoot);
    expect(document.body.contains(root)).toBe(false);
  });
});
