import { useState } from 'preact/hooks';
import { initials } from '../format.ts';
import type { StatusFilter } from '../api.ts';
import type { Scope } from '../store/conversations.ts';
import { useStore } from '../store/use-store.ts';
import { useInbox } from './context.ts';
import { useRouter } from './router-context.ts';

export const FILTERS: ReadonlyArray<{ value: StatusFilter; label: string }> = [
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Pending' },
  { value: 'snoozed', label: 'Snoozed' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
];

export const SCOPES: ReadonlyArray<{ value: Scope; label: string }> = [
  { value: 'mine', label: 'Mine' },
  { value: 'unassigned', label: 'Unassigned' },
  { value: 'all', label: 'All' },
];

/** The left column: folders (whose, which status, labels, teams), presence, settings, who is signed in. */
export function Nav() {
  const inbox = useInbox();
  const router = useRouter();
  const filter = useStore(inbox.conversations, (state) => state.filter);
  const scope = useStore(inbox.conversations, (state) => state.scope);
  const labels = useStore(inbox.workspace, (state) => state.labels);
  const teams = useStore(inbox.workspace, (state) => state.teams);
  const me = useStore(inbox.session, (state) => state.me?.agent ?? null);

  const folder = (value: Scope, label: string, color?: string) => (
    <button
      key={value}
      type="button"
      class="filter"
      aria-pressed={scope === value}
      onClick={() => {
        router.navigate({ name: 'inbox' });
        void inbox.setScope(value);
      }}
    >
      {color && <span class="swatch" style={{ background: color }} aria-hidden="true" />}
      <span class="filter-label">{label}</span>
    </button>
  );

  return (
    <nav class="nav" aria-label="Inbox">
      <div class="wordmark">Parley</div>
      <div class="filters" role="group" aria-label="Folders">
        {SCOPES.map(({ value, label }) => folder(value, label))}
      </div>
      <div class="nav-group">
        <h2 class="nav-heading" id="status-heading">
          Status
        </h2>
        <div class="filters" role="group" aria-label="Status">
          {FILTERS.map(({ value, label }) => (
            <button
              key={value}
              type="button"
              class="filter"
              aria-pressed={filter === value}
              onClick={() => {
                router.navigate({ name: 'inbox' });
                void inbox.setFilter(value);
              }}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      {labels.length > 0 && (
        <div class="nav-group">
          <h2 class="nav-heading">Labels</h2>
          <div class="filters" role="group" aria-label="Labels">
            {labels.map((label) => folder(`label:${label.id}`, label.name, label.color))}
          </div>
        </div>
      )}
      {teams.length > 0 && (
        <div class="nav-group">
          <h2 class="nav-heading">Teams</h2>
          <div class="filters" role="group" aria-label="Teams">
            {teams.map((team) => folder(`team:${team.id}`, team.name))}
          </div>
        </div>
      )}
      <div class="nav-footer">
        {me?.role === 'admin' && (
          <a
            class="btn btn-quiet"
            href="/inbox/settings/sites"
            onClick={(event) => {
              event.preventDefault();
              router.navigate({ name: 'settings', section: 'sites' });
            }}
          >
            Settings
          </a>
        )}
        <NotificationsToggle />
        <Presence />
        <span class="agent" title={me?.email}>
          <span class="avatar" aria-hidden="true">
            {initials(me?.name ?? '')}
          </span>
          <span class="agent-name">{me?.name}</span>
        </span>
        <button type="button" class="btn btn-quiet" onClick={() => void inbox.signOut()}>
          Sign out
        </button>
      </div>
    </nav>
  );
}

/** Online takes new chats (and tells visitors someone is there); away does not. */
function Presence() {
  const inbox = useInbox();
  const status = useStore(inbox.workspace, (state) => state.myStatus);
  const online = status === 'online';
  return (
    <button
      type="button"
      class={online ? 'presence presence-online' : 'presence'}
      role="switch"
      aria-checked={online}
      aria-label="Available for chats"
      onClick={() => inbox.setPresence(online ? 'away' : 'online')}
    >
      <span class="presence-dot" aria-hidden="true" />
      {online ? 'Online' : 'Away'}
    </button>
  );
}

/** Browsers ask for notification permission only from a click: this is that click. */
function NotificationsToggle() {
  const inbox = useInbox();
  const [, setAnswered] = useState(0);
  const alerter = inbox.alerter;
  const permission = alerter?.permission() ?? 'unsupported';
  if (!alerter || permission !== 'default') return null;
  return (
    <button type="button" class="btn btn-quiet" onClick={() => void alerter.requestPermission().then(() => setAnswered((n) => n + 1))}>
      Turn on notifications
    </button>
  );
}

