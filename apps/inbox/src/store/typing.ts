/** How often "still typing" is repeated, and how long a pause ends it. */
export const TYPING_DEFAULTS = {
  /** Repeat `typing: true` at most this often while keys keep coming; keeps the visitor's indicator alive. */
  intervalMs: 3_000,
  /** No input for this long sends `typing: false`. */
  idleMs: 4_000,
} as const;

export interface TypingNotifier {
  /** The agent changed the draft of a conversation. */
  input(conversationId: string): void;
  /** The agent sent, cleared the draft or left: stop at once. */
  stop(): void;
}

/**
 * Throttles the agent's typing signal: one frame per keystroke burst instead of one per key,
 * and a `false` when they pause, send or switch conversation.
 */
export function createTypingNotifier(
  send: (conversationId: string, typing: boolean) => void,
  options: { intervalMs?: number; idleMs?: number } = {},
): TypingNotifier {
  const { intervalMs, idleMs } = { ...TYPING_DEFAULTS, ...options };
  let current: string | null = null;
  let lastSentAt = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  function stop() {
    clearTimeout(idleTimer);
    idleTimer = undefined;
    if (current !== null) send(current, false);
    current = null;
  }

  return {
    input(conversationId) {
      if (current !== null && current !== conversationId) stop();
      const now = Date.now();
      if (current === null || now - lastSentAt >= intervalMs) {
        send(conversationId, true);
        current = conversationId;
        lastSentAt = now;
      }
      clearTimeout(idleTimer);
      idleTimer = setTimeout(stop, idleMs);
    },
    stop,
  };
}
