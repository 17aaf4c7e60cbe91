import { createServer, type Server } from 'node:http';
import { freePort } from './free-port.ts';

export interface HostPage {
  /** The page's origin: another port than the relay's, so another origin, as on real sites. */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a site owner's page on its own origin (`http://localhost:PORT`, while the relay is on
 * 127.0.0.1): the widget is always cross-origin in these tests, as it is for real users.
 */
export async function serveHostPage(html: string, headers: Record<string, string> = {}): Promise<HostPage> {
  const port = await freePort();
  const server: Server = createServer((req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
    res.end(html);
  });
  // No host: both 127.0.0.1 and ::1, whichever `localhost` resolves to in the browser.
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return {
    origin: `http://localhost:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A plain host page with the owner's snippet. */
export function plainHostPage(relayUrl: string, siteKey: string, title = 'Acme — pricing'): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui; margin: 40px">
<h1>${title}</h1><p>Questions? Use the chat in the corner.</p>
<script>window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};</script>
<script src="${relayUrl}/widget.js" data-site="${siteKey}" async></script>
</body></html>`;
}
