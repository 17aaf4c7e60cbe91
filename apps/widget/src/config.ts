/**
 * The relay's visitor socket, from the panel chunk's own URL (`<relay>/widget/panel-<hash>.js`):
 * same host, http→ws and https→wss, and the same path prefix (a relay behind `/chat/` serves
 * `/chat/widget.js`, `/chat/widget/…` and `/chat/ws/visitor`).
 */
export const socketUrl = (panelUrl: string): string => new URL('../ws/visitor', panelUrl).href.replace(/^http/, 'ws');
