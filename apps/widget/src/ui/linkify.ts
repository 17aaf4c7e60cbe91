/** A run of message text, and the link it is, if it is one. */
export interface Segment {
  text: string;
  href?: string;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/gi;
/** Sentence punctuation that ends a URL written in prose rather than belonging to it. */
const TRAILING = /[.,;:!?'’”)\]]+$/;

/**
 * Splits text into plain runs and http(s) links. Only what parses as an http or https URL
 * becomes a link: `javascript:`, `data:` and anything else stay text. The caller renders
 * every segment as text nodes (never HTML), so no input can inject markup.
 */
export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let candidate = match[0];
    const trailing = TRAILING.exec(candidate)?.[0] ?? '';
    // Keep a closing parenthesis that the URL itself opened, as in Wikipedia links.
    const keep = trailing.startsWith(')') && candidate.includes('(') ? 1 : 0;
    candidate = candidate.slice(0, candidate.length - trailing.length + keep);
    const href = safeHref(candidate);
    if (!href) continue;
    if (match.index > last) segments.push({ text: text.slice(last, match.index) });
    segments.push({ text: candidate, href });
    last = match.index + candidate.length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

function safeHref(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
