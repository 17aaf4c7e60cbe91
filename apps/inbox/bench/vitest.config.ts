import { defineConfig } from 'vitest/config';

/**
 * The inbox's benchmark, outside the test projects (vitest 5 has no `bench` mode):
 *   cd apps/inbox && npx vitest run -c bench/vitest.config.ts
 * It prints figures and asserts nothing about time.
 */
export default defineConfig({
  root: `${import.meta.dirname}/..`,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    name: 'inbox-bench',
    environment: 'happy-dom',
    include: ['bench/**/*.bench.ts'],
    setupFiles: ['./src/test/setup.ts'],
    testTimeout: 300_000,
    silent: false,
  },
});
