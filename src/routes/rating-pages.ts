/**
 * /rate/:token — the page a transcript mail's rating link opens: the form's
 * feedback (a rating, a comment, or the library's survey), as a plain HTML
 * form that works without JavaScript. The link works once: the rating and the
 * link's use are written together (src/ratings/links.ts).
 */
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../http/app-env";
import { readBody } from "../http/validate";
import { page, type Html } from "../pages/layout";
import { rateByLink, readRatingLink } from "../ratings/links";
import { RATING } from "../shared/limits";
import { asksComment, SURVEY_LIMITS, type SurveyConfig } from "../shared/survey";
import { ratingSchema } from "../shared/survey-schemas";
import { anyone } from "./openapi/callers";
import { translator, type Translator } from "../i18n/catalog";
import { acceptedLanguages, chooseLanguage, directionOf, isLanguage, LANGUAGES, type Language } from "../i18n/languages";
import { documentedPage } from "./openapi/pages";

export const ratingPageRoutes = new Hono<AppEnv>();

const TOKEN_PARAM = { token: { description: "The one-use token from the transcript mail's rating link." } };
const PATRON_WITH_LINK = anyone("The patron, with the link from their transcript mail");

type Values = Record<string, string>;
interface Problem {
  field: string;
  message: string;
}

/** The page's language: its chat's; for a link nobody knows, the browser's among Refdesk's languages. */
function pageLanguage(c: Context<AppEnv>, chatLanguage: string | undefined): Language {
  if (isLanguage(chatLanguage)) return chatLanguage;
  return chooseLanguage({ offered: LANGUAGES, fallback: "en", preferred: acceptedLanguages(c.req.header("accept-language")) });
}

function shell(c: Context<AppEnv>, language: Language, title: string, body: Html, status: 200 | 400 | 404 | 410 = 200) {
  return c.html(
    page({ title: `${title} — Refdesk`, styles: ["/styles/chat.css"], bodyClass: "chat-page", lang: language, dir: directionOf(language), body: html`<main class="narrow stack" id="main">${body}</main>` }),
    status,
  );
}

function goneBody(t: Translator, reason: "unknown" | "used" | "expired") {
  const keys = { unknown: "rating.linkUnknown", used: "rating.linkUsed", expired: "rating.linkExpired" } as const;
  const text = t(keys[reason]);
  return html`<h1>${t("rating.heading")}</h1><p>${text}</p>`;
}

/** The page for a link that cannot be used, in the best language known for it. */
function gonePage(c: Context<AppEnv>, link: { reason: "unknown" | "used" | "expired"; language?: string }) {
  const language = pageLanguage(c, link.language);
  const t = translator(language);
  return shell(c, language, t("rating.linkTitle"), goneBody(t, link.reason), link.reason === "unknown" ? 404 : 410);
}

const fieldId = (field: string) => `f-${field.replaceAll(".", "-")}`;

function errorFor(problem: Problem | null, field: string): Html | string {
  return problem?.field === field ? html`<p class="field-error" id="${fieldId(field)}-error">${problem.message}</p>` : "";
}

function invalid(problem: Problem | null, field: string): Html | string {
  return problem?.field === field ? html`aria-invalid="true" aria-describedby="${fieldId(field)}-error"` : "";
}

