/**
 * The before-typing UI (panel frame, composer, email form) is plain DOM, so the visitor can type
 * before Preact has loaded (it comes with the thread, `Thread.tsx`). This is its one builder.
 */

type Attributes = Record<string, string | number | boolean | undefined>;

/** `<tag>` with `attributes` (`true` as an empty value; `false` and undefined left out) and `children`. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== false) element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children);
  return element;
}

/**
 * A decorative icon: every control that shows one carries its own accessible name. Size, stroke,
 * fill and caps come from the stylesheets, so an icon is one path.
 */
export function icon(d: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

/** The launcher's icon while the panel is open (the closed one, the chat bubble, is the loader's: host.ts). */
export const CLOSE_ICON = 'M18 6 6 18M6 6l12 12';
export const CHEVRON_ICON = 'm6 9 6 6 6-6';
export const SEND_ICON = 'M5 12h14M13 6l6 6-6 6';
