import { linkify } from '../linkify.ts';

/**
 * A message body as text nodes, with http(s) URLs as links that open in a new tab and pass
 * nothing back to this page. Never `dangerouslySetInnerHTML`: visitors write the text.
 */
export function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((segment, index) =>
        segment.kind === 'link' ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer nofollow">
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </>
  );
}
