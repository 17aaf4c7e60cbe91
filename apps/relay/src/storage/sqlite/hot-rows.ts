import type { ContactBriefRow, PlainConversationRow } from './rows.ts';

/** A conversation as the message path needs it: its row and its labels, in the order they were added. */
export interface HotConversation {
  readonly row: PlainConversationRow;
  readonly labelIds: readonly string[];
}

/**
 * What every message reads besides what it writes — its conversation's row and labels and its
 * contact's name — kept between messages instead of read again: three statements of the seven a
 * visitor's message ran (docs/performance.md).
 *
 * SQLite stays the record; these are copies, and they are right because every write that changes
 * such a row passes through the store that owns this object, which replaces or drops the copy as
 * it writes (sqlite-store.ts). A batch that fails to commit drops them all, and so does a commit
 * by any other connection to the file (the next batch compares `PRAGMA data_version`).
 *
 * A message changes its conversation's row in place, after its statements succeeded (a copy is
 * kept until the conversation's next message, so it reaches V8's old generation, and a new row
 * per message there was garbage only a full GC collects); other writes store a new entry or drop
 * it. Readers copy what they return rather than hand a row out. The oldest go past `limit`, so
 * memory is bounded by the conversations active lately, not by the database. The limit must be
 * above the number of conversations active at once: visited in turn, more conversations than
 * the limit miss on every message (5,000 visitors with 4,096 entries did; docs/performance.md).
 * A conversation with its contact takes about 1.3 KB, so a full set is about 21 MB.
 */
export class HotRows {
  private readonly conversations = new Map<string, HotConversation>();
  private readonly contacts = new Map<string, ContactBriefRow>();
  private readonly limit: number;

  constructor(limit = 16384) {
    this.limit = limit;
  }

  conversation(id: string): HotConversation | undefined {
    return this.conversations.get(id);
  }

  keepConversation(entry: HotConversation): void {
    keep(this.conversations, entry.row.id, entry, this.limit);
  }

  dropConversation(id: string): void {
    this.conversations.delete(id);
  }

  contact(id: string): ContactBriefRow | undefined {
    return this.contacts.get(id);
  }

  keepContact(id: string, brief: ContactBriefRow): void {
    keep(this.contacts, id, brief, this.limit);
  }

  dropContact(id: string): void {
    this.contacts.delete(id);
  }

  clear(): void {
    this.conversations.clear();
    this.contacts.clear();
  }

  get size(): { conversations: number; contacts: number } {
    return { conversations: this.conversations.size, contacts: this.contacts.size };
  }
}

/** Sets `key` as the newest entry (a Map iterates in insertion order) and forgets the oldest past `limit`. */
function keep<V>(map: Map<string, V>, key: string, value: V, limit: number) {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value!);
}
