import {
  AgentListResponse,
  AgentResponse,
  CannedResponseListResponse,
  CannedResponseResponse,
  ContactResponse,
  ConversationResponse,
  ConversationListResponse,
  ErrorResponse,
  IdentitySecretResponse,
  InviteResponse,
  InviteInfoResponse,
  LabelListResponse,
  LabelResponse,
  MeResponse,
  MessageListResponse,
  parsePayload,
  SearchResponse,
  SiteListResponse,
  SiteResponse,
  TeamListResponse,
  TeamResponse,
  type AgentRole,
  type AgentSummary,
  type AgentUpdateRequest,
  type CannedResponse,
  type CannedResponseRequest,
  type ContactDetail,
  type ConversationStatus,
  type ConversationSummary,
  type ErrorCode,
  type InviteResponse as Invite,
  type InviteInfoResponse as InviteInfo,
  type Label,
  type LabelRequest,
  type LoginRequest,
  type SearchHit,
  type SiteUpdateRequest,
  type Team,
  type TeamRequest,
} from '@parley/protocol';

/** Which conversations the list asks the relay for, by status. */
export type StatusFilter = ConversationStatus | 'all';

/** A site as admins edit it, with its `<script>` snippet. */
export type SiteWithSnippet = SiteResponse['site'];

/** The query of `GET /api/v1/conversations`: a folder of the inbox. */
export interface ListQuery {
  status: StatusFilter;
  /** `me`, `unassigned` or an agent id; absent: everyone's. */
  assignee?: string;
  labelId?: string;
  teamId?: string;
  limit?: number;
}

/**
 * The one error every REST call rejects with. `status` is the HTTP status, 0 when the request
 * never got an answer; `code` is the relay's error code, or `NETWORK` / `BAD_RESPONSE` for
 * failures that happened on this side of the wire. `field` names the offending input, when the relay said.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'NETWORK' | 'BAD_RESPONSE';
  readonly field: string | undefined;
  constructor(status: number, code: ApiError['code'], message: string, options?: { cause?: unknown; field?: string | undefined }) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = options?.field;
  }
}

export interface Api {
  login(body: LoginRequest): Promise<MeResponse>;
  logout(): Promise<void>;
  /** The signed-in agent, or `null` when the session cookie is missing or expired. */
  me(): Promise<MeResponse | null>;
  /** The invited agent picks a name and password; answers like `login`. */
  acceptInvite(body: { token: string; name: string; password: string }): Promise<MeResponse>;
  /** What an invite link is for (workspace, email, role), or `null` when it is unknown, used or expired. */
  inviteInfo(token: string): Promise<InviteInfo | null>;
  listConversations(query: ListQuery | StatusFilter): Promise<ConversationSummary[]>;
  listMessages(conversationId: string, options?: { before?: number; limit?: number }): Promise<MessageListResponse>;
  conversation(conversationId: string): Promise<ConversationSummary>;
  contact(contactId: string): Promise<ContactDetail>;
  search(q: string, limit?: number): Promise<SearchHit[]>;

  agents(): Promise<AgentSummary[]>;
  invite(email: string, role: AgentRole): Promise<Invite>;
  updateAgent(id: string, patch: AgentUpdateRequest): Promise<AgentSummary>;

  labels(): Promise<Label[]>;
  createLabel(body: LabelRequest): Promise<Label>;
  updateLabel(id: string, body: LabelRequest): Promise<Label>;
  deleteLabel(id: string): Promise<void>;

  teams(): Promise<Team[]>;
  createTeam(body: TeamRequest): Promise<Team>;
  updateTeam(id: string, body: TeamRequest): Promise<Team>;
  deleteTeam(id: string): Promise<void>;

  cannedResponses(): Promise<CannedResponse[]>;
  createCanned(body: CannedResponseRequest): Promise<CannedResponse>;
  updateCanned(id: string, body: CannedResponseRequest): Promise<CannedResponse>;
  deleteCanned(id: string): Promise<void>;

  sites(): Promise<SiteWithSnippet[]>;
  createSite(name: string): Promise<SiteWithSnippet>;
  updateSite(id: string, patch: SiteUpdateRequest): Promise<SiteWithSnippet>;
  /** A new identity-verification secret, returned this once; the old one stops working. */
  rotateIdentitySecret(id: string): Promise<string>;
}

