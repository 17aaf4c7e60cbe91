import { isRtl, t } from '../i18n.ts';
import { emailGate, type Chat, type ChatState } from '../store/chat.ts';
import { createComposer } from './Composer.ts';
import { CHEVRON_ICON, el, icon } from './dom.ts';

type Form = ReturnType<typeof import('./EmailForm.ts').createEmailForm>;

/**
 * The chat window: header, status, the log (which the thread chunk fills, see `Thread.tsx`) and
 * the composer, or the email form in its place. It stays in the DOM while closed (hidden), so the
 * draft and scroll position survive a close and reopen. `update` brings it in step with the state.
 */
export function createPanel(chat: Chat, adopt: (css: string) => void, onClose: () => void) {
  const title = el('h2');
  const dot = el('span', { 'aria-hidden': 'true' });
  const presence = document.createTextNode('');
  const availability = el('p', {}, dot, presence);
  const minimize = el('button', { type: 'button', class: 'pw-minimize' }, icon(CHEVRON_ICON));
  const status = el('p', { class: 'pw-status', role: 'status' });
  const log = el('div', { class: 'pw-log', role: 'log', 'aria-live': 'polite', tabindex: 0 });
  const note = el('p', { class: 'pw-note' });
  const composer = createComposer(chat);
  const element = el(
    'div',
    { id: 'pw-panel', class: 'pw-panel', role: 'dialog' },
    el('header', { class: 'pw-header' }, el('div', { class: 'pw-title' }, title, availability), minimize),
    status,
    log,
    note,
    composer.element,
  );
  minimize.onclick = onClose;
  element.onkeydown = (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  let form: Form | undefined;
  let formLoading = false;
  /** What was last focused for: the first field is focused on open, and when the form and composer trade places. */
  let focusedFor = '';

  function update(state: ChatState): void {
    const name = state.appearance?.name || t('chat');
    const online = state.site?.online;
    const gate = emailGate(state);
    element.hidden = !state.open;
    element.dir = isRtl(state.locale) ? 'rtl' : 'ltr';
    element.lang = state.locale;
    element.setAttribute('aria-label', name);
    title.textContent = name;
    availability.hidden = online === undefined;
    dot.className = online ? 'pw-dot pw-on' : 'pw-dot';
    presence.data = (online ? t('online') : t('away')) + (online && state.appearance?.replyTime ? ` · ${state.appearance.replyTime}` : '');
    minimize.setAttribute('aria-label', t('minimize'));
    status.hidden = state.status !== 'reconnecting';
    status.textContent = t('reconnecting');
    log.setAttribute('aria-label', t('messages'));
    note.hidden = !!gate || online !== false || !state.email;
    note.textContent = t('replyTo', { email: state.email ?? '' });
    composer.update(!!gate);
    form?.update(gate);
    // The email form is a chunk of its own; `welcome` says a site needs it before the visitor could type.
    if (gate && !form && !formLoading) {
      formLoading = true;
      import('./EmailForm.ts').then(
        (module) => {
          adopt(module.css);
          form = module.createEmailForm(chat);
          element.append(form.element);
          update(chat.store.get());
        },
        (error: unknown) => {
          formLoading = false;
          console.error('[Parley] The email form could not load.', error);
        },
      );
    }
    const field = gate ? form?.field : composer.input;
    const focusKey = state.open && field ? `${gate}` : '';
    if (focusKey && focusKey !== focusedFor) field?.focus();
    focusedFor = focusKey;
  }

  return { element, log, update };
}
