import { nanoid } from 'nanoid';

/** Row ids: 21 URL-safe characters, as the protocol's `Id` accepts. */
export const newId = (): string => nanoid();

// Sorts as its characters' byte values do, so that a later id compares greater as text.
const SORTABLE = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/**
 * Ids for rows written in time order (messages): 8 characters of milliseconds, sortable until the
 * year 10889, then 13 random ones (78 bits). The same alphabet and length as `newId`. A random
 * primary key puts every new row's index entry on a random page of the index, and with the WAL each
 * such page is another 4 KB written per message; time-ordered keys land on the last page, which the
 * messages of one commit share (docs/performance.md). A message's id tells no more than its
 * `createdAt`.
 */
let prefixOf = Number.NaN;
let lastPrefix = '';
export const newTimeOrderedId = (now: number): string => {
  // The messages of one commit share their millisecond: its prefix is spelled once.
  if (now !== prefixOf) {
    let prefix = '';
    for (let i = 0, rest = Math.max(0, Math.floor(now)); i < 8; i++, rest = Math.floor(rest / 64)) prefix = SORTABLE[rest % 64]! + prefix;
    prefixOf = now;
    lastPrefix = prefix;
  }
  return lastPrefix + nanoid(13);
};
