import { mib, runSoak } from './soak.ts';

/**
 * `pnpm soak` (`node bench/soak/main.ts`): visitors chat with an agent for `--minutes` (default 5)
 * while connections are cut and visitors come and go; prints the relay's RSS and open file
 * descriptors at the start and the end, and fails if an acknowledged message is missing or stored
 * twice. Options: --minutes N, --visitors N (default 20).
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!(value > 0)) {
    console.error(`--${name} needs a positive number`);
    process.exit(2);
  }
  return value;
};
const minutes = option('minutes', 5);
const visitors = option('visitors', 20);

console.log(`parley soak: ${visitors} visitors for ${minutes} min, connections cut and visitors replaced as they go`);
const report = await runSoak({ durationMs: minutes * 60_000, visitors, onProgress: (line) => console.log(`  ${line}`) });
console.log([
  '',
  `| | start | end |`,
  `| --- | --- | --- |`,
  `| relay RSS | ${mib(report.start.rssKb)} MiB | ${mib(report.end.rssKb)} MiB |`,
  `| open file descriptors | ${report.start.fds} | ${report.end.fds} |`,
  '',
  `${report.sent} visitor messages sent, ${report.acked} acked, ${report.agentReplies} agent replies; ${report.cuts} connections cut, `
    + `${report.churned} visitors replaced; lost: ${report.lost}, stored twice: ${report.duplicates}`,
].join('\n'));
process.exit(report.lost === 0 && report.duplicates === 0 && report.acked === report.sent ? 0 : 1);
