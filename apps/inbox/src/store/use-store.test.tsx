import { act, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { useStore } from './use-store.ts';

describe('useStore', () => {
  it('renders the selected slice and re-renders only when it changes', () => {
    const store = createStore<{ count: number; other: string }>()(() => ({ count: 1, other: 'a' }));
    let renders = 0;
    function Counter() {
      renders++;
      const count = useStore(store, (state) => state.count);
      return <output aria-label="Count">{count}</output>;
    }
    render(<Counter />);
    expect(screen.getByRole('status', { name: 'Count' }).textContent).toBe('1');

    act(() => store.setState({ count: 2 }));
    expect(screen.getByRole('status', { name: 'Count' }).textContent).toBe('2');
    const after = renders;

    act(() => store.setState({ other: 'b' }));
    expect(renders).toBe(after);
  });

  it('unsubscribes on unmount', () => {
    const store = createStore<{ count: number }>()(() => ({ count: 1 }));
    let listeners = 0;
    const subscribe = store.subscribe;
    store.subscribe = (listener) => {
      listeners++;
      const off = subscribe(listener);
      return () => {
        listeners--;
        off();
      };
    };
    function Counter() {
      return <span>{useStore(store, (state) => state.count)}</span>;
    }
    const { unmount } = render(<Counter />);
    expect(listeners).toBe(1);
    unmount();
    expect(listeners).toBe(0);
  });
});
