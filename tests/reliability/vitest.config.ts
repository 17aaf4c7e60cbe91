import { defineProject } from 'vitest/config';

/**
 * Issue 6's fault, storm, fuzz and isolation tests. Each file starts relays of its own (children
 * it kills with SIGKILL, or one in-process), so files run one at a time: on 2 cores, a reconnect
 * storm beside a fuzzer would measure the machine, not the relay.
 */
export default defineProject({
  test: {
    name: 'reliability',
    sequence: { groupOrder: 2 },
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
