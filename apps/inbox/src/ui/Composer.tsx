import { useId, useState } from 'preact/hooks';
import { useInbox } from './context.ts';

/** The reply box. Enter sends, Shift+Enter adds a line; typing is signalled (throttled) to the visitor. */
export function Composer({ conversationId, contact }: { conversationId: string; contact: string }) {
  const inbox = useInbox();
  const [draft, setDraft] = useState('');
  const inputId = useId();
  const hintId = useId();
  const canSend = draft.trim().length > 0;

  function submit() {
    if (!canSend) return;
    inbox.send(conversationId, draft);
    setDraft('');
  }

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label class="sr-only" for={inputId}>
        Reply
      </label>
      <textarea
        id={inputId}
        class="composer-input"
        rows={3}
        placeholder={`Reply to ${contact}…`}
        aria-describedby={hintId}
        value={draft}
        onInput={(event) => {
          const value = event.currentTarget.value;
          setDraft(value);
          inbox.draftChanged(conversationId, value);
        }}
        onKeyDown={(event) => {
          // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            submit();
          }
        }}
        onBlur={() => inbox.draftChanged(conversationId, '')}
      />
      <div class="composer-bar">
        <span id={hintId} class="composer-hint">
          Enter to send · Shift+Enter for a new line
        </span>
        <button type="submit" class="btn btn-primary" disabled={!canSend}>
          Send
        </button>
      </div>
    </form>
  );
}
