import type { IncomingMessage, ServerResponse } from 'node:http';

/** Where the driver asks a yardstick for its own CPU and memory accounting. */
export const USAGE_PATH = '/__bench/usage';

/**
 * The yardsticks' tiny control channel: the process reports `process.cpuUsage()` (µs, all threads)
 * and its RSS, so the driver can cross-check what it reads from /proc. Parley has no such endpoint
 * and is measured from /proc only; the table uses /proc for every server so all are read alike.
 */
export function handleUsage(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.url !== USAGE_PATH) return false;
  const cpu = process.cpuUsage();
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ cpuUs: cpu.user + cpu.system, rssBytes: process.memoryUsage.rss() }));
  return true;
}
