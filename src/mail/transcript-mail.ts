/**
 * The transcript e-mail a patron receives after a chat: the library's own
 * wording (a template with placeholders) followed by the whole conversation,
 * as plain text and as HTML with every piece of patron and librarian text escaped.
 *
 * Template placeholders: {{patronName}}, {{libraryName}}, {{librarianName}},
 * {{date}}, {{question}}. Unknown placeholders are left as written.
 */
import type { ChatMessage } from "../shared/protocol";
import { escapeHtml } from "../shared/html-escape";

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

/** The transcript as plain-text lines: "[time] Name: message". */
export function transcriptTextLines(messages: ChatMessage[], timeZone: string): string[] {
  return messages.map((m) => `[${formatTime(m.at, timeZone, false)}] ${m.author.name}: ${m.body}`);
}

/** The transcript as HTML table rows, every piece of text escaped. */
export function transcriptHtmlRows(messages: ChatMessage[], timeZone: string): string {
  return messages
    .map(
      (m) =>
        `<tr><td style="color:#555;white-space:nowrap;vertical-align:top;padding:2px 8px 2px 0">${escapeHtml(formatTime(m.at, timeZone, false))}</td>` +
        `<td style="vertical-align:top;padding:2px 0"><strong>${escapeHtml(m.author.name)}:</strong> ${escapeHtml(m.body).replaceAll("\n", "<br>")}</td></tr>`,
    )
    .join("\n");
}

export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in values ? values[key]! : whole));
}

export function composeTranscriptMail(input: TranscriptMailInput): ComposedMail {
  const date = new Intl.DateTimeFormat("en-US", { timeZone: input.timeZone, dateStyle: "long" }).format(input.startedAt);
  const intro = fillTemplate(input.template ?? DEFAULT_TRANSCRIPT_TEMPLATE, {
    patronName: input.patronName,
    libraryName: input.libraryName,
    librarianName: input.librarianName ?? "a librarian",
    date,
    question: input.question,
  });
  const lines = transcriptTextLines(input.messages, input.timeZone);
  const text = `${intro}\n\nYour question: ${input.question}\n\n--- Transcript ---\n${lines.join("\n")}\n`;
  const rows = transcriptHtmlRows(input.messages, input.timeZone);
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`Your chat with ${input.libraryName}`)}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;color:#111">` +
    `<p>${escapeHtml(intro).replaceAll("\n", "<br>")}</p>` +
    `<p><strong>Your question:</strong> ${escapeHtml(input.question)}</p>` +
    `<h2 style="font-size:1.1em">Transcript</h2><table role="presentation">${rows}</table></body></html>`;

  return { subject: `Your chat with ${input.libraryName} on ${date}`, text, html };
}
