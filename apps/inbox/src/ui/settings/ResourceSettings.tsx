import type { CannedResponse, Label, Team } from '@parley/protocol';
import { useState } from 'preact/hooks';
import { useStore } from '../../store/use-store.ts';
import { useInbox } from '../context.ts';
import { Feedback } from './Feedback.tsx';
import { useAction } from './use-action.ts';

/**
 * Labels, teams and canned responses: a list with Edit and Delete, and one form that creates or,
 * after Edit, updates. Each change goes to the relay, then the workspace is reloaded from it.
 */

export function LabelsSettings() {
  const inbox = useInbox();
  const labels = useStore(inbox.workspace, (state) => state.labels);
  const [editing, setEditing] = useState<Label | null>(null);
  return (
    <>
      <p class="settings-lead">Labels sort conversations into folders (billing, bug, VIP…). Press <kbd>l</kbd> on a conversation to add one.</p>
      <ResourceList
        name="Labels"
        items={labels}
        render={(label) => (
          <>
            <span class="swatch swatch-lg" style={{ background: label.color }} aria-hidden="true" />
            <span class="resource-name">{label.name}</span>
          </>
        )}
        itemName={(label) => label.name}
        onEdit={setEditing}
        onDelete={(label) => inbox.api.deleteLabel(label.id)}
      />
      <LabelForm key={editing?.id ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
    </>
  );
}

function LabelForm({ editing, onDone }: { editing: Label | null; onDone: () => void }) {
  const inbox = useInbox();
  const [name, setName] = useState(editing?.name ?? '');
  const [color, setColor] = useState(editing?.color ?? '#4f46e5');
  const { busy, error, done, run } = useAction();
  return (
    <form
      class="card form"
      aria-label={editing ? `Edit label ${editing.name}` : 'New label'}
      onSubmit={(event) => {
        event.preventDefault();
        void run(async () => {
          if (editing) await inbox.api.updateLabel(editing.id, { name, color });
          else await inbox.api.createLabel({ name, color });
          await inbox.refreshWorkspace();
          if (editing) onDone();
          else setName('');
        }, editing ? 'Label saved' : 'Label added');
      }}
    >
      <h2 class="card-title">{editing ? `Edit “${editing.name}”` : 'New label'}</h2>
      <div class="form-row">
        <label class="field grow">
          <span class="field-label">Label name</span>
          <input type="text" required maxLength={200} value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
        <ColorField label="Label colour" value={color} onChange={setColor} />
      </div>
      <FormActions busy={busy} submit={editing ? 'Save label' : 'Add label'} onCancel={editing ? onDone : undefined} />
      <Feedback error={error} done={done} />
    </form>
  );
}

export function TeamsSettings() {
  const inbox = useInbox();
  const teams = useStore(inbox.workspace, (state) => state.teams);
  const agents = useStore(inbox.workspace, (state) => state.agents);
  const [editing, setEditing] = useState<Team | null>(null);
  const names = (ids: readonly string[]) =>
    agents.filter((agent) => ids.includes(agent.id)).map((agent) => agent.name).join(', ') || 'No members';
  return (
    <>
      <p class="settings-lead">Teams group agents (Billing, Tier 2…). A conversation can be assigned to a team, and each team is a folder.</p>
      <ResourceList
        name="Teams"
        items={teams}
        render={(team) => (
          <>
            <span class="resource-name">{team.name}</span>
            <span class="muted">{names(team.agentIds)}</span>
          </>
        )}
        itemName={(team) => team.name}
        onEdit={setEditing}
        onDelete={(team) => inbox.api.deleteTeam(team.id)}
      />
      <TeamForm key={editing?.id ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
    </>
  );
}

function TeamForm({ editing, onDone }: { editing: Team | null; onDone: () => void }) {
  const inbox = useInbox();
  const agents = useStore(inbox.workspace, (state) => state.agents);
  const [name, setName] = useState(editing?.name ?? '');
  const [members, setMembers] = useState<string[]>(editing ? [...editing.agentIds] : []);
  const { busy, error, done, run } = useAction();
  return (
    <form
      class="card form"
      aria-label={editing ? `Edit team ${editing.name}` : 'New team'}
      onSubmit={(event) => {
        event.preventDefault();
        void run(async () => {
          const body = { name, agentIds: members };
          if (editing) await inbox.api.updateTeam(editing.id, body);
          else await inbox.api.createTeam(body);
          await inbox.refreshWorkspace();
          if (editing) onDone();
          else {
            setName('');
            setMembers([]);
          }
        }, editing ? 'Team saved' : 'Team added');
      }}
    >
      <h2 class="card-title">{editing ? `Edit “${editing.name}”` : 'New team'}</h2>
      <label class="field">
        <span class="field-label">Team name</span>
        <input type="text" required maxLength={200} value={name} onInput={(event) => setName(event.currentTarget.value)} />
      </label>
      <fieldset class="fieldset">
        <legend class="field-label">Members</legend>
        <div class="checks">
          {agents
            .filter((agent) => agent.active)
            .map((agent) => (
              <label key={agent.id} class="check-field">
                <input
                  type="checkbox"
                  checked={members.includes(agent.id)}
                  onChange={(event) =>
                    setMembers((held) =>
                      event.currentTarget.checked ? [...held, agent.id] : held.filter((id) => id !== agent.id),
                    )
                  }
                />
                {agent.name}
              </label>
            ))}
        </div>
      </fieldset>
      <FormActions busy={busy} submit={editing ? 'Save team' : 'Add team'} onCancel={editing ? onDone : undefined} />
      <Feedback error={error} done={done} />
    </form>
  );
}

export function CannedSettings() {
  const inbox = useInbox();
  const canned = useStore(inbox.workspace, (state) => state.cannedResponses);
  const [editing, setEditing] = useState<CannedResponse | null>(null);
  return (
    <>
      <p class="settings-lead">
        Saved replies. In the composer, type <kbd>/</kbd> and the shortcut. Variables:{' '}
        <code>{'{{contact.name}}'}</code>, <code>{'{{contact.firstName}}'}</code>, <code>{'{{contact.email}}'}</code>,{' '}
        <code>{'{{agent.name}}'}</code>.
      </p>
      <ResourceList
        name="Canned responses"
        items={canned}
        render={(response) => (
          <>
            <span class="resource-name mono">/{response.shortcut}</span>
            <span class="resource-detail">
              <strong>{response.title}</strong>
              <span class="muted clamp">{response.body}</span>
            </span>
          </>
        )}
        itemName={(response) => `/${response.shortcut}`}
        onEdit={setEditing}
        onDelete={(response) => inbox.api.deleteCanned(response.id)}
      />
      <CannedForm key={editing?.id ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
    </>
  );
}

function CannedForm({ editing, onDone }: { editing: CannedResponse | null; onDone: () => void }) {
  const inbox = useInbox();
  const [shortcut, setShortcut] = useState(editing?.shortcut ?? '');
  const [title, setTitle] = useState(editing?.title ?? '');
  const [body, setBody] = useState(editing?.body ?? '');
  const { busy, error, done, run } = useAction();
  return (
    <form
      class="card form"
      aria-label={editing ? `Edit canned response /${editing.shortcut}` : 'New canned response'}
      onSubmit={(event) => {
        event.preventDefault();
        void run(async () => {
          const request = { shortcut, title, body };
          if (editing) await inbox.api.updateCanned(editing.id, request);
          else await inbox.api.createCanned(request);
          await inbox.refreshWorkspace();
          if (editing) onDone();
          else {
            setShortcut('');
            setTitle('');
            setBody('');
          }
        }, editing ? 'Response saved' : 'Response added');
      }}
    >
      <h2 class="card-title">{editing ? `Edit /${editing.shortcut}` : 'New canned response'}</h2>
      <div class="form-row">
        <label class="field">
          <span class="field-label">Shortcut</span>
          <input
            type="text"
            required
            pattern="[\w\-]{1,40}"
            title="Letters, digits, - and _ only"
            value={shortcut}
            onInput={(event) => setShortcut(event.currentTarget.value)}
          />
        </label>
        <label class="field grow">
          <span class="field-label">Title</span>
          <input type="text" required value={title} onInput={(event) => setTitle(event.currentTarget.value)} />
        </label>
      </div>
      <label class="field">
        <span class="field-label">Message</span>
        <textarea rows={4} required value={body} onInput={(event) => setBody(event.currentTarget.value)} />
      </label>
      <FormActions busy={busy} submit={editing ? 'Save response' : 'Add response'} onCancel={editing ? onDone : undefined} />
      <Feedback error={error} done={done} />
    </form>
  );
}

// ── shared pieces ───────────────────────────────────────────────────────────

function ResourceList<T extends { id: string }>({
  name,
  items,
  render,
  itemName,
  onEdit,
  onDelete,
}: {
  name: string;
  items: readonly T[];
  render: (item: T) => preact.ComponentChildren;
  itemName: (item: T) => string;
  onEdit: (item: T) => void;
  onDelete: (item: T) => Promise<void>;
}) {
  const inbox = useInbox();
  const { error, run } = useAction();
  if (items.length === 0) return <p class="card muted">None yet. Add the first below.</p>;
  return (
    <>
      <ul class="card resource-list" aria-label={name}>
        {items.map((item) => (
          <li key={item.id} class="resource">
            {render(item)}
            <span class="resource-actions">
              <button type="button" class="btn btn-quiet" aria-label={`Edit ${itemName(item)}`} onClick={() => onEdit(item)}>
                Edit
              </button>
              <button
                type="button"
                class="btn btn-quiet btn-danger"
                aria-label={`Delete ${itemName(item)}`}
                onClick={() => {
                  if (!confirm(`Delete ${itemName(item)}?`)) return;
                  void run(async () => {
                    await onDelete(item);
                    await inbox.refreshWorkspace();
                  }, null);
                }}
              >
                Delete
              </button>
            </span>
          </li>
        ))}
      </ul>
      {error && (
        <p class="form-alert" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

export function ColorField({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <div class="field color-field">
      <span class="field-label" aria-hidden="true">
        {label}
      </span>
      <span class="color-input">
        <input type="color" aria-label={`${label} picker`} value={value} onInput={(event) => onChange(event.currentTarget.value)} />
        <input
          type="text"
          aria-label={label}
          value={value}
          pattern="#[0-9a-fA-F]{6}"
          size={8}
          onInput={(event) => onChange(event.currentTarget.value)}
        />
      </span>
    </div>
  );
}

export function FormActions({ busy, submit, onCancel }: { busy: boolean; submit: string; onCancel?: (() => void) | undefined }) {
  return (
    <div class="form-actions">
      {onCancel && (
        <button type="button" class="btn btn-quiet" onClick={onCancel}>
          Cancel
        </button>
      )}
      <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
        {submit}
      </button>
    </div>
  );
}
