/**
 * /api/questions — the Ask a Librarian module: lists and search, one
 * question with everything about it, and what librarians do to questions
 * (status changes, follow-up answers, notes, codes, re-sending a failed mail).
 * Every route opens a question through the tenancy gate (src/questions/records.ts).
 */
import { Hono } from "hono";
import type { Librarian } from "../auth/librarian";
import { requireLibrarian } from "../auth/middleware";
import type { AppEnv } from "../http/app-env";
import { notFound } from "../http/errors";
import { assertSameOrigin } from "../http/origins";
import { parseBody, validate } from "../http/validate";
import { libraryTimeZone } from "../libraries/time-zone";
import { addNote, answerQuestion, changeCodes, changeStatus, resendMail } from "../questions/actions";
import { questionDetail } from "../questions/detail";
import { openQuestion } from "../questions/records";
import { questionFilters, searchQuestions } from "../questions/search";
import {
  answerSchema,
  noteSchema,
  questionCodesSchema,
  questionListQuerySchema,
  resendMailSchema,
  transitionSchema,
  type QuestionFilters,
} from "../shared/questions-api";
import { LIBRARIAN, QUESTION_HOME, QUESTION_READER } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, BAD_QUERY, NOT_SIGNED_IN, OTHER_SITE, QUESTION_CHANGED, QUESTION_HOME_ONLY, QUESTION_UNKNOWN, refusal } from "./openapi/refusals";
import { PARAMS, QUESTION_DETAIL } from "./openapi/shapes";

export const questionRoutes = new Hono<AppEnv>();

// Changes ride on the sign-in cookie: only our own pages may ask for them.
questionRoutes.use("*", async (c, next) => {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") assertSameOrigin(c);
  await next();
});

