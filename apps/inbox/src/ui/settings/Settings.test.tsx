import type { SiteResponse } from '@parley/protocol';
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { FakeRequest } from '../../test/fake-fetch.ts';
import { AGENTS, ME, NOW } from '../../test/fixtures.ts';
import { renderInbox } from '../../test/render-inbox.tsx';

const SITE: SiteResponse['site'] = {
  id: 'site_1',
  key: 'key_1',
  name: 'Acme shop',
  allowedOrigins: ['https://shop.example.com'],
  appearance: { name: 'Acme', greeting: 'Hi! Ask us anything.', color: '#4f46e5', position: 'right', launcherLabel: 'Chat', replyTime: 'In a few minutes' },
  settings: { preChat: 'off', businessHours: null, requireIdentityVerification: false, autoAssign: 'off' },
  identitySecretSet: false,
  createdAt: NOW,
  snippet: '<script src="https://chat.example.com/widget.js" data-site="key_1" async></script>',
};

function settings(path: string, route?: (request: FakeRequest) => { status: number; body?: unknown } | undefined) {
  const calls: FakeRequest[] = [];
  const rendered = renderInbox({
    path,
    route: (request) => {
      if (request.method !== 'GET') calls.push(request);
      return route?.(request);
    },
  });
  return { ...rendered, calls };
}

