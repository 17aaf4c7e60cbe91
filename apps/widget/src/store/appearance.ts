import type { SiteAppearance } from '@parley/protocol';

export const DEFAULT_COLOR = '#4f46e5';

/**
 * Reads the appearance cached from an earlier `welcome`, so the launcher wears the site's
 * colour on the next page view before any connection. Anything unexpected is ignored: the
 * value lives on the host's origin, where any script can write it.
 */
export function parseCachedAppearance(raw: string | undefined): SiteAppearance | undefined {
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const a = value as Record<string, unknown>;
    const text = (key: string) => (Object.hasOwn(a, key) && typeof a[key] === 'string' ? a[key] : '');
    const color = text('color');
    return {
      name: text('name'),
      greeting: text('greeting'),
      color: /^#[0-9a-f]{6}$/i.test(color) ? color : DEFAULT_COLOR,
      position: text('position') === 'left' ? 'left' : 'right',
      launcherLabel: text('launcherLabel'),
      replyTime: text('replyTime'),
    };
  } catch {
    return undefined;
  }
}
