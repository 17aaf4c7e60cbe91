import { defineProject } from 'vitest/config';

export default defineProject({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // The loader's build-time constant (vite.config.ts sets the real hashed path).
  define: { __PARLEY_PANEL__: JSON.stringify('./widget/panel-test.js') },
  test: { name: 'widget', environment: 'happy-dom' },
});
