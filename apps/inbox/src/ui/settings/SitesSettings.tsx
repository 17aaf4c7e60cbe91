import type { AutoAssign, BusinessHours, PreChatMode, SiteAppearance, SiteSettings } from '@parley/protocol';
import { useEffect, useState } from 'preact/hooks';
import type { SiteWithSnippet } from '../../api.ts';
import { useInbox } from '../context.ts';
import { CopyField } from './AgentsSettings.tsx';
import { Feedback } from './Feedback.tsx';
import { ColorField, FormActions } from './ResourceSettings.tsx';
import { useAction } from './use-action.ts';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0];

/** Every site of the workspace: its script tag, who may embed it, how the widget looks and behaves. */
export function SitesSettings() {
  const inbox = useInbox();
  const [sites, setSites] = useState<SiteWithSnippet[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const creating = useAction();

  useEffect(() => {
    inbox.api.sites().then(
      (list) => {
        setSites(list);
        setSelected((held) => held ?? list[0]?.id ?? null);
      },
      (failure: unknown) => setLoadError(failure instanceof Error ? failure.message : 'Could not load sites.'),
    );
  }, [inbox]);

  if (loadError) {
    return (
      <p class="form-alert" role="alert">
        Could not load sites: {loadError}
      </p>
    );
  }
  if (!sites) return <p class="muted">Loading sites…</p>;
  const site = sites.find((candidate) => candidate.id === selected);
  const replace = (next: SiteWithSnippet) => setSites((list) => (list ?? []).map((held) => (held.id === next.id ? next : held)));

  return (
    <>
      {sites.length > 1 && (
        <label class="field">
          <span class="field-label">Site</span>
          <select value={selected ?? ''} onChange={(event) => setSelected(event.currentTarget.value)}>
            {sites.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {site && <SiteForm key={site.id} site={site} onSaved={replace} />}
      <section class="card form" aria-labelledby="new-site-title">
        <h2 id="new-site-title" class="card-title">
          Add another site
        </h2>
        <form
          class="form-row"
          aria-label="New site"
          onSubmit={(event) => {
            event.preventDefault();
            void creating.run(async () => {
              const created = await inbox.api.createSite(newName);
              setSites((list) => [...(list ?? []), created]);
              setSelected(created.id);
              setNewName('');
            }, 'Site created');
          }}
        >
          <label class="field grow">
            <span class="field-label">New site name</span>
            <input type="text" required value={newName} onInput={(event) => setNewName(event.currentTarget.value)} />
          </label>
          <button type="submit" class="btn" disabled={creating.busy}>
            Create site
          </button>
        </form>
        <Feedback error={creating.error} done={creating.done} />
      </section>
    </>
  );
}

function SiteForm({ site, onSaved }: { site: SiteWithSnippet; onSaved: (site: SiteWithSnippet) => void }) {
  const inbox = useInbox();
  const [name, setName] = useState(site.name);
  const [origins, setOrigins] = useState(site.allowedOrigins.join('\n'));
  const [appearance, setAppearance] = useState<SiteAppearance>(site.appearance);
  const [settings, setSettings] = useState<SiteSettings>(site.settings);
  const { busy, error, done, run } = useAction();
  const look = (patch: Partial<SiteAppearance>) => setAppearance((held) => ({ ...held, ...patch }));
  const behave = (patch: Partial<SiteSettings>) => setSettings((held) => ({ ...held, ...patch }));

  return (
    <>
      <section class="card form" aria-labelledby="install-title">
        <h2 id="install-title" class="card-title">
          Install
        </h2>
        <p class="muted">Paste this tag before <code>&lt;/body&gt;</code> on every page that should show the chat.</p>
        <CopyField label="Script tag" value={site.snippet} multiline />
        <p class="field-hint">Site key: <code>{site.key}</code></p>
      </section>
      <form
        class="site-form"
        aria-label={`Settings of ${site.name}`}
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            const allowedOrigins = origins
              .split(/[\n,]/)
              .map((origin) => origin.trim().replace(/\/$/, ''))
              .filter(Boolean);
            onSaved(await inbox.api.updateSite(site.id, { name, allowedOrigins, appearance, settings }));
          }, 'Site saved');
        }}
      >
        <section class="card form" aria-labelledby="general-title">
          <h2 id="general-title" class="card-title">
            General
          </h2>
          <label class="field">
            <span class="field-label">Site name</span>
            <input type="text" required value={name} onInput={(event) => setName(event.currentTarget.value)} />
          </label>
          <div class="field">
            <label class="field-label" for="allowed-origins">
              Allowed origins
            </label>
            <textarea
              id="allowed-origins"
              rows={3}
              aria-describedby="origins-hint"
              value={origins}
              onInput={(event) => setOrigins(event.currentTarget.value)}
            />
            <span id="origins-hint" class="field-hint">
              One per line, like https://shop.example.com. <code>*</code> allows any site to embed the widget.
            </span>
          </div>
        </section>

        <section class="card form" aria-labelledby="look-title">
          <h2 id="look-title" class="card-title">
            Widget
          </h2>
          <div class="form-row">
            <label class="field grow">
              <span class="field-label">Widget title</span>
              <input type="text" value={appearance.name} onInput={(event) => look({ name: event.currentTarget.value })} />
            </label>
            <label class="field grow">
              <span class="field-label">Launcher label</span>
              <input type="text" value={appearance.launcherLabel} onInput={(event) => look({ launcherLabel: event.currentTarget.value })} />
            </label>
          </div>
          <label class="field">
            <span class="field-label">Greeting</span>
            <textarea rows={2} value={appearance.greeting} onInput={(event) => look({ greeting: event.currentTarget.value })} />
          </label>
          <label class="field">
            <span class="field-label">Expected reply time</span>
            <input
              type="text"
              placeholder="Usually replies in a few minutes"
              value={appearance.replyTime}
              onInput={(event) => look({ replyTime: event.currentTarget.value })}
            />
          </label>
          <div class="form-row">
            <ColorField label="Colour" value={appearance.color} onChange={(color) => look({ color })} />
            <fieldset class="fieldset">
              <legend class="field-label">Position</legend>
              <div class="segmented">
                {(['left', 'right'] as const).map((position) => (
                  <label key={position} class="check-field">
                    <input
                      type="radio"
                      name="position"
                      checked={appearance.position === position}
                      onChange={() => look({ position })}
                    />
                    {position === 'left' ? 'Bottom left' : 'Bottom right'}
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
        </section>

        <section class="card form" aria-labelledby="behaviour-title">
          <h2 id="behaviour-title" class="card-title">
            Conversations
          </h2>
          <div class="form-row">
            <label class="field grow">
              <span class="field-label">Pre-chat form</span>
              <select value={settings.preChat} onChange={(event) => behave({ preChat: event.currentTarget.value as PreChatMode })}>
                <option value="off">Off: visitors write straight away</option>
                <option value="email-optional">Ask for an email (optional)</option>
                <option value="email-required">Require an email first</option>
              </select>
            </label>
            <label class="field grow">
              <span class="field-label">Auto-assignment</span>
              <select value={settings.autoAssign} onChange={(event) => behave({ autoAssign: event.currentTarget.value as AutoAssign })}>
                <option value="off">Off: agents pick from Unassigned</option>
                <option value="round-robin">Round-robin among online agents</option>
              </select>
            </label>
          </div>
          <BusinessHoursField value={settings.businessHours} onChange={(businessHours) => behave({ businessHours })} />
        </section>

        <section class="card form" aria-labelledby="identity-title">
          <h2 id="identity-title" class="card-title">
            Identity verification
          </h2>
          <p class="muted">
            Your server signs the user id with this secret (HMAC-SHA256), so a visitor cannot pose as another of your users.
          </p>
          <label class="check-field">
            <input
              type="checkbox"
              checked={settings.requireIdentityVerification}
              onChange={(event) => behave({ requireIdentityVerification: event.currentTarget.checked })}
            />
            Require verification: refuse <code>identify</code> without a valid hash
          </label>
          <IdentitySecret siteId={site.id} isSet={site.identitySecretSet} />
        </section>

        <div class="form-actions sticky-actions">
          <Feedback error={error} done={done} />
          <FormActions busy={busy} submit="Save site" />
        </div>
      </form>
    </>
  );
}

function BusinessHoursField({ value, onChange }: { value: BusinessHours | null; onChange: (value: BusinessHours | null) => void }) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const enabled = value !== null;
  const hours = value ?? { timezone: local, days: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })) };
  const setDay = (day: number, patch: { open?: string; close?: string } | null) => {
    const others = hours.days.filter((entry) => entry.day !== day);
    const held = hours.days.find((entry) => entry.day === day) ?? { day, open: '09:00', close: '17:00' };
    onChange({ ...hours, days: patch === null ? others : [...others, { ...held, ...patch }].sort((a, b) => a.day - b.day) });
  };
  return (
    <fieldset class="fieldset">
      <legend class="field-label">Business hours</legend>
      <label class="check-field">
        <input type="checkbox" checked={enabled} onChange={(event) => onChange(event.currentTarget.checked ? hours : null)} />
        Only show the team as available during business hours
      </label>
      {enabled && (
        <>
          <label class="field">
            <span class="field-label">Time zone</span>
            <input
              type="text"
              list="time-zones"
              value={hours.timezone}
              onInput={(event) => onChange({ ...hours, timezone: event.currentTarget.value })}
            />
            <datalist id="time-zones">
              {zones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </label>
          <table class="hours">
            <tbody>
              {WEEKDAYS.map((day) => {
                const entry = hours.days.find((candidate) => candidate.day === day);
                return (
                  <tr key={day}>
                    <th scope="row">
                      <label class="check-field">
                        <input type="checkbox" checked={entry !== undefined} onChange={(event) => setDay(day, event.currentTarget.checked ? {} : null)} />
                        {DAYS[day]}
                      </label>
                    </th>
                    <td>
                      {entry ? (
                        <span class="hours-range">
                          <input type="time" aria-label={`${DAYS[day]} opens`} value={entry.open} onInput={(event) => setDay(day, { open: event.currentTarget.value })} />
                          <span aria-hidden="true">–</span>
                          <input type="time" aria-label={`${DAYS[day]} closes`} value={entry.close} onInput={(event) => setDay(day, { close: event.currentTarget.value })} />
                        </span>
                      ) : (
                        <span class="muted">Closed</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </fieldset>
  );
}

/** The secret is shown once, right after it is made; after that only "set" is known. */
function IdentitySecret({ siteId, isSet }: { siteId: string; isSet: boolean }) {
  const inbox = useInbox();
  const [secret, setSecret] = useState<string | null>(null);
  const [exists, setExists] = useState(isSet);
  const { busy, error, run } = useAction();
  const generate = () => {
    if (exists && !confirm('Rotate the secret? The current one stops working at once: update your server first or right after.')) return;
    void run(async () => {
      setSecret(await inbox.api.rotateIdentitySecret(siteId));
      setExists(true);
    }, null);
  };
  return (
    <div class="identity">
      {secret ? (
        <div class="secret" role="status" aria-label="New identity secret">
          <p>
            <strong>Copy this secret now.</strong> It will not be shown again. Keep it on your server only, never in page code.
          </p>
          <CopyField label="Identity secret" value={secret} />
        </div>
      ) : (
        <p class="muted">{exists ? 'A secret is set. It is never shown again; rotate to get a new one.' : 'No secret yet.'}</p>
      )}
      <button type="button" class={exists ? 'btn' : 'btn btn-primary'} disabled={busy} onClick={generate}>
        {exists ? 'Rotate secret' : 'Generate secret'}
      </button>
      {exists && !secret && <p class="field-hint field-hint-warn">Rotating breaks verification until your server uses the new secret.</p>}
      {error && (
        <p class="form-alert" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
