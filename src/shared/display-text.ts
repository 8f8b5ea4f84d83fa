/**
 * Display text: what a person typed, made safe to show beside other people's
 * text. Every name and every piece of free text the API accepts passes through
 * here (the zod schemas in ./api.ts, ./admin-api.ts, ./questions-api.ts,
 * ./coop-api.ts and ./protocol.ts), so stored text is clean; the monitor, the
 * questions module and the mails pass what they show through here again, for
 * text stored before these rules.
 *
 * What goes, and why:
 * - Bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 *   U+2066–U+2069) always: they carry their state to the end of a paragraph, so
 *   "‮nairarbil" typed as a name turns the text after it around. The places that
 *   show names isolate them themselves (`<bdi>`, or FSI…PDI in plain text).
 * - Every other default-ignorable character (zero-width space U+200B, word
 *   joiner U+2060, byte-order mark U+FEFF, invisible operators, Hangul fillers,
 *   soft hyphen, tags…), and the interlinear annotation controls: they show as
 *   nothing, so they only serve to make two different texts look the same or
 *   to hide text — except where a writing system needs them:
 *   - zero-width non-joiner U+200C and joiner U+200D between letters of a
 *     script that joins or forms conjuncts (Persian "می‌خواهم", Hindi, Sinhala,
 *     Malayalam…), much as IDNA's ContextJ rules allow them;
 *   - zero-width joiner inside an emoji sequence (👩‍💻, 🏳️‍🌈);
 *   - one variation selector after a visible character (❤️, CJK variants);
 *   - the tags of a subdivision flag (🏴 England, Scotland, Wales).
 * - The directional marks (U+200E LRM, U+200F RLM, U+061C ALM) stay in free
 *   text, where mixed-direction writing needs them to place punctuation; they
 *   have no scope, so they cannot reach past the message they are in. Names,
 *   titles and labels lose them, with every other line break and run of spaces.
 * - C1 control characters (U+0080–U+009F) go; NEL (U+0085), LINE SEPARATOR and
 *   PARAGRAPH SEPARATOR become line breaks in free text.
 *
 * Nothing here refuses anything: stripping is a clean acceptance, so a name
 * or message with these characters is stored without them. (The schemas still
 * refuse C0 control characters, as they always have.)
 */

/** Characters that may need removing; anything without one is returned unchanged at once. */
const CANDIDATES = /[\p{Default_Ignorable_Code_Point}\u0080-\u009f\u2028\u2029\ufff9-\ufffb]/u;

const BIDI_MARKS = new Set(["\u200e", "\u200f", "\u061c"]);
const ZWNJ = "\u200c";
const ZWJ = "\u200d";
/** Variation selectors (standard, ideographic, Mongolian free variation selectors). */
const VARIATION_SELECTOR = /^[\ufe00-\ufe0f\u{e0100}-\u{e01ef}\u180b-\u180d\u180f]$/u;
/** Scripts whose letters join (Arabic family) or form conjuncts (Brahmic): where U+200C/U+200D change how a word is written. */
const JOINING_SCRIPT =
  /^[\p{scx=Arabic}\p{scx=Syriac}\p{scx=Nko}\p{scx=Mongolian}\p{scx=Mandaic}\p{scx=Adlam}\p{scx=Hanifi_Rohingya}\p{scx=Devanagari}\p{scx=Bengali}\p{scx=Gurmukhi}\p{scx=Gujarati}\p{scx=Oriya}\p{scx=Tamil}\p{scx=Telugu}\p{scx=Kannada}\p{scx=Malayalam}\p{scx=Sinhala}\p{scx=Myanmar}\p{scx=Khmer}\p{scx=Tibetan}]$/u;
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;
/** What may precede the joiner inside an emoji sequence: a pictograph, its presentation selector or a skin tone. */
const EMOJI_PART = /^(?:\p{Extended_Pictographic}|\ufe0f|[\u{1f3fb}-\u{1f3ff}])$/u;
/** A subdivision flag: black flag, two to six tag letters or digits, cancel tag (any other tag hides text). */
const FLAG_TAGS = /\u{1f3f4}[\u{e0030}-\u{e0039}\u{e0061}-\u{e007a}]{2,6}\u{e007f}/u;
const INVISIBLE_OR_SPACE = /^[\s\p{Default_Ignorable_Code_Point}]$/u;
const LINE_BREAK_LIKE = new Set(["\u0085", "\u2028", "\u2029"]);

