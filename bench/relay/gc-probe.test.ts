import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('the GC probe', () => {
  it('reports a second of a process it is loaded into: loop delay, GCs and heap spaces', () => {
    const folder = mkdtempSync(join(tmpdir(), 'parley-gc-probe-'));
    const file = join(folder, 'probe.log');
    try {
      const probe = fileURLToPath(new URL('./gc-probe.ts', import.meta.url));
      // Allocates for 1.3 s so that scavenges run, then exits.
      const script = 'const end = Date.now() + 1300; let keep = []; const tick = () => { for (let i = 0; i < 1e5; i++) keep.push({ i }); keep = []; if (Date.now() < end) setTimeout(tick, 5); }; tick();';
      execFileSync(process.execPath, ['--import', probe, '-e', script], { env: { ...process.env, PARLEY_GC_PROBE: file }, timeout: 20_000 });
      const line = readFileSync(file, 'utf8').trim().split('\n')[0]!;
      // Which GC came first in the second varies; a scavenge is among them.
      expect(line).toMatch(/loop delay p99 [\d.]+ max [\d.]+ ms; gc: (.+, )?scavenge \d+×/);
      expect(line).toMatch(/old_space [\d.]+ MB, new_space [\d.]+ MB|new_space [\d.]+ MB, old_space [\d.]+ MB/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
