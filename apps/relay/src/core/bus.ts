import type { ServerFrame } from '@parley/protocol';

/**
 * The fan-out seam. The database is the record; the bus only tells connections that something
 * happened. In-process by default (fanout/memory-bus.ts); a Redis bus implements the same
 * contract so that several relays share one stream of events.
 */
export interface Bus {
  publish(topic: string, event: BusEvent): Promise<void>;
  /**
   * Several events in this order, as one call: what one committed message causes (its frame to the
   * agents and to the visitor, the conversation's summary). Nothing is yielded between them, so
   * events of messages committed together keep commit order; a networked bus sends them in one
   * round trip.
   */
  publishAll(events: ReadonlyArray<readonly [topic: string, event: BusEvent]>): Promise<void>;
  /** Resolves once the subscription is live; the returned function ends it. */
  subscribe(topic: string, handler: (event: BusEvent) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface BusEvent {
  frame: ServerFrame;
  /** The connection that caused it, so that it is not echoed back (typing, read marks). */
  origin?: string;
  /** `disconnect`: every connection receiving it sends the frame and closes (a deactivated agent). */
  control?: 'disconnect';
}

/** Topic names in one place, so that publishers and subscribers cannot drift apart. */
export const topics = {
  /** Everything agents of a workspace see: all messages (notes included), summaries, typing, reads. */
  workspace: (workspaceId: string) => `workspace:${workspaceId}`,
  /** What one visitor sees: their conversations' messages (never notes), agent typing, agent reads. */
  contact: (contactId: string) => `contact:${contactId}`,
  /** What one agent alone receives: mentions, assignments, being signed out. */
  agent: (agentId: string) => `agent:${agentId}`,
  /** The sockets of one agent session: signing out closes them. */
  session: (sessionId: string) => `session:${sessionId}`,
  /** What every visitor of a workspace's sites hears: whether the team is reachable. */
  availability: (workspaceId: string) => `availability:${workspaceId}`,
};
