import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The bench is not part of `pnpm test`, but this keeps it from rotting: `--quick` runs every
 * server end to end in a child process, as `pnpm bench` would, and the results must be sane.
 */
const repoRoot = resolve(fileURLToPath(import.meta.url), '../..');
const out = mkdtempSync(join(tmpdir(), 'parley-bench-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Results {
  summaries: Array<{
    server: string;
    connections: number;
    rssPerConnKb: number;
    connectPerSec: number;
    steps: Array<{ rate: number; p50Ms: number; p99Ms: number; cpuUsPerMsg: number; deliveredAll: boolean }>;
    stormMs: number | null;
    stormMissed: number | null;
  }>;
  ratios: Array<{ of: string; to: string; cpuAtRef: number | null }>;
  runs: Array<{ server: string; error: string | null; steps: Array<{ sent: number; delivered: number; acked: number | null }> }>;
}

function runQuick(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['bench/relay/main.ts', '--quick', '--out', out, '--name', 'quick'],
      { cwd: repoRoot, timeout: 110_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('pnpm bench --quick', () => {
  it('runs all four servers end to end and writes sane results', async () => {
    const run = await runQuick();
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('Ratios (Parley ÷ yardstick');

    const results = JSON.parse(readFileSync(join(out, 'quick.json'), 'utf8')) as Results;
    expect(results.runs.map((r) => [r.server, r.error])).toEqual([
      ['ws', null], ['socketio', null], ['parley-mem', null], ['parley', null],
    ]);
    for (const run of results.runs) {
      for (const step of run.steps) {
        expect(step.sent, run.server).toBeGreaterThan(0);
        expect(step.delivered, `${run.server}: every message reaches an agent`).toBe(step.sent);
        if (run.server.startsWith('parley')) expect(step.acked, `${run.server}: every message acked`).toBe(step.sent);
      }
    }
    for (const s of results.summaries) {
      expect(s.connections).toBe(20);
      expect(s.connectPerSec).toBeGreaterThan(0);
      expect(Number.isFinite(s.rssPerConnKb)).toBe(true);
      expect(s.steps).toHaveLength(1);
      const step = s.steps[0]!;
      expect(step.deliveredAll).toBe(true);
      expect(step.p50Ms).toBeGreaterThan(0);
      expect(step.p99Ms).toBeGreaterThanOrEqual(step.p50Ms);
      expect(step.p99Ms).toBeLessThan(5_000);
      expect(step.cpuUsPerMsg).toBeGreaterThan(0);
      expect(s.stormMs).toBeGreaterThan(0);
      if (s.server.startsWith('parley')) expect(s.stormMissed, `${s.server}: the storm's resume missed nothing`).toBe(0);
    }
    expect(results.ratios.filter((r) => r.cpuAtRef !== null)).toHaveLength(4);
    expect(readFileSync(join(out, 'quick.md'), 'utf8')).toContain('| Parley (durable) |');
    expect(readFileSync(join(out, 'quick.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<circle[\s\S]*<\/svg>\s*$/);
  });
});
