import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Inbox } from '../store/inbox.ts';

export const InboxContext = createContext<Inbox | null>(null);

/** The inbox the app was rendered with; components reach state and actions only through it. */
export function useInbox(): Inbox {
  const inbox = useContext(InboxContext);
  if (!inbox) throw new Error('useInbox() needs an <InboxContext.Provider> above it.');
  return inbox;
}
