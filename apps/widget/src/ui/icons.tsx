/**
 * Inline icons, decorative only: every control that shows one carries its own accessible name.
 * Size, stroke, fill and caps come from the stylesheets (`svg` in loader/launcher-css.ts and styles.ts), so an
 * icon is one path. The launcher's chat bubble is the loader's (host.ts).
 */

/** The launcher's icon while the panel is open (App sets it on the loader's path). */
export const CLOSE_ICON = 'M18 6 6 18M6 6l12 12';

const icon = (d: string) => () => (
  <svg viewBox="0 0 24 24" aria-hidden="true">
    <path d={d} />
  </svg>
);

export const ChevronIcon = icon('m6 9 6 6 6-6');
export const SendIcon = icon('M5 12h14M13 6l6 6-6 6');
