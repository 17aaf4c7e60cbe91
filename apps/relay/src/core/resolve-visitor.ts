import { ErrorCode, type VisitorHello } from '@parley/protocol';
import { hashToken, newToken } from '../auth/tokens.ts';
import type { CoreDeps } from './deps.ts';
import { ParleyError } from './errors.ts';
import { checkIdentity } from './identity.ts';
import type { ContactPatch, ContactRecord, SiteRecord } from './store.ts';

export interface ResolvedVisitor {
  contact: ContactRecord;
  /** The device token to hand back: the one presented, or a new one. */
  token: string;
  /** Linked to a site user through a verified identify. */
  identified: boolean;
}

const refused = (message: string) =>
  new ParleyError(ErrorCode.FORBIDDEN, message, { field: 'identity.userHash' });

/**
 * Who a visitor's `hello` speaks for. The device token finds the anonymous visitor; a verified
 * `identify` finds (or becomes) the site's user, so the same person sees their threads on every
 * device; an unverified one only labels the anonymous visitor, because an unverified user id
 * would let anyone read anyone's threads.
 */
export async function resolveVisitor(
  deps: CoreDeps,
  site: SiteRecord,
  hello: VisitorHello,
  userAgent: string | null,
): Promise<ResolvedVisitor> {
  const now = deps.now();
  const presented = hello.visitorToken;
  let contact = presented ? await deps.store.contactByToken(site.id, hashToken(presented)) : null;
  let token = contact && presented ? presented : null;
  const identity = hello.identity;
  let identified = false;
  let unsignedOverVerified = false;

  if (identity) {
    const check = checkIdentity(identity, site.identitySecret, Math.floor(now / 1000));
    if (check === 'invalid') throw refused('Identity verification failed: userHash does not match');
    if (check === 'expired') throw refused('Identity verification failed: userHash has expired; compute a fresh one');
    if (check === 'no-secret') throw refused('This site has no identity secret yet; an admin creates one in the site settings');
    if (check === 'unsigned' && site.settings.requireIdentityVerification) {
      throw refused('This site requires identity verification: identify needs userHash and issuedAt');
    }
    if (check === 'verified') {
      identified = true;
      const user = await deps.store.contactByExternalId(site.id, identity.userId);
      if (user) {
        if (contact && contact.id !== user.id && contact.externalId === null) {
          // The visitor chatted anonymously, then signed in: their threads come along.
          await deps.store.mergeContact(contact.id, user.id);
        } else if (!contact || contact.id !== user.id) {
          // A new device for this user (or another user on a shared device): a token of its own.
          token = newToken();
          await deps.store.addVisitorToken({ contactId: user.id, siteId: site.id, tokenHash: hashToken(token), now });
        }
        contact = user;
      } else if (contact && contact.externalId === null) {
        contact = await deps.store.updateContact(contact.id, { externalId: identity.userId });
      } else {
        token = newToken();
        contact = await deps.store.createContact({
          siteId: site.id, workspaceId: site.workspaceId, tokenHash: hashToken(token), externalId: identity.userId, now,
        });
      }
    } else if (contact?.externalId) {
      // An unsigned identify on a device that belongs to a verified user. Unsigned data must
      // never speak for a verified user: someone else on a shared device gets a fresh visitor,
      // and the user's own profile is not overwritten by what this page claims.
      if (contact.externalId === identity.userId) identified = true;
      else {
        contact = null;
        token = null;
      }
      unsignedOverVerified = identified;
    }
  } else if (contact?.externalId) {
    // The token belongs to a signed-in user, but this page did not identify them: carry on as
    // that user only if the site does not insist on verification each time.
    identified = !site.settings.requireIdentityVerification;
    if (!identified) contact = null;
  }

  if (!contact || !token) {
    // An unknown token (another site's, a replaced database, a signed-out user) starts a new visitor.
    token = newToken();
    contact = await deps.store.createContact({
      siteId: site.id, workspaceId: site.workspaceId, tokenHash: hashToken(token), now,
    });
  }

  const patch: ContactPatch = { lastSeenAt: now };
  if (identity && !unsignedOverVerified) {
    if (identity.name !== undefined) patch.name = identity.name;
    if (identity.email !== undefined) patch.email = identity.email.toLowerCase();
    if (identity.attributes !== undefined) patch.attributes = identity.attributes;
  }
  if (hello.page !== undefined) patch.lastPage = hello.page;
  if (hello.locale !== undefined) patch.locale = hello.locale;
  if (hello.timezone !== undefined) patch.timezone = hello.timezone;
  if (userAgent) patch.userAgent = userAgent.slice(0, 512);
  contact = await deps.store.updateContact(contact.id, patch);
  return { contact, token, identified };
}
