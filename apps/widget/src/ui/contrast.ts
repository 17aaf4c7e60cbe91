/** The text colour on a `#rrggbb` accent: near-black on light accents, white on dark ones (WCAG relative luminance). */
export function onAccent(hex: string): string {
  let luminance = 0;
  for (const [i, weight] of [[1, 0.2126], [3, 0.7152], [5, 0.0722]] as const) {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    luminance += weight * (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  }
  return luminance > 0.3 ? '#111827' : '#ffffff';
}
