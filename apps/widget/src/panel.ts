import { createVisitorClient } from '@parley/client';
import { socketUrl } from './config.ts';
import { createApi, type Api, type EventName } from './api.ts';
import type { Host, MountPanel } from './host.ts';
import { browserLocale, matchLocale, loadLocale } from './i18n.ts';
import { createVisitorStorage } from './storage.ts';
import { createChat, type Chat } from './store/chat.ts';
import { css } from './styles.ts';
import { mountApp } from './ui/App.ts';
import { parseFrame } from './wire.ts';

/**
 * The panel chunk's entry (`dist/widget/panel-<hash>.js`), imported by the loader on the first
 * interaction or when the browser is idle: the chat store, the client, and the panel and composer
 * in plain DOM; everything the visitor needs before they can type. What they may never need, or
 * not yet, is in chunks of its own: the thread with Preact (`ui/Thread.tsx`, imported here at
 * once), `identify`'s checks, the sound, the email form (`ui/Panel.ts`), other locales (`i18n.ts`).
 */
export const mount: MountPanel = (host, queue) => {
  const { siteKey } = host;
  const url = socketUrl(import.meta.url);
  let api: Api | undefined;
  const emit = (event: EventName, value?: unknown) => api?.emit(event, value);
  const chat = createChat({
    siteKey,
    storage: createVisitorStorage(siteKey),
    session: createVisitorStorage(siteKey, () => sessionStorage),
    createClient: (hello) => createVisitorClient({ url, hello, parseFrame }),
    context: () => ({ page: pageInfo(), locale: chat.store.get().locale }),
    emit,
    beep: () => sound?.beep(),
  });
  const ready = createApi(panelCommands(chat, emit));
  api = ready;

  host.adopt(css);
  renderInto(host, chat, import('./ui/Thread.tsx'));
  // The browser's language unless the page already chose one (`setLocale` in the queue wins, being later).
  setLocale(chat, browserLocale());
  for (const args of queue) ready.call(args);
  // After a queued `identify` has taken effect, so a returning visitor's first hello carries it.
  ready.after(() => {
    chat.start();
    ready.emit('ready');
  });
  return ready.call;
};

type ThreadChunk = typeof import('./ui/Thread.tsx');

/**
 * Mounts the panel into the loader's shadow root, and the thread into it once `thread` is in (a
 * module rather than a promise, as tests pass it, renders it at once). Returns the unmount.
 */
export function renderInto(host: Host, chat: Chat, thread: ThreadChunk | Promise<ThreadChunk>): () => void {
  // The unread count on the launcher, for the eyes only (the launcher's name says it too).
  const badge = host.root.ownerDocument.createElement('span');
  badge.className = 'pw-badge';
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  host.launcher.append(badge);
  // Keys typed into the widget stop at its root, so the host page's shortcuts do not fire while the visitor writes.
  for (const type of ['keydown', 'keyup', 'keypress']) host.root.addEventListener(type, (event) => event.stopPropagation());
  const app = mountApp(chat, host, badge);
  let unmountThread: (() => void) | undefined;
  let gone = false;
  const start = (module: ThreadChunk) => {
    if (!gone) unmountThread = module.renderThread(app.log, chat);
  };
  if (thread instanceof Promise) thread.then(start, (error: unknown) => console.error('[Parley] The thread could not load.', error));
  else start(thread);
  return () => {
    gone = true;
    app.dispose();
    unmountThread?.();
  };
}

export function panelCommands(chat: Chat, emit: (event: EventName, value?: unknown) => void) {
  return {
    open: chat.open,
    close: chat.close,
    toggle: chat.toggle,
    show: () => chat.store.set({ visible: true }),
    hide: () => chat.store.set({ visible: false }),
    // A promise: the API holds later calls until it settles (see api.ts).
    async identify(raw: unknown) {
      const identity = (await import('./identity.ts')).readIdentity(raw);
      if (typeof identity === 'string') {
        console.warn(`[Parley] identify: ${identity}`);
        emit('error', { code: 'INVALID_IDENTITY', message: identity });
      } else chat.identify(identity);
    },
    setLocale(tag: unknown) {
      const locale = matchLocale(tag);
      if (locale) setLocale(chat, locale);
      else console.warn(`[Parley] setLocale: "${String(tag)}" is not supported; try en, de, fr, es, pt or ar.`);
    },
    set(settings: unknown) {
      if (settings && typeof settings === 'object' && 'sound' in settings) {
        chat.setSound(settings.sound === true);
        if (settings.sound === true) import('./ui/beep.ts').then((module) => (sound = module), () => {});
      }
    },
    shutdown: chat.shutdown,
  };
}

/** The chime's chunk, once `Parley('set', { sound: true })` asked for it. */
let sound: typeof import('./ui/beep.ts') | undefined;

let localeRequest = 0;
function setLocale(chat: Chat, locale: Parameters<typeof loadLocale>[0]): void {
  // Only the last request wins, however the chunks' downloads race.
  const request = ++localeRequest;
  loadLocale(locale).then(
    () => request === localeRequest && chat.store.set({ locale }),
    (error: unknown) => console.error(`[Parley] The "${locale}" strings could not load.`, error),
  );
}

/** What the agent sees of where the visitor is; clipped to the protocol's limits, or the relay refuses the hello. */
function pageInfo() {
  const page: { url: string; title?: string; referrer?: string } = { url: location.href.slice(0, 2048) };
  if (document.title) page.title = document.title.slice(0, 500);
  if (document.referrer) page.referrer = document.referrer.slice(0, 2048);
  return page;
}
