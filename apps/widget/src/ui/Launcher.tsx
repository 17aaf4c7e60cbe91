import type { Ref } from 'preact';
import { t } from '../i18n.ts';
import { ChatIcon, CloseIcon } from './icons.tsx';

interface LauncherProps {
  open: boolean;
  unread: number;
  onClick: () => void;
  buttonRef: Ref<HTMLButtonElement>;
}

/** The round button in the page's corner. Its name carries the unread count; the badge is for the eyes only. */
export function Launcher({ open, unread, onClick, buttonRef }: LauncherProps) {
  const label = open ? t('closeChat') : unread > 0 ? t('openChatUnread', { count: unread }) : t('openChat');
  return (
    <button
      ref={buttonRef}
      type="button"
      class="pw-launcher"
      aria-label={label}
      aria-expanded={open ? 'true' : 'false'}
      aria-controls="pw-panel"
      onClick={onClick}
    >
      {open ? <CloseIcon /> : <ChatIcon />}
      {!open && unread > 0 && (
        <span class="pw-badge" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </button>
  );
}
