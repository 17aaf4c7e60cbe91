import { defineProject } from 'vitest/config';

export default defineProject({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    name: 'inbox',
    environment: 'happy-dom',
    setupFiles: ['./src/test/setup.ts'],
  },
});
