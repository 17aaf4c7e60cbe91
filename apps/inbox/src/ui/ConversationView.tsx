import type { ConversationStatus, ConversationSummary } from '@parley/protocol';
import { useState } from 'preact/hooks';
import { contactName, PRIORITY_LABEL, STATUS_LABEL } from '../format.ts';
import { useStore } from '../store/use-store.ts';
import { viewerNames } from '../store/workspace.ts';
import { ActionDialogs } from './ActionDialogs.tsx';
import { Composer } from './Composer.tsx';
import { useInbox } from './context.ts';
import { Thread } from './Thread.tsx';

/** The third column: the open conversation's header, who else is on it, the thread and the composer. */
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
          <p>
            Pick a conversation from the list, or press <kbd>j</kbd> and <kbd>Enter</kbd>. Press <kbd>?</kbd> for every
            shortcut.
          </p>
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
            {summary.status === 'snoozed' && summary.snoozedUntil !== null && (
              <span>until {untilFormat.format(summary.snoozedUntil)}</span>
            )}
            {summary.priority !== 'none' && (
              <span class={`priority priority-${summary.priority}`}>{PRIORITY_LABEL[summary.priority]}</span>
            )}
            {summary.contact.email && summary.contact.email !== name && (
              <span class="view-email">{summary.contact.email}</span>
            )}
          </span>
        </div>
        <StatusActions key={summary.id} summary={summary} />
      </header>
      <Collision conversationId={summary.id} />
      <Thread key={summary.id} summary={summary} />
      <Composer key={summary.id} conversationId={summary.id} contact={name} contactInfo={summary.contact} />
      <ActionDialogs summary={summary} />
    </main>
  );
}

const untilFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });

/** "Alex is viewing" / "Alex is typing…": teammates on the same conversation, so two people do not answer at once. */
function Collision({ conversationId }: { conversationId: string }) {
  const inbox = useInbox();
  const meId = useStore(inbox.session, (state) => state.me?.agent.id ?? null);
  const viewers = useStore(inbox.workspace, (state) => viewerNames(state, conversationId, meId).join('\u0000'));
  const typers = useStore(inbox.workspace, (state) =>
    Object.values(state.agentTyping[conversationId] ?? {})
      .map((author) => author.name ?? 'A teammate')
      .join('\u0000'),
  );
  const typing = typers ? typers.split('\u0000') : [];
  const viewing = viewers ? viewers.split('\u0000').filter((name) => !typing.includes(name)) : [];
  const parts = [
    typing.length > 0 ? `${joinNames(typing)} ${typing.length === 1 ? 'is' : 'are'} typing…` : null,
    viewing.length > 0 ? `${joinNames(viewing)} ${viewing.length === 1 ? 'is' : 'are'} viewing` : null,
  ].filter(Boolean);
  return (
    <div class={parts.length > 0 ? 'collision collision-visible' : 'collision'} role="status" aria-label="Teammates here">
      {parts.length > 0 && <span class="collision-dot" aria-hidden="true" />}
      {parts.join(' · ')}
    </div>
  );
}

function joinNames(names: string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Pending, Snooze, and Resolve (or Reopen once resolved, snoozed or pending). */
function StatusActions({ summary }: { summary: ConversationSummary }) {
  const inbox = useInbox();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const resolved = summary.status === 'resolved';

  async function set(status: ConversationStatus) {
    setBusy(true);
    setError(null);
    try {
      await inbox.setStatus(summary.id, status);
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
      {summary.status === 'open' && (
        <button type="button" class="btn btn-quiet" disabled={busy} onClick={() => void set('pending')}>
          Mark pending
        </button>
      )}
      {!resolved && summary.status !== 'snoozed' && (
        <button
          type="button"
          class="btn"
          aria-keyshortcuts="s"
          onClick={() => inbox.ui.setState({ dialog: 'snooze' })}
        >
          Snooze
        </button>
      )}
      {resolved || summary.status === 'snoozed' || summary.status === 'pending' ? (
        <button type="button" class="btn" disabled={busy} onClick={() => void set('open')}>
          Reopen
        </button>
      ) : null}
      {!resolved && (
        <button type="button" class="btn btn-primary" disabled={busy} aria-keyshortcuts="e" onClick={() => void set('resolved')}>
          Resolve
        </button>
      )}
    </div>
  );
}