describe('Settings', () => {
  it('edits a site: origins, colours, greeting, reply time, business hours, pre-chat, auto-assign', async () => {
    const { calls } = settings('/inbox/settings/sites', ({ method, url, body }) => {
      if (url === '/api/v1/sites' && method === 'GET') return { status: 200, body: { sites: [SITE] } };
      if (url === '/api/v1/sites/site_1' && method === 'PATCH') return { status: 200, body: { site: { ...SITE, ...(body as object) } } };
      return undefined;
    });
    expect(await screen.findByRole('heading', { name: 'Sites', level: 1 })).toBeDefined();
    expect((await screen.findByLabelText('Script tag') as HTMLTextAreaElement).value).toBe(SITE.snippet);
    expect(screen.getByRole('button', { name: 'Copy script tag' })).toBeDefined();

    fireEvent.input(screen.getByLabelText('Allowed origins'), { target: { value: 'https://shop.example.com\nhttps://www.example.com/' } });
    fireEvent.input(screen.getByLabelText('Greeting'), { target: { value: 'Hello there' } });
    fireEvent.input(screen.getByLabelText('Expected reply time'), { target: { value: 'Within an hour' } });
    fireEvent.input(screen.getByLabelText('Colour'), { target: { value: '#0f766e' } });
    fireEvent.click(screen.getByLabelText('Bottom left'));
    fireEvent.change(screen.getByLabelText('Pre-chat form'), { target: { value: 'email-required' } });
    fireEvent.change(screen.getByLabelText('Auto-assignment'), { target: { value: 'round-robin' } });
    fireEvent.click(screen.getByLabelText('Only show the team as available during business hours'));
    fireEvent.input(screen.getByLabelText('Time zone'), { target: { value: 'Europe/Berlin' } });
    fireEvent.click(screen.getByLabelText('Require verification: refuse identify without a valid hash'));
    fireEvent.click(screen.getByRole('button', { name: 'Save site' }));

    await screen.findByText('Site saved');
    const patch = calls.find((call) => call.method === 'PATCH')!;
    expect(patch.body).toEqual({
      name: 'Acme shop',
      allowedOrigins: ['https://shop.example.com', 'https://www.example.com'],
      appearance: { ...SITE.appearance, greeting: 'Hello there', replyTime: 'Within an hour', color: '#0f766e', position: 'left' },
      settings: {
        preChat: 'email-required',
        autoAssign: 'round-robin',
        requireIdentityVerification: true,
        businessHours: {
          timezone: 'Europe/Berlin',
          days: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })),
        },
      },
    });
  });

  it('shows a new identity secret once, and asks before rotating it', async () => {
    const confirm = vi.fn(() => true);
    vi.stubGlobal('confirm', confirm);
    settings('/inbox/settings/sites', ({ method, url }) => {
      if (url === '/api/v1/sites' && method === 'GET') return { status: 200, body: { sites: [SITE] } };
      if (url === '/api/v1/sites/site_1/identity-secret') return { status: 200, body: { secret: 'sec_abc123' } };
      return undefined;
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Generate secret' }));
    const shown = await screen.findByRole('status', { name: 'New identity secret' });
    expect((within(shown).getByLabelText('Identity secret') as HTMLInputElement).value).toBe('sec_abc123');
    expect(within(shown).getByText(/will not be shown again/)).toBeDefined();
    expect(confirm).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Rotate secret' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringMatching(/stops working/));
    vi.unstubAllGlobals();
  });

  it('invites an agent and shows the link; changes a role; deactivates', async () => {
    const confirm = vi.fn(() => true);
    vi.stubGlobal('confirm', confirm);
    const { calls } = settings('/inbox/settings/agents', ({ method, url }) => {
      if (url === '/api/v1/agents/invite') return { status: 200, body: { inviteUrl: '/inbox/invite/tok_1234567890abcdef', expiresAt: NOW + 7 * 86_400_000 } };
      if (method === 'PATCH' && url.startsWith('/api/v1/agents/')) return { status: 200, body: { agent: AGENTS[1] } };
      return undefined;
    });
    const form = await screen.findByRole('form', { name: 'Invite an agent' });
    fireEvent.input(within(form).getByLabelText('Email'), { target: { value: 'new@example.com' } });
    fireEvent.change(within(form).getByLabelText('Role'), { target: { value: 'admin' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create invite link' }));
    const link = (await within(form).findByLabelText('Invite link')) as HTMLInputElement;
    expect(link.value).toMatch(/\/inbox\/invite\/tok_1234567890abcdef$/);
    expect(calls[0]).toMatchObject({ method: 'POST', body: { email: 'new@example.com', role: 'admin' } });

    const table = screen.getByRole('table', { name: 'Agents' });
    await within(table).findByText('Bea Turing');
    expect((within(table).getByLabelText('Role of Ada Lovelace') as HTMLSelectElement).disabled).toBe(true);
    fireEvent.change(within(table).getByLabelText('Role of Bea Turing'), { target: { value: 'admin' } });
    await waitFor(() => expect(calls.at(-1)).toMatchObject({ method: 'PATCH', url: '/api/v1/agents/agent_2', body: { role: 'admin' } }));
    fireEvent.click(within(table).getByRole('button', { name: 'Deactivate Bea Turing' }));
    await waitFor(() => expect(calls.at(-1)).toMatchObject({ method: 'PATCH', url: '/api/v1/agents/agent_2', body: { active: false } }));
    vi.unstubAllGlobals();
  });

  it('adds labels, teams and canned responses', async () => {
    const { calls, history } = settings('/inbox/settings/labels', ({ method, url }) => {
      if (method === 'POST' && url === '/api/v1/labels') return { status: 200, body: { label: { id: 'lab_new', name: 'vip', color: '#4f46e5' } } };
      if (method === 'POST' && url === '/api/v1/teams') return { status: 200, body: { team: { id: 't2', name: 'Billing', agentIds: ['agent_2'] } } };
      if (method === 'POST' && url === '/api/v1/canned-responses')
        return { status: 200, body: { cannedResponse: { id: 'cr_new', shortcut: 'bye', title: 'Goodbye', body: 'Bye {{contact.firstName}}' } } };
      return undefined;
    });
    const labels = await screen.findByRole('list', { name: 'Labels' });
    expect(within(labels).getByText('billing')).toBeDefined();
    const labelForm = screen.getByRole('form', { name: 'New label' });
    fireEvent.input(within(labelForm).getByLabelText('Label name'), { target: { value: 'vip' } });
    fireEvent.click(within(labelForm).getByRole('button', { name: 'Add label' }));
    await screen.findByText('Label added');
    expect(calls.at(-1)).toMatchObject({ method: 'POST', url: '/api/v1/labels', body: { name: 'vip', color: '#4f46e5' } });

    fireEvent.click(within(screen.getByRole('navigation', { name: 'Settings' })).getByRole('link', { name: 'Teams' }));
    expect(history.pathname).toBe('/inbox/settings/teams');
    const teamForm = await screen.findByRole('form', { name: 'New team' });
    fireEvent.input(within(teamForm).getByLabelText('Team name'), { target: { value: 'Billing' } });
    fireEvent.click(within(teamForm).getByLabelText('Bea Turing'));
    fireEvent.click(within(teamForm).getByRole('button', { name: 'Add team' }));
    await screen.findByText('Team added');
    expect(calls.at(-1)).toMatchObject({ method: 'POST', url: '/api/v1/teams', body: { name: 'Billing', agentIds: ['agent_2'] } });

    fireEvent.click(within(screen.getByRole('navigation', { name: 'Settings' })).getByRole('link', { name: 'Canned responses' }));
    const cannedForm = await screen.findByRole('form', { name: 'New canned response' });
    fireEvent.input(within(cannedForm).getByLabelText('Shortcut'), { target: { value: 'bye' } });
    fireEvent.input(within(cannedForm).getByLabelText('Title'), { target: { value: 'Goodbye' } });
    fireEvent.input(within(cannedForm).getByLabelText('Message'), { target: { value: 'Bye {{contact.firstName}}' } });
    fireEvent.click(within(cannedForm).getByRole('button', { name: 'Add response' }));
    await screen.findByText('Response added');
    expect(calls.at(-1)).toMatchObject({ body: { shortcut: 'bye', title: 'Goodbye', body: 'Bye {{contact.firstName}}' } });
  });

  it('shows the relay’s reason when a change is refused', async () => {
    settings('/inbox/settings/labels', ({ method }) =>
      method === 'POST' ? { status: 400, body: { error: { code: 'INVALID_REQUEST', message: 'A label with this name exists', field: 'name' } } } : undefined,
    );
    const form = await screen.findByRole('form', { name: 'New label' });
    fireEvent.input(within(form).getByLabelText('Label name'), { target: { value: 'billing' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add label' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('A label with this name exists');
  });

  it('tells agents who are not admins that settings are for admins', async () => {
    renderInbox({ me: { ...ME, agent: { ...ME.agent, role: 'agent' } }, path: '/inbox/settings/sites' });
    expect(await screen.findByText(/Only admins can change settings/)).toBeDefined();
  });
});

describe('AcceptInvite', () => {
  it('greets the invited agent by workspace and email, and signs them in', async () => {
    const { fetch } = renderInbox({
      me: null,
      path: '/inbox/invite/tok_1234567890abcdef',
      route: ({ method, url }) =>
        method === 'POST' && url === '/api/v1/auth/accept-invite'
          ? { status: 200, body: ME }
          : method === 'GET' && url === '/api/v1/invites/tok_1234567890abcdef'
            ? { status: 200, body: { workspace: { name: 'Acme Support' }, email: 'ada@acme.test', role: 'agent', expiresAt: 1 } }
            : undefined,
    });
    expect(await screen.findByRole('heading', { name: 'Join Acme Support on Parley' })).toBeDefined();
    expect(screen.getByText(/invited as ada@acme\.test/)).toBeDefined();
    fireEvent.input(screen.getByLabelText('Your name'), { target: { value: 'Ada Lovelace' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'a-long-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Join' }));
    await screen.findByRole('navigation', { name: 'Inbox' });
    const call = fetch.mock.calls.find(([url]) => url === '/api/v1/auth/accept-invite')!;
    expect(JSON.parse(String(call[1]?.body))).toEqual({ token: 'tok_1234567890abcdef', name: 'Ada Lovelace', password: 'a-long-password' });
  });

  it('says at once when the link no longer works', async () => {
    renderInbox({
      me: null,
      path: '/inbox/invite/tok_1234567890abcdef',
      route: ({ method, url }) =>
        method === 'GET' && url === '/api/v1/invites/tok_1234567890abcdef'
          ? { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Invitation not found' } } }
          : undefined,
    });
    expect((await screen.findByRole('alert')).textContent).toMatch(/expired or was already used/);
  });

  it('explains an expired invite', async () => {
    renderInbox({
      me: null,
      path: '/inbox/invite/tok_1234567890abcdef',
      route: ({ method }) => (method === 'POST' ? { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Invite not found' } } } : undefined),
    });
    await screen.findByRole('heading', { name: /^Join/ });
    fireEvent.input(screen.getByLabelText('Your name'), { target: { value: 'Ada' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'a-long-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Join' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/expired or was already used/);
  });
});
