import { describe, expect, it } from 'vitest';
import { contactName, firstCharacter, formatDuration, initials, waitingLabel } from './format.ts';

describe('contactName', () => {
  it('prefers the name, then the email, then a short visitor id', () => {
    expect(contactName({ id: 'abcdefgh', name: 'Grace', email: 'g@x.io', externalId: null })).toBe('Grace');
    expect(contactName({ id: 'abcdefgh', name: '  ', email: 'g@x.io', externalId: null })).toBe('g@x.io');
    expect(contactName({ id: 'abcdefgh', name: null, email: null, externalId: null })).toBe('Visitor abcdef');
  });
});

describe('waitingLabel', () => {
  it('says how long the visitor has waited, in the largest whole unit', () => {
    const now = 10 * 86_400_000;
    expect(waitingLabel(null, now)).toBeNull();
    expect(waitingLabel(now - 30_000, now)).toBe('waiting <1 min');
    expect(waitingLabel(now - 3 * 60_000 - 59_000, now)).toBe('waiting 3 min');
    expect(waitingLabel(now - 2 * 3_600_000, now)).toBe('waiting 2 h');
    expect(waitingLabel(now - 3 * 86_400_000, now)).toBe('waiting 3 d');
    // A visitor clock ahead of ours never shows a negative wait.
    expect(formatDuration(-5)).toBe('<1 min');
  });
});

describe('avatar letters', () => {
  it('take whole characters, not halves of an emoji or a letter outside the BMP', () => {
    expect(firstCharacter('dana')).toBe('D');
    expect(firstCharacter('  émile')).toBe('É');
    expect(firstCharacter('😀 Dana')).toBe('😀');
    expect(firstCharacter('𝓐lice')).toBe('𝓐');
    expect(firstCharacter('')).toBe('');
  });

  it('initials: first and last word, "?" without a name', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('ada')).toBe('A');
    expect(initials('  Grace  Brewster Hopper ')).toBe('GH');
    expect(initials('🦄 Unicorn Team')).toBe('🦄T');
    expect(initials('   ')).toBe('?');
  });
});
