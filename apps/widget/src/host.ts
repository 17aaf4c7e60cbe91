/**
 * What the loader (widget.js, plain DOM, no Preact) hands the panel chunk when it has loaded it:
 * the shadow root and the launcher it already shows, and the two helpers both need. The loader
 * keeps owning the launcher element, so a visitor who focused or clicked it while the panel was
 * loading keeps their focus and their click. Everything else (the badge, the close icon, the
 * socket URL) is the panel's, to keep the loader within its 1.5 KB.
 */
export interface Host {
  /** The site's public key, from `data-site`. */
  siteKey: string;
  /** `.pw-root`: carries the theme variables and the state classes (`pw-open`, `pw-left`, `pw-gone`). */
  root: HTMLElement;
  launcher: HTMLButtonElement;
  /** The launcher icon's path: the panel turns the chat bubble into a close cross while open. */
  icon: SVGPathElement;
  /** Adds a stylesheet to the shadow root (constructable, so a strict CSP needs no change). */
  adopt(css: string): void;
  /** Applies an appearance (colour, side, launcher label); anything invalid falls back to the defaults. */
  theme(appearance: ThemeInput | null | undefined): void;
}

/** The part of the site's appearance the launcher wears; read from an untrusted cache, so every field is checked. */
export interface ThemeInput {
  color?: unknown;
  /** The text colour on `color`, computed by the panel (it has the contrast maths) and cached with the appearance. */
  onAccent?: unknown;
  position?: unknown;
  launcherLabel?: unknown;
}

/** The launcher's chat bubble (stroke, fill and caps come from the stylesheet, so an icon is one path); open, the panel shows `CLOSE_ICON` (ui/icons.tsx). */
export const CHAT_ICON = 'M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12Z';

/** The panel chunk's entry: mounts into the loader's shadow root, replays the queued calls, returns the `Parley` command handler. */
export type MountPanel = (host: Host, queue: unknown[][]) => (args: unknown[]) => void;
