import { Fragment } from 'preact';
import type { ContactDetail, ConversationSummary } from '@parley/protocol';
import { contactName, firstCharacter, PRIORITY_LABEL, STATUS_LABEL } from '../format.ts';
import { useStore } from '../store/use-store.ts';
import type { Dialog } from '../store/ui.ts';
import { useInbox } from './context.ts';
import { useNow } from './use-now.ts';

/** The fourth column: the conversation's assignment and labels, then who the customer is. */
export function ContactPanel() {
  const inbox = useInbox();
  const summary = useStore(inbox.conversations, (state) =>
    state.selectedId === null ? undefined : state.byId[state.selectedId],
  );
  if (!summary) return <aside class="side side-empty" aria-label="Contact" />;
  return (
    <aside class="side" aria-label="Contact">
      <Details summary={summary} />
      <ContactInfo summary={summary} />
    </aside>
  );
}

function Details({ summary }: { summary: ConversationSummary }) {
  const inbox = useInbox();
  const agents = useStore(inbox.workspace, (state) => state.agents);
  const teams = useStore(inbox.workspace, (state) => state.teams);
  const labels = useStore(inbox.workspace, (state) => state.labels);
  const meId = useStore(inbox.session, (state) => state.me?.agent.id ?? null);
  const assignee = agents.find((agent) => agent.id === summary.assigneeId);
  const team = teams.find((candidate) => candidate.id === summary.teamId);
  const open = (dialog: Dialog) => inbox.ui.setState({ dialog });

  return (
    <section class="side-section" aria-labelledby="details-title">
      <h3 id="details-title" class="side-title">
        Conversation
      </h3>
      <dl class="props">
        <dt>Assignee</dt>
        <dd>
          <button type="button" class="prop-button" aria-keyshortcuts="a" aria-label={`Assignee: ${assignee?.name ?? 'Unassigned'}. Change`} onClick={() => open('assign')}>
            {assignee ? (assignee.id === meId ? `${assignee.name} (you)` : assignee.name) : <span class="muted">Unassigned</span>}
          </button>
          {summary.assigneeId !== meId && meId && (
            <button type="button" class="btn btn-link assign-me" onClick={() => void inbox.assign(summary.id, { assigneeId: meId })}>
              Assign to me
            </button>
          )}
        </dd>
        <dt>Team</dt>
        <dd>
          <button type="button" class="prop-button" aria-label={`Team: ${team?.name ?? 'None'}. Change`} onClick={() => open('assign')}>
            {team ? team.name : <span class="muted">None</span>}
          </button>
        </dd>
        <dt>Priority</dt>
        <dd>
          <button type="button" class="prop-button" aria-label={`Priority: ${PRIORITY_LABEL[summary.priority]}. Change`} onClick={() => open('priority')}>
            {summary.priority === 'none' ? <span class="muted">None</span> : PRIORITY_LABEL[summary.priority]}
          </button>
        </dd>
        <dt>Labels</dt>
        <dd>
          <ul class="chips" aria-label="Labels of this conversation">
            {summary.labelIds.map((id) => {
              const label = labels.find((candidate) => candidate.id === id);
              return (
                <li key={id} class="chip">
                  <span class="swatch" style={{ background: label?.color ?? '#9ca3af' }} aria-hidden="true" />
                  {label?.name ?? 'label'}
                  <button
                    type="button"
                    class="chip-remove"
                    aria-label={`Remove label ${label?.name ?? id}`}
                    onClick={() => void inbox.toggleLabel(summary.id, id)}
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
          <button type="button" class="btn btn-link" aria-keyshortcuts="l" onClick={() => open('labels')}>
            {summary.labelIds.length === 0 ? 'Add label' : 'Edit labels'}
          </button>
        </dd>
      </dl>
    </section>
  );
}

function ContactInfo({ summary }: { summary: ConversationSummary }) {
  const inbox = useInbox();
  const entry = useStore(inbox.workspace, (state) => state.contacts[summary.contact.id]);
  const name = contactName(summary.contact);
  return (
    <section class="side-section" aria-labelledby="contact-title">
      <h3 id="contact-title" class="side-title">
        Contact
      </h3>
      <div class="contact-head">
        <span class="avatar avatar-lg" aria-hidden="true">
          {firstCharacter(name)}
        </span>
        <div class="contact-names">
          <strong>{name}</strong>
          {summary.contact.email && <span class="muted">{summary.contact.email}</span>}
        </div>
      </div>
      {entry?.status === 'ready' ? (
        <ContactFacts contact={entry.contact} currentId={summary.id} />
      ) : entry?.status === 'error' ? (
        <p class="inline-alert" role="alert">
          Could not load the contact: {entry.error}{' '}
          <button type="button" class="btn btn-link" onClick={() => void inbox.loadContact(summary.contact.id, true)}>
            Retry
          </button>
        </p>
      ) : (
        <p class="muted side-loading">Loading contact…</p>
      )}
    </section>
  );
}

function ContactFacts({ contact, currentId }: { contact: ContactDetail; currentId: string }) {
  const inbox = useInbox();
  const now = useNow(30_000);
  const attributes = Object.entries(contact.attributes);
  const past = contact.conversations.filter((conversation) => conversation.id !== currentId);
  const browser = contact.userAgent ? describeUserAgent(contact.userAgent) : null;
  return (
    <>
      <dl class="props">
        {contact.email && (
          <>
            <dt>Email</dt>
            <dd>{contact.email}</dd>
          </>
        )}
        {contact.externalId && (
          <>
            <dt>User ID</dt>
            <dd class="mono">{contact.externalId}</dd>
          </>
        )}
        {contact.lastPage && (
          <>
            <dt>Current page</dt>
            <dd>
              <a href={contact.lastPage.url} target="_blank" rel="noopener noreferrer nofollow" title={contact.lastPage.url}>
                {contact.lastPage.title || shortUrl(contact.lastPage.url)}
              </a>
            </dd>
            {contact.lastPage.referrer && (
              <>
                <dt>Came from</dt>
                <dd title={contact.lastPage.referrer}>{shortUrl(contact.lastPage.referrer)}</dd>
              </>
            )}
          </>
        )}
        {browser && (
          <>
            <dt>Browser</dt>
            <dd>{browser}</dd>
          </>
        )}
        {contact.timezone && (
          <>
            <dt>Local time</dt>
            <dd>{localTime(now, contact.timezone)}</dd>
          </>
        )}
        {contact.locale && (
          <>
            <dt>Language</dt>
            <dd>{contact.locale}</dd>
          </>
        )}
      </dl>
      {attributes.length > 0 && (
        <>
          <h4 class="side-subtitle">Attributes</h4>
          <dl class="props">
            {attributes.map(([key, value]) => (
              <Fragment key={key}>
                <dt>{key}</dt>
                <dd>{value === null ? '—' : String(value)}</dd>
              </Fragment>
            ))}
          </dl>
        </>
      )}
      <h4 class="side-subtitle">Past conversations</h4>
      {past.length === 0 ? (
        <p class="muted">None before this one.</p>
      ) : (
        <ul class="past" aria-label="Past conversations">
          {past.map((conversation) => (
            <li key={conversation.id}>
              <button type="button" class="past-item" onClick={() => void inbox.openById(conversation.id)}>
                <span class="past-summary">{conversation.summary || 'No messages'}</span>
                <span class="muted">
                  {STATUS_LABEL[conversation.status]} · {dateFormat.format(conversation.createdAt)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

const dateFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' });

/** "14:05 (Europe/Berlin)"; an unknown zone falls back to the zone's name alone. */
export function localTime(now: number, timeZone: string): string {
  try {
    const time = new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit' }).format(now);
    return `${time} (${timeZone})`;
  } catch {
    return timeZone;
  }
}

function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return url;
  }
}

/** "Chrome 126 on macOS": enough to reproduce a bug, without a user-agent library. */
export function describeUserAgent(ua: string): string {
  const browser =
    /Edg\/(\d+)/.exec(ua)?.[1] !== undefined
      ? `Edge ${/Edg\/(\d+)/.exec(ua)![1]}`
      : /Firefox\/(\d+)/.test(ua)
        ? `Firefox ${/Firefox\/(\d+)/.exec(ua)![1]}`
        : /Chrome\/(\d+)/.test(ua)
          ? `Chrome ${/Chrome\/(\d+)/.exec(ua)![1]}`
          : /Version\/(\d+).*Safari/.test(ua)
            ? `Safari ${/Version\/(\d+)/.exec(ua)![1]}`
            : 'Unknown browser';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Mac OS X/.test(ua)
        ? 'macOS'
        : /Android/.test(ua)
          ? 'Android'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'an unknown OS';
  return `${browser} on ${os}`;
}
