import { createClientCore } from './core.ts';
import type { ClientOptions, VisitorClient } from './types.ts';

/** A visitor client's options: as `createParleyClient`'s, but the frame check is the caller's to give. */
export type VisitorClientOptions = ClientOptions & { parseFrame: NonNullable<ClientOptions['parseFrame']> };

/**
 * `createParleyClient` for bundles that only ever speak for a visitor (the widget): the same
 * connection, outbox, resume and requests, without the agent's `update`, `presence` and
 * `viewing`, without the protocol's schemas (the caller passes `parseFrame`, see its doc) and
 * with ids from `crypto.getRandomValues` instead of nanoid. Every byte here is on the widget's budget.
 *
 * @example
 * const client = createVisitorClient({ url, hello: () => ({ role: 'visitor', siteKey }), parseFrame });
 * client.connect();
 */
export function createVisitorClient(options: VisitorClientOptions): VisitorClient {
  return createClientCore(options, { createId: randomId }).client;
}

/**
 * 128 random bits as four decimal numbers joined by `-`: at most 43 characters of `[\d-]`, inside
 * the protocol's id pattern. `getRandomValues` works on plain-http pages too (`randomUUID` does not).
 */
export function randomId(): string {
  return crypto.getRandomValues(new Uint32Array(4)).join('-');
}
