import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.ts';
import RequireTestsReporter from './scripts/require-tests-reporter.ts';

export default defineConfig({
  test: {
    projects,
    reporters: ['default', new RequireTestsReporter()],
  },
});
