import type { AgentSummary, CannedResponse } from '@parley/protocol';

/** What `{{…}}` variables in a canned response may refer to. */
export interface VariableContext {
  contact: { name: string | null; email: string | null };
  agent: { name: string };
}

/**
 * Fills `{{contact.name}}`, `{{contact.firstName}}`, `{{contact.email}}` and `{{agent.name}}`.
 * An unknown contact name becomes "there" ("Hi there"), an unknown email nothing; variables this
 * inbox does not know are left as typed, so the agent sees them before sending.
 */
export function fillVariables(body: string, context: VariableContext): string {
  const name = context.contact.name?.trim() || null;
  const values: Record<string, string> = {
    'contact.name': name ?? 'there',
    'contact.firstName': name?.split(/\s+/)[0] ?? 'there',
    'contact.email': context.contact.email ?? '',
    'agent.name': context.agent.name,
  };
  return body.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/** The `/shortcut` or `@name` being typed just before the caret, if any. */
export function tokenBefore(text: string, caret: number, trigger: '/' | '@'): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const pattern = trigger === '/' ? /(^|\s)\/([\w-]*)$/ : /(^|\s)@([\w.-]*)$/;
  const match = pattern.exec(before);
  if (!match) return null;
  return { start: match.index + match[1]!.length, query: match[2]! };
}

export function matchCanned(responses: readonly CannedResponse[], query: string): CannedResponse[] {
  const q = query.toLowerCase();
  return responses
    .filter((response) => response.shortcut.toLowerCase().includes(q) || response.title.toLowerCase().includes(q))
    .sort((a, b) => Number(!a.shortcut.toLowerCase().startsWith(q)) - Number(!b.shortcut.toLowerCase().startsWith(q)))
    .slice(0, 8);
}

export function matchAgents(agents: readonly AgentSummary[], query: string, meId: string | null): AgentSummary[] {
  const q = query.toLowerCase();
  return agents
    .filter((agent) => agent.active && agent.id !== meId)
    .filter((agent) => agent.name.toLowerCase().includes(q) || agent.email.toLowerCase().startsWith(q))
    .slice(0, 8);
}

/** The ids of agents whose `@Name` is still in the text (a mention deleted from the draft notifies no one). */
export function mentionedIds(text: string, picked: ReadonlyMap<string, string>): string[] {
  return [...picked].filter(([, name]) => text.includes(`@${name}`)).map(([id]) => id);
}
