import type { ClientStatus } from '@parley/client';
import type { MeResponse } from '@parley/protocol';
import { createStore } from 'zustand/vanilla';

/**
 * `restoring` while the saved cookie is checked on load, so the sign-in form never flashes
 * for an agent who is already signed in.
 */
export type SessionPhase = 'restoring' | 'signedOut' | 'signingIn' | 'signedIn';

export interface SessionState {
  phase: SessionPhase;
  me: MeResponse | null;
  /** Why the last sign-in failed or the session ended, for the sign-in screen. */
  error: string | null;
  /** The live connection, for the discreet "Reconnecting…" banner. */
  connection: ClientStatus;
}

export const initialSession: SessionState = { phase: 'restoring', me: null, error: null, connection: 'idle' };

export type SessionStore = ReturnType<typeof createSessionStore>;

/** Who is signed in and whether the live link is up. Plain data: the inbox controller drives it. */
export function createSessionStore() {
  return createStore<SessionState>()(() => ({ ...initialSession }));
}
