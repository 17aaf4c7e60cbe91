import { topics } from './bus.ts';
import type { CoreDeps } from './deps.ts';
import { toSummary } from './summary.ts';

/**
 * Brings snoozed conversations back to the queue when their time comes. Polls rather than
 * keeping a timer per conversation: it survives restarts (the time is in the database) and,
 * with several relays, each may run it (a conversation already woken is not snoozed any more).
 */
export function startSnoozeScheduler(deps: CoreDeps, everyMs = 1000): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const id of await deps.store.dueSnoozed(deps.now())) {
        const conversation = await deps.store.conversation(id);
        if (!conversation || conversation.status !== 'snoozed') continue;
        const woken = await deps.store.updateConversation(id, { status: 'open' }, deps.now());
        await deps.bus.publish(topics.workspace(woken.workspaceId), {
          frame: { type: 'conversation', conversation: toSummary(woken) },
        });
      }
    } catch (error) {
      deps.log('error', 'snooze scheduler failed', error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
