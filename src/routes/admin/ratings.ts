/**
 * /api/admin/libraries/:libraryId/ratings — what patrons said after their
 * chats, for the library's administrators; /api/admin/forms/:formId/survey —
 * what a form asks after the chat (src/shared/survey.ts).
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { auditStatement } from "../../admin/audit";
import { authorize, can, requireActor } from "../../admin/authorize";
import { loadForm, loadLibrary } from "../../admin/lookups";
import { database } from "../../db/client";
import { forms } from "../../db/schema";
import type { AppEnv } from "../../http/app-env";
import { badRequest, forbidden } from "../../http/errors";
import { parseBody } from "../../http/validate";
import { libraryRatings, RATINGS_PAGE } from "../../ratings/list";
import { surveyConfigSchema, surveyOf } from "../../shared/survey-schemas";
import { ADMIN_OF_FORM, ADMIN_OF_LIBRARY } from "../openapi/callers";
import { documented } from "../openapi/describe";
import { GROUPS } from "../openapi/groups";
import { BAD_BODY, LIBRARY_UNKNOWN, NOT_ADMIN_OF_LIBRARY, NOT_SIGNED_IN, OTHER_SITE, refusal } from "../openapi/refusals";
import { PARAMS } from "../openapi/shapes";

export const ratingRoutes = new Hono<AppEnv>();

const DAY_MS = 24 * 60 * 60 * 1000;
export const RATINGS_MAX_DAYS = 366;
const SURVEY = "`{survey: {mode, questions: [{id, text, kind, options, required}]}}`";

ratingRoutes.get("/libraries/:libraryId/ratings", documented({
  group: GROUPS.libraryAdmin,
  summary: "A library's ratings",
  description: `Chats the library's patrons rated in the last \`days\` (1–${RATINGS_MAX_DAYS}, default 30): how many and the average, and the newest ${RATINGS_PAGE} with the comment, the survey's answers, who answered and the question (with its transcript).`,
  who: ADMIN_OF_LIBRARY,
  params: PARAMS.libraryId,
  query: { days: `The period, in days back from now: a whole number from 1 to ${RATINGS_MAX_DAYS} (default 30).` },
  answers: { 200: "`{days, count, average, ratings: [{sessionId, questionId, librarianName, formTitle, createdAt, score, comment, ratedAt, answers: [{questionId, question, kind, answer}]}]}`." },
  refusals: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, LIBRARY_UNKNOWN, refusal(400, "validation_failed", "`days` out of range or not a whole number.", "days")],
}), async (c) => {
  const libraryId = c.req.param("libraryId");
  await authorize(c, "library.read", { library: libraryId });
  await loadLibrary(database(c.env.DB), libraryId);
  const days = Number(c.req.query("days") ?? "30");
  if (!Number.isInteger(days) || days < 1 || days > RATINGS_MAX_DAYS) throw badRequest(`days: a whole number from 1 to ${RATINGS_MAX_DAYS}`, "days");
  return c.json({ days, ...(await libraryRatings(c.env.DB, libraryId, Date.now() - days * DAY_MS)) });
});

/** May the actor edit this form: as its library's administrator, or its group's. */
async function authorizeFormEditor(c: Parameters<typeof requireActor>[0], form: { libraryId: string | null; groupId: string | null }) {
  const actor = await requireActor(c);
  const viaLibrary = form.libraryId !== null && can(actor, "library.forms.write", { library: form.libraryId });
  const viaGroup = form.groupId !== null && can(actor, "group.forms.write", { group: form.groupId });
  if (!viaLibrary && !viaGroup) throw forbidden("Only this form's library or group administrators can do that.");
  return actor;
}

ratingRoutes.get("/forms/:formId/survey", documented({
  group: GROUPS.formAdmin,
  summary: "What a form asks after the chat",
  description: "The form's feedback after a chat: `off`, `rating`, `rating_comment` (the default) or `survey` with its questions.",
  who: ADMIN_OF_FORM,
  params: PARAMS.formId,
  answers: { 200: `${SURVEY}.` },
  refusals: [refusal(404, "not_found", "No such form."), NOT_SIGNED_IN, refusal(403, "forbidden", "The actor administers neither the form's library nor its group.")],
}), async (c) => {
  const form = await loadForm(database(c.env.DB), c.req.param("formId"));
  await authorizeFormEditor(c, form);
  return c.json({ survey: surveyOf(form.survey) });
});

ratingRoutes.put("/forms/:formId/survey", documented({
  group: GROUPS.formAdmin,
  summary: "Change what a form asks after the chat",
  description: "Sets the form's feedback: off, a rating, a rating and a comment, or a rating and up to five questions of the library's own (a 1–5 scale, one choice among options, or a short text; each may be required). Written to the audit log.",
  who: ADMIN_OF_FORM,
  params: PARAMS.formId,
  body: surveyConfigSchema,
  answers: { 200: `${SURVEY}.` },
  refusals: [OTHER_SITE, refusal(404, "not_found", "No such form."), NOT_SIGNED_IN, refusal(403, "forbidden", "The actor administers neither the form's library nor its group."), BAD_BODY],
}), async (c) => {
  const db = database(c.env.DB);
  const form = await loadForm(db, c.req.param("formId"));
  const actor = await authorizeFormEditor(c, form);
  const survey = await parseBody(c, surveyConfigSchema);
  const before = surveyOf(form.survey);
  await db.batch([
    db.update(forms).set({ survey }).where(eq(forms.id, form.id)),
    auditStatement(db, actor, { libraryId: form.libraryId, groupId: form.groupId, action: "form.updated", targetType: "form", targetId: form.id, before: { survey: before }, after: { survey } }, Date.now()),
  ]);
  return c.json({ survey });
});
