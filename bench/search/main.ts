/**
 * `pnpm bench:search`: full-text search latency on 100,000 messages (issue 4: under 100 ms).
 *
 * Builds a real Parley database through the SQLite store (migrations, FTS5 triggers and all):
 * one workspace, 5,000 conversations of 20 messages each, with words drawn from a support
 * vocabulary so queries hit realistic numbers of rows. Then runs queries of the kinds agents
 * type (one word, two words, a prefix while typing, a rare word, an email) through
 * `store.search` and prints the median, p95 and max of each. Writes the same figures to
 * bench/results/search.{json,md} (`--out DIR` for another folder), where `pnpm bench` picks
 * them up for its report.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDir, repoRoot } from '../relay/options.ts';
import { createSqliteStore } from '../../apps/relay/src/storage/sqlite/sqlite-store.ts';
import { DEFAULT_APPEARANCE } from '../../apps/relay/src/seed.ts';
import type { SearchResult } from '../relay/other-benchmarks.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '30' },
    out: { type: 'string' },
  },
});
const MESSAGES = Number(values.messages);
const RUNS = Number(values.runs);
const outDir = resolve(values.out ?? join(benchDir, 'results'));
const GOAL_MS = 100;
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
  const buildS = (performance.now() - started) / 1000;
  console.log(`built ${conversations * PER_CONVERSATION} messages in ${conversations} conversations in ${buildS.toFixed(1)} s`);

  // Each query with the kind of search it stands for (named in search.{json,md}).
  const queries: Array<[query: string, kind: string]> = [
    ['refund', 'one word'],
    ['damaged package', 'two words'],
    ['track', 'prefix while typing'],
    ['warehouse courier weekend', 'three words'],
    ['customer120@example.com', 'an email'],
    ['zzz-no-hit', 'no hit'],
  ];
  const results: Array<{ query: string; kind: string; hits: number; p50Ms: number; p95Ms: number; maxMs: number }> = [];
  console.log('\nquery                          hits   median    p95      max   (ms, limit 20)');
  let worst = 0;
  for (const [query, kind] of queries) {
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
    results.push({ query, kind, hits, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: times.at(-1)! });
    console.log(`${query.padEnd(30)} ${String(hits).padStart(4)} ${at(0.5).toFixed(2).padStart(8)} ${at(0.95).toFixed(2).padStart(8)} ${times.at(-1)!.toFixed(2).padStart(8)}`);
  }
  console.log(`\nworst p95 ${worst.toFixed(2)} ms — goal under ${GOAL_MS} ms on ${MESSAGES.toLocaleString('en')} messages: ${worst < GOAL_MS ? 'met' : 'NOT met'}`);

  const cpu = cpus();
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpuModel: cpu[0]?.model ?? 'unknown', cpus: cpu.length, memoryGb: Math.round(totalmem() / 2 ** 30) },
    messages: conversations * PER_CONVERSATION,
    conversations,
    runsPerQuery: RUNS,
    limit: 20,
    buildS,
    queries: results,
    worstP95Ms: worst,
    goalMs: GOAL_MS,
    met: worst < GOAL_MS,
  };
  // What `pnpm bench` reads back from search.json (bench/relay/other-benchmarks.ts): checked here, where it is written.
  result satisfies SearchResult;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'search.json'), `${JSON.stringify(result, null, 2)}\n`);
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  const md = [
    `# Search — ${result.date}`,
    '',
    `Full-text search (FTS5) through \`store.search\`, limit 20, on ${result.messages.toLocaleString('en')} messages in ${conversations.toLocaleString('en')} conversations; ${RUNS} runs per query. Machine: ${result.machine.cpuModel}, ${result.machine.cpus} cores, ${result.machine.memoryGb} GB; Node ${result.node}.`,
    '',
    '| kind | query | hits | p50 | p95 | max |',
    '|---|---|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.kind} | \`${r.query}\` | ${r.hits} | ${ms(r.p50Ms)} | ${ms(r.p95Ms)} | ${ms(r.maxMs)} |`),
    '',
    `Worst p95 ${ms(worst)} — goal under ${GOAL_MS} ms: ${result.met ? 'met' : '**not met**'}.`,
    '',
  ].join('\n');
  writeFileSync(join(outDir, 'search.md'), md);
  console.log(`wrote ${relative(repoRoot, join(outDir, 'search'))}.{json,md}`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
