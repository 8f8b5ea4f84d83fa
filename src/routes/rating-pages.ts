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
import { documentedPage } from "./openapi/pages";

export const ratingPageRoutes = new Hono<AppEnv>();

const TOKEN_PARAM = { token: { description: "The one-use token from the transcript mail's rating link." } };
const PATRON_WITH_LINK = anyone("The patron, with the link from their transcript mail");

type Values = Record<string, string>;
interface Problem {
  field: string;
  message: string;
}

function shell(c: Context<AppEnv>, title: string, body: Html, status: 200 | 400 | 404 | 410 = 200) {
  return c.html(page({ title: `${title} — Refdesk`, styles: ["/styles/chat.css"], bodyClass: "chat-page", body: html`<main class="narrow stack" id="main">${body}</main>` }), status);
}

function goneBody(reason: "unknown" | "used" | "expired") {
  const text = {
    unknown: "This rating link is not valid. Check that the whole address from the e-mail was used.",
    used: "This rating link has already been used. Thank you for your feedback.",
    expired: "This rating link has expired. You can still reply to the transcript e-mail.",
  }[reason];
  return html`<h1>How did we do?</h1><p>${text}</p>`;
}

const fieldId = (field: string) => `f-${field.replaceAll(".", "-")}`;

function errorFor(problem: Problem | null, field: string): Html | string {
  return problem?.field === field ? html`<p class="field-error" id="${fieldId(field)}-error">${problem.message}</p>` : "";
}

function invalid(problem: Problem | null, field: string): Html | string {
  return problem?.field === field ? html`aria-invalid="true" aria-describedby="${fieldId(field)}-error"` : "";
}

/** The rating form: the 1–5 rating, then a comment or the survey's questions, as the form asks. */
function ratingForm(action: string, libraryName: string, survey: SurveyConfig, values: Values, problem: Problem | null): Html {
  const scale = (name: string, legend: string, required: boolean) => html`<fieldset ${invalid(problem, name)}>
    <legend>${legend}${required ? "" : html` <span class="optional">(optional)</span>`}</legend>
    ${errorFor(problem, name)}
    <div class="rating-scale">${Array.from({ length: RATING.highest - RATING.lowest + 1 }, (_, i) => RATING.lowest + i).map(
      (n) => html`<label class="rating-option"><input type="radio" name="${name}" value="${n}" ${values[name] === String(n) ? "checked" : ""}> ${n}</label>`,
    )}</div>
  </fieldset>`;
  return html`<h1>How did we do?</h1>
<p>Your chat with ${libraryName}. This link works once.</p>
${problem ? html`<div class="error-summary" role="alert"><p><a href="#${fieldId(problem.field)}">${problem.message}</a></p></div>` : ""}
<form method="post" action="${action}" class="rating stack" novalidate>
  <div id="${fieldId("rating")}">${scale("rating", `Rate this chat from ${RATING.lowest} (poor) to ${RATING.highest} (excellent)`, true)}</div>
  ${asksComment(survey)
    ? html`<div class="field" id="${fieldId("comment")}"><label for="comment">Comment <span class="optional">(optional)</span></label>${errorFor(problem, "comment")}
      <textarea id="comment" name="comment" rows="3" maxlength="${SURVEY_LIMITS.answerChars}" ${invalid(problem, "comment")}>${values.comment ?? ""}</textarea></div>`
    : ""}
  ${survey.questions.map((q) => {
    const name = `answers.${q.id}`;
    if (q.kind === "scale") return html`<div id="${fieldId(name)}">${scale(name, q.text, q.required)}</div>`;
    if (q.kind === "choice") {
      return html`<fieldset id="${fieldId(name)}" ${invalid(problem, name)}><legend>${q.text}${q.required ? "" : html` <span class="optional">(optional)</span>`}</legend>${errorFor(problem, name)}
        ${q.options.map((o, i) => html`<div class="radio"><input type="radio" id="${fieldId(name)}-${i}" name="${name}" value="${o}" ${values[name] === o ? "checked" : ""}><label for="${fieldId(name)}-${i}">${o}</label></div>`)}</fieldset>`;
    }
    return html`<div class="field" id="${fieldId(name)}"><label for="${fieldId(name)}-input">${q.text}${q.required ? "" : html` <span class="optional">(optional)</span>`}</label>${errorFor(problem, name)}
      <textarea id="${fieldId(name)}-input" name="${name}" rows="2" maxlength="${SURVEY_LIMITS.answerChars}" ${invalid(problem, name)}>${values[name] ?? ""}</textarea></div>`;
  })}
  <button type="submit" class="primary">Send feedback</button>
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
  description: "The one-use rating link of a transcript mail: the form's rating, comment or survey.",
  who: PATRON_WITH_LINK,
  params: TOKEN_PARAM,
  answers: { 200: "The rating form.", 404: "A page saying the link is not valid.", 410: "A page saying the link was used or has expired." },
}), async (c) => {
  const link = await readRatingLink(c.env.DB, c.req.param("token"), Date.now());
  if (!link.ok) return shell(c, "Rating link", goneBody(link.reason), link.reason === "unknown" ? 404 : 410);
  return shell(c, "How did we do?", ratingForm(c.req.path, link.libraryName, link.chat.survey, {}, null));
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
  if (!link.ok) return shell(c, "Rating link", goneBody(link.reason), link.reason === "unknown" ? 404 : 410);
  const raw = (await readBody(c)) as Record<string, string | string[]>;
  const values: Values = Object.fromEntries(Object.entries(raw ?? {}).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? "") : String(v)]));
  const again = (problem: Problem) => shell(c, "How did we do? (error)", ratingForm(c.req.path, link.libraryName, link.chat.survey, values, problem), 400);
  const parsed = ratingSchema.safeParse(bodyFrom(values, link.chat.survey));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path[0] === "answers" ? `answers.${String(issue.path[1])}` : String(issue.path[0] ?? "rating");
    return again({ field, message: issue.message });
  }
  const result = await rateByLink(c.env.DB, token, parsed.data, now);
  if (result.ok) return shell(c, "Thank you", html`<h1>Thank you</h1><p role="status">Your feedback has been sent to ${link.libraryName}.</p>`);
  if ("reason" in result) return shell(c, "Rating link", goneBody(result.reason), result.reason === "unknown" ? 404 : 410);
  return again({ field: result.field, message: result.message });
});
