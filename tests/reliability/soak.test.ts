import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/soak/soak.ts';

/**
 * The 5-minute soak of issue 6's acceptance (`pnpm soak`, bench/soak/main.ts), run for 20 seconds
 * so that it cannot rot: visitors chat, connections are cut, visitors come and go; nothing acked
 * is lost or stored twice, descriptors do not leak, memory does not run away.
 */
describe('soak, 20-second version', () => {
  it('loses nothing, leaks no descriptors, and keeps memory in bounds', async () => {
    const report = await runSoak({ durationMs: 20_000, visitors: 10 });
    console.info(`[soak] ${JSON.stringify(report)}`);
    expect(report.cuts).toBeGreaterThan(0);
    expect(report.churned).toBeGreaterThan(0);
    expect(report.acked).toBe(report.sent);
    expect(report.lost).toBe(0);
    expect(report.duplicates).toBe(0);
    // Same population connected at both ends: a socket or file left open per cut or per visitor would show.
    expect(report.end.fds).toBeLessThanOrEqual(report.start.fds + 3);
    // 20 s of chat does not need 64 MiB more; a leak per message or per connection would.
    expect(report.end.rssKb - report.start.rssKb).toBeLessThan(64 * 1024);
  });
});
