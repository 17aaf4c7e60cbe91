import { act } from '@testing-library/preact';
import { createHost } from '../loader/mount.ts';
import { panelCommands, renderInto } from '../panel.ts';
import { createApi } from '../api.ts';
import { loadLocale } from '../i18n.ts';
import { createMemoryStorage } from '../storage.ts';
import { createChat, type ChatEvents } from '../store/chat.ts';
import * as thread from '../ui/Thread.tsx';
import { createFakeClient, type FakeClient } from './fake-client.ts';

const unmounts: Array<() => void> = [];

/**
 * Renders the widget as the loader and the panel chunk do (the real launcher, the real commands),
 * into the light DOM so `screen` queries reach it, with in-memory storage and a fake client
 * created lazily, as the real one is.
 */
export function renderWidget(
  options: { token?: string; session?: ReturnType<typeof createMemoryStorage>; thread?: Promise<typeof thread> } = {},
) {
  const storage = createMemoryStorage();
  const session = options.session ?? createMemoryStorage();
  if (options.token) storage.set('token', options.token);
  const clients: FakeClient[] = [];
  const events: Array<[keyof ChatEvents | 'ready', unknown]> = [];
  const beeps: number[] = [];
  let api: ReturnType<typeof createApi> | undefined;
  const chat = createChat({
    siteKey: 'site_1',
    storage,
    session,
    createClient: (hello) => {
      const client = createFakeClient(hello);
      clients.push(client);
      return client;
    },
    emit: (event, value) => {
      events.push([event, value]);
      api?.emit(event, value);
    },
    beep: () => beeps.push(Date.now()),
  });
  api = createApi(panelCommands(chat, (event, value) => api?.emit(event, value)));
  const host = createHost(document, 'site_1', () => api?.call(['toggle']), () => {}, false);
  // The thread chunk passed as a module, not a promise: it renders at once, as in a panel that
  // opens after it arrived (`options.thread` holds it back instead). In `act`, so Preact's first
  // render of it is flushed.
  act(() => {
    unmounts.push(renderInto(host, chat, options.thread ?? thread));
    chat.start();
  });
  return {
    chat,
    host,
    storage,
    session,
    events,
    beeps,
    /** `Parley(...)` as the page calls it. */
    parley: (...args: unknown[]) => api?.call(args),
    /** The latest client the widget created; throws if it has not created one yet. */
    get client(): FakeClient {
      const client = clients.at(-1);
      if (!client) throw new Error('The widget has not created its client yet');
      return client;
    },
    clients,
    get hasClient() {
      return clients.length > 0;
    },
  };
}

/** Unmounts every widget a test rendered (testing-library's `cleanup` does not know them). */
export function cleanupWidgets(): void {
  // Strings are module state: a test that switched locale must not leave it switched.
  void loadLocale('en');
  for (const unmount of unmounts.splice(0)) unmount();
  for (const element of document.querySelectorAll('parley-widget')) element.remove();
}
