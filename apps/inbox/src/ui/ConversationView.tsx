import type { ConversationSummary } from '@parley/protocol';
import { useState } from 'preact/hooks';
import { contactName, PRIORITY_LABEL, STATUS_LABEL } from '../format.ts';
import { useStore } from '../store/use-store.ts';
import { Composer } from './Composer.tsx';
import { useInbox } from './context.ts';
import { Thread } from './Thread.tsx';

/** The right column: the open conversation's header, thread and composer. */
export function ConversationView() {
  const inbox = useInbox();
  const summary = useStore(inbox.conversations, (state) =>
    state.selectedId === null ? undefined : state.byId[state.selectedId],
  );

  if (!summary) {
    return (
      <main class="view view-empty">
        <div class="empty">
          <h2>Select a conversation</h2>
          <p>Pick a conversation from the list to read the thread and reply.</p>
        </div>
      </main>
    );
  }

  const name = contactName(summary.contact);
  return (
    <main class="view" aria-labelledby="view-title">
      <header class="view-header">
        <div class="view-who">
          <h2 id="view-title">{name}</h2>
          <span class="view-sub">
            <span class={`status status-${summary.status}`}>{STATUS_LABEL[summary.status]}</span>
            {summary.priority !== 'none' && (
              <span class={`priority priority-${summary.priority}`}>{PRIORITY_LABEL[summary.priority]}</span>
            )}
            {summary.contact.email && summary.contact.email !== name && (
              <span class="view-email">{summary.contact.email}</span>
            )}
          </span>
        </div>
        <StatusAction key={summary.id} summary={summary} />
      </header>
      <Thread key={summary.id} summary={summary} />
      <Composer key={summary.id} conversationId={summary.id} contact={name} />
    </main>
  );
}

/** "Resolve", or "Reopen" once resolved. The label changes when the relay's `conversation` frame says so. */
function StatusAction({ summary }: { summary: ConversationSummary }) {
  const inbox = useInbox();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const resolved = summary.status === 'resolved';

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      await inbox.setStatus(summary.id, resolved ? 'open' : 'resolved');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'The change was not saved.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="view-actions">
      {error && (
        <span class="inline-alert" role="alert">
          {error}
        </span>
      )}
      <button
        type="button"
        class={resolved ? 'btn' : 'btn btn-primary'}
        disabled={busy}
        onClick={() => void toggle()}
      >
        {resolved ? 'Reopen' : 'Resolve'}
      </button>
    </div>
  );
}
