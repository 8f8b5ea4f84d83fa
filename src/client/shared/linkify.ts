/**
 * Splits message text into plain text and web links. Hand-written rather than
 * a linkifier library because it ships inside the Qwidget, whose whole budget
 * is 15 KB: only http(s) URLs and www. hosts become links, nothing else.
 */
export type TextPart = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
/** Punctuation that usually ends the sentence, not the URL. */
const TRAILING = /[.,;:!?)\]}'"]+$/;

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0];
    const trail = TRAILING.exec(url)?.[0] ?? "";
    // Keep a closing parenthesis that belongs to the URL, as in Wikipedia links.
    const keepParen = trail.startsWith(")") && url.includes("(");
    if (trail && !keepParen) url = url.slice(0, -trail.length);
    const start = match.index;
    if (start > last) parts.push({ kind: "text", text: text.slice(last, start) });
    const href = url.toLowerCase().startsWith("www.") ? `https://${url}` : url;
    parts.push({ kind: "link", text: url, href });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}
