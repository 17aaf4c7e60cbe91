import { vi } from 'vitest';
import type { ConversationSummary, MeResponse, Message } from '@parley/protocol';
import { render, screen } from '@testing-library/preact';
import { createApi } from '../api.ts';
import { createInbox, type InboxDeps } from '../store/inbox.ts';
import { App } from '../ui/App.tsx';
import { createFakeClient } from './fake-client.ts';
import { createFakeFetch, type FakeReply, type FakeRequest } from './fake-fetch.ts';
import { ME } from './fixtures.ts';

export interface Scenario {
  /** The session on load; `null` shows the sign-in screen. */
  me?: MeResponse | null;
  conversations?: ConversationSummary[];
  messages?: Record<string, Message[]>;
  /** Answers before the defaults, for requests a test wants to shape itself. */
  route?: (request: FakeRequest) => FakeReply | undefined;
}

/** Renders the whole app against a fake relay (REST stubs and a fake client). */
export function renderInbox(scenario: Scenario = {}) {
  const me = scenario.me === undefined ? ME : scenario.me;
  const fake = createFakeClient();
  const fetch = createFakeFetch((request) => {
    const custom = scenario.route?.(request);
    if (custom) return custom;
    const { pathname, searchParams } = new URL(request.url, 'http://inbox.test');
    if (pathname === '/api/v1/me') {
      return me ? { status: 200, body: me } : { status: 401, body: { error: { code: 'NOT_AUTHENTICATED', message: 'Not signed in' } } };
    }
    if (pathname === '/api/v1/conversations') {
      const status = searchParams.get('status') ?? 'all';
      const list = (scenario.conversations ?? []).filter((c) => status === 'all' || c.status === status);
      return { status: 200, body: { conversations: list } };
    }
    const thread = /^\/api\/v1\/conversations\/([\w-]+)\/messages$/.exec(pathname);
    if (thread) return { status: 200, body: { messages: scenario.messages?.[thread[1]!] ?? [], hasMore: false } };
    if (pathname === '/api/v1/auth/logout') return { status: 204 };
    return undefined;
  });
  const createClient = vi.fn<InboxDeps['createClient']>(() => fake.client);
  const inbox = createInbox({ api: createApi({ fetch }), createClient, socketUrl: 'ws://inbox.test/ws/agent' });
  const result = render(<App inbox={inbox} />);
  return { ...result, inbox, fake, fetch, createClient, screen };
}
