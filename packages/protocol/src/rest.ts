import * as v from 'valibot';
import { object, strictObject } from './schema.ts';
import {
  AgentProfile, AgentRole, ConversationStatus, ConversationSummary, Id, Message, Seq, Site, SiteAppearance, SiteSettings, Timestamp,
} from './entities.ts';
import { ERROR_CODES } from './errors.ts';
import { AgentSummary, CannedResponse, ContactDetail, Label, SearchHit, Team } from './inbox.ts';
import { LIMITS } from './version.ts';

/** REST payloads under `/api/v1`. Requests are strict; responses are plain objects a client may read leniently. */

export const LoginRequest = strictObject({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.minLength(3), v.maxLength(200)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
});
export type LoginRequest = v.InferOutput<typeof LoginRequest>;

export const MeResponse = object({
  agent: AgentProfile,
  workspace: object({ id: Id, name: v.string() }),
});
export type MeResponse = v.InferOutput<typeof MeResponse>;

/** Query of `GET /api/v1/conversations`. Unknown parameters (cache busters) are ignored. */
export const ConversationListQuery = object({
  status: v.optional(v.union([ConversationStatus, v.literal('all')]), 'all'),
  /** `me`, `unassigned`, or an agent id. */
  assignee: v.optional(v.union([v.literal('me'), v.literal('unassigned'), Id])),
  labelId: v.optional(Id),
  teamId: v.optional(Id),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(1000)),
    '200',
  ),
  /** The `nextCursor` of the previous page: the list continues after it (newest activity first). */
  cursor: v.optional(v.pipe(v.string(), v.regex(/^\d{1,16}\.[\w-]{1,64}$/, 'Invalid cursor'))),
});
export type ConversationListQuery = v.InferOutput<typeof ConversationListQuery>;

export const ConversationListResponse = object({
  conversations: v.array(ConversationSummary),
  /** Present when more conversations follow: pass it as `cursor` for the next page. */
  nextCursor: v.optional(v.nullable(v.string())),
});
export type ConversationListResponse = v.InferOutput<typeof ConversationListResponse>;

export const ConversationResponse = object({ conversation: ConversationSummary });
export type ConversationResponse = v.InferOutput<typeof ConversationResponse>;

/** Query of `GET /api/v1/conversations/:id/messages`; numbers arrive as strings and are converted. */
export const MessageListQuery = object({
  before: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number))),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(LIMITS.maxHistoryPage)),
    '50',
  ),
});
export type MessageListQuery = v.InferOutput<typeof MessageListQuery>;

export const MessageListResponse = object({
  messages: v.array(Message),
  hasMore: v.boolean(),
});
export type MessageListResponse = v.InferOutput<typeof MessageListResponse>;

export const SiteWithSnippet = object({
  ...Site.entries,
  /** The `<script>` tag to paste into the site's pages. */
  snippet: v.string(),
});
export const SiteListResponse = object({ sites: v.array(SiteWithSnippet) });
export const SiteResponse = object({ site: SiteWithSnippet });
export type SiteResponse = v.InferOutput<typeof SiteResponse>;

/** An origin as browsers send it (`https://shop.example.com`, no path), or `*` for any. */
const AllowedOrigin = v.union([
  v.literal('*'),
  // Browsers send origins in lower case; one typed with capitals would never match.
  v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(255), v.regex(/^https?:\/\/[^/\s?#]+$/, 'Expected an origin such as https://shop.example.com')),
]);

/** `PATCH /api/v1/sites/:id` (admins): any subset; `appearance` and `settings` replace their whole object. */
export const SiteUpdateRequest = strictObject({
  name: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
  allowedOrigins: v.optional(v.pipe(v.array(AllowedOrigin), v.minLength(1), v.maxLength(50))),
  appearance: v.optional(SiteAppearance),
  settings: v.optional(SiteSettings),
});
export type SiteUpdateRequest = v.InferOutput<typeof SiteUpdateRequest>;

/** `POST /api/v1/sites/:id/identity-secret` (admins): a new secret, shown this once; the old one stops working. */
export const IdentitySecretResponse = object({ secret: v.string() });
export type IdentitySecretResponse = v.InferOutput<typeof IdentitySecretResponse>;
export type SiteListResponse = v.InferOutput<typeof SiteListResponse>;

export const HealthResponse = object({
  ok: v.boolean(),
  version: v.string(),
  protocol: v.number(),
});
export type HealthResponse = v.InferOutput<typeof HealthResponse>;

/** Every REST error body. `code` maps to the status through `HTTP_STATUS`. */
export const ErrorResponse = object({
  error: object({
    code: v.picklist(ERROR_CODES),
    message: v.string(),
    field: v.optional(v.string()),
    retryAfterMs: v.optional(v.number()),
  }),
});
export type ErrorResponse = v.InferOutput<typeof ErrorResponse>;

export { Seq };

// ---- The inbox's resources (agents, teams, labels, canned responses, contacts, search) ----

const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200));
const Color = v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'Expected a colour like #4f46e5'));
const Password = v.pipe(v.string(), v.minLength(10, 'Use at least 10 characters'), v.maxLength(1024));

