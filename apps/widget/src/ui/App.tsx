import { useEffect, useLayoutEffect } from 'preact/hooks';
import { CHAT_ICON, type Host } from '../host.ts';
import { t } from '../i18n.ts';
import { unreadCount, type Chat } from '../store/chat.ts';
import { useStore } from '../store/use-store.ts';
import { onAccent } from './contrast.ts';
import { CLOSE_ICON } from './icons.tsx';
import { Panel } from './Panel.tsx';

/** Under this width the panel takes the whole screen (see styles.ts) and the page behind must not scroll. */
const PHONE = '(max-width: 639.98px)';

/**
 * The panel, plus what it keeps in step on the loader's launcher: its name, `aria-expanded`, its
 * icon, the badge (`renderInto` adds it), the open and hidden classes, the site's theme.
 */
export function App({ chat, host, badge }: { chat: Chat; host: Host; badge: HTMLElement }) {
  const state = useStore(chat.store);
  const unread = unreadCount(state);
  const { launcher, root } = host;

  useLayoutEffect(() => {
    launcher.setAttribute('aria-label', state.open ? t('closeChat') : unread > 0 ? t('openChatUnread', { count: unread }) : t('openChat'));
    launcher.setAttribute('aria-expanded', String(state.open));
    launcher.setAttribute('aria-controls', 'pw-panel');
    host.icon.setAttribute('d', state.open ? CLOSE_ICON : CHAT_ICON);
    badge.textContent = unread > 99 ? '99+' : String(unread);
    badge.hidden = state.open || unread === 0;
    root.classList.toggle('pw-open', state.open);
    root.classList.toggle('pw-gone', !state.visible);
  });

  useEffect(() => {
    const a = state.appearance;
    if (a) host.theme({ ...a, onAccent: onAccent(a.color) });
  }, [host, state.appearance]);

  // Closed from anywhere (Escape, `Parley('close')`) while focus was inside the panel: focus
  // would fall to the host's <body>, so it goes back to the launcher instead.
  useLayoutEffect(() => {
    if (state.open) return;
    const active = (root.getRootNode() as Document | ShadowRoot).activeElement;
    const panel = root.querySelector('.pw-panel');
    if (panel && active && panel.contains(active)) launcher.focus();
  }, [state.open]);

  // On a phone the panel covers the page; the page must not scroll behind it. Restored exactly
  // (value and priority) on close, so a page that locks scrolling itself keeps its own lock.
  useEffect(() => {
    if (!state.open || !matchMedia(PHONE).matches) return;
    const doc = root.ownerDocument;
    const styles = [doc.documentElement.style, doc.body.style];
    const saved = styles.map((style) => [style.getPropertyValue('overflow'), style.getPropertyPriority('overflow')] as const);
    for (const style of styles) style.setProperty('overflow', 'hidden', 'important');
    return () => styles.forEach((style, i) => {
      const [value, priority] = saved[i] ?? ['', ''];
      if (value) style.setProperty('overflow', value, priority);
      else style.removeProperty('overflow');
    });
  }, [state.open]);

  return (
    <Panel
      chat={chat}
      state={state}
      adopt={host.adopt}
      onClose={() => {
        chat.close();
        launcher.focus();
      }}
    />
  );
}
