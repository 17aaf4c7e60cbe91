import { useEffect, useLayoutEffect, useMemo } from 'preact/hooks';
import { createUnreadSelector } from '../store/conversations.ts';
import type { Inbox } from '../store/inbox.ts';
import { createRouter, memoryHistory, type HistoryLike, type RouterStore } from '../store/router.ts';
import { useStore } from '../store/use-store.ts';
import { AcceptInvite } from './AcceptInvite.tsx';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { ContactPanel } from './ContactPanel.tsx';
import { InboxContext, useInbox } from './context.ts';
import { ConversationList } from './ConversationList.tsx';
import { ConversationView } from './ConversationView.tsx';
import { GlobalDialogs } from './GlobalDialogs.tsx';
import { Nav } from './Nav.tsx';
import { RouterContext, useRouter } from './router-context.ts';
import { Settings } from './settings/Settings.tsx';
import { handleShortcut } from './shortcuts.ts';
import { SignIn } from './SignIn.tsx';

export const APP_TITLE = 'Parley Inbox';

/**
 * The whole inbox for one `Inbox`: the invite form, the sign-in screen, or (signed in) the
 * queue or the settings. `history` defaults to an in-memory one (tests); main.tsx passes the browser's.
 */
export function App({ inbox, history }: { inbox: Inbox; history?: HistoryLike }) {
  const router = useMemo(() => createRouter(history ?? memoryHistory()), [history]);
  return (
    <InboxContext.Provider value={inbox}>
      <RouterContext.Provider value={router}>
        <Root router={router} />
      </RouterContext.Provider>
    </InboxContext.Provider>
  );
}

function Root({ router }: { router: RouterStore }) {
  const inbox = useInbox();
  const phase = useStore(inbox.session, (state) => state.phase);
  const route = useStore(router, (state) => state.route);

  useEffect(() => {
    if (inbox.session.getState().phase === 'restoring') void inbox.restore();
  }, [inbox]);

  if (route.name === 'invite' && phase !== 'signedIn') return <AcceptInvite token={route.token} />;
  if (phase === 'restoring') {
    return (
      <div class="boot" role="status">
        Loading…
      </div>
    );
  }
  if (phase !== 'signedIn') return <SignIn />;
  if (route.name === 'invite') {
    // Signed in by the invite (or already): on to the queue.
    router.navigate({ name: 'inbox' });
    return null;
  }
  if (route.name === 'settings') return <Settings section={route.section} />;
  return <Workspace />;
}

function Workspace() {
  const inbox = useInbox();
  const selectUnread = useMemo(createUnreadSelector, []);
  const unread = useStore(inbox.conversations, selectUnread);
  const router = useRouter();

  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${APP_TITLE}` : APP_TITLE;
  }, [unread]);
  useEffect(() => () => void (document.title = APP_TITLE), []);

  // A layout effect: the keyboard works from the first frame the workspace is on screen.
  useLayoutEffect(() => {
    // Read marks wait until the agent can actually see the thread.
    const onVisible = () => inbox.markSelectedRead();
    const onKey = (event: KeyboardEvent) => handleShortcut(inbox, event);
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
      document.removeEventListener('keydown', onKey);
    };
  }, [inbox, router]);

  return (
    <div class="workspace">
      <Nav />
      <ConversationList />
      <ConversationView />
      <ContactPanel />
      <GlobalDialogs />
      <ConnectionBanner />
    </div>
  );
}
