import type { Inbox } from '../store/inbox.ts';

/** Every keyboard shortcut, as the help dialog and docs/inbox.md list them. */
export const SHORTCUTS: ReadonlyArray<{ keys: string[]; does: string }> = [
  { keys: ['j'], does: 'Next conversation in the list' },
  { keys: ['k'], does: 'Previous conversation in the list' },
  { keys: ['Enter'], does: 'Open the conversation under the cursor' },
  { keys: ['r'], does: 'Reply: focus the composer' },
  { keys: ['n'], does: 'Write a private note' },
  { keys: ['e'], does: 'Resolve the open conversation' },
  { keys: ['a'], does: 'Assign (to me, a teammate or a team), with an optional transfer note' },
  { keys: ['l'], does: 'Add or remove labels' },
  { keys: ['s'], does: 'Snooze until a time' },
  { keys: ['p'], does: 'Set priority' },
  { keys: ['/'], does: 'Search messages and contacts' },
  { keys: ['?'], does: 'Show this list' },
  { keys: ['Esc'], does: 'Close a dialog or suggestion list; leave the text field' },
  { keys: ['Enter'], does: 'In the composer: send (Shift+Enter: new line)' },
  { keys: ['/'], does: 'In the composer: insert a canned response (↑ ↓, Enter)' },
  { keys: ['@'], does: 'In a note: mention a teammate' },
];

/** Whether the key went to something that takes text: shortcuts stay out of the agent's way there. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'color', 'range'].includes(target.type);
  }
  return false;
}

/**
 * The inbox's keyboard: a `keydown` listener for the document. Letters never fire while the
 * agent types in a field (Escape there leaves the field), nor with Ctrl/Alt/Meta held (the
 * browser's own shortcuts), nor while a dialog is open (it has its own keys).
 */
export function handleShortcut(inbox: Inbox, event: KeyboardEvent): void {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  if (isTyping(event.target)) {
    if (event.key === 'Escape') (event.target as HTMLElement).blur();
    return;
  }
  if (inbox.ui.getState().dialog !== null) return;
  const selected = inbox.conversations.getState().selectedId;
  const ui = inbox.ui;
  const act = (run: () => void) => {
    event.preventDefault();
    run();
  };
  switch (event.key) {
    case 'j':
    case 'k':
      return act(() => {
        if (inbox.moveCursor(event.key === 'j' ? 1 : -1) !== null) ui.setState((state) => ({ cursorMoved: state.cursorMoved + 1 }));
      });
    case 'Enter': {
      // A focused button (a list item among them) handles Enter itself.
      if (event.target instanceof HTMLButtonElement || event.target instanceof HTMLAnchorElement) return;
      const cursor = inbox.conversations.getState().cursorId;
      if (cursor) act(() => void inbox.open(cursor));
      return;
    }
    case 'r':
    case 'n':
      if (!selected) return;
      return act(() =>
        ui.setState((state) => ({ composerMode: event.key === 'n' ? 'note' : 'reply', focusComposer: state.focusComposer + 1 })),
      );
    case 'e':
      if (!selected) return;
      return act(() => void inbox.setStatus(selected, 'resolved').catch(() => {}));
    case 'a':
      if (!selected) return;
      return act(() => ui.setState({ dialog: 'assign' }));
    case 'l':
      if (!selected) return;
      return act(() => ui.setState({ dialog: 'labels' }));
    case 's':
      if (!selected) return;
      return act(() => ui.setState({ dialog: 'snooze' }));
    case 'p':
      if (!selected) return;
      return act(() => ui.setState({ dialog: 'priority' }));
    case '/':
      return act(() => ui.setState({ dialog: 'search' }));
    case '?':
      return act(() => ui.setState({ dialog: 'help' }));
    default:
      return;
  }
}
