import {
  ConversationListResponse,
  ErrorResponse,
  MeResponse,
  MessageListResponse,
  parsePayload,
  type ConversationStatus,
  type ConversationSummary,
  type ErrorCode,
  type LoginRequest,
} from '@parley/protocol';

/** Which conversations the list asks the relay for. */
export type StatusFilter = ConversationStatus | 'all';

/**
 * The one error every REST call rejects with. `status` is the HTTP status, 0 when the request
 * never got an answer; `code` is the relay's error code, or `NETWORK` / `BAD_RESPONSE` for
 * failures that happened on this side of the wire.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'NETWORK' | 'BAD_RESPONSE';
  constructor(status: number, code: ApiError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export interface Api {
  login(body: LoginRequest): Promise<MeResponse>;
  logout(): Promise<void>;
  /** The signed-in agent, or `null` when the session cookie is missing or expired. */
  me(): Promise<MeResponse | null>;
  listConversations(status: StatusFilter): Promise<ConversationSummary[]>;
  listMessages(conversationId: string, options?: { before?: number; limit?: number }): Promise<MessageListResponse>;
}

export interface ApiOptions {
  /** Defaults to the global `fetch`; tests pass a fake. */
  fetch?: typeof fetch;
  /** Prefix of every path; empty for the same origin, which is how the relay serves the inbox. */
  baseUrl?: string;
}

/**
 * The inbox's REST client for `/api/v1`. Every response body is validated against the protocol's
 * schema before it is returned, so the stores never hold a shape they did not expect.
 */
export function createApi(options: ApiOptions = {}): Api {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const baseUrl = options.baseUrl ?? '';

  async function request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
    if (body !== undefined) {
      init.headers = { accept: 'application/json', 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}/api/v1${path}`, init);
    } catch (cause) {
      throw new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection.', { cause });
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  }

  async function json<S extends Parameters<typeof parsePayload>[0]>(response: Response, schema: S) {
    const parsed = parsePayload(schema, await response.json().catch(() => undefined));
    if (!parsed.ok) throw new ApiError(response.status, 'BAD_RESPONSE', `Unexpected response: ${parsed.error.message}`);
    return parsed.value;
  }

  return {
    async login(body) {
      return json(await request('POST', '/auth/login', body), MeResponse);
    },
    async logout() {
      await request('POST', '/auth/logout');
    },
    async me() {
      try {
        return await json(await request('GET', '/me'), MeResponse);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    async listConversations(status) {
      const response = await request('GET', `/conversations?status=${encodeURIComponent(status)}`);
      return (await json(response, ConversationListResponse)).conversations;
    },
    async listMessages(conversationId, { before, limit = 50 } = {}) {
      const query = new URLSearchParams({ limit: String(limit) });
      if (before !== undefined) query.set('before', String(before));
      const response = await request('GET', `/conversations/${encodeURIComponent(conversationId)}/messages?${query}`);
      return json(response, MessageListResponse);
    },
  };
}

async function toApiError(response: Response): Promise<ApiError> {
  const parsed = parsePayload(ErrorResponse, await response.json().catch(() => undefined));
  if (parsed.ok) return new ApiError(response.status, parsed.value.error.code, parsed.value.error.message);
  return new ApiError(response.status, 'BAD_RESPONSE', `The server answered ${response.status}.`);
}
