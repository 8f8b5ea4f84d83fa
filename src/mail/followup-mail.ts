/**
 * The follow-up answer a librarian sends from the Ask a Librarian module: the
 * answer, signed with the librarian's and library's names, then the patron's
 * question and the conversation quoted (left out when the patron asked for no
 * transcript by e-mail). Text and HTML; every piece of text is escaped in HTML,
 * names cleaned and isolated as in the transcript mail (./transcript-mail.ts).
 */
import { cleanName, cleanText, nameInText } from "../shared/display-text";
import { escapeHtml } from "../shared/html-escape";
import type { ChatMessage } from "../shared/protocol";
import { translate, translateHtml } from "../i18n/catalog";
import { directionOf } from "../i18n/languages";
import { mailLanguage, transcriptHtmlRows, transcriptTextLines, type ComposedMail } from "./transcript-mail";

export interface FollowupMailInput {
  libraryName: string;
  timeZone: string;
  librarianName: string;
  patronName: string | null;
  question: string;
  askedAt: number;
  answer: string;
  /** The conversation to quote; null leaves it out (the patron opted out of transcripts). */
  transcript: ChatMessage[] | null;
  /** The patron can reply (the library has a contact address for Reply-To). */
  canReply: boolean;
  /** The chat's language (English for a question that came by e-mail). */
  language?: string | null;
}

const SUBJECT_QUESTION_CHARS = 60;

/** One event, one mail: the outbox key of the follow-up recorded as question_events row `eventId`. */
export function followupMailKey(questionId: string, eventId: number | string): string {
  return `${followupMailKeyPrefix(questionId)}${eventId}`;
}

/** The key without its event id, for SQL that appends the id it has just created. */
export function followupMailKeyPrefix(questionId: string): string {
  return `followup:${questionId}:`;
}

function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export function composeFollowupMail(input: FollowupMailInput): ComposedMail {
  const language = mailLanguage(input.language);
  const say = (key: Parameters<typeof translate>[1], params?: Record<string, string>) => translate(language, key, params);
  const date = new Intl.DateTimeFormat(language === "en" ? "en-US" : language, { timeZone: input.timeZone, dateStyle: "long" }).format(input.askedAt);
  const answer = cleanText(input.answer);
  const question = cleanText(input.question);
  const patronName = input.patronName ? cleanName(input.patronName) : "";
  const replyLine = input.canReply ? say("mail.replyLine") : "";
  const quoted = input.transcript ? transcriptTextLines(input.transcript, input.timeZone, language).map((l) => `> ${l}`) : [];

  const text = [
    patronName ? say("mail.hello", { name: patronName }) : say("mail.helloAnswer"),
    "",
    answer,
    "",
    `— ${nameInText(input.librarianName)}, ${nameInText(input.libraryName)}`,
    ...(replyLine ? ["", replyLine] : []),
    "",
    `${say("mail.questionOf", { date })} ${question}`,
    ...(quoted.length ? ["", `--- ${say("mail.conversation")} ---`, ...quoted] : []),
    "",
  ].join("\n");

  const paragraph = (t: string) => `<p>${escapeHtml(t).replaceAll("\n", "<br>")}</p>`;
  const bdi = (name: string) => `<bdi>${escapeHtml(cleanName(name))}</bdi>`;
  const html =
    `<!doctype html><html lang="${language}"${directionOf(language) === "rtl" ? ' dir="rtl"' : ""}><head><meta charset="utf-8"><title>${escapeHtml(say("mail.answerTitle", { library: cleanName(input.libraryName) }))}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;color:#111">` +
    `<p>${patronName ? translateHtml(language, "mail.hello", { name: patronName }) : escapeHtml(say("mail.helloAnswer"))}</p>` +
    answer
      .split(/\n{2,}/)
      .map(paragraph)
      .join("") +
    `<p>— ${bdi(input.librarianName)}, ${bdi(input.libraryName)}</p>` +
    (replyLine ? paragraph(replyLine) : "") +
    `<hr><p><strong>${escapeHtml(say("mail.questionOf", { date }))}</strong> ${escapeHtml(question)}</p>` +
    (input.transcript
      ? `<h2 style="font-size:1.1em">${escapeHtml(say("mail.conversation"))}</h2><blockquote style="margin:0;padding-left:12px;border-left:3px solid #999"><table role="presentation">${transcriptHtmlRows(input.transcript, input.timeZone, language)}</table></blockquote>`
      : "") +
    `</body></html>`;

  return { subject: say("mail.answerSubject", { library: input.libraryName, question: shorten(question, SUBJECT_QUESTION_CHARS) }), text, html };
}
