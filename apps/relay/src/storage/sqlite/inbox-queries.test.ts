import { describe, expect, it } from 'vitest';
import { ftsQuery } from './inbox-queries.ts';

describe('ftsQuery', () => {
  it('quotes every word and makes the last one a prefix', () => {
    expect(ftsQuery('refund order')).toBe('"refund" "order"*');
    expect(ftsQuery('  Café   crème ')).toBe('"Café" "crème"*');
    expect(ftsQuery('user_42')).toBe('"user_42"*');
  });

  it('keeps only letters, digits and underscores: FTS5 syntax cannot get through', () => {
    expect(ftsQuery('"refund')).toBe('"refund"*');
    expect(ftsQuery('refund* AND "order" OR name:vera NEAR(x y) -z ^w')).toBe(
      '"refund" "AND" "order" "OR" "name" "vera" "NEAR" "x" "y" "z" "w"*',
    );
    for (const nothing of ['', '   ', '"', '*', '""', '()', ':', '-^+']) expect(ftsQuery(nothing)).toBeNull();
  });

  it('uses at most 12 words', () => {
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`);
    const query = ftsQuery(words.join(' '))!;
    expect(query.split(' ')).toHaveLength(12);
    expect(query.endsWith('"w11"*')).toBe(true);
  });
});
