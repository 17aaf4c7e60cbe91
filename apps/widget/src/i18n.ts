/**
 * Every string the visitor sees or hears. English is built into the panel; the other locales are
 * chunks of their own (`dist/widget/locale-<xx>-<hash>.js`), loaded only for visitors who need
 * them. Placeholders are `{name}`, filled by `t()`.
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
  online: 'Online',
  away: 'Away',
  offlineTitle: 'Leave a message',
  offlineText: 'We are away right now. Leave your email and a message, and we will get back to you by email.',
  prechatText: 'Before we start: what is your email, so we can get back to you?',
  email: 'Email',
  emailInvalid: 'Please enter a valid email address.',
  continue: 'Continue',
  skip: 'Skip',
  replyTo: 'We will reply to {email}.',
} as const;

export type Strings = { readonly [K in keyof typeof en]: string };
export type StringKey = keyof Strings;

export const LOCALES = ['en', 'de', 'fr', 'es', 'pt', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

/** Right-to-left locales: the panel gets `dir="rtl"`. */
export const isRtl = (locale: Locale): boolean => locale === 'ar';

const chunks: Record<Exclude<Locale, 'en'>, () => Promise<{ default: Strings }>> = {
  de: () => import('./locales/de.ts'),
  fr: () => import('./locales/fr.ts'),
  es: () => import('./locales/es.ts'),
  pt: () => import('./locales/pt.ts'),
  ar: () => import('./locales/ar.ts'),
};

let strings: Strings = en;

/** The supported locale for a BCP 47 tag (`pt-BR` → `pt`), or undefined. */
export function matchLocale(tag: unknown): Locale | undefined {
  if (typeof tag !== 'string') return undefined;
  const base = tag.toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((locale) => locale === base);
}

/** The visitor's browser languages, in order of preference, matched against ours; English if none. */
export function browserLocale(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  for (const tag of languages) {
    const locale = matchLocale(tag);
    if (locale) return locale;
  }
  return 'en';
}

/** Makes `locale` current, loading its chunk if needed. Rejects if the chunk cannot load (English stays). */
export async function loadLocale(locale: Locale): Promise<void> {
  strings = locale === 'en' ? en : (await chunks[locale]()).default;
}

/** The current locale's string for `key`, with `{placeholders}` filled from `vars`. */
export function t(key: StringKey, vars?: Readonly<Record<string, string | number>>): string {
  const text = strings[key] ?? en[key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}
