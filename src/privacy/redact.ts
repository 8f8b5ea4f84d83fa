/**
 * Redaction of a patron's identity from text and transcripts, for the privacy
 * scrub. Removes the patron's own name and e-mail wherever they appear, and any
 * e-mail address at all; keeps everything else (the conversation, its order,
 * the librarians' names, the codes).
 */

export const REDACTED_NAME = "Patron";
export const REDACTED_EMAIL = "[e-mail removed]";
const NAME_MARK = "[name removed]";

const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export interface PatronIdentity {
  name: string | null;
  email: string | null;
}

function wholeWord(word: string, flags: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, flags);
}

/**
 * `text` without the patron's name or any e-mail address. The whole name goes
 * first, then each part of it ("Ada" of "Ada Lovelace", as a librarian would
 * address her), as whole words. Parts of three letters or more match in any
 * case; two-letter parts ("Al") only as written, so ordinary words survive.
 * A name that is also a common word ("Will") is removed there too: privacy wins.
 */
export function redactText(text: string, who: PatronIdentity): string {
  let out = text.replace(EMAIL_PATTERN, REDACTED_EMAIL);
  const name = who.name?.trim();
  if (!name || name.length < 2) return out;
  out = out.replace(wholeWord(name, "giu"), NAME_MARK);
  for (const part of name.split(/[\s,]+/)) {
    if (part.length >= 3) out = out.replace(wholeWord(part, "giu"), NAME_MARK);
    else if (part.length === 2) out = out.replace(wholeWord(part, "gu"), NAME_MARK);
  }
  return out;
}

interface StoredMessage {
  author?: { role?: string; name?: string };
  body?: string;
  [key: string]: unknown;
}

/** A transcript (JSON array of ChatMessage) with the patron's identity removed from names and bodies. */
export function redactTranscript(transcript: unknown, who: PatronIdentity): unknown {
  if (!Array.isArray(transcript)) return transcript;
  return transcript.map((raw: StoredMessage) => {
    if (!raw || typeof raw !== "object") return raw;
    const m = { ...raw };
    if (m.author && m.author.role === "patron") m.author = { ...m.author, name: REDACTED_NAME };
    if (typeof m.body === "string") m.body = redactText(m.body, who);
    return m;
  });
}
