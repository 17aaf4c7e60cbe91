import type { SettingsSection } from '../../store/router.ts';
import { useStore } from '../../store/use-store.ts';
import { useInbox } from '../context.ts';
import { useRouter } from '../router-context.ts';
import { AgentsSettings } from './AgentsSettings.tsx';
import { CannedSettings, LabelsSettings, TeamsSettings } from './ResourceSettings.tsx';
import { SitesSettings } from './SitesSettings.tsx';

const SECTIONS: ReadonlyArray<{ section: SettingsSection; label: string }> = [
  { section: 'sites', label: 'Sites' },
  { section: 'agents', label: 'Agents' },
  { section: 'teams', label: 'Teams' },
  { section: 'labels', label: 'Labels' },
  { section: 'canned', label: 'Canned responses' },
];

/** `/inbox/settings/<section>`: the admins' screens. Agents who are not admins are told so. */
export function Settings({ section }: { section: SettingsSection }) {
  const inbox = useInbox();
  const router = useRouter();
  const role = useStore(inbox.session, (state) => state.me?.agent.role);
  const current = SECTIONS.find((candidate) => candidate.section === section) ?? SECTIONS[0]!;

  return (
    <div class="settings">
      <nav class="nav" aria-label="Settings">
        <div class="wordmark">Parley</div>
        <a
          class="btn btn-quiet back"
          href="/inbox/"
          onClick={(event) => {
            event.preventDefault();
            router.navigate({ name: 'inbox' });
          }}
        >
          ← Back to inbox
        </a>
        <div class="filters">
          {SECTIONS.map(({ section: value, label }) => (
            <a
              key={value}
              class="filter"
              href={`/inbox/settings/${value}`}
              aria-current={value === section ? 'page' : undefined}
              onClick={(event) => {
                event.preventDefault();
                router.navigate({ name: 'settings', section: value });
              }}
            >
              {label}
            </a>
          ))}
        </div>
      </nav>
      <main class="settings-main" aria-labelledby="settings-title">
        <div class="settings-content">
          <h1 id="settings-title" class="settings-title">
            {current.label}
          </h1>
          {role !== 'admin' ? (
            <p class="empty-hint">Only admins can change settings. Ask an admin of your workspace.</p>
          ) : section === 'sites' ? (
            <SitesSettings />
          ) : section === 'agents' ? (
            <AgentsSettings />
          ) : section === 'teams' ? (
            <TeamsSettings />
          ) : section === 'labels' ? (
            <LabelsSettings />
          ) : (
            <CannedSettings />
          )}
        </div>
      </main>
    </div>
  );
}
