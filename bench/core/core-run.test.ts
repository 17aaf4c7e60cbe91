import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCore } from './core-run.ts';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');

describe('bench:core', () => {
  it('runs the core on real SQLite and counts what every message costs', async () => {
    const result = await runCore({ visitors: 20, messages: 200, db: 'memory' });
    expect(result.messages).toBe(200);
    // Each visitor message: an ack and its echo to the visitor, the message and the conversation's
    // summary to the agent, framed as the relay writes them.
    expect(result.bytesOutPerMessage).toBeGreaterThan(800);
    expect(result.bytesOutPerMessage).toBeLessThan(4000);
    expect(result.cpuUsPerMessage).toBeGreaterThan(0);
    expect(Number.isFinite(result.heapBytesPerMessage)).toBe(true);
  });

  it('prints a run per process and the median, from the command line', async () => {
    const output = await new Promise<string>((done, fail) => {
      execFile(
        process.execPath,
        ['bench/core/main.ts', '--visitors', '20', '--messages', '300', '--runs', '2', '--db', 'file'],
        { cwd: repoRoot, timeout: 60_000 },
        (error, stdout, stderr) => (error ? fail(new Error(`${error.message}\n${stderr}`)) : done(stdout)),
      );
    });
    const runs = [...output.matchAll(/^run \d: ([\d.]+) KB allocated per message/gm)].map((match) => Number(match[1]));
    expect(runs).toHaveLength(2);
    for (const kb of runs) expect(kb).toBeGreaterThan(1);
    expect(output).toMatch(/^median: [\d.]+ KB allocated per message$/m);
  });
});
