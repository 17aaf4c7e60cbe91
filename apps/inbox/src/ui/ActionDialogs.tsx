import type { ConversationSummary, Priority } from '@parley/protocol';
import { useId, useState } from 'preact/hooks';
import { PRIORITY_LABEL } from '../format.ts';
import { useStore } from '../store/use-store.ts';
import { useInbox } from './context.ts';
import { Modal } from './Modal.tsx';
import { Picker, type PickerOption } from './Picker.tsx';

/** The dialogs a (keyboard) action opens on the conversation on screen: a, l, s and priority. */
export function ActionDialogs({ summary }: { summary: ConversationSummary }) {
  const inbox = useInbox();
  const dialog = useStore(inbox.ui, (state) => state.dialog);
  const close = () => inbox.ui.setState({ dialog: null });
  if (dialog === 'assign') return <AssignDialog summary={summary} onClose={close} />;
  if (dialog === 'labels') return <LabelsDialog summary={summary} onClose={close} />;
  if (dialog === 'snooze') return <SnoozeDialog summary={summary} onClose={close} />;
  if (dialog === 'priority') return <PriorityDialog summary={summary} onClose={close} />;
  return null;
}

function useFailure() {
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<void>, onDone: () => void) => {
    setError(null);
    try {
      await action();
      onDone();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'The change was not saved.');
    }
  };
  return { error, run };
}

function AssignDialog({ summary, onClose }: { summary: ConversationSummary; onClose: () => void }) {
  const inbox = useInbox();
  const agents = useStore(inbox.workspace, (state) => state.agents);
  const teams = useStore(inbox.workspace, (state) => state.teams);
  const meId = useStore(inbox.session, (state) => state.me?.agent.id ?? null);
  const [note, setNote] = useState('');
  const noteId = useId();
  const { error, run } = useFailure();

  const options: PickerOption[] = [
    ...(summary.assigneeId !== meId && meId ? [{ id: `agent:${meId}`, label: 'Assign to me' }] : []),
    ...agents
      .filter((agent) => agent.active && agent.id !== meId)
      .map((agent) => ({
        id: `agent:${agent.id}`,
        label: agent.name,
        hint: `${agent.id === summary.assigneeId ? 'assigned · ' : ''}${agent.connected ? agent.status : 'offline'}`,
      })),
    ...teams.map((team) => ({ id: `team:${team.id}`, label: `Team ${team.name}`, hint: team.id === summary.teamId ? 'current team' : '' })),
    ...(summary.assigneeId !== null ? [{ id: 'agent:', label: 'Unassign' }] : []),
  ];

  function choose(choice: string) {
    const [kind, id] = choice.split(':') as ['agent' | 'team', string];
    const to = kind === 'agent' ? { assigneeId: id || null } : { teamId: id };
    void run(() => inbox.assign(summary.id, to, note), onClose);
  }

  return (
    <Modal title="Assign conversation" onClose={onClose}>
      <Picker label="Assign to" placeholder="Find a teammate or team…" options={options} onChoose={choose}>
        <label class="field picker-note" for={noteId}>
          <span class="field-label">Transfer note (optional)</span>
          <textarea
            id={noteId}
            rows={2}
            placeholder="Context for the next person: what was tried, what the customer needs."
            value={note}
            onInput={(event) => setNote(event.currentTarget.value)}
          />
        </label>
      </Picker>
      {error && (
        <p class="form-alert" role="alert">
          {error}
        </p>
      )}
      <p class="modal-hint">↑ ↓ to move · Enter to assign · Esc to close</p>
    </Modal>
  );
}

