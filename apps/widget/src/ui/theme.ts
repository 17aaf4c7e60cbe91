import { DEFAULT_COLOR } from '../store/appearance.ts';

/**
 * The CSS custom properties a site's colour sets on the widget's root. Set through the CSSOM
 * (Preact's `style` prop calls `setProperty`), which a strict CSP allows, unlike a style attribute.
 */
export function themeVars(color: string | undefined): Record<string, string> {
  const accent = color && /^#[0-9a-f]{6}$/i.test(color) ? color : DEFAULT_COLOR;
  return { '--pw-accent': accent, '--pw-on-accent': luminance(accent) > 0.3 ? '#111827' : '#ffffff' };
}

/** WCAG relative luminance of a `#rrggbb` colour, 0 (black) to 1 (white). */
function luminance(hex: string): number {
  const channel = (offset: number) => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}