export interface ApiOptions {
  /** Defaults to the global `fetch`; tests pass a fake. */
  fetch?: typeof fetch;
  /** Prefix of every path; empty for the same origin, which is how the relay serves the inbox. */
  baseUrl?: string;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * The inbox's REST client for `/api/v1`. Every response body is validated against the protocol's
 * schema before it is returned, so the stores never hold a shape they did not expect.
 */
/** The most conversations one folder loads (the list is windowed; live frames add the rest). */
export const MAX_LIST = 10_000;

export function createApi(options: ApiOptions = {}): Api {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const baseUrl = options.baseUrl ?? '';

  async function request(method: Method, path: string, body?: unknown): Promise<Response> {
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

  const id = (value: string) => encodeURIComponent(value);

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
    async acceptInvite(body) {
      return json(await request('POST', '/auth/accept-invite', body), MeResponse);
    },
    async inviteInfo(token) {
      try {
        return await json(await request('GET', `/invites/${encodeURIComponent(token)}`), InviteInfoResponse);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    async listConversations(query) {
      const q = typeof query === 'string' ? { status: query } : query;
      const params = new URLSearchParams({ status: q.status });
      if (q.assignee) params.set('assignee', q.assignee);
      if (q.labelId) params.set('labelId', q.labelId);
      if (q.teamId) params.set('teamId', q.teamId);
      if (q.limit) params.set('limit', String(q.limit));
      // Page through with the relay's cursor, up to MAX_LIST: a big queue loads whole, in pages.
      const all: ConversationSummary[] = [];
      for (;;) {
        const page = await json(await request('GET', `/conversations?${params}`), ConversationListResponse);
        all.push(...page.conversations);
        if (!page.nextCursor || all.length >= MAX_LIST) return all;
        params.set('cursor', page.nextCursor);
      }
    },
    async listMessages(conversationId, { before, limit = 50 } = {}) {
      const query = new URLSearchParams({ limit: String(limit) });
      if (before !== undefined) query.set('before', String(before));
      const response = await request('GET', `/conversations/${id(conversationId)}/messages?${query}`);
      return json(response, MessageListResponse);
    },
    async conversation(conversationId) {
      return (await json(await request('GET', `/conversations/${id(conversationId)}`), ConversationResponse)).conversation;
    },
    async contact(contactId) {
      return (await json(await request('GET', `/contacts/${id(contactId)}`), ContactResponse)).contact;
    },
    async search(q, limit = 20) {
      const query = new URLSearchParams({ q, limit: String(limit) });
      return (await json(await request('GET', `/search?${query}`), SearchResponse)).hits;
    },

    async agents() {
      return (await json(await request('GET', '/agents'), AgentListResponse)).agents;
    },
    async invite(email, role) {
      return json(await request('POST', '/agents/invite', { email, role }), InviteResponse);
    },
    async updateAgent(agentId, patch) {
      return (await json(await request('PATCH', `/agents/${id(agentId)}`, patch), AgentResponse)).agent;
    },

    async labels() {
      return (await json(await request('GET', '/labels'), LabelListResponse)).labels;
    },
    async createLabel(body) {
      return (await json(await request('POST', '/labels', body), LabelResponse)).label;
    },
    async updateLabel(labelId, body) {
      return (await json(await request('PATCH', `/labels/${id(labelId)}`, body), LabelResponse)).label;
    },
    async deleteLabel(labelId) {
      await request('DELETE', `/labels/${id(labelId)}`);
    },

    async teams() {
      return (await json(await request('GET', '/teams'), TeamListResponse)).teams;
    },
    async createTeam(body) {
      return (await json(await request('POST', '/teams', body), TeamResponse)).team;
    },
    async updateTeam(teamId, body) {
      return (await json(await request('PATCH', `/teams/${id(teamId)}`, body), TeamResponse)).team;
    },
    async deleteTeam(teamId) {
      await request('DELETE', `/teams/${id(teamId)}`);
    },

    async cannedResponses() {
      return (await json(await request('GET', '/canned-responses'), CannedResponseListResponse)).cannedResponses;
    },
    async createCanned(body) {
      return (await json(await request('POST', '/canned-responses', body), CannedResponseResponse)).cannedResponse;
    },
    async updateCanned(cannedId, body) {
      return (await json(await request('PATCH', `/canned-responses/${id(cannedId)}`, body), CannedResponseResponse))
        .cannedResponse;
    },
    async deleteCanned(cannedId) {
      await request('DELETE', `/canned-responses/${id(cannedId)}`);
    },

    async sites() {
      return (await json(await request('GET', '/sites'), SiteListResponse)).sites;
    },
    async createSite(name) {
      return (await json(await request('POST', '/sites', { name }), SiteResponse)).site;
    },
    async updateSite(siteId, patch) {
      return (await json(await request('PATCH', `/sites/${id(siteId)}`, patch), SiteResponse)).site;
    },
    async rotateIdentitySecret(siteId) {
      return (await json(await request('POST', `/sites/${id(siteId)}/identity-secret`), IdentitySecretResponse)).secret;
    },
  };
}

async function toApiError(response: Response): Promise<ApiError> {
  const parsed = parsePayload(ErrorResponse, await response.json().catch(() => undefined));
  if (parsed.ok) {
    const { code, message, field } = parsed.value.error;
    return new ApiError(response.status, code, message, { field });
  }
  return new ApiError(response.status, 'BAD_RESPONSE', `The server answered ${response.status}.`);
}
