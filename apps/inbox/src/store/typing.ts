/** How often "still typing" is repeated, and how long a pause ends it. */
export const TYPING_DEFAULTS = {
  /** Repeat `typing: true` at most this often while keys keep coming; keeps the visitor's indicator alive. */
  intervalMs: 3_000,
  /** No input for this long sends `typing: false`. */
  idleMs: 4_000,
} as const;

export interface TypingNotifier {
  /** The agent changed the draft of a conversation; `note` while drafting a private note. */
  input(conversationId: string, note?: boolean): void;
  /** The agent sent, cleared the draft or left: stop at once. */
  stop(): void;
}

/**
 * Throttles the agent's typing signal: one frame per keystroke burst instead of one per key,
 * and a `false` when they pause, send or switch conversation.
 */
export function createTypingNotifier(
  send: (conversationId: string, typing: boolean, note: boolean) => void,
  options: { intervalMs?: number; idleMs?: number } = {},
): TypingNotifier {
  const { intervalMs, idleMs } = { ...TYPING_DEFAULTS, ...options };
  let current: string | null = null;
  let currentNote = false;
  let lastSentAt = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  function stop() {
    clearTimeout(idleTimer);
    idleTimer = undefined;
    if (current !== null) send(current, false, currentNote);
    current = null;
  }

  return {
    input(conversationId, note = false) {
      // Switching conversation, or between reply and note, ends the previous signal first.
      if (current !== null && (current !== conversationId || currentNote !== note)) stop();
      const now = Date.now();
      if (current === null || now - lastSentAt >= intervalMs) {
        send(conversationId, true, note);
        current = conversationId;
        currentNote = note;
        lastSentAt = now;
      }
      clearTimeout(idleTimer);
      idleTimer = setTimeout(stop, idleMs);
    },
    stop,
  };
}
