import type { StatusFilter } from '../api.ts';
import { useStore } from '../store/use-store.ts';
import { useInbox } from './context.ts';

export const FILTERS: ReadonlyArray<{ value: StatusFilter; label: string }> = [
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Pending' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
];

/** The narrow left column: wordmark, status filters, and who is signed in. */
export function Nav() {
  const inbox = useInbox();
  const filter = useStore(inbox.conversations, (state) => state.filter);
  const agentName = useStore(inbox.session, (state) => state.me?.agent.name ?? '');

  return (
    <nav class="nav" aria-label="Inbox">
      <div class="wordmark">Parley</div>
      <div class="filters" role="group" aria-label="Status">
        {FILTERS.map(({ value, label }) => (
          <button
            key={value}
            type="button"
            class="filter"
            aria-pressed={filter === value}
            onClick={() => void inbox.setFilter(value)}
          >
            {label}
          </button>
        ))}
      </div>
      <div class="nav-footer">
        <span class="agent" title={agentName}>
          <span class="avatar" aria-hidden="true">
            {initials(agentName)}
          </span>
          <span class="agent-name">{agentName}</span>
        </span>
        <button type="button" class="btn btn-quiet" onClick={() => void inbox.signOut()}>
          Sign out
        </button>
      </div>
    </nav>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase() || '?';
}