/** Whether `c`, a candidate character at `i` in `chars`, stays; `prev` is the last character kept. */
function keeps(c: string, prev: string, next: string, freeText: boolean): boolean {
  if (BIDI_MARKS.has(c)) return freeText && prev !== c;
  if (c === ZWNJ || c === ZWJ) {
    // After a letter, sign or virama of such a script (word-final too: Malayalam's older chillu spelling ends in virama + ZWJ).
    if (JOINING_SCRIPT.test(prev)) return true;
    return c === ZWJ && EMOJI_PART.test(prev) && PICTOGRAPH.test(next);
  }
  if (VARIATION_SELECTOR.test(c)) return prev !== "" && !INVISIBLE_OR_SPACE.test(prev) && !VARIATION_SELECTOR.test(prev);
  return false;
}

function strip(text: string, freeText: boolean): string {
  if (!CANDIDATES.test(text)) return text;
  const chars = Array.from(text);
  let out = "";
  let prev = "";
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "\u{1f3f4}") {
      // Keep a whole subdivision flag, or the black flag alone.
      const flag = FLAG_TAGS.exec(chars.slice(i, i + 8).join(""));
      if (flag?.index === 0) {
        out += flag[0];
        i += Array.from(flag[0]).length - 1;
        prev = "\u{e007f}";
        continue;
      }
    }
    if (!CANDIDATES.test(c)) {
      out += c;
      prev = c;
    } else if (LINE_BREAK_LIKE.has(c)) {
      out += "\n";
      prev = "\n";
    } else if (keeps(c, prev, chars[i + 1] ?? "", freeText)) {
      out += c;
      prev = c;
    }
  }
  return out;
}

/**
 * Free text (a chat message, a question, a note, an answer): bidirectional
 * controls and invisible characters removed as described above; line breaks,
 * spacing and directional marks kept.
 */
export function cleanText(text: string): string {
  return strip(text, true);
}

/**
 * Combining marks one character may carry in a name: enough for any script's
 * stacks (Vietnamese, Hebrew cantillation, Tibetan), too few for the piles
 * ("Zalgo") that spill over the lines above and below.
 */
const MAX_MARKS_PER_CHARACTER = 8;
const MARK_PILE = new RegExp(`(\\p{M}{${MAX_MARKS_PER_CHARACTER}})\\p{M}+`, "gu");

/**
 * One line of display text (a person's name, a library's name, a title, a
 * label): as `cleanText`, and also without directional marks, with every run of
 * spaces and line breaks made one space, trimmed.
 */
export function cleanName(text: string): string {
  return strip(text, false).replace(/\s+/g, " ").replace(MARK_PILE, "$1").trim();
}

/** Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko… and their presentation forms). */
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
const FIRST_STRONG_ISOLATE = "\u2068";
const POP_DIRECTIONAL_ISOLATE = "\u2069";

/**
 * A name to put inside a sentence of plain text (a mail, a history line, a
 * notice): cleaned, and isolated with FSI…PDI when it or the text around it
 * holds right-to-left letters — the only case where a name and its neighbours
 * can be reordered into each other. Left-to-right text is left exactly as it was.
 */
export function nameInText(name: string, around = ""): string {
  const clean = cleanName(name);
  return RIGHT_TO_LEFT.test(clean) || RIGHT_TO_LEFT.test(around) ? FIRST_STRONG_ISOLATE + clean + POP_DIRECTIONAL_ISOLATE : clean;
}

/** A name the server isolated in a sentence (`nameInText`): kept isolated when the sentence is cleaned again. */
const ISOLATED_NAME = /\u2068([^\u2066-\u2069\n]*)\u2069/gu;

/** Free text as shown: cleaned, except that names isolated by `nameInText` stay isolated. */
function cleanShownText(text: string): string {
  if (!text.includes(FIRST_STRONG_ISOLATE)) return cleanText(text);
  let out = "";
  let last = 0;
  for (const m of text.matchAll(ISOLATED_NAME)) {
    out += cleanText(text.slice(last, m.index)) + FIRST_STRONG_ISOLATE + cleanName(m[1]!) + POP_DIRECTIONAL_ISOLATE;
    last = m.index + m[0].length;
  }
  return out + cleanText(text.slice(last));
}

/**
 * Every string in `value` (objects and arrays walked), cleaned as free text:
 * for clients that show data which may have been stored before these rules.
 * Names in it are shown isolated, so directional marks left in them are
 * harmless; names the server already isolated inside a sentence stay so.
 */
export function cleanDisplayData<T>(value: T): T {
  if (typeof value === "string") return cleanShownText(value) as T;
  if (Array.isArray(value)) return value.map(cleanDisplayData) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cleanDisplayData(v);
    return out as T;
  }
  return value;
}
