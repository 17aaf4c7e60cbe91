/**
 * Ids for the client's sends and requests: the time in milliseconds as 9 base-36 characters
 * (sortable as text until the year 5188), then 96 random bits as three decimal numbers, joined by
 * `-`: at most 42 characters of `[0-9a-z-]`, inside the protocol's id pattern.
 *
 * Time first, because the relay keeps one row per (clientId, conversation) in an index that
 * starts with the client id: ids that grow with time land on its last page, which the messages of
 * one commit share, instead of on a random page each (docs/performance.md). `getRandomValues`
 * works on plain-http pages too (`randomUUID` does not). Small on purpose: it ships in the widget.
 */
export function timeOrderedId(now: number = Date.now()): string {
  return `${Math.max(0, Math.floor(now)).toString(36).padStart(9, '0')}-${crypto.getRandomValues(new Uint32Array(3)).join('-')}`;
}
