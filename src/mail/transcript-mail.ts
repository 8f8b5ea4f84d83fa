/**
 * The transcript e-mail a patron receives after a chat: the library's own
 * wording (a template with placeholders) followed by the whole conversation,
 * as plain text and as HTML with every piece of patron and librarian text escaped.
 *
 * Names are what people typed, so they are cleaned again here (text stored
 * before the schemas cleaned it) and isolated so they cannot run into the words
 * around them: `<bdi>` in HTML, FSI…PDI in plain text (src/shared/display-text.ts).
 * Each line says who wrote it with a role marker the name cannot reach — in
 * plain text inside the time's brackets, "[10:02 AM · Patron] Ada: …"; in HTML
 * beside the bold name — so a patron who calls themselves "Lisa (librarian)"
 * still reads as the patron. A message's further lines are indented, so no
 * message can start a line that looks like another.
 *
 * Template placeholders: {{patronName}}, {{libraryName}}, {{librarianName}},
 * {{date}}, {{question}}. Unknown placeholders are left as written.
 *
 * When the chat's form asks for feedback, the mail ends with a one-use link to
 * rate the chat (src/ratings/links.ts).
 */
import { lookupIn, translate, translateHtml } from "../i18n/catalog";
import { directionOf, isLanguage, type Language } from "../i18n/languages";
import { messageText } from "../i18n/system-lines";
import { cleanName, cleanText, nameInText } from "../shared/display-text";
import { escapeHtml } from "../shared/html-escape";
import type { ChatMessage } from "../shared/protocol";

/** The placeholders a library's template may use (the settings page validates against this list). */
export const TRANSCRIPT_PLACEHOLDERS = ["patronName", "libraryName", "librarianName", "date", "question"] as const;

export const DEFAULT_TRANSCRIPT_TEMPLATE =
  "Hello {{patronName}},\n\nThank you for chatting with {{libraryName}}. Here is the transcript of your chat on {{date}}. " +
  "If you have more questions, reply to this e-mail or start a new chat.";

export interface TranscriptMailInput {
  libraryName: string;
  timeZone: string;
  template: string | null;
  patronName: string;
  librarianName: string | null;
  question: string;
  startedAt: number;
  messages: ChatMessage[];
  /** A one-use link to rate the chat, when the form asks for feedback. */
  ratingUrl?: string | null;
  /** The chat's language: the subject, Refdesk's wording, system lines, dates and times are in it (English when not given). */
  language?: string;
}

/** The language a mail is written in: the chat's when it is one Refdesk speaks, else English. */
export const mailLanguage = (tag: string | null | undefined): Language => (isLanguage(tag) ? tag : "en");

/** Dates and times as people of `language` write them (US English for English, as before languages). */
const locale = (language: Language) => (language === "en" ? "en-US" : language);

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

function formatTime(at: number, timeZone: string, withDate: boolean, language: Language): string {
  return new Intl.DateTimeFormat(locale(language), {
    timeZone,
    ...(withDate ? { dateStyle: "long" } : {}),
    timeStyle: "short",
  }).format(at);
}

/** Further lines of a message start with this, so they can never pass for a line of their own. */
const CONTINUATION = "    ";

/** The marker of who wrote a message, in the mail's language, or null for system lines (which have no author). */
const roleOf = (m: ChatMessage, language: Language): string | null =>
  m.author.role === "system" ? null : translate(language, m.author.role === "librarian" ? "transcript.librarian" : "transcript.patron");

/** What a message says in the mail: a system line in the mail's language, anything else as written. */
const bodyOf = (m: ChatMessage, language: Language) => cleanText(messageText(lookupIn(language), m));

/** The transcript as plain-text lines: "[time · Role] Name: message", a message's further lines indented; system lines "[time] what happened". */
export function transcriptTextLines(messages: ChatMessage[], timeZone: string, language: Language = "en"): string[] {
  return messages.flatMap((m) => {
    const [first = "", ...rest] = bodyOf(m, language).split("\n");
    const time = formatTime(m.at, timeZone, false, language);
    const role = roleOf(m, language);
    const head = role ? `[${time} · ${role}] ${nameInText(m.author.name, m.body)}: ${first}` : `[${time}] ${first}`;
    return [head, ...rest.map((line) => CONTINUATION + line)];
  });
}

