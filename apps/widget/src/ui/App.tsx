import { useLayoutEffect, useRef } from 'preact/hooks';
import { unreadCount, type Chat } from '../store/chat.ts';
import { useStore } from '../store/use-store.ts';
import { Launcher } from './Launcher.tsx';
import { Panel } from './Panel.tsx';
import { themeVars } from './theme.ts';

/** Key events typed into the widget stop at its root, so the host page's shortcuts do not fire while the visitor writes. */
const stop = (event: Event) => event.stopPropagation();

export function App({ chat }: { chat: Chat }) {
  const state = useStore(chat.store);
  const root = useRef<HTMLDivElement>(null);
  const launcher = useRef<HTMLButtonElement>(null);

  // Closed from anywhere (Escape, `Parley('close')`) while focus was inside the panel: focus
  // would fall to the host's <body>, so it goes back to the launcher instead.
  useLayoutEffect(() => {
    if (state.open) return;
    const rootNode = root.current?.getRootNode() as Document | ShadowRoot | undefined;
    const panel = root.current?.querySelector('.pw-panel');
    if (panel && rootNode?.activeElement && panel.contains(rootNode.activeElement)) launcher.current?.focus();
  }, [state.open]);

  const position = state.appearance?.position === 'left' ? ' pw-left' : '';
  return (
    <div
      ref={root}
      class={`pw-root${state.open ? ' pw-open' : ''}${position}`}
      style={themeVars(state.appearance?.color)}
      onKeyDown={stop}
      onKeyUp={stop}
      onKeyPress={stop}
    >
      <Panel
        chat={chat}
        state={state}
        onClose={() => {
          chat.close();
          launcher.current?.focus();
        }}
      />
      <Launcher buttonRef={launcher} open={state.open} unread={unreadCount(state)} onClick={chat.toggle} />
    </div>
  );
}
