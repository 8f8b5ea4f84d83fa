/**
 * What the privacy scrub does to text. Text people wrote — the question,
 * messages both ways, notes, answers, comments — is removed whole: a pattern
 * can find a name or an address, never everything personal a sentence may
 * hold. Text Refdesk wrote itself (a chat's system lines: "… joined the chat")
 * is kept, without the patron's name and without anything that looks like an
 * e-mail address or a phone number.
 */

export const REDACTED_NAME = "Patron";
export const REDACTED_EMAIL = "[e-mail removed]";
/** What stands where people's own words were. */
export const REMOVED_TEXT = "[removed after the retention period]";
const NAME_MARK = "[name removed]";
const PHONE_MARK = "[phone removed]";

const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** Seven or more digits, optionally led by + and grouped by spaces, dots, dashes or parentheses. */
const PHONE_PATTERN = /\+?\(?\d(?:[\s().-]{0,2}\d){6,}/g;

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
 * `text` without the patron's name, any e-mail address or anything that looks
 * like a phone number. The whole name goes first, then each part of it ("Ada"
 * of "Ada Lovelace", as a librarian would address her), as whole words. Parts
 * of three letters or more match in any case; two-letter parts ("Al") only as
 * written, so ordinary words survive. A name that is also a common word
 * ("Will") is removed there too: privacy wins.
 */
export function redactText(text: string, who: PatronIdentity): string {
  let out = text.replace(EMAIL_PATTERN, REDACTED_EMAIL).replace(PHONE_PATTERN, PHONE_MARK);
  const name = who.name?.trim();
  if (!name || name.length < 2) return out;
  out = out.replace(wholeWord(name, "giu"), NAME_MARK);
  for (const part of name.split(/[\s,]+/)) {
    if (part.length >= 3) out = out.replace(wholeWord(part, "giu"), NAME_MARK);
    else if (part.length === 2) out = out.replace(wholeWord(part, "gu"), NAME_MARK);
  }
  return out;
}

/** `text` without any of the names the patron went by (see redactText). */
export function redactNames(text: string, names: readonly string[]): string {
  let out = redactText(text, { name: null, email: null });
  for (const name of names) out = redactText(out, { name, email: null });
  return out;
}

interface StoredMessage {
  author?: { role?: string; name?: string };
  kind?: string;
  body?: string;
  [key: string]: unknown;
}

/**
 * The names a stored transcript gives its patron (the name on a message can
 * differ from the one on the form: a patron who left the question by e-mail
 * may have typed one only then).
 */
export function patronNamesIn(transcript: unknown): string[] {
  if (!Array.isArray(transcript)) return [];
  const names = new Set<string>();
  for (const m of transcript as StoredMessage[]) {
    const name = m?.author?.role === "patron" ? m.author.name?.trim() : undefined;
    if (name && name !== REDACTED_NAME) names.add(name);
  }
  return [...names];
}

/**
 * A stored transcript (JSON array of ChatMessage) past retention: the same
 * messages in the same order, with their times, kinds and librarians; the
 * patron is "Patron"; what anyone typed (and the page a push opened, and the
 * client's own message id) is gone; system lines are kept without the patron's
 * names, e-mail addresses or phone numbers. Scrubbing twice changes nothing.
 */
export function scrubTranscript(transcript: unknown, names: readonly string[]): unknown {
  if (!Array.isArray(transcript)) return transcript;
  return transcript.map((raw: StoredMessage) => {
    if (!raw || typeof raw !== "object") return raw;
    const m: StoredMessage = { ...raw };
    delete m.push;
    // A file's name and alt text are the sender's words; the file itself is deleted from R2.
    delete m.file;
    // A system line's key and parameters name people: the redacted English text is what stays.
    delete m.line;
    if (m.author && m.author.role === "patron") m.author = { ...m.author, name: REDACTED_NAME };
    if ("clientId" in m) m.clientId = null;
    if (typeof m.body === "string") m.body = m.kind === "system" ? redactNames(m.body, names) : REMOVED_TEXT;
    return m;
  });
}
