import { CHAT_ICON, type Host } from '../host.ts';
import { t } from '../i18n.ts';
import { unreadCount, type Chat, type ChatState } from '../store/chat.ts';
import { onAccent } from './contrast.ts';
import { CLOSE_ICON } from './dom.ts';
import { createPanel } from './Panel.ts';

/** Under this width the panel takes the whole screen (see styles.ts) and the page behind must not scroll. */
const PHONE = '(max-width: 639.98px)';

/**
 * The panel, plus what it keeps in step on the loader's launcher: its name, `aria-expanded`, its
 * icon, the badge (`renderInto` adds it), the open and hidden classes, the site's theme. Plain DOM
 * over the store: the visitor can type before Preact (the thread's) has loaded. Returns the log
 * (for the thread) and the unmount.
 */
export function mountApp(chat: Chat, host: Host, badge: HTMLElement): { log: HTMLElement; dispose: () => void } {
  const { launcher, root } = host;
  const panel = createPanel(chat, host.adopt, () => {
    chat.close();
    launcher.focus();
  });
  root.prepend(panel.element);
  let last: ChatState | undefined;
  let unlock: (() => void) | undefined;

  const update = (state: ChatState) => {
    const unread = unreadCount(state);
    // Closed from anywhere (Escape, `Parley('close')`) while focus was inside the panel: focus
    // would fall to the host's <body>, so it goes back to the launcher instead.
    const active = (root.getRootNode() as Document | ShadowRoot).activeElement;
    const refocus = !state.open && active && panel.element.contains(active);
    panel.update(state);
    launcher.setAttribute('aria-label', state.open ? t('closeChat') : unread > 0 ? t('openChatUnread', { count: unread }) : t('openChat'));
    launcher.setAttribute('aria-expanded', String(state.open));
    launcher.setAttribute('aria-controls', 'pw-panel');
    host.icon.setAttribute('d', state.open ? CLOSE_ICON : CHAT_ICON);
    badge.textContent = unread > 99 ? '99+' : String(unread);
    badge.hidden = state.open || unread === 0;
    root.classList.toggle('pw-open', state.open);
    root.classList.toggle('pw-gone', !state.visible);
    const a = state.appearance;
    if (a && a !== last?.appearance) host.theme({ ...a, onAccent: onAccent(a.color) });
    if (refocus) launcher.focus();
    if (state.open !== last?.open) {
      unlock?.();
      unlock = state.open && matchMedia(PHONE).matches ? lockScroll(root.ownerDocument) : undefined;
    }
    last = state;
  };
  update(chat.store.get());
  const unsubscribe = chat.store.subscribe(update);
  return {
    log: panel.log,
    dispose() {
      unsubscribe();
      unlock?.();
    },
  };
}

/**
 * On a phone the panel covers the page; the page must not scroll behind it. Restored exactly
 * (value and priority) on close, so a page that locks scrolling itself keeps its own lock.
 */
function lockScroll(doc: Document): () => void {
  const styles = [doc.documentElement.style, doc.body.style];
  const saved = styles.map((style) => [style.getPropertyValue('overflow'), style.getPropertyPriority('overflow')] as const);
  for (const style of styles) style.setProperty('overflow', 'hidden', 'important');
  return () =>
    styles.forEach((style, i) => {
      const [value, priority] = saved[i] ?? ['', ''];
      if (value) style.setProperty('overflow', value, priority);
      else style.removeProperty('overflow');
    });
}
