/**
 * The list's budget (issue 4): render 10,000 conversations, then apply a burst of 1,000 live
 * updates, in happy-dom through the real app (REST load, stores, selector, windowed list).
 *
 *   cd apps/inbox && npx vitest run -c bench/vitest.config.ts
 *
 * Each update is one `conversation` frame (a visitor's new message moving a conversation's wait
 * and preview), applied and rendered on its own, as frames arrive one by one from the socket.
 * Figures are printed; nothing here asserts a time.
 */
import { act, cleanup, screen, within } from '@testing-library/preact';
import { expect, test } from 'vitest';
import type { ConversationSummary } from '@parley/protocol';
import { contact, NOW, summary } from '../src/test/fixtures.ts';
import { renderInbox } from '../src/test/render-inbox.tsx';

const COUNT = 10_000;
const UPDATES = 1_000;
const RUNS = 3;

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
});
