import { describe, expect, it } from 'vitest';
import { markdown } from './report.ts';
import {
  otherBenchmarksMarkdown,
  otherBenchmarksTarget,
  type InboxResult,
  type OtherBenchmarks,
  type SearchResult,
  type WidgetResult,
} from './other-benchmarks.ts';

const widget: WidgetResult = {
  date: '2026-11-28T09:10:07.941Z',
  node: 'v24.21.0',
  sizes: { rawBytes: 2776, gzipBytes: 1513, brotliBytes: 1298 },
  chunks: [
    { file: 'Thread-BN0iflyn.js', rawBytes: 13191, gzipBytes: 5707, brotliBytes: 5233 },
    { file: 'panel-Drx6vlG8.js', rawBytes: 30000, gzipBytes: 10752, brotliBytes: 9626 },
  ],
  timings: { runs: 7, loadMs: 84.9, launcherVisibleMs: 77.5, clickToUsableMs: 17.6 },
};

const inbox: InboxResult = {
  date: '2026-11-28T10:15:00.000Z',
  node: 'v24.21.0',
  environment: 'happy-dom',
  runs: 3,
  conversations: 10_000,
  updates: 1_000,
  render: { medianMs: 116.04, minMs: 110.2 },
  burst: { medianMs: 2012.3, minMs: 1990.5, perUpdateUs: 2012.3 },
};

const search: SearchResult = {
  date: '2026-11-28T10:20:30.000Z',
  node: 'v24.21.0',
  messages: 100_000,
  conversations: 5_000,
  queries: [
    { query: 'refund', kind: 'one word', hits: 20, p50Ms: 10.1, p95Ms: 14.04, maxMs: 15 },
    { query: 'track', kind: 'prefix while typing', hits: 20, p50Ms: 12, p95Ms: 16.2, maxMs: 18 },
    { query: 'customer120@example.com', kind: 'an email', hits: 1, p50Ms: 0.3, p95Ms: 0.41, maxMs: 0.5 },
  ],
  worstP95Ms: 16.2,
  goalMs: 100,
  met: true,
};

const all: OtherBenchmarks = {
  widget: { file: 'bench/results/widget.json', result: widget },
  inbox: { file: 'bench/results/inbox.json', result: inbox },
  search: { file: 'bench/results/search.json', result: search },
};

describe('other benchmarks in the relay report', () => {
  it('quotes each benchmark with its date, command and headline figures', () => {
    const lines = otherBenchmarksMarkdown(all);
    expect(lines[0]).toBe('## Widget, inbox and search (latest runs of their own benchmarks)');
    expect(lines).toHaveLength(7);
    expect(lines[4]).toBe(
      '- **Widget** (`pnpm bench:widget`, 2026-11-28 09:10 UTC, Node v24.21.0, bench/results/widget.json): ' +
        'widget.js 1.5 KiB gzip, 1.3 KiB brotli (2.7 KiB raw); lazy panel 10.5 KiB gzip; ' +
        'in Chromium (median of 7) launcher visible 78 ms after navigation start, click to usable panel 17.6 ms.',
    );
    expect(lines[5]).toBe(
      '- **Inbox list** (`pnpm bench:inbox`, 2026-11-28 10:15 UTC, Node v24.21.0, bench/results/inbox.json): ' +
        'render 10,000 conversations 116.0 ms; 1,000 live updates rendered one by one 2,012.3 ms (2,012 µs each) — medians of 3 runs in happy-dom.',
    );
    expect(lines[6]).toBe(
      '- **Search** (`pnpm bench:search`, 2026-11-28 10:20 UTC, Node v24.21.0, bench/results/search.json): ' +
        'worst p95 16.2 ms on 100,000 messages — goal under 100 ms: met; p95 by kind (ms): one word 14.0, prefix while typing 16.2, an email 0.4.',
    );
  });

  it('says which benchmark has not run yet, and how to run it', () => {
    const lines = otherBenchmarksMarkdown({ ...all, inbox: null, search: null });
    expect(lines).toContain('- **Inbox list**: not run yet — `pnpm bench:inbox`');
    expect(lines).toContain('- **Search**: not run yet — `pnpm bench:search`');
    expect(lines.join('\n')).toContain('2026-11-28 09:10 UTC');
  });

  it('reports a widget run without Chromium, a missed search goal and an unreadable file', () => {
    const lines = otherBenchmarksMarkdown({
      widget: { file: 'bench/results/widget.json', result: { ...widget, chunks: [], timings: null } },
      inbox: { file: 'bench/results/inbox.json', error: 'Unexpected end of JSON input' },
      search: { file: 'bench/results/search.json', result: { ...search, worstP95Ms: 140, met: false } },
    }).join('\n');
    expect(lines).toContain('widget.js 1.5 KiB gzip, 1.3 KiB brotli (2.7 KiB raw); Chromium timings not measured in that run.');
    expect(lines).toContain('- **Inbox list**: bench/results/inbox.json could not be read (Unexpected end of JSON input) — `pnpm bench:inbox`');
    expect(lines).toContain('worst p95 140.0 ms on 100,000 messages — goal under 100 ms: **not met**');
  });

  it('meets target 5 only when all three are present, naming them or what is missing', () => {
    expect(otherBenchmarksTarget(all)).toEqual({
      name: '5. Widget, inbox and search',
      goal: 'widget, inbox and search figures in the report',
      measured: 'all three quoted: widget.json (2026-11-28 09:10 UTC), inbox.json (2026-11-28 10:15 UTC), search.json (2026-11-28 10:20 UTC)',
      met: true,
    });
    const missing = otherBenchmarksTarget({ ...all, inbox: null, search: { file: 'bench/results/search.json', error: 'bad JSON' } });
    expect(missing.met).toBe(false);
    expect(missing.measured).toBe('missing inbox.json (`pnpm bench:inbox`), search.json (`pnpm bench:search`, unreadable); quoted widget.json (2026-11-28 09:10 UTC)');
    expect(otherBenchmarksTarget({ widget: null, inbox: null, search: null }).measured).toBe(
      'missing widget.json (`pnpm bench:widget`), inbox.json (`pnpm bench:inbox`), search.json (`pnpm bench:search`)',
    );
  });

  it('goes into relay.md before the targets', () => {
    const md = markdown({ date: 'd' }, [], [], [otherBenchmarksTarget(all)], [], 1000, otherBenchmarksMarkdown(all));
    const section = md.indexOf('## Widget, inbox and search (latest runs of their own benchmarks)');
    expect(section).toBeGreaterThan(0);
    expect(md.indexOf('## Targets')).toBeGreaterThan(section);
    expect(md).toContain('| 5. Widget, inbox and search | widget, inbox and search figures in the report | all three quoted:');
  });
});
