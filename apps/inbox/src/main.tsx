import { createParleyClient } from '@parley/client';
import { render } from 'preact';
import { createApi } from './api.ts';
import { browserAlerter } from './notify.ts';
import { createInbox } from './store/inbox.ts';
import { browserHistory } from './store/router.ts';
import { App } from './ui/App.tsx';
import './styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element.');

const inbox = createInbox({
  // Same origin as the relay: REST under /api/v1, the agents' socket at /ws/agent.
  api: createApi(),
  createClient: createParleyClient,
  socketUrl: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/agent`,
  isVisible: () => document.visibilityState === 'visible',
  alerter: browserAlerter(),
});

render(<App inbox={inbox} history={browserHistory()} />, root);
