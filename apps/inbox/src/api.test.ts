import { describe, expect, it } from 'vitest';
import { ApiError, createApi } from './api.ts';
import { createFakeFetch } from './test/fake-fetch.ts';
import { ME, message, summary } from './test/fixtures.ts';

describe('createApi', () => {
  it('sends same-origin JSON requests and validates the answers', async () => {
    const fetch = createFakeFetch(({ url }) => {
      if (url === '/api/v1/conversations?status=pending') return { status: 200, body: { conversations: [summary({ id: 'c1' })] } };
      if (url === '/api/v1/conversations/c1/messages?limit=50&before=9')
        return { status: 200, body: { messages: [message({ id: 'm1', seq: 1 })], hasMore: true } };
      return undefined;
    });
    const api = createApi({ fetch });

    expect((await api.listConversations('pending')).map((c) => c.id)).toEqual(['c1']);
    expect(await api.listMessages('c1', { before: 9 })).toMatchObject({ hasMore: true, messages: [{ id: 'm1' }] });
    expect(fetch.mock.calls[0]?.[1]).toMatchObject({ method: 'GET', credentials: 'same-origin' });
  });

  it('loads a big folder whole, page by page, following the relay’s cursor', async () => {
    const fetch = createFakeFetch(({ url }) => {
      if (url === '/api/v1/conversations?status=open&limit=2')
        return { status: 200, body: { conversations: [summary({ id: 'c1' }), summary({ id: 'c2' })], nextCursor: '5.c2' } };
      if (url === '/api/v1/conversations?status=open&limit=2&cursor=5.c2')
        return { status: 200, body: { conversations: [summary({ id: 'c3' })], nextCursor: null } };
      return undefined;
    });
    const api = createApi({ fetch });
    expect((await api.listConversations({ status: 'open', limit: 2 })).map((c) => c.id)).toEqual(['c1', 'c2', 'c3']);
    expect(fetch.mock.calls).toHaveLength(2);
  });

  it('turns error bodies into ApiError with the relay’s code', async () => {
    const api = createApi({
      fetch: createFakeFetch(() => ({ status: 401, body: { error: { code: 'NOT_AUTHENTICATED', message: 'Bad password' } } })),
    });
    const error = await api.login({ email: 'a@b.c', password: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'NOT_AUTHENTICATED', message: 'Bad password' });
  });

  it('answers me() with null on 401 and the profile on 200', async () => {
    expect(await createApi({ fetch: createFakeFetch(() => ({ status: 401, body: {} })) }).me()).toBeNull();
    expect(await createApi({ fetch: createFakeFetch(() => ({ status: 200, body: ME })) }).me()).toEqual(ME);
  });

  it('refuses a response that does not match the protocol', async () => {
    const api = createApi({ fetch: createFakeFetch(() => ({ status: 200, body: { conversations: [{ id: 1 }] } })) });
    await expect(api.listConversations('all')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('reports a network failure as status 0', async () => {
    const api = createApi({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(api.logout()).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
  });
});
