import { describe, expect, it } from 'vitest';
import { ConversationSummary, parsePayload } from '@parley/protocol';
import type { ConversationRecord } from './store.ts';
import { toSummary } from './summary.ts';

const record: ConversationRecord = {
  id: 'conv_1',
  workspaceId: 'ws_1',
  siteId: 'site_1',
  status: 'snoozed',
  priority: 'high',
  assigneeId: 'agent_1',
  teamId: 'team_1',
  labelIds: ['label_1', 'label_2'],
  snoozedUntil: 1_700_000_900_000,
  contact: { id: 'contact_1', name: 'Ann', email: 'ann@example.test', externalId: 'u-1' },
  lastSeq: 7,
  lastMessage: { seq: 7, kind: 'text', authorKind: 'agent', text: 'Hello', createdAt: 1_700_000_500_000 },
  waitingSince: 1_700_000_100_000,
  agentReadSeq: 6,
  visitorReadSeq: 5,
  createdAt: 1_700_000_000_000,
  updatedAt: 1_700_000_500_000,
  firstResponseAt: 1_700_000_200_000,
  resolvedAt: 1_700_000_300_000,
};

describe('toSummary', () => {
  it('is the record without the relay-only workspace id, every other field kept', () => {
    const { workspaceId: _workspaceId, ...expected } = record;
    expect(toSummary(record)).toEqual(expected);
  });

  it('has exactly the fields of the protocol’s summary', () => {
    expect(Object.keys(toSummary(record)).sort()).toEqual(Object.keys(ConversationSummary.entries).sort());
    expect(parsePayload(ConversationSummary, toSummary(record))).toEqual({ ok: true, value: toSummary(record) });
  });
});
