/** The tag a site owner pastes: the queue stub keeps `Parley(...)` calls made before the script loads. */
export function scriptTag(origin: string, siteKey: string): string {
  return [
    '<script>window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};</script>',
    `<script src="${origin}/widget.js" data-site="${siteKey}" async></script>`,
  ].join('\n');
}
