import type { MountPanel } from '../host.ts';
import { createHost } from './mount.ts';

/**
 * widget.js, the loader: plain DOM, no Preact, a budget of 1.5 KB gzip. It installs `window.Parley`
 * (queueing every call), shows the launcher at once in the site's cached colours, and imports the
 * panel chunk (`widget/panel-<hash>.js`, next to widget.js) on the first interaction or when the
 * browser is idle. Nothing here forces layout or touches the network before then. A click while the
 * chunk loads is queued as a `toggle` like any other call, so it is not lost. Everything else (the
 * events, the commands' checks, the badge, storage) is the panel's.
 */

/** Replaced at build time with the panel chunk's hashed path, `./widget/panel-<hash>.js` (see vite.config.ts). */
declare const __PARLEY_PANEL__: string;

type ParleyGlobal = { Parley?: { q?: ArrayLike<unknown>[]; loaded?: true } };

const opens = (args: unknown[]) => args[0] === 'open' || args[0] === 'toggle';

function boot(win: Window & ParleyGlobal, doc: Document, siteKey: string, panel: string): void {
  const queue: unknown[][] = Array.from(win.Parley?.q ?? [], (args) => Array.from(args));
  let command: ((args: unknown[]) => void) | undefined;
  let loading: Promise<void> | undefined;
  let host: ReturnType<typeof createHost> | undefined;
  // Before the panel exists the launcher's visibility is the loader's to keep.
  const visibility = (args: unknown[]) => {
    if (args[0] === 'show' || args[0] === 'hide') host?.root.classList.toggle('pw-gone', args[0] === 'hide');
  };

  const load = () => {
    const ready = host;
    if (!ready) return;
    loading ??= import(/* @vite-ignore */ panel).then(
      (module: { mount: MountPanel }) => {
        command = module.mount(ready, queue.splice(0));
      },
      (error: unknown) => {
        loading = undefined;
        console.error('[Parley]', error);
      },
    );
  };

  const parley = (...args: unknown[]) => {
    if (command) return command(args);
    queue.push(args);
    visibility(args);
    if (opens(args)) load();
  };
  parley.loaded = true as const;
  win.Parley = parley;

  const mount = () => {
    host = createHost(doc, siteKey, () => parley('toggle'), load);
    queue.forEach(visibility);
    if (queue.some(opens)) load();
    else if (win.requestIdleCallback) win.requestIdleCallback(load, { timeout: 4000 });
    else setTimeout(load, 2000);
  };
  if (doc.body) mount();
  // It fires once: no `once` needed.
  else doc.addEventListener('DOMContentLoaded', mount);
}

try {
  const win = window as Window & ParleyGlobal;
  const doc = document;
  // `currentScript` must be read now: it is null once this first run is over (and in some loaders).
  const current = doc.currentScript as HTMLScriptElement | null;
  const script = current?.dataset['site'] ? current : doc.querySelector<HTMLScriptElement>('script[data-site][src*="widget.js"]');
  const siteKey = script?.dataset['site']?.trim();
  if (!siteKey) console.warn('[Parley] widget.js needs data-site');
  // Absolute: the snippet's tag has no `crossorigin`, and `import()` in such a cross-origin
  // script resolves against about:blank, not against the script's URL.
  else if (!win.Parley?.loaded) boot(win, doc, siteKey, new URL(__PARLEY_PANEL__, script?.src).href);
} catch (error) {
  console.error('[Parley]', error);
}
