import { createStore } from 'zustand/vanilla';

/** The overlays the keyboard opens: one at a time. */
export type Dialog = 'assign' | 'labels' | 'snooze' | 'priority' | 'help' | 'search';

export type ComposerMode = 'reply' | 'note';

export interface UiState {
  dialog: Dialog | null;
  composerMode: ComposerMode;
  /** Bumped to ask the composer to take focus (r, n). */
  focusComposer: number;
  /** Bumped when j / k moved the cursor, so the list scrolls to it and focuses it. */
  cursorMoved: number;
}

export type UiStore = ReturnType<typeof createUiStore>;

/** Screen-only state that is no one else's business: which overlay is open, reply or note. */
export function createUiStore() {
  return createStore<UiState>()(() => ({ dialog: null, composerMode: 'reply', focusComposer: 0, cursorMoved: 0 }));
}
