import type { ContactDetail } from '@parley/protocol';
import { useId, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fillVariables, matchAgents, matchCanned, mentionedIds, tokenBefore } from '../canned.ts';
import type { ComposerMode } from '../store/ui.ts';
import { useStore } from '../store/use-store.ts';
import { useInbox } from './context.ts';

interface Suggestion {
  id: string;
  label: string;
  hint: string;
  /** What replaces the `/query` or `@query` token. */
  insert: string;
  /** For mentions: the agent, remembered so the send can name them. */
  agent?: { id: string; name: string };
}

/**
 * The reply box. Enter sends, Shift+Enter adds a line. A toggle turns it into a private note
 * (agents only, never sent to the visitor, no typing signal). `/` offers canned responses with
 * their variables filled; `@` in a note offers teammates to mention.
 */
export function Composer({
  conversationId,
  contact,
  contactInfo,
}: {
  conversationId: string;
  /** The name shown in the placeholder. */
  contact: string;
  /** The contact's own name and email, for canned variables. */
  contactInfo: Pick<ContactDetail, 'name' | 'email'>;
}) {
  const inbox = useInbox();
  const mode = useStore(inbox.ui, (state) => state.composerMode);
  const focusRequest = useStore(inbox.ui, (state) => state.focusComposer);
  const canned = useStore(inbox.workspace, (state) => state.cannedResponses);
  const agents = useStore(inbox.workspace, (state) => state.agents);
  const me = useStore(inbox.session, (state) => state.me?.agent ?? null);
  const [draft, setDraft] = useState('');
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const mentions = useRef(new Map<string, string>());
  const input = useRef<HTMLTextAreaElement>(null);
  const inputId = useId();
  const hintId = useId();
  const listId = useId();
  const note = mode === 'note';
  const canSend = draft.trim().length > 0;

  useLayoutEffect(() => {
    if (focusRequest > 0) input.current?.focus();
  }, [focusRequest]);

  const suggestions = useMemo((): { kind: 'canned' | 'mention'; start: number; items: Suggestion[] } | null => {
    const slash = tokenBefore(draft, caret, '/');
    if (slash) {
      const items = matchCanned(canned, slash.query).map((response) => ({
        id: response.id,
        label: `/${response.shortcut}`,
        hint: response.title,
        insert: fillVariables(response.body, { contact: contactInfo, agent: { name: me?.name ?? '' } }),
      }));
      return items.length > 0 ? { kind: 'canned', start: slash.start, items } : null;
    }
    const at = note ? tokenBefore(draft, caret, '@') : null;
    if (at) {
      const items = matchAgents(agents, at.query, me?.id ?? null).map((agent) => ({
        id: agent.id,
        label: agent.name,
        hint: agent.email,
        insert: `@${agent.name} `,
        agent: { id: agent.id, name: agent.name },
      }));
      return items.length > 0 ? { kind: 'mention', start: at.start, items } : null;
    }
    return null;
  }, [draft, caret, canned, agents, note, contactInfo, me]);
  const open = suggestions !== null && dismissed !== `${suggestions.start}:${draft.slice(suggestions.start, caret)}`;
  const current = open ? Math.min(active, suggestions.items.length - 1) : 0;

  function setMode(next: ComposerMode) {
    inbox.ui.setState({ composerMode: next });
    // Switching between reply and note ends the current typing signal.
    inbox.draftChanged(conversationId, '');
    input.current?.focus();
  }

  function change(value: string, at: number) {
    setDraft(value);
    setCaret(at);
    setActive(0);
    // Teammates see a note being written; the relay keeps it from the visitor.
    inbox.draftChanged(conversationId, value, note);
  }

  function insert(item: Suggestion) {
    if (!suggestions) return;
    const next = draft.slice(0, suggestions.start) + item.insert + draft.slice(caret);
    const at = suggestions.start + item.insert.length;
    if (item.agent) mentions.current.set(item.agent.id, item.agent.name);
    // The field and its caret change now, before the next keystroke can arrive. A caret set on
    // the next animation frame came after a fast typist's next key: "@Bea Turing for" became
    // "@Bea Turing orf". The render that follows finds the same value and leaves the caret alone.
    const field = input.current;
    if (field) {
      field.value = next;
      field.setSelectionRange(at, at);
    }
    change(next, at);
  }

  function submit() {
    if (!canSend) return;
    if (note) inbox.send(conversationId, { text: draft, kind: 'note', mentions: mentionedIds(draft, mentions.current) });
    else inbox.send(conversationId, draft);
    mentions.current.clear();
    setDraft('');
    setCaret(0);
  }

  function onKeyDown(event: KeyboardEvent) {
    if (open && suggestions) {
      const count = suggestions.items.length;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setActive((current + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
        return;
      }
      if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
        event.preventDefault();
        insert(suggestions.items[current]!);
        return;
      }
      if (event.key === 'Escape') {
        // First Escape closes the suggestions; the next leaves the field.
        event.preventDefault();
        event.stopPropagation();
        setDismissed(`${suggestions.start}:${draft.slice(suggestions.start, caret)}`);
        return;
      }
    }
    // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  const optionId = (index: number) => `${listId}-${index}`;
  return (
    <form
      class={note ? 'composer composer-note' : 'composer'}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div class="composer-modes" role="group" aria-label="Compose as">
        <button type="button" class="mode" aria-pressed={!note} onClick={() => setMode('reply')}>
          Reply
        </button>
        <button type="button" class="mode mode-note" aria-pressed={note} onClick={() => setMode('note')}>
          Private note
        </button>
        {note && <span class="mode-hint">Only your team sees notes. Type @ to mention.</span>}
      </div>
      {open && suggestions && (
        <ul
          id={listId}
          class="suggestions"
          role="listbox"
          aria-label={suggestions.kind === 'canned' ? 'Canned responses' : 'Mention a teammate'}
        >
          {suggestions.items.map((item, index) => (
            <li
              key={item.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === current}
              class={index === current ? 'suggestion suggestion-active' : 'suggestion'}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => insert(item)}
            >
              <span class="suggestion-label">{item.label}</span>
              <span class="suggestion-hint">{item.hint}</span>
            </li>
          ))}
        </ul>
      )}
      <label class="sr-only" for={inputId}>
        {note ? 'Note' : 'Reply'}
      </label>
      <textarea
        ref={input}
        id={inputId}
        class="composer-input"
        rows={3}
        placeholder={note ? 'Write a private note for your team…' : `Reply to ${contact}… (type / for canned responses)`}
        aria-describedby={hintId}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? optionId(current) : undefined}
        value={draft}
        onInput={(event) => change(event.currentTarget.value, event.currentTarget.selectionStart ?? event.currentTarget.value.length)}
        onKeyUp={(event) => {
          if (event.key.startsWith('Arrow') && !open) setCaret(event.currentTarget.selectionStart ?? 0);
        }}
        onClick={(event) => setCaret(event.currentTarget.selectionStart ?? 0)}
        onKeyDown={onKeyDown}
        onBlur={() => inbox.draftChanged(conversationId, '')}
      />
      <div class="composer-bar">
        <span id={hintId} class="composer-hint">
          Enter to send · Shift+Enter for a new line
        </span>
        <button type="submit" class={note ? 'btn btn-note' : 'btn btn-primary'} disabled={!canSend}>
          {note ? 'Add note' : 'Send'}
        </button>
      </div>
    </form>
  );
}
