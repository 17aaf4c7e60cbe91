import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'e2e',
    // The heavy projects take turns (e2e, then reliability, then bench) after the unit projects:
    // run together they starve each other's relays and browsers on 2 cores.
    sequence: { groupOrder: 1 },
    environment: 'node',
    include: ['e2e/**/*.test.ts'],
    // Each file starts its own relay and browser; on 2 cores, one file at a time is faster and steadier.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