/** The rating form: the 1–5 rating, then a comment or the survey's questions, as the form asks. */
function ratingForm(t: Translator, action: string, libraryName: string, survey: SurveyConfig, values: Values, problem: Problem | null): Html {
  const optional = html` <span class="optional">${t("form.optional")}</span>`;
  const scale = (name: string, legend: string, required: boolean) => html`<fieldset ${invalid(problem, name)}>
    <legend>${legend}${required ? "" : optional}</legend>
    ${errorFor(problem, name)}
    <div class="rating-scale">${Array.from({ length: RATING.highest - RATING.lowest + 1 }, (_, i) => RATING.lowest + i).map(
      (n) => html`<label class="rating-option"><input type="radio" name="${name}" value="${n}" ${values[name] === String(n) ? "checked" : ""}> ${n}</label>`,
    )}</div>
  </fieldset>`;
  return html`<h1>${t("rating.heading")}</h1>
<p>${t("rating.intro", { library: libraryName })}</p>
${problem ? html`<div class="error-summary" role="alert"><p><a href="#${fieldId(problem.field)}">${problem.message}</a></p></div>` : ""}
<form method="post" action="${action}" class="rating stack" novalidate>
  <div id="${fieldId("rating")}">${scale("rating", t("rating.scale", { lowest: RATING.lowest, highest: RATING.highest }), true)}</div>
  ${asksComment(survey)
    ? html`<div class="field" id="${fieldId("comment")}"><label for="comment">${t("rating.comment")}${optional}</label>${errorFor(problem, "comment")}
      <textarea id="comment" name="comment" rows="3" maxlength="${SURVEY_LIMITS.answerChars}" ${invalid(problem, "comment")}>${values.comment ?? ""}</textarea></div>`
    : ""}
  ${survey.questions.map((q) => {
    const name = `answers.${q.id}`;
    if (q.kind === "scale") return html`<div id="${fieldId(name)}">${scale(name, q.text, q.required)}</div>`;
    if (q.kind === "choice") {
      return html`<fieldset id="${fieldId(name)}" ${invalid(problem, name)}><legend>${q.text}${q.required ? "" : optional}</legend>${errorFor(problem, name)}
        ${q.options.map((o, i) => html`<div class="radio"><input type="radio" id="${fieldId(name)}-${i}" name="${name}" value="${o}" ${values[name] === o ? "checked" : ""}><label for="${fieldId(name)}-${i}">${o}</label></div>`)}</fieldset>`;
    }
    return html`<div class="field" id="${fieldId(name)}"><label for="${fieldId(name)}-input">${q.text}${q.required ? "" : optional}</label>${errorFor(problem, name)}
      <textarea id="${fieldId(name)}-input" name="${name}" rows="2" maxlength="${SURVEY_LIMITS.answerChars}" ${invalid(problem, name)}>${values[name] ?? ""}</textarea></div>`;
  })}
  <button type="submit" class="primary">${t("rating.send")}</button>
</form>`;
}

/** The posted fields as a rating body: numbers for the rating and scale answers, text for the rest. */
function bodyFrom(values: Values, survey: SurveyConfig): unknown {
  const answers: Record<string, string | number> = {};
  for (const q of survey.questions) {
    const raw = values[`answers.${q.id}`];
    if (raw === undefined || raw === "") continue;
    answers[q.id] = q.kind === "scale" ? Number(raw) : raw;
  }
  return { rating: values.rating ? Number(values.rating) : undefined, comment: values.comment || undefined, answers };
}

ratingPageRoutes.get("/rate/:token", documentedPage({
  summary: "Rate a chat from the transcript mail",
  description: "The one-use rating link of a transcript mail: the form's rating, comment or survey, in the chat's language.",
  who: PATRON_WITH_LINK,
  params: TOKEN_PARAM,
  answers: { 200: "The rating form.", 404: "A page saying the link is not valid.", 410: "A page saying the link was used or has expired." },
}), async (c) => {
  const link = await readRatingLink(c.env.DB, c.req.param("token"), Date.now());
  if (!link.ok) return gonePage(c, link);
  const language = pageLanguage(c, link.language);
  const t = translator(language);
  return shell(c, language, t("rating.heading"), ratingForm(t, c.req.path, link.libraryName, link.chat.survey, {}, null));
});

ratingPageRoutes.post("/rate/:token", documentedPage({
  summary: "Rate a chat from the transcript mail (form post)",
  description: "Stores the rating and answers, and uses the link up; the form again with the problem when something is wrong.",
  who: PATRON_WITH_LINK,
  params: TOKEN_PARAM,
  rawBody: { types: ["application/x-www-form-urlencoded"], description: "`rating`, `comment`, and `answers.<question id>` for each survey question answered." },
  answers: { 200: "A thank-you page.", 400: "The form again, with the problem at its field.", 404: "A page saying the link is not valid.", 410: "A page saying the link was used or has expired." },
}), async (c) => {
  const token = c.req.param("token");
  const now = Date.now();
  const link = await readRatingLink(c.env.DB, token, now);
  if (!link.ok) return gonePage(c, link);
  const language = pageLanguage(c, link.language);
  const t = translator(language);
  const raw = (await readBody(c)) as Record<string, string | string[]>;
  const values: Values = Object.fromEntries(Object.entries(raw ?? {}).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? "") : String(v)]));
  const again = (problem: Problem) => shell(c, language, t("rating.errorTitle"), ratingForm(t, c.req.path, link.libraryName, link.chat.survey, values, problem), 400);
  const parsed = ratingSchema.safeParse(bodyFrom(values, link.chat.survey));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path[0] === "answers" ? `answers.${String(issue.path[1])}` : String(issue.path[0] ?? "rating");
    return again({ field, message: issue.message });
  }
  const result = await rateByLink(c.env.DB, token, parsed.data, now);
  if (result.ok) return shell(c, language, t("rating.thanksTitle"), html`<h1>${t("rating.thanksTitle")}</h1><p role="status">${t("rating.thanks", { library: link.libraryName })}</p>`);
  if ("reason" in result) return gonePage(c, { reason: result.reason, language });
  return again({ field: result.field, message: result.message });
});
