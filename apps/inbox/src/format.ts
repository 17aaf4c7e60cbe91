import type { Contact, ConversationStatus, Priority } from '@parley/protocol';

/** What the inbox calls a contact: their name, else their email, else "Visitor" and a short id. */
export function contactName(contact: Contact): string {
  const name = contact.name?.trim();
  if (name) return name;
  const email = contact.email?.trim();
  if (email) return email;
  return `Visitor ${contact.id.slice(0, 6)}`;
}

/**
 * The first character of `text` as people see it (a code point, so "😀 Dana" gives the emoji,
 * not half of it), upper-cased, for avatars.
 */
export function firstCharacter(text: string): string {
  const code = text.trimStart().codePointAt(0);
  return code === undefined ? '' : String.fromCodePoint(code).toUpperCase();
}

/** Up to two initials, first and last word's, for the agent's own avatar; "?" for no name. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (firstCharacter(parts[0] ?? '') + (parts.length > 1 ? firstCharacter(parts.at(-1) ?? '') : '')) || '?';
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A short duration for the queue: "<1 min", "3 min", "2 h", "4 d". */
export function formatDuration(ms: number): string {
  if (ms < MINUTE) return '<1 min';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.floor(ms / DAY)} d`;
}

/** "waiting 3 min" while the visitor waits for a reply; null once an agent has answered. */
export function waitingLabel(waitingSince: number | null, now: number): string | null {
  if (waitingSince === null) return null;
  return `waiting ${formatDuration(Math.max(0, now - waitingSince))}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** The time of a message: just the clock today, the date too before that. */
export function formatMessageTime(at: number, now: number): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return (sameDay ? timeFormat : dateTimeFormat).format(at);
}

export const STATUS_LABEL: Record<ConversationStatus, string> = {
  open: 'Open',
  pending: 'Pending',
  snoozed: 'Snoozed',
  resolved: 'Resolved',
};

export const PRIORITY_LABEL: Record<Priority, string> = {
  none: 'No priority',
  low: 'Low priority',
  medium: 'Medium priority',
  high: 'High priority',
  urgent: 'Urgent',
};
