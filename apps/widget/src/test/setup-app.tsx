import { render } from '@testing-library/preact';
import { createMemoryStorage } from '../storage.ts';
import { createChat } from '../store/chat.ts';
import { App } from '../ui/App.tsx';
import { createFakeClient, type FakeClient } from './fake-client.ts';

/** Renders the widget with an in-memory storage and a fake client created lazily, as the real one is. */
export function renderWidget(options: { token?: string } = {}) {
  const storage = createMemoryStorage();
  if (options.token) storage.set('token', options.token);
  let client: FakeClient | undefined;
  const chat = createChat({
    siteKey: 'site_1',
    storage,
    createClient: (hello) => (client = createFakeClient(hello)),
  });
  const view = render(<App chat={chat} />);
  chat.start();
  return {
    ...view,
    chat,
    storage,
    /** The client the widget created; throws if it has not created one yet. */
    get client(): FakeClient {
      if (!client) throw new Error('The widget has not created its client yet');
      return client;
    },
    get hasClient() {
      return client !== undefined;
    },
  };
}
