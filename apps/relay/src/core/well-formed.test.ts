import { describe, expect, it } from 'vitest';
import { cutWithoutSplitting, wellFormed } from './well-formed.ts';

describe('cutWithoutSplitting', () => {
  it('keeps text that fits, and cuts longer text at the limit', () => {
    expect(cutWithoutSplitting('hello', 5)).toBe('hello');
    expect(cutWithoutSplitting('hello', 10)).toBe('hello');
    expect(cutWithoutSplitting('hello world', 5)).toBe('hello');
  });

  it('cuts before a character the limit would split, and keeps one that ends at the limit', () => {
    expect(cutWithoutSplitting('ab😀cd', 3)).toBe('ab');
    expect(cutWithoutSplitting('ab😀cd', 4)).toBe('ab😀');
    expect(cutWithoutSplitting('😀😀', 1)).toBe('');
  });

  it('never leaves a lone surrogate, wherever the limit falls', () => {
    const text = 'a😀bc🇵🇹d𝄞e, 你好 👩🏽‍💻!';
    for (let max = 0; max <= text.length + 1; max++) {
      const cut = cutWithoutSplitting(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(text.startsWith(cut)).toBe(true);
      expect(wellFormed(cut)).toBe(cut);
      expect(max - cut.length).toBeLessThanOrEqual(1);
    }
  });
});
