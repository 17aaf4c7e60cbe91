/**
 * The list's budget (issue 4): render 10,000 conversations, then apply a burst of 1,000 live
 * updates, in happy-dom through the real app (REST load, stores, selector, windowed list).
 *
 *   cd apps/inbox && npx vitest run -c bench/vitest.config.ts
 *
 * Each update is one `conversation` frame (a visitor's new message moving a conversation's wait
 * and preview), applied and rendered on its own, as frames arrive one by one from the socket.
 * Figures are printed and written to bench/results/inbox.{json,md} at the repository's root
 * (PARLEY_BENCH_OUT=DIR for another folder), where `pnpm bench` picks them up for its report;
 * nothing here asserts a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { act, cleanup, screen, within } from '@testing-library/preact';
import { expect, test } from 'vitest';
import type { ConversationSummary } from '@parley/protocol';
import { contact, NOW, summary } from '../src/test/fixtures.ts';
import { renderInbox } from '../src/test/render-inbox.tsx';

const COUNT = 10_000;
const UPDATES = 1_000;
const RUNS = 3;
const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');
const outDir = resolve(process.env['PARLEY_BENCH_OUT'] ?? join(repoRoot, 'bench/results'));

const conversations: ConversationSummary[] = Array.from({ length: COUNT }, (_, i) =>
  summary({
    id: `c${i}`,
    contact: contact(`k${i}`, `Customer ${i}`),
    waitingSince: i % 3 === 0 ? null : NOW - (COUNT - i) * 1000,
    priority: i % 50 === 0 ? 'high' : 'none',
    updatedAt: NOW - i,
  }),
);

function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

test(`list: render ${COUNT} conversations, apply ${UPDATES} live updates`, async () => {
  const renders: number[] = [];
  const bursts: number[] = [];
  for (let run = 0; run < RUNS + 1; run++) {
    const started = performance.now();
    const { fake } = renderInbox({ conversations });
    const list = await screen.findByRole('list', { name: 'Conversations' }, { timeout: 30_000 });
    const rendered = performance.now() - started;
    expect(within(list).getAllByRole('listitem')[0]!.getAttribute('aria-setsize')).toBe(String(COUNT));

    const burst = performance.now();
    for (let n = 0; n < UPDATES; n++) {
      const held = conversations[(n * 7919) % COUNT]!;
      act(() =>
        fake.emit('conversation', {
          ...held,
          lastSeq: held.lastSeq + n + 1,
          lastMessage: { seq: held.lastSeq + n + 1, kind: 'text', authorKind: 'visitor', text: `Update ${n}`, createdAt: NOW + n },
          waitingSince: held.waitingSince ?? NOW + n,
          priority: n === UPDATES - 1 ? 'urgent' : held.priority,
          updatedAt: NOW + 1_000_000 + n,
        }),
      );
    }
    const applied = performance.now() - burst;
    // The last update made one urgent: it is first on screen.
    expect(within(list).getAllByRole('button')[0]!.getAttribute('aria-label')).toMatch(/Urgent/);
    cleanup();
    // The first run warms up the JIT and is not counted.
    if (run > 0) {
      renders.push(rendered);
      bursts.push(applied);
    }
  }
  const line = (label: string, values: number[], per?: number) =>
    `${label.padEnd(44)} median ${median(values).toFixed(1).padStart(8)} ms   min ${Math.min(...values).toFixed(1).padStart(8)} ms` +
    (per ? `   (${((median(values) / per) * 1000).toFixed(0)} µs each)` : '');
  console.log(
    [
      '',
      `inbox list (happy-dom, ${RUNS} runs)`,
      line(`render ${COUNT.toLocaleString('en')} conversations (load → list)`, renders),
      line(`apply ${UPDATES.toLocaleString('en')} live updates, rendered one by one`, bursts, UPDATES),
      '',
    ].join('\n'),
  );
  writeResults(renders, bursts);
});

function writeResults(renders: number[], bursts: number[]) {
  const cpu = cpus();
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpuModel: cpu[0]?.model ?? 'unknown', cpus: cpu.length, memoryGb: Math.round(totalmem() / 2 ** 30) },
    environment: 'happy-dom',
    runs: RUNS,
    conversations: COUNT,
    updates: UPDATES,
    /** Load (REST) to the list on screen, ms: median and min of the counted runs, then every run. */
    render: { medianMs: median(renders), minMs: Math.min(...renders), samplesMs: renders },
    /** The whole burst of live updates, each applied and rendered on its own, ms; perUpdateUs from the median. */
    burst: { medianMs: median(bursts), minMs: Math.min(...bursts), perUpdateUs: (median(bursts) / UPDATES) * 1000, samplesMs: bursts },
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'inbox.json'), `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    `# Inbox list — ${result.date}`,
    '',
    `Through the real app in happy-dom (REST load, stores, selector, windowed list); median and min of ${RUNS} runs after one warm-up. Machine: ${result.machine.cpuModel}, ${result.machine.cpus} cores, ${result.machine.memoryGb} GB; Node ${result.node}.`,
    '',
    '| figure | median | min |',
    '|---|---:|---:|',
    `| render ${COUNT.toLocaleString('en')} conversations (load → list) | ${result.render.medianMs.toFixed(1)} ms | ${result.render.minMs.toFixed(1)} ms |`,
    `| apply ${UPDATES.toLocaleString('en')} live updates, rendered one by one | ${result.burst.medianMs.toFixed(1)} ms | ${result.burst.minMs.toFixed(1)} ms |`,
    `| per live update | ${result.burst.perUpdateUs.toFixed(0)} µs | |`,
    '',
  ].join('\n');
  writeFileSync(join(outDir, 'inbox.md'), md);
  console.log(`wrote ${relative(repoRoot, join(outDir, 'inbox'))}.{json,md}`);
}
