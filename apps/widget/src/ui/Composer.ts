import { t } from '../i18n.ts';
import type { Chat } from '../store/chat.ts';
import { SEND_ICON, el, icon } from './dom.ts';

/** Longest text the relay accepts (LIMITS.maxTextLength), inlined to keep protocol's schemas out of the bundle. */
const MAX_TEXT = 8000;

/** The message box and Send. The draft lives in the textarea itself, so it survives a close and reopen. */
export function createComposer(chat: Pick<Chat, 'send' | 'typing'>) {
  const input = el('textarea', { class: 'pw-input', rows: 1, maxlength: MAX_TEXT });
  const send = el('button', { type: 'submit', class: 'pw-send', disabled: true }, icon(SEND_ICON));
  const element = el('form', { class: 'pw-composer' }, input, send);

  const changed = () => {
    send.disabled = input.value.trim() === '';
    // Grow with the text up to the CSS max-height; set through the CSSOM, which a strict CSP allows.
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight}px`;
  };
  const submit = () => {
    if (input.value.trim() === '') return;
    chat.send(input.value);
    input.value = '';
    changed();
  };
  element.onsubmit = (event) => {
    event.preventDefault();
    submit();
  };
  input.oninput = () => {
    changed();
    chat.typing(input.value.trim() !== '');
  };
  input.onkeydown = (event) => {
    // Enter sends, Shift+Enter breaks the line; never mid-composition (IME users pick a word with Enter).
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return {
    element,
    input,
    /** Hidden while the email form stands in for it; the strings follow the locale. */
    update(hidden: boolean) {
      element.hidden = hidden;
      input.setAttribute('aria-label', t('message'));
      input.placeholder = t('placeholder');
      send.setAttribute('aria-label', t('send'));
    },
  };
}
