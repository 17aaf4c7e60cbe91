import { useEffect, useState } from 'preact/hooks';
import type { InviteInfoResponse } from '@parley/protocol';
import { useStore } from '../store/use-store.ts';
import { useInbox } from './context.ts';

/**
 * `/inbox/invite/<token>`: the page an invite link opens. The new agent picks their name and a
 * password and is signed in; the relay checks the token.
 */
export function AcceptInvite({ token }: { token: string }) {
  const inbox = useInbox();
  const phase = useStore(inbox.session, (state) => state.phase);
  const error = useStore(inbox.session, (state) => state.error);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  // undefined while loading, null for a link that no longer works.
  const [invite, setInvite] = useState<InviteInfoResponse | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    inbox.api.inviteInfo(token).then(
      (info) => live && setInvite(info),
      // The form still works without the greeting; joining reports a bad link itself.
      () => live && setInvite(undefined),
    );
    return () => {
      live = false;
    };
  }, [inbox, token]);
  const busy = phase === 'signingIn';
  const tooShort = password.length > 0 && password.length < 10;

  return (
    <main class="signin">
      <form
        class="signin-card"
        aria-labelledby="invite-title"
        onSubmit={(event) => {
          event.preventDefault();
          if (!busy && !tooShort) void inbox.acceptInvite(token, name.trim(), password);
        }}
      >
        <div class="wordmark">Parley</div>
        <h1 id="invite-title">{invite ? `Join ${invite.workspace.name} on Parley` : 'Join your team on Parley'}</h1>
        <p class="muted">
          {invite
            ? `You were invited as ${invite.email}${invite.role === 'admin' ? ', with admin rights' : ''}. Choose how teammates will see you, and a password.`
            : 'You were invited to answer customers here. Choose how teammates will see you, and a password.'}
        </p>
        {invite === null && (
          <p class="form-alert" role="alert">
            This invitation link has expired or was already used. Ask an admin of your team for a new one.
          </p>
        )}
        {error && phase === 'signedOut' && (
          <p class="form-alert" role="alert">
            {error}
          </p>
        )}
        <label class="field">
          <span class="field-label">Your name</span>
          <input type="text" name="name" autoComplete="name" required autoFocus value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
        <div class="field">
          <label class="field-label" for="invite-password">
            Password
          </label>
          <input
            id="invite-password"
            type="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={10}
            aria-describedby="password-hint"
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
          <span id="password-hint" class={tooShort ? 'field-hint field-hint-error' : 'field-hint'}>
            At least 10 characters.
          </span>
        </div>
        <button type="submit" class="btn btn-primary btn-block" disabled={busy} aria-busy={busy}>
          Join
        </button>
      </form>
    </main>
  );
}
