import { useState } from 'preact/hooks';
import { t } from '../i18n.ts';
import { EMAIL } from '../store/chat.ts';

interface EmailFormProps {
  /** `offline`: the team is away, leave an email and a message. `required` / `optional`: the site's pre-chat form. */
  gate: 'offline' | 'required' | 'optional';
  onSubmit: (email: string) => Promise<void>;
  onSkip: () => void;
}

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

/** Asks for the visitor's email in place of the composer; the composer comes back once it is given (or skipped). */
export function EmailForm({ gate, onSubmit, onSkip }: EmailFormProps) {
  const [email, setEmail] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);

  return (
    <form
      class="pw-gate"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!EMAIL.test(email.trim())) return setInvalid(true);
        setBusy(true);
        onSubmit(email).catch(() => {
          setInvalid(true);
          setBusy(false);
        });
      }}
    >
      {gate === 'offline' && <h3>{t('offlineTitle')}</h3>}
      <p>{gate === 'offline' ? t('offlineText') : t('prechatText')}</p>
      <input
        type="email"
        class="pw-field"
        aria-label={t('email')}
        placeholder={t('email')}
        autoComplete="email"
        value={email}
        aria-invalid={invalid ? 'true' : 'false'}
        aria-describedby={invalid ? 'pw-email-error' : undefined}
        onInput={(event) => {
          setEmail(event.currentTarget.value);
          setInvalid(false);
        }}
      />
      {invalid && (
        <p id="pw-email-error" class="pw-error" role="alert">
          {t('emailInvalid')}
        </p>
      )}
      <div class="pw-actions">
        <button type="submit" class="pw-primary" disabled={busy}>
          {t('continue')}
        </button>
        {gate === 'optional' && (
          <button type="button" class="pw-skip" onClick={onSkip}>
            {t('skip')}
          </button>
        )}
      </div>
    </form>
  );
}
