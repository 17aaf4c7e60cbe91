import { randomBytes } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import { hashPassword } from './auth/passwords.ts';
import type { Store } from './core/store.ts';
import type { SiteAppearance } from '@parley/protocol';

export interface SeedOptions {
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  now: number;
}

export interface SeedResult {
  adminEmail: string;
  /** Only when Parley generated it: shown once, never stored in clear. */
  generatedPassword: string | null;
  siteKey: string;
}

const keyAlphabet = customAlphabet('23456789abcdefghijkmnpqrstuvwxyz', 12);
/** A public site key: `site_` and 12 unambiguous characters. */
export const siteKey = () => `site_${keyAlphabet()}`;

export const DEFAULT_APPEARANCE: SiteAppearance = {
  name: 'Support',
  greeting: 'Hi there! Ask us anything — we are happy to help.',
  color: '#4f46e5',
  position: 'right',
  launcherLabel: 'Chat with us',
  replyTime: 'We usually reply in a few minutes',
};

/**
 * First start on an empty database: one workspace, one site that accepts any origin until its
 * owner restricts it, and one admin.
 */
export async function seedIfEmpty(store: Store, options: SeedOptions): Promise<SeedResult | null> {
  if (!(await store.isEmpty())) return null;
  const workspace = await store.createWorkspace({ name: 'My workspace', now: options.now });
  const site = await store.createSite({
    workspaceId: workspace.id,
    key: siteKey(),
    name: 'My website',
    allowedOrigins: ['*'],
    appearance: DEFAULT_APPEARANCE,
    now: options.now,
  });
  const adminEmail = (options.adminEmail ?? 'admin@example.com').trim().toLowerCase();
  const generatedPassword = options.adminPassword ? null : randomBytes(12).toString('base64url');
  await store.createAgent({
    workspaceId: workspace.id,
    email: adminEmail,
    name: 'Admin',
    role: 'admin',
    passwordHash: await hashPassword(options.adminPassword ?? generatedPassword!),
    now: options.now,
  });
  return { adminEmail, generatedPassword, siteKey: site.key };
}
