// The list of vitest projects. vitest 4+ no longer reads this file by itself (it would
// silently run zero tests), so vitest.config.ts imports it into `test.projects`.
export default [
  'packages/protocol',
  'packages/client',
  'apps/relay',
  'apps/widget',
  'apps/inbox',
  'tests',
  'tests/reliability',
  'bench',
];
