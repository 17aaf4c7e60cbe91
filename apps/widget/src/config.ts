/** What the embed script tag tells the widget. */
export interface EmbedConfig {
  siteKey: string;
  /** `ws(s)://<relay>/ws/visitor`, next to where `widget.js` was served from. */
  socketUrl: string;
}

/**
 * The widget's own <script>. `document.currentScript` is only set while the script first
 * runs (and is null in some loaders), so the selector is the fallback.
 */
export function findScript(doc: Document, current: Element | null): HTMLScriptElement | null {
  if (current instanceof HTMLScriptElement && current.dataset['site']) return current;
  return doc.querySelector<HTMLScriptElement>('script[data-site][src*="widget.js"]');
}

/**
 * Reads `data-site` and derives the relay's socket from the script's own URL: same host,
 * http→ws and https→wss, and the same path prefix (a relay behind `/chat/` serves
 * `/chat/widget.js` and `/chat/ws/visitor`).
 */
export function readConfig(script: HTMLScriptElement): EmbedConfig | undefined {
  const siteKey = script.dataset['site']?.trim();
  if (!siteKey || !script.src) return undefined;
  const src = new URL(script.src);
  const protocol = src.protocol === 'https:' ? 'wss:' : 'ws:';
  const base = src.pathname.replace(/[^/]*$/, '');
  return { siteKey, socketUrl: `${protocol}//${src.host}${base}ws/visitor` };
}
