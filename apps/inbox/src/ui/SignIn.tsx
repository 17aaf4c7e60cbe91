import { useEffect, useRef, useState } from 'preact/hooks';
import { useStore } from '../store/use-store.ts';
import { useInbox } from './context.ts';

export function SignIn() {
  const inbox = useInbox();
  const phase = useStore(inbox.session, (state) => state.phase);
  const error = useStore(inbox.session, (state) => state.error);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const passwordRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  // `autofocus` only works for elements in the page as loaded; this form appears after the session check.
  useEffect(() => emailRef.current?.focus(), []);
  const busy = phase === 'signingIn';

  async function submit() {
    await inbox.signIn(email, password);
    if (inbox.session.getState().phase !== 'signedOut') return;
    // Refused: the password is what to retype.
    setPassword('');
    passwordRef.current?.focus();
  }

  return (
    <main class="signin">
      <form
        class="signin-card"
        aria-labelledby="signin-title"
        onSubmit={(event) => {
          event.preventDefault();
          if (!busy) void submit();
        }}
      >
        <div class="wordmark">Parley</div>
        <h1 id="signin-title">Sign in to Parley</h1>
        {error && (
          <p class="form-alert" role="alert">
            {error}
          </p>
        )}
        <label class="field">
          <span class="field-label">Email</span>
          <input
            ref={emailRef}
            type="email"
            name="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">Password</span>
          <input
            ref={passwordRef}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </label>
        <button type="submit" class="btn btn-primary btn-block" disabled={busy} aria-busy={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
