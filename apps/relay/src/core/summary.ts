import type { ConversationSummary } from '@parley/protocol';
import type { ConversationRecord } from './store.ts';

/** A record as the wire carries it: without the relay-only fields. */
export function toSummary(record: ConversationRecord): ConversationSummary {
  const { workspaceId: _workspaceId, ...summary } = record;
  return summary;
}
