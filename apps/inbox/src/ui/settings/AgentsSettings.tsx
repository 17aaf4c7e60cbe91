import type { AgentRole } from '@parley/protocol';
import { useState } from 'preact/hooks';
import { useStore } from '../../store/use-store.ts';
import { useInbox } from '../context.ts';
import { Feedback } from './Feedback.tsx';
import { FormActions } from './ResourceSettings.tsx';
import { useAction } from './use-action.ts';

/** Invite by link, change roles, deactivate (the relay ends their sessions at once). */
export function AgentsSettings() {
  const inbox = useInbox();
  const agents = useStore(inbox.workspace, (state) => state.agents);
  const meId = useStore(inbox.session, (state) => state.me?.agent.id);
  const { error, run } = useAction();

  const change = (id: string, patch: { role?: AgentRole; active?: boolean }) =>
    void run(async () => {
      await inbox.api.updateAgent(id, patch);
      await inbox.refreshWorkspace();
    }, null);

  return (
    <>
      <InviteForm />
      <table class="card table" aria-label="Agents">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <tr key={agent.id} class={agent.active ? undefined : 'row-inactive'}>
              <td>
                <div class="resource-detail">
                  <strong>
                    {agent.name}
                    {agent.id === meId ? ' (you)' : ''}
                  </strong>
                  <span class="muted">{agent.email}</span>
                </div>
              </td>
              <td>
                <select
                  aria-label={`Role of ${agent.name}`}
                  value={agent.role}
                  disabled={agent.id === meId || !agent.active}
                  onChange={(event) => change(agent.id, { role: event.currentTarget.value as AgentRole })}
                >
                  <option value="agent">Agent</option>
                  <option value="admin">Admin</option>
                </select>
              </td>
              <td>
                {!agent.active ? (
                  <span class="muted">Deactivated</span>
                ) : (
                  <span class={agent.connected && agent.status === 'online' ? 'presence-text presence-text-online' : 'presence-text'}>
                    {agent.connected ? (agent.status === 'online' ? 'Online' : 'Away') : 'Offline'}
                  </span>
                )}
              </td>
              <td class="cell-actions">
                {agent.id !== meId &&
                  (agent.active ? (
                    <button
                      type="button"
                      class="btn btn-quiet btn-danger"
                      aria-label={`Deactivate ${agent.name}`}
                      onClick={() => {
                        if (confirm(`Deactivate ${agent.name}? They are signed out at once.`)) change(agent.id, { active: false });
                      }}
                    >
                      Deactivate
                    </button>
                  ) : (
                    <button type="button" class="btn btn-quiet" aria-label={`Reactivate ${agent.name}`} onClick={() => change(agent.id, { active: true })}>
                      Reactivate
                    </button>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && (
        <p class="form-alert" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function InviteForm() {
  const inbox = useInbox();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<AgentRole>('agent');
  const [invite, setInvite] = useState<{ url: string; expiresAt: number } | null>(null);
  const { busy, error, done, run } = useAction();
  return (
    <form
      class="card form"
      aria-label="Invite an agent"
      onSubmit={(event) => {
        event.preventDefault();
        void run(async () => {
          const created = await inbox.api.invite(email, role);
          setInvite({ url: new URL(created.inviteUrl, location.href).href, expiresAt: created.expiresAt });
          setEmail('');
        }, null);
      }}
    >
      <h2 class="card-title">Invite an agent</h2>
      <div class="form-row">
        <label class="field grow">
          <span class="field-label">Email</span>
          <input type="email" required value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">Role</span>
          <select value={role} onChange={(event) => setRole(event.currentTarget.value as AgentRole)}>
            <option value="agent">Agent</option>
            <option value="admin">Admin</option>
          </select>
        </label>
      </div>
      <FormActions busy={busy} submit="Create invite link" />
      <Feedback error={error} done={done} />
      {invite && (
        <div class="secret" role="status" aria-label="New invite">
          <p>
            Send this link to your teammate. It works once, until {new Date(invite.expiresAt).toLocaleDateString()}.
          </p>
          <CopyField label="Invite link" value={invite.url} />
        </div>
      )}
    </form>
  );
}

/** A read-only value with a Copy button (invite links, script tags, secrets). */
export function CopyField({ label, value, multiline = false }: { label: string; value: string; multiline?: boolean }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="copy-field">
      {multiline ? (
        <textarea aria-label={label} readOnly rows={4} value={value} class="mono" onFocus={(event) => event.currentTarget.select()} />
      ) : (
        <input type="text" aria-label={label} readOnly value={value} class="mono" onFocus={(event) => event.currentTarget.select()} />
      )}
      <button
        type="button"
        class="btn"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {copied ? 'Copied' : `Copy ${label.toLowerCase()}`}
      </button>
    </div>
  );
}
