import { vi } from 'vitest';

export interface FakeRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/conversations?status=open`. */
  url: string;
  body: unknown;
}

export type FakeReply = { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>;

/**
 * A `fetch` that answers from a function of the request, standing in for the relay's REST API.
 * Unknown routes answer 404 in the relay's error shape, so a missing stub fails loudly.
 */
export function createFakeFetch(route: (request: FakeRequest) => FakeReply | undefined) {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const reply = (await route({ method, url, body })) ?? {
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: `No stub for ${method} ${url}` } },
    };
    const text = reply.body === undefined ? null : JSON.stringify(reply.body);
    return new Response(text, { status: reply.status, headers: { 'content-type': 'application/json' } });
  });
}

/** The requests a fake fetch received, as `METHOD url` strings. */
export function requests(fetch: ReturnType<typeof createFakeFetch>): string[] {
  return fetch.mock.calls.map(([input, init]) => `${init?.method ?? 'GET'} ${String(input)}`);
}
