import { t } from '../i18n.ts';
import { EMAIL, type Chat, type EmailGate } from '../store/chat.ts';
import { el } from './dom.ts';

/**
 * The form's styles, adopted when this chunk loads (the panel's are in styles.ts). The field
 * looks like the composer's input, and like it takes 16 px on phones so iOS does not zoom.
 */
export const css = /* css */ `
.pw-gate{display:flex;flex-direction:column;gap:12px;padding:16px 20px 20px;border-top:1px solid #e5e7eb;background:#fff}
.pw-gate h3{font-size:15px;font-weight:600}
.pw-gate p{color:#4b5563;font-size:13px;line-height:19px}
.pw-gate p.pw-error{color:#b91c1c}
.pw-field{width:100%;min-height:40px;padding:9px 12px;border:1px solid #d1d5db;border-radius:12px;background:#fff;color:#111827;font-size:14px;line-height:20px}
.pw-field::placeholder{color:#9ca3af;opacity:1}
.pw-field:focus-visible{outline-offset:0;border-color:var(--pw-accent)}
.pw-field[aria-invalid=true]{border-color:#b91c1c}
.pw-actions{display:flex;align-items:center;gap:12px}
.pw-primary{height:40px;padding:0 20px;border-radius:12px;background:var(--pw-accent);color:var(--pw-on-accent);font-weight:600}
.pw-primary:disabled{opacity:.6}
.pw-skip{padding:8px;color:#4b5563;text-decoration:underline}
@media (max-width:639.98px){.pw-field{font-size:16px}}
`;

/**
 * Asks for the visitor's email in place of the composer (a chunk of its own: only sites with a
 * pre-chat form, or a team that is away, need it). The composer comes back once it is given or skipped.
 */
export function createEmailForm(chat: Pick<Chat, 'submitEmail' | 'skipEmail'>) {
  const heading = el('h3');
  const text = el('p');
  const field = el('input', { type: 'email', class: 'pw-field', autocomplete: 'email' });
  // Filled when the email is invalid: an alert announces the text it gains.
  const error = el('p', { id: 'pw-email-error', class: 'pw-error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit', class: 'pw-primary' });
  const skip = el('button', { type: 'button', class: 'pw-skip' });
  const element = el('form', { class: 'pw-gate', novalidate: true, hidden: true }, heading, text, field, error, el('div', { class: 'pw-actions' }, submit, skip));

  const invalid = (on: boolean) => {
    field.setAttribute('aria-invalid', String(on));
    if (on) field.setAttribute('aria-describedby', error.id);
    else field.removeAttribute('aria-describedby');
    error.hidden = !on;
    error.textContent = on ? t('emailInvalid') : '';
  };
  field.oninput = () => invalid(false);
  skip.onclick = () => chat.skipEmail();
  element.onsubmit = (event) => {
    event.preventDefault();
    if (!EMAIL.test(field.value.trim())) return invalid(true);
    submit.disabled = true;
    chat.submitEmail(field.value).catch(() => {
      invalid(true);
      submit.disabled = false;
    });
  };

  return {
    element,
    field,
    /** Shows the form for `gate` (hidden when undefined); shown afresh, it starts empty. */
    update(gate: EmailGate | undefined) {
      if (gate && element.hidden) {
        field.value = '';
        submit.disabled = false;
        invalid(false);
      }
      element.hidden = !gate;
      heading.hidden = gate !== 'offline';
      heading.textContent = t('offlineTitle');
      text.textContent = gate === 'offline' ? t('offlineText') : t('prechatText');
      field.setAttribute('aria-label', t('email'));
      field.placeholder = t('email');
      submit.textContent = t('continue');
      skip.hidden = gate !== 'optional';
      skip.textContent = t('skip');
    },
  };
}
