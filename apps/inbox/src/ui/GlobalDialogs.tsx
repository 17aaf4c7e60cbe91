import type { SearchHit } from '@parley/protocol';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { formatMessageTime } from '../format.ts';
import { useStore } from '../store/use-store.ts';
import { useInbox } from './context.ts';
import { Modal } from './Modal.tsx';
import { SHORTCUTS } from './shortcuts.ts';

/** The dialogs not tied to one conversation: shortcut help (?) and search (/). */
export function GlobalDialogs() {
  const inbox = useInbox();
  const dialog = useStore(inbox.ui, (state) => state.dialog);
  const close = () => inbox.ui.setState({ dialog: null });
  if (dialog === 'help') return <ShortcutHelp onClose={close} />;
  if (dialog === 'search') return <Search onClose={close} />;
  return null;
}

function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} wide>
      <table class="shortcuts">
        <tbody>
          {SHORTCUTS.map(({ keys, does }) => (
            <tr key={`${keys.join()}-${does}`}>
              <th scope="row">
                {keys.map((key) => (
                  <kbd key={key}>{key}</kbd>
                ))}
              </th>
              <td>{does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="modal-hint">Letters do nothing while you type in a field; Esc leaves the field.</p>
      <div class="modal-actions">
        <button type="button" class="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}

/** `[match]` in a snippet becomes a highlighted span; the rest stays text. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/(\[[^\]]*\])/);
  return (
    <>
      {parts.map((part, index) =>
        part.startsWith('[') && part.endsWith(']') ? <mark key={index}>{part.slice(1, -1)}</mark> : part,
      )}
    </>
  );
}

function Search({ onClose }: { onClose: () => void }) {
  const inbox = useInbox();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const request = useRef(0);
  const listId = useId();
  const now = Date.now();

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setHits(null);
      return;
    }
    const mine = ++request.current;
    const timer = setTimeout(() => {
      inbox.search(q).then(
        (found) => {
          if (mine !== request.current) return;
          setHits(found);
          setError(null);
          setActive(0);
        },
        (failure: unknown) => mine === request.current && setError(failure instanceof Error ? failure.message : 'Search failed.'),
      );
    }, 120);
    return () => clearTimeout(timer);
  }, [query]);

  function choose(hit: SearchHit) {
    onClose();
    void inbox.openById(hit.conversationId).catch(() => {});
  }

  return (
    <Modal title="Search" onClose={onClose} wide>
      <input
        class="picker-input"
        type="text"
        role="combobox"
        aria-label="Search messages and contacts"
        aria-expanded={hits !== null && hits.length > 0}
        aria-controls={listId}
        aria-activedescendant={hits && hits.length > 0 ? `${listId}-${active}` : undefined}
        placeholder="Search messages and contacts…"
        value={query}
        data-autofocus
        onInput={(event) => setQuery(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (!hits || hits.length === 0) return;
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            setActive((active + (event.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length);
          } else if (event.key === 'Enter') {
            event.preventDefault();
            choose(hits[active]!);
          }
        }}
      />
      <ul id={listId} class="picker-list search-results" role="listbox" aria-label="Results">
        {(hits ?? []).map((hit, index) => (
          <li
            key={`${hit.conversationId}-${hit.messageId ?? 'contact'}`}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            class={index === active ? 'picker-option picker-option-active search-hit' : 'picker-option search-hit'}
            onMouseMove={() => setActive(index)}
            onClick={() => choose(hit)}
          >
            <span class="search-who">
              <strong>{hit.contactName ?? 'Visitor'}</strong>
              <span class="picker-hint">{formatMessageTime(hit.createdAt, now)}</span>
            </span>
            <span class="search-snippet">
              <Snippet text={hit.snippet} />
            </span>
          </li>
        ))}
      </ul>
      {hits !== null && hits.length === 0 && <p class="picker-empty">No messages or contacts match “{query.trim()}”.</p>}
      {error && (
        <p class="form-alert" role="alert">
          {error}
        </p>
      )}
      <p class="modal-hint">↑ ↓ to move · Enter to open · Esc to close</p>
    </Modal>
  );
}