export const AgentListResponse = object({ agents: v.array(AgentSummary) });
export type AgentListResponse = v.InferOutput<typeof AgentListResponse>;

/** `POST /api/v1/agents/invite` (admins): a sign-up link for a new agent, valid 7 days. */
export const InviteRequest = strictObject({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(200), v.email('Invalid email')),
  role: AgentRole,
});
export type InviteRequest = v.InferOutput<typeof InviteRequest>;
export const InviteResponse = object({ inviteUrl: v.string(), expiresAt: Timestamp });
export type InviteResponse = v.InferOutput<typeof InviteResponse>;

/** `GET /api/v1/invites/:token` (no session): what the invite page shows before the agent joins. */
export const InviteInfoResponse = object({
  workspace: object({ name: v.string() }),
  email: v.string(),
  role: AgentRole,
  expiresAt: Timestamp,
});
export type InviteInfoResponse = v.InferOutput<typeof InviteInfoResponse>;

/** `POST /api/v1/auth/accept-invite`: the invited agent picks a name and password and is signed in. */
export const AcceptInviteRequest = strictObject({
  token: v.pipe(v.string(), v.minLength(16), v.maxLength(128)),
  name: Name,
  password: Password,
});
export type AcceptInviteRequest = v.InferOutput<typeof AcceptInviteRequest>;

/** `PATCH /api/v1/agents/:id` (admins). Deactivating ends the agent's sessions and sockets at once. */
export const AgentUpdateRequest = strictObject({
  role: v.optional(AgentRole),
  active: v.optional(v.boolean()),
  name: v.optional(Name),
});
export type AgentUpdateRequest = v.InferOutput<typeof AgentUpdateRequest>;
export const AgentResponse = object({ agent: AgentSummary });
export type AgentResponse = v.InferOutput<typeof AgentResponse>;

export const LabelRequest = strictObject({ name: Name, color: Color });
export type LabelRequest = v.InferOutput<typeof LabelRequest>;
export const LabelListResponse = object({ labels: v.array(Label) });
export type LabelListResponse = v.InferOutput<typeof LabelListResponse>;
export const LabelResponse = object({ label: Label });
export type LabelResponse = v.InferOutput<typeof LabelResponse>;

export const TeamRequest = strictObject({ name: Name, agentIds: v.pipe(v.array(Id), v.maxLength(500)) });
export type TeamRequest = v.InferOutput<typeof TeamRequest>;
export const TeamListResponse = object({ teams: v.array(Team) });
export type TeamListResponse = v.InferOutput<typeof TeamListResponse>;
export const TeamResponse = object({ team: Team });
export type TeamResponse = v.InferOutput<typeof TeamResponse>;

export const CannedResponseRequest = strictObject({
  shortcut: v.pipe(v.string(), v.regex(/^[\w-]{1,40}$/, 'Letters, digits, - and _ only (up to 40)')),
  title: Name,
  body: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.maxTextLength)),
});
export type CannedResponseRequest = v.InferOutput<typeof CannedResponseRequest>;
export const CannedResponseListResponse = object({ cannedResponses: v.array(CannedResponse) });
export type CannedResponseListResponse = v.InferOutput<typeof CannedResponseListResponse>;
export const CannedResponseResponse = object({ cannedResponse: CannedResponse });
export type CannedResponseResponse = v.InferOutput<typeof CannedResponseResponse>;

export const ContactResponse = object({ contact: ContactDetail });
export type ContactResponse = v.InferOutput<typeof ContactResponse>;

/** `GET /api/v1/search?q=`: full text over messages (notes included) and contacts' names and emails. */
export const SearchQuery = object({
  q: v.pipe(v.string(), v.trim(), v.minLength(1, 'Type something to search'), v.maxLength(200)),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(100)), '20'),
});
export type SearchQuery = v.InferOutput<typeof SearchQuery>;
export const SearchResponse = object({ hits: v.array(SearchHit) });
export type SearchResponse = v.InferOutput<typeof SearchResponse>;

/** `POST /api/v1/sites` (admins). */
export const SiteCreateRequest = strictObject({ name: Name });
export type SiteCreateRequest = v.InferOutput<typeof SiteCreateRequest>;
