import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { repoRoot } from './options.ts';

/**
 * Summarises a `.cpuprofile` (from `pnpm bench --profile DIR`): self time by function and by
 * source file, top entries, so docs/performance.md can say where the relay's CPU goes.
 * Run: node bench/relay/profile-summary.ts FILE.cpuprofile [top=25]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/relay/profile-summary.ts FILE.cpuprofile [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const shortUrl = (url: string) => {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const rel = relative(repoRoot, path);
  const pkg = /node_modules\/\.pnpm\/[^/]+\/node_modules\/(.+)$/.exec(rel);
  return pkg ? pkg[1]! : rel;
};
const fns = new Map<string, number>();
const files = new Map<string, number>();
let total = 0;
let idle = 0;
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  const { functionName, url, lineNumber } = node.callFrame;
  total += us;
  if (functionName === '(idle)') {
    idle += us;
    continue;
  }
  const key = `${functionName || '(anonymous)'}  ${shortUrl(url)}:${lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const f = functionName.startsWith('(') ? functionName : shortUrl(url);
  files.set(f, (files.get(f) ?? 0) + us);
}
const busy = total - idle;
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title} (share of busy time)`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy`);
print('By source file', files);
print('By function (self time)', fns);
