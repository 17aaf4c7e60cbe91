import type { ConversationSummary } from '@parley/protocol';
import type { ConversationRecord } from './store.ts';

/**
 * A record as the wire carries it: without the relay-only fields. Field by field, not
 * `{ workspaceId, ...summary }`: a rest copy goes through V8's slow generic path and builds a
 * bigger object, on every message an agent is told of. The return type keeps the list complete.
 */
export function toSummary(r: ConversationRecord): ConversationSummary {
  return {
    id: r.id,
    siteId: r.siteId,
    status: r.status,
    priority: r.priority,
    assigneeId: r.assigneeId,
    teamId: r.teamId,
    labelIds: r.labelIds,
    snoozedUntil: r.snoozedUntil,
    contact: r.contact,
    lastSeq: r.lastSeq,
    lastMessage: r.lastMessage,
    waitingSince: r.waitingSince,
    agentReadSeq: r.agentReadSeq,
    visitorReadSeq: r.visitorReadSeq,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    firstResponseAt: r.firstResponseAt,
    resolvedAt: r.resolvedAt,
  };
}
