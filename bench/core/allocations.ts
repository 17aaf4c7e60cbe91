import { relative } from 'node:path';
import { repoRoot } from '../relay/options.ts';

/** V8's sampling heap profile (`HeapProfiler.stopSampling`), as much of it as is read here. */
export interface SamplingProfile {
  head: SamplingNode;
}
interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** Bytes allocated per message by each function (its own allocations), largest first. */
export function summariseAllocations(profile: SamplingProfile, messages: number, top: number): string[] {
  const byFunction = new Map<string, number>();
  let total = 0;
  const walk = (node: SamplingNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.startsWith('file://') ? relative(repoRoot, new URL(url).pathname).replace(/^node_modules\/\.pnpm\/[^/]+\/node_modules\//, '') : url || '(native)';
    const key = `${functionName || '(anonymous)'}  ${where}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  const lines = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, bytes]) => `${String(Math.round(bytes / messages)).padStart(6)} B  ${key}`);
  return [`${String(Math.round(total / messages)).padStart(6)} B  in all`, ...lines];
}