/** The transcript as HTML table rows, every piece of text escaped, names isolated. */
export function transcriptHtmlRows(messages: ChatMessage[], timeZone: string, language: Language = "en"): string {
  return messages
    .map((m) => {
      const role = roleOf(m, language);
      const body = escapeHtml(bodyOf(m, language)).replaceAll("\n", "<br>");
      const line = role
        ? `<strong><bdi>${escapeHtml(cleanName(m.author.name))}</bdi></strong> <span style="color:#555">(${role})</span>: ${body}`
        : `<em style="color:#555">${body}</em>`;
      return (
        `<tr><td style="color:#555;white-space:nowrap;vertical-align:top;padding:2px 8px 2px 0">${escapeHtml(formatTime(m.at, timeZone, false, language))}</td>` +
        `<td style="vertical-align:top;padding:2px 0">${line}</td></tr>`
      );
    })
    .join("\n");
}

export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in values ? values[key]! : whole));
}

/** The placeholders that hold names: isolated where they are filled in. */
const NAME_PLACEHOLDERS = new Set(["patronName", "libraryName", "librarianName"]);

/** The mail's opening: the library's own template when it has one, else Refdesk's greeting and introduction in the mail's language. */
function opening(input: TranscriptMailInput, language: Language, date: string): { text: string; html: string } {
  if (input.template !== null || language === "en") {
    const template = cleanText(input.template ?? DEFAULT_TRANSCRIPT_TEMPLATE);
    const values: Record<string, string> = {
      patronName: input.patronName,
      libraryName: input.libraryName,
      librarianName: input.librarianName ?? translate(language, "mail.aLibrarian"),
      date,
      question: cleanText(input.question),
    };
    const textValues = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, NAME_PLACEHOLDERS.has(k) ? nameInText(v, template) : v]));
    const htmlValues = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, NAME_PLACEHOLDERS.has(k) ? `<bdi>${escapeHtml(cleanName(v))}</bdi>` : escapeHtml(v)]));
    return { text: fillTemplate(template, textValues), html: fillTemplate(escapeHtml(template), htmlValues) };
  }
  const name = input.patronName && input.patronName !== "there" ? cleanName(input.patronName) : "";
  const library = cleanName(input.libraryName);
  const greeting = name ? translate(language, "mail.hello", { name }) : translate(language, "mail.helloNoName");
  const greetingHtml = name ? translateHtml(language, "mail.hello", { name }) : translateHtml(language, "mail.helloNoName");
  return {
    text: `${greeting}\n\n${translate(language, "mail.transcriptIntro", { library, date })}`,
    html: `${greetingHtml}\n\n${translateHtml(language, "mail.transcriptIntro", { library, date })}`,
  };
}

export function composeTranscriptMail(input: TranscriptMailInput): ComposedMail {
  const language = mailLanguage(input.language);
  const date = new Intl.DateTimeFormat(locale(language), { timeZone: input.timeZone, dateStyle: "long" }).format(input.startedAt);
  const question = cleanText(input.question);
  const intro = opening(input, language, date);
  const say = (key: Parameters<typeof translate>[1], params?: Record<string, string>) => translate(language, key, params);
  const lines = transcriptTextLines(input.messages, input.timeZone, language);
  const rate = input.ratingUrl ? `\n--- ${say("mail.rateHeading")} ---\n${say("mail.rateText", { url: input.ratingUrl })}\n` : "";
  const text = `${intro.text}\n\n${say("mail.yourQuestion")} ${question}\n\n--- ${say("mail.transcript")} ---\n${lines.join("\n")}\n${rate}`;
  const rows = transcriptHtmlRows(input.messages, input.timeZone, language);
  const libraryName = cleanName(input.libraryName);
  const dir = directionOf(language) === "rtl" ? ' dir="rtl"' : "";
  const html =
    `<!doctype html><html lang="${language}"${dir}><head><meta charset="utf-8"><title>${escapeHtml(say("mail.transcriptTitle", { library: libraryName }))}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;color:#111">` +
    `<p>${intro.html.replaceAll("\n", "<br>")}</p>` +
    `<p><strong>${escapeHtml(say("mail.yourQuestion"))}</strong> ${escapeHtml(question)}</p>` +
    `<h2 style="font-size:1.1em">${escapeHtml(say("mail.transcript"))}</h2><table role="presentation">${rows}</table>` +
    (input.ratingUrl
      ? `<h2 style="font-size:1.1em">${escapeHtml(say("mail.rateHeading"))}</h2><p><a href="${escapeHtml(input.ratingUrl)}">${escapeHtml(say("mail.rateLink"))}</a> ${escapeHtml(say("mail.rateOnce"))}</p>`
      : "") +
    `</body></html>`;

  return { subject: translate(language, "mail.transcriptSubject", { library: input.libraryName, date }), text, html };
}