questionRoutes.get("/", documented({
  group: GROUPS.questions,
  summary: "List and search questions",
  description:
    "One page of a list (`new`, `mine`, `pending`, `answered`, `closed`, `all`), searched and filtered; dates are days in the library's time zone. An empty parameter counts as not given.",
  who: LIBRARIAN,
  query: questionListQuerySchema,
  answers: { 200: "`{list, order, page, size, total, pages, counts, questions}`: `counts` how many match in each list, `questions` summaries as in `QuestionDetail.question`." },
  refusals: [NOT_SIGNED_IN, BAD_QUERY],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const query = validate(questionListQuerySchema, c.req.query());
  const timeZone = await libraryTimeZone(c.env.DB, librarian.libraryId);
  if (timeZone === null) throw notFound("Library");
  return c.json(await searchQuestions(c.env.DB, librarian, query, timeZone));
});

/** What the search form offers: the library's librarians and all its codes (hidden ones too, for old questions). */
questionRoutes.get("/filters", documented({
  group: GROUPS.questions,
  summary: "What the search form offers",
  description: "What the search form offers: the library's librarians and all its descriptive codes (hidden ones too, for old questions).",
  who: LIBRARIAN,
  answers: { 200: "`{librarians: [{id, name}], codes: [{code, label, active}]}`." },
  refusals: [NOT_SIGNED_IN],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const body: QuestionFilters = await questionFilters(c.env.DB, librarian.libraryId);
  return c.json(body);
});

questionRoutes.get("/:id", documented({
  group: GROUPS.questions,
  summary: "One question",
  description: "One question with everything about it.",
  who: QUESTION_READER,
  params: PARAMS.questionId,
  answers: { 200: `${QUESTION_DETAIL}.` },
  refusals: [NOT_SIGNED_IN, QUESTION_UNKNOWN],
}), async (c) => {
  const { record, access } = await openQuestion(c.env.DB, requireLibrarian(c), c.req.param("id"), "read");
  return c.json(await questionDetail(c.env.DB, record, access));
});

/** After a change: the question as it now stands, so the page can show it at once. */
async function reread(db: D1Database, librarian: Librarian, questionId: string) {
  const { record, access } = await openQuestion(db, librarian, questionId, "read");
  return questionDetail(db, record, access);
}

questionRoutes.post("/:id/actions", documented({
  group: GROUPS.questions,
  summary: "Change a question's status",
  description:
    "A status change: `assign` (new → pending, to `assigneeId`), `reassign` (pending → pending), `pending` (new → pending), `close`, `reopen` (answered/closed → pending). Actions other than close make the librarian acting the owner when nobody owns the question.",
  who: QUESTION_HOME,
  params: PARAMS.questionId,
  body: transitionSchema,
  answers: { 200: `The question as it now stands: ${QUESTION_DETAIL}.` },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    BAD_BODY,
    QUESTION_UNKNOWN,
    QUESTION_HOME_ONLY,
    refusal(409, "invalid_transition", "The action is not allowed from the question's status (the transitions table, src/shared/question-rules.ts).", "action"),
    refusal(400, "validation_failed", "The assignee is not an enabled librarian of the question's library, or already has the question.", "assigneeId"),
    QUESTION_CHANGED,
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, transitionSchema);
  const { record, access } = await openQuestion(c.env.DB, librarian, c.req.param("id"), body.action);
  await changeStatus(c.env.DB, librarian, record, access, body);
  return c.json(await reread(c.env.DB, librarian, c.req.param("id")));
});

questionRoutes.post("/:id/answer", documented({
  group: GROUPS.questions,
  summary: "Answer a question by e-mail",
  description:
    "Sends the patron a follow-up answer by e-mail (through the durable outbox) and marks the question answered. Send the same `requestId` again and nothing is sent twice.",
  who: QUESTION_READER,
  params: PARAMS.questionId,
  body: answerSchema,
  answers: {
    201: `The question as it now stands plus \`{mailKey, replay: false}\`: ${QUESTION_DETAIL}.`,
    200: "The same, with `replay: true`, when this `requestId` was already recorded.",
  },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    BAD_BODY,
    QUESTION_UNKNOWN,
    refusal(409, "invalid_transition", "The question is closed (reopen it first).", "action"),
    refusal(409, "no_recipient", "The patron left no e-mail address.", "body"),
    QUESTION_CHANGED,
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, answerSchema);
  const { record, access } = await openQuestion(c.env.DB, librarian, c.req.param("id"), "answer");
  const outcome = await answerQuestion(c.env, librarian, record, access, body);
  return c.json({ ...(await reread(c.env.DB, librarian, c.req.param("id"))), mailKey: outcome.mailKey, replay: outcome.replay }, outcome.replay ? 200 : 201);
});

questionRoutes.post("/:id/notes", documented({
  group: GROUPS.questions,
  summary: "Add an internal note",
  description: "Adds an internal note (never shown to the patron).",
  who: QUESTION_READER,
  params: PARAMS.questionId,
  body: noteSchema,
  answers: { 201: `The question as it now stands: ${QUESTION_DETAIL}.` },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, BAD_BODY, QUESTION_UNKNOWN],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, noteSchema);
  const { record } = await openQuestion(c.env.DB, librarian, c.req.param("id"), "note");
  await addNote(c.env.DB, librarian, record, body.body);
  return c.json(await reread(c.env.DB, librarian, c.req.param("id")), 201);
});

questionRoutes.put("/:id/codes", documented({
  group: GROUPS.questions,
  summary: "Change a chat's codes",
  description:
    "Changes the chat's resolution and descriptive codes; the resolution's routing rule decides afresh whether the question is hidden and counted. The status stays.",
  who: QUESTION_HOME,
  params: PARAMS.questionId,
  body: questionCodesSchema,
  answers: { 200: `The question as it now stands: ${QUESTION_DETAIL}.` },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    BAD_BODY,
    QUESTION_UNKNOWN,
    QUESTION_HOME_ONLY,
    refusal(409, "invalid_transition", "The question has no chat session (it was e-mailed), so no codes."),
    refusal(400, "validation_failed", "A newly chosen code is hidden in, or not part of, the library's list (codes the chat already had may stay).", "descriptiveCodes.N"),
    QUESTION_CHANGED,
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, questionCodesSchema);
  const { record, access } = await openQuestion(c.env.DB, librarian, c.req.param("id"), "codes");
  await changeCodes(c.env.DB, librarian, record, access, body);
  return c.json(await reread(c.env.DB, librarian, c.req.param("id")));
});

questionRoutes.post("/:id/mails/resend", documented({
  group: GROUPS.questions,
  summary: "Send a failed mail again",
  description: "Sends a mail about the question that failed again (its attempts start over). A sent mail is never sent twice.",
  who: QUESTION_READER,
  params: PARAMS.questionId,
  body: resendMailSchema,
  answers: { 200: `The question as it now stands: ${QUESTION_DETAIL}.` },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    BAD_BODY,
    QUESTION_UNKNOWN,
    refusal(404, "not_found", "No mail with this `eventKey` belongs to the question."),
    refusal(409, "invalid_transition", "The mail was sent already, or is still being sent.", "eventKey"),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, resendMailSchema);
  const { record } = await openQuestion(c.env.DB, librarian, c.req.param("id"), "resend_mail");
  await resendMail(c.env, librarian, record, body.eventKey);
  return c.json(await reread(c.env.DB, librarian, c.req.param("id")));
});
