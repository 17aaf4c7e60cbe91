import { createClientCore } from './core.ts';
import { timeOrderedId } from './ids.ts';
import type { ClientOptions, VisitorClient } from './types.ts';

/** A visitor client's options: as `createParleyClient`'s, but the frame check is the caller's to give. */
export type VisitorClientOptions = ClientOptions & { parseFrame: NonNullable<ClientOptions['parseFrame']> };

/**
 * `createParleyClient` for bundles that only ever speak for a visitor (the widget): the same
 * connection, outbox, resume and requests, without the agent's `update`, `presence` and
 * `viewing`, without the protocol's schemas (the caller passes `parseFrame`, see its doc) and
 * with ids from `timeOrderedId` (ids.ts). Every byte here is on the widget's budget.
 *
 * @example
 * const client = createVisitorClient({ url, hello: () => ({ role: 'visitor', siteKey }), parseFrame });
 * client.connect();
 */
export function createVisitorClient(options: VisitorClientOptions): VisitorClient {
  return createClientCore(options, { createId: timeOrderedId }).client;
}

