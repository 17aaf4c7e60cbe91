import { readFileSync } from 'node:fs';

/**
 * CPU time the hypervisor gave to other guests while this machine wanted it ("steal" in
 * /proc/stat), over all cores. On a shared virtual machine it comes and goes: a step that ran
 * while a quarter of the CPU was stolen shows higher latencies and saturates early, and the
 * report says so rather than leaving it to be guessed. Returns null where /proc/stat is absent.
 */
export function stealTicks(): { steal: number; total: number } | null {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const fields = /^cpu\s+(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number);
  if (!fields || fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return null;
  // user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is inside user.
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { steal: fields[7]!, total };
}

/** Share of all CPU time stolen between two readings, in per cent; null when unknown. */
export function stealPct(from: ReturnType<typeof stealTicks>, to: ReturnType<typeof stealTicks>): number | null {
  if (!from || !to || to.total <= from.total) return null;
  return ((to.steal - from.steal) / (to.total - from.total)) * 100;
}
