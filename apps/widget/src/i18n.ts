/**
 * Every string the visitor sees or hears, in one object per locale. Placeholders are
 * `{name}`, filled by `t()`, so a locale stays plain data that can later be loaded as JSON
 * (issue 3: other locales on demand).
 */
export const en = {
  openChat: 'Open chat',
  openChatUnread: 'Open chat, {count} unread',
  closeChat: 'Close chat',
  minimize: 'Minimize chat',
  chat: 'Chat',
  messages: 'Messages',
  message: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
  sending: 'Sending…',
  sent: 'Sent',
  seen: 'Seen',
  failed: 'Failed',
  retry: 'Retry',
  you: 'You',
  typing: '{name} is typing…',
  someone: 'Someone',
  reconnecting: 'Reconnecting…',
} as const;

export type Strings = { readonly [K in keyof typeof en]: string };
export type StringKey = keyof Strings;

const strings: Strings = en;

/** The current locale's string for `key`, with `{placeholders}` filled from `vars`. */
export function t(key: StringKey, vars?: Readonly<Record<string, string | number>>): string {
  const text = strings[key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}

