/**
 * Loaded into a relay with `--import` (through `pnpm bench --parley-flags=...`), writes once a
 * second how late the event loop ran, which GCs ran and for how long, and the heap's spaces, to
 * the file named by PARLEY_GC_PROBE. This is how the p99 at 10,000 msg/s was traced to V8's full
 * GCs (docs/performance.md, "Measured this session"). Does nothing without the variable.
 */
import { appendFileSync } from 'node:fs';
import { PerformanceObserver, constants, monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

const file = process.env['PARLEY_GC_PROBE'];

/** V8's GC kinds, as Node numbers them in a `gc` entry's `detail.kind`. */
const KIND: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MINOR_MARK_SWEEP]: 'minor-ms',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'full',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak',
};

if (file) {
  const delay = monitorEventLoopDelay({ resolution: 2 });
  delay.enable();
  const gcs: Array<{ kind: string; ms: number }> = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0;
      gcs.push({ kind: KIND[kind] ?? String(kind), ms: entry.duration });
    }
  }).observe({ entryTypes: ['gc'] });
  setInterval(() => {
    const byKind = new Map<string, { count: number; total: number; max: number }>();
    for (const gc of gcs) {
      const sum = byKind.get(gc.kind) ?? { count: 0, total: 0, max: 0 };
      sum.count++;
      sum.total += gc.ms;
      sum.max = Math.max(sum.max, gc.ms);
      byKind.set(gc.kind, sum);
    }
    const gcText = [...byKind].map(([kind, sum]) => `${kind} ${sum.count}× ${sum.total.toFixed(0)} ms (max ${sum.max.toFixed(1)})`).join(', ');
    const spaces = getHeapSpaceStatistics()
      .filter((space) => space.space_name === 'old_space' || space.space_name === 'new_space')
      .map((space) => `${space.space_name} ${(space.space_used_size / 1e6).toFixed(1)} MB`)
      .join(', ');
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    appendFileSync(
      file,
      `${new Date().toISOString().slice(11, 19)} loop delay p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms; gc: ${gcText || 'none'}; ${spaces}\n`,
    );
    delay.reset();
    gcs.length = 0;
  }, 1000).unref();
}
