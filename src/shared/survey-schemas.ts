/**
 * The survey and rating schemas (zod, server side): a form's survey as its
 * administrators write it, the patron's rating, and every answer checked
 * against the form's questions. What a survey is: ./survey.ts.
 */
import { z } from "zod";
import { lineText, optionalText, text } from "./api";
import { LIMITS, RATING } from "./limits";
import { DEFAULT_SURVEY, SURVEY_LIMITS, SURVEY_MODES, SURVEY_QUESTION_KINDS, asksComment, type StoredAnswer, type SurveyConfig } from "./survey";

const questionSchema = z
  .object({
    id: z.string().regex(/^q[1-9][0-9]?$/, "A question's id is q1, q2, …"),
    text: lineText(SURVEY_LIMITS.questionChars).min(1, "Write the question"),
    kind: z.enum(SURVEY_QUESTION_KINDS, { message: "Choose scale, choice or text" }),
    options: z.array(lineText(SURVEY_LIMITS.optionChars).min(1, "An option cannot be empty")).max(SURVEY_LIMITS.options, `At most ${SURVEY_LIMITS.options} options`).default([]),
    required: z.boolean().default(false),
  })
  .superRefine((q, ctx) => {
    if (q.kind === "choice" && q.options.length < 2) ctx.addIssue({ code: "custom", path: ["options"], message: "A choice needs at least two options" });
    if (q.kind !== "choice" && q.options.length > 0) ctx.addIssue({ code: "custom", path: ["options"], message: "Only a choice question has options" });
    if (new Set(q.options.map((o) => o.toLowerCase())).size !== q.options.length) ctx.addIssue({ code: "custom", path: ["options"], message: "Each option once" });
  });

/** PUT /api/admin/forms/:formId/survey. */
export const surveyConfigSchema = z
  .object({
    mode: z.enum(SURVEY_MODES, { message: `Choose one of: ${SURVEY_MODES.join(", ")}` }),
    questions: z.array(questionSchema).max(SURVEY_LIMITS.questions, `At most ${SURVEY_LIMITS.questions} questions`).default([]),
  })
  .superRefine((s, ctx) => {
    if (s.mode === "survey" && s.questions.length === 0) ctx.addIssue({ code: "custom", path: ["questions"], message: "Write at least one question, or choose another kind of feedback" });
    if (s.mode !== "survey" && s.questions.length > 0) ctx.addIssue({ code: "custom", path: ["questions"], message: "Questions belong to the survey: choose “A rating and a short survey”" });
    const ids = s.questions.map((q) => q.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: "custom", path: ["questions"], message: "Each question needs its own id" });
  });

/** A form's stored survey, read leniently: anything unreadable is the default. */
export function surveyOf(stored: unknown): SurveyConfig {
  if (stored === null || stored === undefined) return DEFAULT_SURVEY;
  const parsed = surveyConfigSchema.safeParse(typeof stored === "string" ? safeJson(stored) : stored);
  return parsed.success ? parsed.data : DEFAULT_SURVEY;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The patron's rating (POST /api/chats/:id/rating, and the mailed link's page). */
export const ratingSchema = z.object({
  rating: z
    .number({ message: "Choose a rating" })
    .int("Choose a whole number")
    .min(RATING.lowest, `Choose a rating from ${RATING.lowest} to ${RATING.highest}`)
    .max(RATING.highest, `Choose a rating from ${RATING.lowest} to ${RATING.highest}`),
  comment: optionalText(LIMITS.ratingCommentChars),
  /** Answers to the form's survey questions, by question id: a number for a scale, the option's text for a choice, text for a text question. */
  answers: z.record(z.string().max(8), z.union([z.number(), z.string().max(SURVEY_LIMITS.answerChars * 2)])).optional(),
});
export type RatingBody = z.output<typeof ratingSchema>;

export type SurveyCheck = { ok: true; answers: StoredAnswer[] } | { ok: false; field: string; message: string };

/** Checks a rating's comment and answers against the form's survey; the answers as they are stored. */
export function checkSurveyAnswers(survey: SurveyConfig, body: { comment?: string; answers?: RatingBody["answers"] }): SurveyCheck {
  if (body.comment && !asksComment(survey)) return { ok: false, field: "comment", message: "This form does not ask for a comment" };
  const given = body.answers ?? {};
  const known = new Map(survey.questions.map((q) => [q.id, q]));
  for (const id of Object.keys(given)) if (!known.has(id)) return { ok: false, field: `answers.${id}`, message: "No such question on this form's survey" };
  const answers: StoredAnswer[] = [];
  for (const q of survey.questions) {
    const raw = given[q.id];
    const empty = raw === undefined || (typeof raw === "string" && raw.trim() === "");
    if (empty) {
      if (q.required) return { ok: false, field: `answers.${q.id}`, message: `Answer “${q.text}”` };
      continue;
    }
    const field = `answers.${q.id}`;
    if (q.kind === "scale") {
      if (typeof raw !== "number" || !Number.isInteger(raw) || raw < RATING.lowest || raw > RATING.highest) return { ok: false, field, message: `Choose from ${RATING.lowest} to ${RATING.highest}` };
      answers.push({ question: q, answerNumber: raw, answerText: null });
    } else if (q.kind === "choice") {
      const index = typeof raw === "string" ? q.options.indexOf(raw) : -1;
      if (index < 0) return { ok: false, field, message: "Choose one of the options" };
      answers.push({ question: q, answerNumber: index, answerText: q.options[index]! });
    } else {
      const parsed = text(SURVEY_LIMITS.answerChars).safeParse(typeof raw === "string" ? raw : String(raw));
      if (!parsed.success) return { ok: false, field, message: parsed.error.issues[0]?.message ?? "Not a valid answer" };
      if (parsed.data) answers.push({ question: q, answerNumber: null, answerText: parsed.data });
      else if (q.required) return { ok: false, field, message: `Answer “${q.text}”` };
    }
  }
  return { ok: true, answers };
}
