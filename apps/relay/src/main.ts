import { configFromEnv } from './config.ts';
import { scriptTag } from './http/snippet.ts';
import { startRelay } from './server.ts';

/** `pnpm start`: one process serving the relay, the widget, the inbox and the demo page. */
const config = configFromEnv();
const relay = await startRelay(config);
const base = config.publicUrl?.replace(/\/$/, '') ?? relay.url;

const lines = [
  '',
  `Parley is running at ${base}  (database: ${config.databasePath})`,
  '',
  `  Inbox:      ${base}/inbox/`,
];
if (relay.seed) {
  lines.push(`  Sign in:    ${relay.seed.adminEmail}`);
  lines.push(
    relay.seed.generatedPassword
      ? `  Password:   ${relay.seed.generatedPassword}   (generated now and shown only once: keep it)`
      : '  Password:   the one in PARLEY_ADMIN_PASSWORD',
  );
} else {
  lines.push('  Sign in:    with the admin account created on first start (PARLEY_ADMIN_EMAIL, default admin@example.com)');
}
lines.push(`  Demo page:  ${base}/demo`);
if (relay.firstSiteKey) {
  lines.push('', '  Paste this before </body> on your site:', '', ...scriptTag(base, relay.firstSiteKey).split('\n').map((l) => `    ${l}`));
}
lines.push('');
console.log(lines.join('\n'));

const shutdown = async () => {
  await relay.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
