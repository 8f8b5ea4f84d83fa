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
import { ROLE_MARKERS } from "../shared/author-labels";
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
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

function formatTime(at: number, timeZone: string, withDate: boolean): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    ...(withDate ? { dateStyle: "long" } : {}),
    timeStyle: "short",
  }).format(at);
}

/** Further lines of a message start with this, so they can never pass for a line of their own. */
const CONTINUATION = "    ";

/** The marker of who wrote a message, or null for system lines (which have no author). */
const roleOf = (m: ChatMessage): string | null => (m.author.role === "system" ? null : ROLE_MARKERS[m.author.role]);

/** The transcript as plain-text lines: "[time · Role] Name: message", a message's further lines indented; system lines "[time] what happened". */
export function transcriptTextLines(messages: ChatMessage[], timeZone: string): string[] {
  return messages.flatMap((m) => {
    const [first = "", ...rest] = cleanText(m.body).split("\n");
    const time = formatTime(m.at, timeZone, false);
    const role = roleOf(m);
    const head = role ? `[${time} · ${role}] ${nameInText(m.author.name, m.body)}: ${first}` : `[${time}] ${first}`;
    return [head, ...rest.map((line) => CONTINUATION + line)];
  });
}

/** The transcript as HTML table rows, every piece of text escaped, names isolated. */
export function transcriptHtmlRows(messages: ChatMessage[], timeZone: string): string {
  return messages
    .map((m) => {
      const role = roleOf(m);
      const body = escapeHtml(cleanText(m.body)).replaceAll("\n", "<br>");
      const line = role
        ? `<strong><bdi>${escapeHtml(cleanName(m.author.name))}</bdi></strong> <span style="color:#555">(${role})</span>: ${body}`
        : `<em style="color:#555">${body}</em>`;
      return (
        `<tr><td style="color:#555;white-space:nowrap;vertical-align:top;padding:2px 8px 2px 0">${escapeHtml(formatTime(m.at, timeZone, false))}</td>` +
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

export function composeTranscriptMail(input: TranscriptMailInput): ComposedMail {
  const date = new Intl.DateTimeFormat("en-US", { timeZone: input.timeZone, dateStyle: "long" }).format(input.startedAt);
  const template = cleanText(input.template ?? DEFAULT_TRANSCRIPT_TEMPLATE);
  const question = cleanText(input.question);
  const values: Record<string, string> = {
    patronName: input.patronName,
    libraryName: input.libraryName,
    librarianName: input.librarianName ?? "a librarian",
    date,
    question,
  };
  const textValues = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, NAME_PLACEHOLDERS.has(k) ? nameInText(v, template) : v]));
  const htmlValues = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, NAME_PLACEHOLDERS.has(k) ? `<bdi>${escapeHtml(cleanName(v))}</bdi>` : escapeHtml(v)]));
  const intro = fillTemplate(template, textValues);
  const htmlIntro = fillTemplate(escapeHtml(template), htmlValues);
  const lines = transcriptTextLines(input.messages, input.timeZone);
  const rate = input.ratingUrl ? `\n--- How did we do? ---\nRate this chat (the link works once): ${input.ratingUrl}\n` : "";
  const text = `${intro}\n\nYour question: ${question}\n\n--- Transcript ---\n${lines.join("\n")}\n${rate}`;
  const rows = transcriptHtmlRows(input.messages, input.timeZone);
  const libraryName = cleanName(input.libraryName);
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`Your chat with ${libraryName}`)}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;color:#111">` +
    `<p>${htmlIntro.replaceAll("\n", "<br>")}</p>` +
    `<p><strong>Your question:</strong> ${escapeHtml(question)}</p>` +
    `<h2 style="font-size:1.1em">Transcript</h2><table role="presentation">${rows}</table>` +
    (input.ratingUrl ? `<h2 style="font-size:1.1em">How did we do?</h2><p><a href="${escapeHtml(input.ratingUrl)}">Rate this chat</a> (the link works once).</p>` : "") +
    `</body></html>`;

  return { subject: `Your chat with ${nameInText(input.libraryName)} on ${date}`, text, html };
}
