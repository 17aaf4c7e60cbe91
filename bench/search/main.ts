/**
 * `pnpm bench:search`: full-text search latency on 100,000 messages (issue 4: under 100 ms).
 *
 * Builds a real Parley database through the SQLite store (migrations, FTS5 triggers and all):
 * one workspace, 5,000 conversations of 20 messages each, with words drawn from a support
 * vocabulary so queries hit realistic numbers of rows. Then runs queries of the kinds agents
 * type (one word, two words, a prefix while typing, a rare word, an email) through
 * `store.search` and prints the median, p95 and max of each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSqliteStore } from '../../apps/relay/src/storage/sqlite/sqlite-store.ts';
import { DEFAULT_APPEARANCE } from '../../apps/relay/src/seed.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '30' },
  },
});
const MESSAGES = Number(values.messages);
const RUNS = Number(values.runs);
const PER_CONVERSATION = 20;

const WORDS = (
  'order refund invoice shipping delivery package tracking number account password login reset ' +
  'billing charge card payment subscription plan upgrade downgrade cancel renew discount coupon ' +
  'broken error crash slow page checkout cart address email phone update thanks hello please help ' +
  'warehouse courier damaged missing wrong size color exchange return label printer pickup weekend'
).split(' ');

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = () => WORDS[Math.floor(random() * WORDS.length)]!;
const sentence = () => Array.from({ length: 6 + Math.floor(random() * 10) }, pick).join(' ');

const dir = mkdtempSync(join(tmpdir(), 'parley-search-bench-'));
const store = createSqliteStore({ filename: join(dir, 'search.db'), synchronous: 'NORMAL' });
try {
  const now = Date.now();
  const workspace = await store.createWorkspace({ name: 'Bench', now });
  const site = await store.createSite({ workspaceId: workspace.id, key: 'site_bench', name: 'Bench', allowedOrigins: ['*'], appearance: DEFAULT_APPEARANCE, now });
  const started = performance.now();
  const conversations = Math.ceil(MESSAGES / PER_CONVERSATION);
  for (let c = 0; c < conversations; c++) {
    const contact = await store.createContact({ siteId: site.id, workspaceId: workspace.id, tokenHash: `t${c}`, now });
    if (c % 10 === 0) await store.updateContact(contact.id, { name: `Customer ${c}`, email: `customer${c}@example.com` });
    const sends = [];
    let conversationId: string | undefined;
    for (let m = 0; m < PER_CONVERSATION; m++) {
      const input = {
        workspaceId: workspace.id, siteId: site.id, contactId: contact.id, conversationId, clientId: `c${c}m${m}`,
        kind: 'text' as const, author: { kind: 'visitor' as const, id: contact.id, name: null }, text: sentence(), now: now + m,
      };
      if (m === 0) conversationId = (await store.appendMessage(input)).message.conversationId;
      else sends.push(store.appendMessage({ ...input, conversationId }));
    }
    await Promise.all(sends);
  }
  console.log(`built ${conversations * PER_CONVERSATION} messages in ${conversations} conversations in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const queries = ['refund', 'damaged package', 'track', 'warehouse courier weekend', 'customer120@example.com', 'zzz-no-hit'];
  console.log('\nquery                          hits   median    p95      max   (ms, limit 20)');
  let worst = 0;
  for (const query of queries) {
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      hits = (await store.search(workspace.id, query, 20)).length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    worst = Math.max(worst, at(0.95));
    console.log(`${query.padEnd(30)} ${String(hits).padStart(4)} ${at(0.5).toFixed(2).padStart(8)} ${at(0.95).toFixed(2).padStart(8)} ${times.at(-1)!.toFixed(2).padStart(8)}`);
  }
  console.log(`\nworst p95 ${worst.toFixed(2)} ms — goal under 100 ms on ${MESSAGES.toLocaleString('en')} messages: ${worst < 100 ? 'met' : 'NOT met'}`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
