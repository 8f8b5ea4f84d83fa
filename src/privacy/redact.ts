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

/** `text` without the patron's name or any e-mail address. */
export function redactText(text: string, who: PatronIdentity): string {
  let out = text.replace(EMAIL_PATTERN, REDACTED_EMAIL);
  const name = who.name?.trim();
  // Very short names ("Al") would match inside ordinary words; whole words only.
  if (name && name.length >= 2) out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, "giu"), NAME_MARK);
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
