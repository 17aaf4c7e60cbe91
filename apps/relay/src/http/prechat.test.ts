import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { DEFAULT_SITE_SETTINGS } from '@parley/protocol';
import { startTestRelay } from '../testing/relay-fixture.ts';

/** Pre-chat "email required" is a rule of the site, held by the relay and not only by the widget. */

let fixture: Awaited<ReturnType<typeof startTestRelay>>;
beforeAll(async () => {
  fixture = await startTestRelay('parley-prechat-');
});
afterEach(async () => {
  expect(await fixture.closeSockets()).toEqual([]);
});
afterAll(async () => {
  await fixture.close();
});

it('refuses to open a conversation before the visitor gave an email, and accepts it after', async () => {
  const { site } = await fixture.workspace({ settings: { ...DEFAULT_SITE_SETTINGS, preChat: 'email-required' } });
  const { socket } = await fixture.visitor(site.key);
  socket.send({ type: 'send', clientId: 'too_early', text: 'Hi' });
  const refused = await socket.nextWhere((f) => f.type === 'error' && f.ref === 'too_early', 'the refusal');
  expect(refused).toMatchObject({ code: 'FORBIDDEN', field: 'email' });

  socket.send({ type: 'profile', requestId: 'p1', email: 'ada@example.com' });
  await socket.nextWhere((f) => f.type === 'ok' && f.ref === 'p1', 'profile ok');
  await expect(fixture.say(socket, 'Hi again')).resolves.toMatchObject({ type: 'ack', seq: 1 });
});

it('does not ask on sites without the rule', async () => {
  const { site } = await fixture.workspace();
  const { socket } = await fixture.visitor(site.key);
  await expect(fixture.say(socket, 'Hello')).resolves.toMatchObject({ type: 'ack' });
});
