import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * What a child process costs, read from Linux's /proc: the relay has no metrics endpoint, and
 * reading from outside measures it as an operator would (`ps`, `ls /proc/<pid>/fd`).
 */
export interface ProcessStats {
  /** Resident set size in KiB (`VmRSS` of /proc/<pid>/status). */
  rssKb: number;
  /** Open file descriptors: sockets, the SQLite file and its WAL, pipes. */
  fds: number;
}

export function processStats(pid: number): ProcessStats {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!rss) throw new Error(`no VmRSS for process ${pid}`);
  return { rssKb: Number(rss[1]), fds: readdirSync(`/proc/${pid}/fd`).length };
}

/**
 * The pid of the process listening on 127.0.0.1:`port`. `startRelayProcess` does not expose its
 * child's pid; the listening socket's inode (from /proc/net/tcp) leads to it through /proc/<pid>/fd.
 */
export function pidListeningOn(port: number): number {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; state 0A is LISTEN; the inode is the tenth column.
      if (cols.length > 9 && cols[3] === '0A' && parseInt(cols[1]!.split(':')[1]!, 16) === port) inodes.add(cols[9]!);
    }
  }
  if (inodes.size === 0) throw new Error(`nothing listens on port ${port}`);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // another user's process, or gone meanwhile
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return Number(entry);
      } catch {
        // closed meanwhile
      }
    }
  }
  throw new Error(`no process of ours holds the socket listening on port ${port}`);
}

/**
 * The kernel's state of our TCP connection from local port `localPort` to `remotePort`:
 * `ESTABLISHED`, `CLOSE_WAIT` once the peer has closed its side, or `GONE` once the kernel has
 * dropped the connection (after a reset). It tells when the relay hung up on a socket whose
 * owner stopped reading, which the paused socket itself cannot notice.
 */
export function tcpState(localPort: number, remotePort: number): string {
  const names: Record<string, string> = {
    '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT',
    '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING',
  };
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4) continue;
      const local = parseInt(cols[1]!.split(':')[1]!, 16);
      const remote = parseInt(cols[2]!.split(':')[1]!, 16);
      if (local === localPort && remote === remotePort) return names[cols[3]!] ?? cols[3]!;
    }
  }
  return 'GONE';
}

export interface HeapReport {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

/**
 * For a relay child started with `heap-probe.ts` preloaded: asks for a full GC and returns the
 * memory it then reports. `output` is the child's output so far (RelayProcess.output).
 */
export async function liveHeap(pid: number, output: () => string, timeoutMs = 5_000): Promise<HeapReport> {
  const seen = output().split('[heap] ').length;
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const parts = output().split('[heap] ');
    if (parts.length > seen) return JSON.parse(parts[parts.length - 1]!.split('\n')[0]!) as HeapReport;
    if (Date.now() > deadline) throw new Error('the relay did not report its heap (is heap-probe.ts preloaded?)');
    await new Promise((r) => setTimeout(r, 20));
  }
}