function LabelsDialog({ summary, onClose }: { summary: ConversationSummary; onClose: () => void }) {
  const inbox = useInbox();
  const labels = useStore(inbox.workspace, (state) => state.labels);
  // The summary prop is the one on screen; read the live one so toggles show at once.
  const labelIds = useStore(inbox.conversations, (state) => state.byId[summary.id]?.labelIds ?? summary.labelIds);
  const { error, run } = useFailure();
  const options = labels.map((label) => ({ id: label.id, label: label.name, color: label.color, checked: labelIds.includes(label.id) }));
  return (
    <Modal title="Labels" onClose={onClose}>
      <Picker
        label="Labels"
        placeholder="Find a label…"
        options={options}
        multi
        empty={labels.length === 0 ? 'No labels yet. Admins add them in Settings → Labels.' : 'Nothing matches.'}
        onChoose={(id) => void run(() => inbox.toggleLabel(summary.id, id), () => {})}
      />
      {error && (
        <p class="form-alert" role="alert">
          {error}
        </p>
      )}
      <p class="modal-hint">Enter adds or removes · Esc when done</p>
    </Modal>
  );
}

/** The next occurrence of `hour`:00 local time, `days` from today. */
function at(days: number, hour: number, now = new Date()): number {
  const date = new Date(now);
  date.setDate(date.getDate() + days);
  date.setHours(hour, 0, 0, 0);
  return date.getTime();
}

function nextMonday(now = new Date()): number {
  const days = ((8 - now.getDay()) % 7) || 7;
  return at(days, 9, now);
}

const whenFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });

/** `YYYY-MM-DDTHH:MM` in local time, for a datetime-local input. */
function localInput(at: number): string {
  const date = new Date(at - new Date(at).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

function SnoozeDialog({ summary, onClose }: { summary: ConversationSummary; onClose: () => void }) {
  const inbox = useInbox();
  const { error, run } = useFailure();
  const [custom, setCustom] = useState(() => localInput(Date.now() + 3_600_000));
  const customId = useId();
  const now = Date.now();
  const choices: Array<{ id: string; label: string; until: number }> = [
    { id: '1h', label: 'In 1 hour', until: now + 3_600_000 },
    { id: '3h', label: 'In 3 hours', until: now + 3 * 3_600_000 },
    { id: 'tomorrow', label: 'Tomorrow morning', until: at(1, 9) },
    { id: 'monday', label: 'Next Monday', until: nextMonday() },
  ];
  const snooze = (until: number) => void run(() => inbox.snooze(summary.id, until), onClose);

  return (
    <Modal title="Snooze until" onClose={onClose}>
      <Picker
        label="Snooze until"
        placeholder="Pick a time…"
        options={choices.map((choice) => ({ id: choice.id, label: choice.label, hint: whenFormat.format(choice.until) }))}
        onChoose={(id) => snooze(choices.find((choice) => choice.id === id)!.until)}
      />
      <form
        class="snooze-custom"
        onSubmit={(event) => {
          event.preventDefault();
          const until = new Date(custom).getTime();
          if (Number.isFinite(until) && until > Date.now()) snooze(until);
        }}
      >
        <label class="field" for={customId}>
          <span class="field-label">Until a date and time</span>
          <input id={customId} type="datetime-local" step={1} value={custom} onInput={(event) => setCustom(event.currentTarget.value)} />
        </label>
        <button type="submit" class="btn">
          Snooze
        </button>
      </form>
      {error && (
        <p class="form-alert" role="alert">
          {error}
        </p>
      )}
      <p class="modal-hint">It returns to Open by itself at that time, or sooner if the customer writes.</p>
    </Modal>
  );
}

const PRIORITIES: Priority[] = ['urgent', 'high', 'medium', 'low', 'none'];

function PriorityDialog({ summary, onClose }: { summary: ConversationSummary; onClose: () => void }) {
  const inbox = useInbox();
  const { error, run } = useFailure();
  return (
    <Modal title="Priority" onClose={onClose}>
      <Picker
        label="Priority"
        placeholder="Set priority…"
        options={PRIORITIES.map((priority) => ({
          id: priority,
          label: PRIORITY_LABEL[priority],
          hint: priority === summary.priority ? 'current' : '',
        }))}
        onChoose={(id) => void run(() => inbox.setPriority(summary.id, id as Priority), onClose)}
      />
      {error && (
        <p class="form-alert" role="alert">
          {error}
        </p>
      )}
    </Modal>
  );
}
