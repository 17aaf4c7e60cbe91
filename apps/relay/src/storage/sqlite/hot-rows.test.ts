import { describe, expect, it } from 'vitest';
import { HotRows } from './hot-rows.ts';
import type { PlainConversationRow } from './rows.ts';

const row = (id: string, lastSeq = 1) => ({ id, last_seq: lastSeq }) as PlainConversationRow;
const brief = (name: string) => ({ name, email: null, external_id: null });

describe('HotRows', () => {
  it('keeps the conversations written or read most lately, and forgets the oldest past its limit', () => {
    const hot = new HotRows(2);
    hot.keepConversation({ row: row('a'), labelIds: [] });
    hot.keepConversation({ row: row('b'), labelIds: [] });
    // A message in `a` makes it the newest again: `b` is now the oldest.
    hot.keepConversation({ row: row('a', 2), labelIds: ['l1'] });
    hot.keepConversation({ row: row('c'), labelIds: [] });
    expect(hot.conversation('b')).toBeUndefined();
    expect(hot.conversation('a')).toEqual({ row: row('a', 2), labelIds: ['l1'] });
    expect(hot.conversation('c')?.row.id).toBe('c');
    expect(hot.size).toEqual({ conversations: 2, contacts: 0 });
  });

  it('drops one conversation or contact, or everything', () => {
    const hot = new HotRows();
    hot.keepConversation({ row: row('a'), labelIds: [] });
    hot.keepConversation({ row: row('b'), labelIds: [] });
    hot.keepContact('k1', brief('Ann'));
    hot.keepContact('k2', brief('Bo'));
    hot.dropConversation('a');
    hot.dropContact('k1');
    expect(hot.conversation('a')).toBeUndefined();
    expect(hot.contact('k1')).toBeUndefined();
    expect(hot.contact('k2')).toEqual(brief('Bo'));
    hot.clear();
    expect(hot.size).toEqual({ conversations: 0, contacts: 0 });
  });

  it('bounds contacts by the same limit', () => {
    const hot = new HotRows(3);
    for (let i = 0; i < 10; i++) hot.keepContact(`k${i}`, brief(`n${i}`));
    expect(hot.size.contacts).toBe(3);
    expect(hot.contact('k9')).toEqual(brief('n9'));
    expect(hot.contact('k6')).toBeUndefined();
  });
});
