import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { benchDir, repoRoot } from '../relay/options.ts';
import { startServer } from '../relay/servers.ts';
import type { WidgetResult } from '../relay/other-benchmarks.ts';

/**
 * `pnpm bench:widget`: what the widget costs a host page. Transfer sizes of the built bundle
 * (gzip -9 and brotli -11, as a CDN or the relay would serve it), then Chromium timings on the
 * relay's demo page: launcher visible after navigation, and click to a usable panel (the input
 * shown and focused). Build first: `pnpm build`.
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    'no-browser': { type: 'boolean' },
    chromium: { type: 'string' },
    out: { type: 'string' },
  },
});
const runs = Math.min(50, Math.max(1, Number(values.runs ?? 7)));
const chromiumPath = values.chromium ?? '/usr/bin/chromium';
const outDir = resolve(values.out ?? join(benchDir, 'results'));

const bundlePath = join(repoRoot, 'apps/widget/dist/widget.js');
if (!existsSync(bundlePath)) {
  console.error(`${relative(repoRoot, bundlePath)} is missing: run \`pnpm build\` first.`);
  process.exit(1);
}
const bundle = readFileSync(bundlePath);
const sizes = {
  rawBytes: bundle.length,
  gzipBytes: gzipSync(bundle, { level: 9 }).length,
  brotliBytes: brotliCompressSync(bundle, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bundle.length } }).length,
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`widget.js: ${kb(sizes.rawBytes)} raw, ${kb(sizes.gzipBytes)} gzip, ${kb(sizes.brotliBytes)} brotli`);
// The loader fetches these on demand (the panel on first open, a locale, the email form…): sized one by one.
const chunkDir = join(repoRoot, 'apps/widget/dist/widget');
const chunks = existsSync(chunkDir)
  ? readdirSync(chunkDir).filter((f) => f.endsWith('.js')).map((file) => {
      const data = readFileSync(join(chunkDir, file));
      return { file, rawBytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length, brotliBytes: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
    })
  : [];
for (const c of chunks) console.log(`  lazy ${c.file}: ${kb(c.rawBytes)} raw, ${kb(c.gzipBytes)} gzip, ${kb(c.brotliBytes)} brotli`);

interface Timings {
  runs: number;
  /** Median ms from navigation start to the page's load event. */
  loadMs: number;
  /** Median ms from navigation start until the launcher button has a box on screen. */
  launcherVisibleMs: number;
  /** Median ms from the launcher's click to the panel's input visible and focused. */
  clickToUsableMs: number;
  samples: Array<{ loadMs: number; launcherVisibleMs: number; clickToUsableMs: number }>;
}

let timings: Timings | null = null;
if (!values['no-browser']) {
  if (!existsSync(chromiumPath)) console.log(`no Chromium at ${chromiumPath}: timings skipped (--chromium PATH)`);
  else {
    try {
      timings = await browserTimings();
    } catch (error) {
      // Sizes still count; a widget that never becomes usable is reported, not hidden.
      process.exitCode = 1;
      console.error(`Chromium timings failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
}

mkdirSync(outDir, { recursive: true });
const result = { date: new Date().toISOString(), node: process.version, bundle: relative(repoRoot, bundlePath), sizes, chunks, timings };
// What `pnpm bench` reads back from widget.json (bench/relay/other-benchmarks.ts): checked here, where it is written.
result satisfies WidgetResult;
writeFileSync(join(outDir, 'widget.json'), `${JSON.stringify(result, null, 2)}\n`);
const md = [
  `# Widget — ${result.date}`,
  '',
  '| figure | value |',
  '|---|---:|',
  `| widget.js raw | ${kb(sizes.rawBytes)} (${sizes.rawBytes} B) |`,
  `| gzip -9 | ${kb(sizes.gzipBytes)} (${sizes.gzipBytes} B) |`,
  `| brotli -11 | ${kb(sizes.brotliBytes)} (${sizes.brotliBytes} B) |`,
  ...chunks.map((c) => `| lazy chunk ${c.file} (gzip / brotli) | ${kb(c.gzipBytes)} / ${kb(c.brotliBytes)} |`),
  ...(timings
    ? [
        `| demo page load event (median of ${timings.runs}) | ${timings.loadMs.toFixed(0)} ms |`,
        `| launcher visible after navigation start | ${timings.launcherVisibleMs.toFixed(0)} ms |`,
        `| click to usable panel | ${timings.clickToUsableMs.toFixed(1)} ms |`,
      ]
    : []),
  '',
].join('\n');
writeFileSync(join(outDir, 'widget.md'), md);
console.log(`wrote ${relative(repoRoot, join(outDir, 'widget'))}.{json,md}`);

async function browserTimings(): Promise<Timings> {
  const server = await startServer('parley-mem', { pin: false, dbDir: undefined });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const samples: Timings['samples'] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // A fresh context each run: cold HTTP cache and storage, as a first-time visitor.
      const context = await browser.newContext();
      const page = await context.newPage();
      // Polls every frame from the first script on, so the moment the launcher gets a box is seen within ~16 ms.
      await page.addInitScript(() => {
        const w = window as unknown as { __launcherAt?: number };
        const poll = () => {
          const root = document.querySelector('parley-widget')?.shadowRoot;
          const box = root?.querySelector('.pw-launcher')?.getBoundingClientRect();
          if (box && box.width > 0 && box.height > 0) w.__launcherAt = performance.now();
          else requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      });
      await page.goto(`http://127.0.0.1:${server.port}/demo`, { waitUntil: 'load', timeout: 30_000 });
      await page.waitForFunction(() => (window as unknown as { __launcherAt?: number }).__launcherAt !== undefined, null, { timeout: 30_000 });
      const sample = await page.evaluate(async () => {
        const root = document.querySelector('parley-widget')!.shadowRoot!;
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const launcher = root.querySelector<HTMLButtonElement>('.pw-launcher')!;
        const t0 = performance.now();
        launcher.click();
        const deadline = t0 + 10_000;
        for (;;) {
          const input = root.querySelector<HTMLTextAreaElement>('.pw-input');
          const box = input?.getBoundingClientRect();
          if (input && box && box.width > 0 && root.activeElement === input && !input.disabled) break;
          if (performance.now() > deadline) throw new Error('panel not usable within 10 s');
          await new Promise((r) => requestAnimationFrame(r));
        }
        return {
          loadMs: nav.loadEventEnd,
          launcherVisibleMs: (window as unknown as { __launcherAt: number }).__launcherAt,
          clickToUsableMs: performance.now() - t0,
        };
      });
      samples.push(sample);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const t: Timings = {
    runs: samples.length,
    loadMs: median(samples.map((s) => s.loadMs)),
    launcherVisibleMs: median(samples.map((s) => s.launcherVisibleMs)),
    clickToUsableMs: median(samples.map((s) => s.clickToUsableMs)),
    samples,
  };
  console.log(`Chromium (median of ${t.runs}): load ${t.loadMs.toFixed(0)} ms, launcher visible ${t.launcherVisibleMs.toFixed(0)} ms, click to usable panel ${t.clickToUsableMs.toFixed(1)} ms`);
  return t;
}
