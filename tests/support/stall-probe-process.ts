import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface StallReport {
  /** Longest time between two pongs (pings go out every 10 ms). */
  maxGapMs: number;
  /** Longest ping round trip. */
  maxRttMs: number;
  pongs: number;
}

/** Starts `stall-probe.ts` against a relay; `stop()` ends it and returns what it measured. */
export async function startStallProbe(relayUrl: string, siteKey: string): Promise<{ stop(): Promise<StallReport> }> {
  const child = spawn(process.execPath, [resolve(import.meta.dirname, 'stall-probe.ts'), `${relayUrl.replace(/^http/, 'ws')}/ws/visitor`, siteKey], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const deadline = Date.now() + 10_000;
  while (!out.includes('ready\n')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`stall probe did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    async stop() {
      child.stdin.write('stop\n');
      const code = await exited;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) throw new Error(`stall probe failed (${code}): ${err}`);
      return JSON.parse(line) as StallReport;
    },
  };
}
