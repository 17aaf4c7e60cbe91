import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RELAY_NODE_FLAGS } from './servers.ts';

const scripts = (path: string) =>
  (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('the relay the bench measures', () => {
  // The bench's figures are only the product's if it runs the relay as people start it.
  it.each([
    ['package.json', 'start'],
    ['package.json', 'dev'],
    ['apps/relay/package.json', 'start'],
  ])('runs with the Node flags of %s "%s"', (file, script) => {
    const command = scripts(`../../${file}`)[script]!;
    const flags = command.split(/\s+/).filter((word) => word.startsWith('--') && word !== '--watch');
    expect(flags).toEqual([...RELAY_NODE_FLAGS]);
  });
});
