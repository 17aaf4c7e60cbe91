import { useEffect } from 'preact/hooks';
import { unreadConversations } from '../store/conversations.ts';
import type { Inbox } from '../store/inbox.ts';
import { useStore } from '../store/use-store.ts';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { InboxContext, useInbox } from './context.ts';
import { ConversationList } from './ConversationList.tsx';
import { ConversationView } from './ConversationView.tsx';
import { Nav } from './Nav.tsx';
import { SignIn } from './SignIn.tsx';

export const APP_TITLE = 'Parley Inbox';

/** The whole inbox for one `Inbox`: the sign-in screen, or the three panes once signed in. */
export function App({ inbox }: { inbox: Inbox }) {
  return (
    <InboxContext.Provider value={inbox}>
      <Root />
    </InboxContext.Provider>
  );
}

function Root() {
  const inbox = useInbox();
  const phase = useStore(inbox.session, (state) => state.phase);

  useEffect(() => {
    if (inbox.session.getState().phase === 'restoring') void inbox.restore();
  }, [inbox]);

  if (phase === 'restoring') {
    return (
      <div class="boot" role="status">
        Loading…
      </div>
    );
  }
  if (phase !== 'signedIn') return <SignIn />;
  return <Workspace />;
}

function Workspace() {
  const inbox = useInbox();
  const unread = useStore(inbox.conversations, (state) => unreadConversations(state.byId));

  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${APP_TITLE}` : APP_TITLE;
  }, [unread]);
  useEffect(() => () => void (document.title = APP_TITLE), []);

  useEffect(() => {
    // Read marks wait until the agent can actually see the thread.
    const onVisible = () => inbox.markSelectedRead();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
    };
  }, [inbox]);

  return (
    <div class="workspace">
      <Nav />
      <ConversationList />
      <ConversationView />
      <ConnectionBanner />
    </div>
  );
}
