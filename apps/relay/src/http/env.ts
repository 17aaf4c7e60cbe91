import type { CoreDeps } from '../core/deps.ts';
import type { AgentRecord } from '../core/store.ts';

/** Everything the HTTP edge needs: the core's deps plus where the built front-ends live. */
export interface AppDeps extends CoreDeps {
  /** The externally visible origin (e.g. `https://chat.example.com`); when unset, derived from each request's Host. */
  publicUrl: string | undefined;
  /** Folder with the built widget (`widget.js`). */
  widgetDir: string;
  /** Folder with the built inbox (`index.html`, `assets/`). */
  inboxDir: string;
  version: string;
  /** Secure cookies when served over https. */
  secureCookies: boolean;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy?: boolean;
}

export type AppEnv = { Variables: { agent: AgentRecord } };
