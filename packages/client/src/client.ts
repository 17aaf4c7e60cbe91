import { parseServerFrame, type AgentStatus, type ServerFrame } from '@parley/protocol';
import { timeOrderedId } from './ids.ts';
import { createClientCore, isOk } from './core.ts';
import type { ClientOptions, ParleyClient } from './types.ts';

/**
 * Creates a client for one relay endpoint. It does nothing until `connect()`, then keeps a
 * connection up (backoff, connect timeout, heartbeat) until `close()`. Agents and visitors alike;
 * a bundle that only ever speaks for a visitor can take `createVisitorClient` (`./visitor.ts`).
 *
 * @example
 * const client = createParleyClient({
 *   url: 'wss://chat.example.com/ws/visitor',
 *   hello: () => ({ role: 'visitor', siteKey: 'site_1', visitorToken: localStorage.token }),
 * });
 * client.on('message', (message) => render(message));
 * client.connect();
 * await client.send({ text: 'Hello!' }).ack;
 */
export function createParleyClient(options: ClientOptions): ParleyClient {
  let presenceStatus: AgentStatus | undefined;
  let viewingConversation: string | null = null;
  const core = createClientCore(
    { ...options, parseFrame: options.parseFrame ?? parseWithSchema },
    {
      createId: timeOrderedId,
      // Presence and what is on screen belong to a connection on the relay: say them again.
      onWelcome() {
        if (presenceStatus !== undefined) core.write({ type: 'presence', status: presenceStatus });
        if (viewingConversation !== null) core.write({ type: 'viewing', conversationId: viewingConversation });
      },
    },
  );
  const { client } = core;
  // Added to the core's object rather than spread into a new one: `status` is a getter.
  return Object.assign(client, {
    async update(conversationId, patch) {
      await core.request({ type: 'update', requestId: timeOrderedId(), conversationId, ...patch }, isOk);
    },
    presence(next) {
      presenceStatus = next;
      if (client.status === 'open') core.write({ type: 'presence', status: next });
    },
    viewing(conversationId) {
      viewingConversation = conversationId;
      if (client.status === 'open') core.write({ type: 'viewing', conversationId });
    },
  } satisfies Omit<ParleyClient, keyof typeof client>);
}

/** The default `parseFrame`: the protocol's full schema check. */
function parseWithSchema(data: string): ServerFrame | undefined {
  const parsed = parseServerFrame(data);
  return parsed.ok ? parsed.value : undefined;
}
