import { withinBusinessHours } from './business-hours.ts';
import { agentSummaries } from './agents.ts';
import { topics } from './bus.ts';
import type { CoreDeps } from './deps.ts';

/**
 * Tells agents that the team's presence changed and, when "anyone online?" flipped, tells the
 * workspace's visitors too. Business hours are per site, so visitors' widgets combine the
 * workspace-wide agentsOnline with their own site's hours; this sends the hours of the
 * workspace's first site as a hint and the widget keeps its own hours from `welcome`.
 */
export async function announcePresence(deps: CoreDeps, workspaceId: string, wasOnline: boolean): Promise<void> {
  await deps.bus.publish(topics.workspace(workspaceId), {
    frame: { type: 'agents', agents: await agentSummaries(deps, workspaceId) },
  });
  const online = deps.presence.agentsOnline(workspaceId);
  if (online === wasOnline) return;
  const site = (await deps.store.listSites(workspaceId))[0];
  await deps.bus.publish(topics.availability(workspaceId), {
    frame: {
      type: 'availability',
      agentsOnline: online,
      withinBusinessHours: withinBusinessHours(site?.settings.businessHours ?? null, deps.now()),
    },
  });
}

/** Who has a conversation on screen, to every agent of the workspace (collision warnings). */
export async function announceViewers(deps: CoreDeps, workspaceId: string, conversationIds: readonly string[]): Promise<void> {
  await Promise.all(
    conversationIds.map((conversationId) =>
      deps.bus.publish(topics.workspace(workspaceId), {
        frame: { type: 'viewers', conversationId, agentIds: deps.presence.viewers(conversationId) },
      }),
    ),
  );
}
