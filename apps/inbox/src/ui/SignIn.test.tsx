import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { requests } from '../test/fake-fetch.ts';
import { ME } from '../test/fixtures.ts';
import { renderInbox } from '../test/render-inbox.tsx';

function fillAndSubmit(email: string, password: string) {
  fireEvent.input(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.input(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('SignIn', () => {
  it('shows the sign-in form when there is no session', async () => {
    renderInbox({ me: null });
    expect(await screen.findByRole('heading', { name: 'Sign in to Parley' })).toBeDefined();
    expect(screen.getByLabelText('Email')).toHaveProperty('type', 'email');
    expect(screen.getByLabelText('Password')).toHaveProperty('type', 'password');
  });

  it('signs in, then shows the inbox and opens the live connection', async () => {
    const { fetch, fake, createClient } = renderInbox({
      me: null,
      route: ({ method, url }) => (method === 'POST' && url === '/api/v1/auth/login' ? { status: 200, body: ME } : undefined),
    });
    await screen.findByRole('heading', { name: 'Sign in to Parley' });

    fillAndSubmit('ada@example.com', 'correct horse');

    const nav = await screen.findByRole('navigation', { name: 'Inbox' });
    expect(within(nav).getByText('Ada Lovelace')).toBeDefined();
    expect(within(nav).getByRole('button', { name: 'Sign out' })).toBeDefined();
    expect(screen.queryByRole('heading', { name: 'Sign in to Parley' })).toBeNull();

    const login = fetch.mock.calls.find(([url]) => url === '/api/v1/auth/login');
    expect(login?.[1]).toMatchObject({ method: 'POST', credentials: 'same-origin' });
    expect(JSON.parse(String(login?.[1]?.body))).toEqual({ email: 'ada@example.com', password: 'correct horse' });
    expect(createClient).toHaveBeenCalledWith(expect.objectContaining({ url: 'ws://inbox.test/ws/agent' }));
    expect(createClient.mock.calls[0]?.[0].hello()).toEqual({ role: 'agent' });
    expect(fake.client.connect).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(requests(fetch)).toContain('GET /api/v1/conversations?status=open&limit=1000'));
  });

  it('says so when the email and password are wrong, and stays on the form', async () => {
    const { createClient } = renderInbox({
      me: null,
      route: ({ url }) =>
        url === '/api/v1/auth/login'
          ? { status: 401, body: { error: { code: 'NOT_AUTHENTICATED', message: 'Invalid email or password' } } }
          : undefined,
    });
    await screen.findByRole('heading', { name: 'Sign in to Parley' });

    fillAndSubmit('ada@example.com', 'wrong');

    expect((await screen.findByRole('alert')).textContent).toBe('Incorrect email or password.');
    expect(screen.getByRole('heading', { name: 'Sign in to Parley' })).toBeDefined();
    expect(screen.getByLabelText('Email')).toHaveProperty('value', 'ada@example.com');
    await waitFor(() => expect(screen.getByLabelText('Password')).toHaveProperty('value', ''));
    expect(document.activeElement).toBe(screen.getByLabelText('Password'));
    expect(createClient).not.toHaveBeenCalled();
  });

  it('skips the form when the session cookie is still valid', async () => {
    renderInbox();
    expect(await screen.findByRole('navigation', { name: 'Inbox' })).toBeDefined();
    expect(screen.queryByRole('heading', { name: 'Sign in to Parley' })).toBeNull();
  });

  it('signs out: closes the connection and returns to the form', async () => {
    const { fetch, fake } = renderInbox();
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in to Parley' })).toBeDefined();
    expect(requests(fetch)).toContain('POST /api/v1/auth/logout');
    expect(fake.client.close).toHaveBeenCalled();
    expect(fake.listenerCount()).toBe(0);
  });
});
