/**
 * What a patron's browser shows for a file link from a transcript mail that
 * cannot give the file — expired, not one Refdesk made, or the file deleted
 * since: a short page in the chat's language, as the rating link's pages
 * are. A link that is not ours vouches for no chat, so it is answered in the
 * browser's language. Clients that do not ask for HTML keep the JSON error.
 */
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { html } from "hono/html";
import { database } from "../db/client";
import { chatSessions } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { translator } from "../i18n/catalog";
import { acceptedLanguages, chooseLanguage, directionOf, isLanguage, LANGUAGES, type Language } from "../i18n/languages";
import { page } from "../pages/layout";

export type FileLinkProblem = "expired" | "forged" | "gone";

const WORDS = { expired: "mail.fileLinkExpired", forged: "mail.fileLinkForged", gone: "mail.fileGone" } as const;
const STATUS = { expired: 403, forged: 403, gone: 404 } as const;

/** A browser opening the link (from a mail), rather than an image element or an API client. */
export const opensAsPage = (c: Context<AppEnv>): boolean => (c.req.header("accept") ?? "").includes("text/html");

async function pageLanguage(c: Context<AppEnv>, sessionId: string, problem: FileLinkProblem): Promise<Language> {
  if (problem !== "forged" && /^[0-9a-f-]{36}$/.test(sessionId)) {
    const row = await database(c.env.DB).select({ language: chatSessions.language }).from(chatSessions).where(eq(chatSessions.id, sessionId)).get();
    if (isLanguage(row?.language)) return row.language;
  }
  return chooseLanguage({ offered: LANGUAGES, fallback: "en", preferred: acceptedLanguages(c.req.header("accept-language")) });
}

/** The page for a file link that cannot give its file, with the status the JSON error has. */
export async function fileLinkPage(c: Context<AppEnv>, sessionId: string, problem: FileLinkProblem): Promise<Response> {
  const language = await pageLanguage(c, sessionId, problem);
  const t = translator(language);
  const body = page({
    title: `${t("mail.fileLinkTitle")} — Refdesk`,
    styles: ["/styles/chat.css"],
    bodyClass: "chat-page",
    lang: language,
    dir: directionOf(language),
    body: html`<main class="narrow stack" id="main"><h1>${t("mail.fileLinkTitle")}</h1><p>${t(WORDS[problem])}</p></main>`,
  });
  // Mounted before the pages' header middleware (the files set their own): this page sets the policy it needs.
  return c.html(body, STATUS[problem], {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  });
}
