import { render } from 'preact';
import { t } from '../i18n.ts';
import type { Chat, ChatState } from '../store/chat.ts';
import { MessageItem } from './MessageItem.tsx';

/**
 * The thread chunk (`dist/widget/Thread-<hash>.js`): Preact and the message list. The panel
 * chunk imports it as soon as it mounts, in parallel with connecting, and renders the log's
 * frame without it: the visitor can type before it arrives, and the thread appears when it does.
 */

/** How close to the bottom (px) still counts as "at the bottom": new messages then scroll into view. */
const STICK_PX = 48;

/**
 * Renders the thread into the panel's log (`role="log"`, a polite live region, so screen readers
 * announce what arrives) and keeps it in step with the store. Returns the unsubscribe.
 */
export function renderThread(log: HTMLElement, chat: Chat): () => void {
  let stick = true;
  let shown = '';
  log.addEventListener('scroll', () => {
    stick = log.scrollHeight - log.scrollTop - log.clientHeight < STICK_PX;
  });
  const draw = (state: ChatState) => {
    render(<Thread state={state} onRetry={chat.retry} />, log);
    const last = state.messages.at(-1);
    // Follow new messages, unless the visitor scrolled up to read; their own always shows.
    const now = `${state.messages.length} ${last?.clientId} ${state.typing}`;
    if (now !== shown && (stick || last?.author.kind === 'visitor')) log.scrollTop = log.scrollHeight;
    shown = now;
  };
  draw(chat.store.get());
  const unsubscribe = chat.store.subscribe(draw);
  return () => {
    unsubscribe();
    render(null, log);
  };
}

function Thread({ state, onRetry }: { state: ChatState; onRetry: (clientId: string) => void }) {
  const { messages, agentRead, typing } = state;
  const greeting = state.appearance?.greeting;
  return (
    <>
      {greeting && <p class="pw-greeting">{greeting}</p>}
      {messages.map((message) => (
        <MessageItem
          key={message.clientId}
          message={message}
          agentRead={(message.conversationId && agentRead.get(message.conversationId)) || 0}
          onRetry={onRetry}
        />
      ))}
      {typing !== undefined && <p class="pw-typing">{t('typing', { name: typing || t('someone') })}</p>}
    </>
  );
}
