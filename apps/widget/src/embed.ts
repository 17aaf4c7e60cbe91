import { createParleyClient } from '@parley/client';
import { render } from 'preact';
import { jsx } from 'preact/jsx-runtime';
import { installApi, isInstalled } from './api.ts';
import { findScript, readConfig, type EmbedConfig } from './config.ts';
import { mountShadow } from './mount.ts';
import { createVisitorStorage } from './storage.ts';
import { createChat } from './store/chat.ts';
import { css } from './styles.ts';
import { App } from './ui/App.tsx';

/**
 * The entry of widget.js: read the script tag, install `window.Parley`, mount the launcher.
 * Runs once per page; a failure is logged, never thrown into the host page.
 */
function boot(config: EmbedConfig): void {
  const chat = createChat({
    siteKey: config.siteKey,
    storage: createVisitorStorage(config.siteKey),
    createClient: (hello) => createParleyClient({ url: config.socketUrl, hello }),
    context: () => ({
      page: pageInfo(),
      ...(navigator.language ? { locale: navigator.language.slice(0, 35) } : {}),
    }),
  });

  installApi(window, {
    open: chat.open,
    close: chat.close,
    toggle: chat.toggle,
  });

  const mount = () => {
    render(jsx(App, { chat }), mountShadow(document, css));
    chat.start();
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}

/** What the agent sees of where the visitor is; clipped to the protocol's limits, or the relay refuses the hello. */
function pageInfo() {
  const page: { url: string; title?: string; referrer?: string } = { url: location.href.slice(0, 2048) };
  if (document.title) page.title = document.title.slice(0, 500);
  if (document.referrer) page.referrer = document.referrer.slice(0, 2048);
  return page;
}

try {
  // `currentScript` must be read now: it is null once this first run is over.
  const script = findScript(document, document.currentScript);
  const config = script ? readConfig(script) : undefined;
  if (!config) console.warn('[Parley] widget.js needs a data-site attribute on its <script> tag.');
  else if (!isInstalled(window)) boot(config);
} catch (error) {
  console.error('[Parley] The chat widget could not start.', error);
}
