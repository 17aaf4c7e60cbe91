import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { benchDir, repoRoot } from './options.ts';
import type { Target } from './report.ts';

/**
 * The widget, inbox and search benchmarks run on their own (`pnpm bench:widget`, `pnpm bench:inbox`,
 * `pnpm bench:search`) and each leaves a JSON file in the results folder. `pnpm bench` does not
 * re-run them: its report quotes the latest figures of each, with the date they were measured.
 */

/** What bench/widget/main.ts writes to widget.json (the fields read here). */
export interface WidgetResult {
  date: string;
  node?: string;
  sizes: { rawBytes: number; gzipBytes: number; brotliBytes: number };
  chunks?: Array<{ file: string; rawBytes: number; gzipBytes: number; brotliBytes: number }>;
  timings: { runs: number; loadMs: number; launcherVisibleMs: number; clickToUsableMs: number } | null;
}

/** What apps/inbox/bench/list.bench.ts writes to inbox.json. */
export interface InboxResult {
  date: string;
  node?: string;
  environment?: string;
  runs: number;
  conversations: number;
  updates: number;
  render: { medianMs: number; minMs: number };
  burst: { medianMs: number; minMs: number; perUpdateUs: number };
}

/** What bench/search/main.ts writes to search.json. */
export interface SearchResult {
  date: string;
  node?: string;
  messages: number;
  conversations: number;
  queries: Array<{ query: string; kind: string; hits: number; p50Ms: number; p95Ms: number; maxMs: number }>;
  worstP95Ms: number;
  goalMs: number;
  met: boolean;
}

/** One benchmark's file: its figures, or why they could not be read; null when there is no file. */
export type Found<T> = { file: string; result: T } | { file: string; error: string } | null;

export interface OtherBenchmarks {
  widget: Found<WidgetResult>;
  inbox: Found<InboxResult>;
  search: Found<SearchResult>;
}

const KINDS = [
  { key: 'widget', label: 'Widget', command: 'pnpm bench:widget' },
  { key: 'inbox', label: 'Inbox list', command: 'pnpm bench:inbox' },
  { key: 'search', label: 'Search', command: 'pnpm bench:search' },
] as const;

export const OTHER_BENCHMARKS_HEADING = 'Widget, inbox and search (latest runs of their own benchmarks)';

/**
 * Reads widget.json, inbox.json and search.json. Each is looked for first in `outDir` (the run's
 * `--out`, so a set of results written together into one folder is reported together), then in
 * bench/results, where the three benchmarks write by default; a quick run into a temporary folder
 * therefore still quotes the committed figures.
 */
export function readOtherBenchmarks(outDir: string): OtherBenchmarks {
  const defaultDir = join(benchDir, 'results');
  const read = <T>(name: string): Found<T> => {
    const path = [join(outDir, `${name}.json`), join(defaultDir, `${name}.json`)].find((p) => existsSync(p));
    if (path === undefined) return null;
    const file = relative(repoRoot, path) || path;
    try {
      return { file, result: JSON.parse(readFileSync(path, 'utf8')) as T };
    } catch (error) {
      return { file, error: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
    }
  };
  return { widget: read<WidgetResult>('widget'), inbox: read<InboxResult>('inbox'), search: read<SearchResult>('search') };
}

/** The report's section: a heading and one bullet per benchmark (Markdown lines, no trailing blank). */
export function otherBenchmarksMarkdown(found: OtherBenchmarks): string[] {
  const lines = [`## ${OTHER_BENCHMARKS_HEADING}`, ''];
  lines.push('Not re-run by `pnpm bench`: each line quotes the last run of its own benchmark, measured when it says.', '');
  for (const { key, label, command } of KINDS) {
    const entry = found[key];
    if (entry === null) {
      lines.push(`- **${label}**: not run yet — \`${command}\``);
      continue;
    }
    if ('error' in entry) {
      lines.push(`- **${label}**: ${entry.file} could not be read (${entry.error}) — \`${command}\``);
      continue;
    }
    const r = entry.result;
    const head = `- **${label}** (\`${command}\`, ${when(r.date)}${r.node ? `, Node ${r.node}` : ''}, ${entry.file})`;
    const figures = key === 'widget' ? widgetFigures(r as WidgetResult) : key === 'inbox' ? inboxFigures(r as InboxResult) : searchFigures(r as SearchResult);
    lines.push(`${head}: ${figures}`);
  }
  return lines;
}

/** Target 5 of the issue: the three benchmarks' figures are in this report. */
export function otherBenchmarksTarget(found: OtherBenchmarks): Target {
  const dated = KINDS.flatMap(({ key }) => {
    const entry = found[key];
    return entry !== null && 'result' in entry ? [`${key}.json (${when(entry.result.date)})`] : [];
  });
  const absent = KINDS.flatMap(({ key, command }) => {
    const entry = found[key];
    return entry === null ? [`${key}.json (\`${command}\`)`] : 'error' in entry ? [`${key}.json (\`${command}\`, unreadable)`] : [];
  });
  return {
    name: '5. Widget, inbox and search',
    goal: 'widget, inbox and search figures in the report',
    measured:
      absent.length === 0
        ? `all three quoted: ${dated.join(', ')}`
        : `missing ${absent.join(', ')}${dated.length > 0 ? `; quoted ${dated.join(', ')}` : ''}`,
    met: absent.length === 0,
  };
}

function widgetFigures(w: WidgetResult): string {
  const panel = w.chunks?.find((c) => /^panel[-.]/i.test(c.file));
  const parts = [
    `widget.js ${kib(w.sizes?.gzipBytes)} gzip, ${kib(w.sizes?.brotliBytes)} brotli (${kib(w.sizes?.rawBytes)} raw)` +
      (panel ? `; lazy panel ${kib(panel.gzipBytes)} gzip` : ''),
  ];
  parts.push(
    w.timings
      ? `in Chromium (median of ${w.timings.runs}) launcher visible ${num(w.timings.launcherVisibleMs, 0)} ms after navigation start, click to usable panel ${num(w.timings.clickToUsableMs, 1)} ms`
      : 'Chromium timings not measured in that run',
  );
  return `${parts.join('; ')}.`;
}

function inboxFigures(i: InboxResult): string {
  return (
    `render ${count(i.conversations)} conversations ${num(i.render?.medianMs, 1)} ms; ` +
    `${count(i.updates)} live updates rendered one by one ${num(i.burst?.medianMs, 1)} ms (${num(i.burst?.perUpdateUs, 0)} µs each) — ` +
    `medians of ${i.runs} runs in ${i.environment ?? 'happy-dom'}.`
  );
}

function searchFigures(s: SearchResult): string {
  const kinds = (s.queries ?? []).map((q) => `${q.kind} ${num(q.p95Ms, 1)}`).join(', ');
  return (
    `worst p95 ${num(s.worstP95Ms, 1)} ms on ${count(s.messages)} messages — goal under ${s.goalMs} ms: ${s.met ? 'met' : '**not met**'}` +
    (kinds ? `; p95 by kind (ms): ${kinds}.` : '.')
  );
}

/** `2026-11-28T09:10:07.941Z` → `2026-11-28 09:10 UTC`; anything else as it is. */
function when(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso ?? '') && iso.endsWith('Z') ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : String(iso ?? 'undated');
}

function num(n: number | undefined, digits: number): string {
  return typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';
}

function count(n: number | undefined): string {
  return typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en') : '?';
}

function kib(bytes: number | undefined): string {
  return typeof bytes === 'number' && Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KiB` : '–';
}
