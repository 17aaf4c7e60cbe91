/** A run of message text: plain text, or a link the inbox may render as an anchor. */
export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// Candidates only; each is then checked with the URL parser. Stops at whitespace and at
// characters that commonly wrap a URL in prose.
const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that ends a sentence rather than the URL ("see https://x.io/a.").
const TRAILING = /[.,;:!?)\]}]+$/;

/**
 * Splits message text into text and http(s) links. Everything else stays text, and the caller
 * renders text as text nodes: message bodies are never parsed as HTML.
 */
export function linkify(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const start = match.index;
    let candidate = match[0];
    const trailing = TRAILING.exec(candidate);
    if (trailing) candidate = candidate.slice(0, candidate.length - trailing[0].length);
    const href = safeHttpUrl(candidate);
    if (!href) continue;
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
    segments.push({ kind: 'link', text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

function safeHttpUrl(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
