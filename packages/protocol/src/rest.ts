import * as v from 'valibot';
import { object, strictObject } from './schema.ts';
import { AgentProfile, ConversationStatus, ConversationSummary, Id, Message, Seq, Site, SiteAppearance, SiteSettings } from './entities.ts';
import { ERROR_CODES } from './errors.ts';
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
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(1000)),
    '200',
  ),
});
export type ConversationListQuery = v.InferOutput<typeof ConversationListQuery>;

export const ConversationListResponse = object({
  conversations: v.array(ConversationSummary),
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
  v.pipe(v.string(), v.maxLength(255), v.regex(/^https?:\/\/[^/\s?#]+$/, 'Expected an origin such as https://shop.example.com')),
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
  }),
});
export type ErrorResponse = v.InferOutput<typeof ErrorResponse>;

export { Seq };
