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
import { addNote, answerQuestion, changeCodes, changeStatus, resendMail } from "../questions/actions";
import { questionDetail } from "../questions/detail";
import { openQuestion } from "../questions/records";
import { searchQuestions } from "../questions/search";
import {
  answerSchema,
  noteSchema,
  questionCodesSchema,
  questionListQuerySchema,
  resendMailSchema,
  transitionSchema,
  type QuestionFilters,
} from "../shared/questions-api";

export const questionRoutes = new Hono<AppEnv>();

// Changes ride on the sign-in cookie: only our own pages may ask for them.
questionRoutes.use("*", async (c, next) => {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") assertSameOrigin(c);
  await next();
});

questionRoutes.get("/", async (c) => {
  const librarian = requireLibrarian(c);
  const query = validate(questionListQuerySchema, c.req.query());
  const library = await c.env.DB.prepare("SELECT time_zone FROM libraries WHERE id = ?").bind(librarian.libraryId).first<{ time_zone: string }>();
  if (!library) throw notFound("Library");
  return c.json(await searchQuestions(c.env.DB, librarian, query, library.time_zone));
});

/** What the search form offers: the library's librarians and all its codes (hidden ones too, for old questions). */
questionRoutes.get("/filters", async (c) => {
  const librarian = requireLibrarian(c);
  const [librarians, codes] = await c.env.DB.batch<{ id: string; display_name: string } | { code: string; label: string; active: number }>([
    c.env.DB.prepare("SELECT id, display_name FROM librarians WHERE library_id = ? ORDER BY display_name").bind(librarian.libraryId),
    c.env.DB.prepare("SELECT code, label, active FROM descriptive_codes WHERE library_id = ? ORDER BY position, id").bind(librarian.libraryId),
  ]);
  const body: QuestionFilters = {
    librarians: (librarians!.results as { id: string; display_name: string }[]).map((l) => ({ id: l.id, name: l.display_name })),
    codes: (codes!.results as { code: string; label: string; active: number }[]).map((r) => ({ code: r.code, label: r.label, active: r.active === 1 })),
  };
  return c.json(body);
});

questionRoutes.get("/:id", async (c) => {
  const { record, access } = await openQuestion(c.env.DB, requireLibrarian(c), c.req.param("id"), "read");
  return c.json(await questionDetail(c.env.DB, record, access));
});

/** After a change: the question as it now stands, so the page can show it at once. */
async function reread(db: D1Database, librarian: Librarian, questionId: string) {
  const { record, access } = await openQuestion(db, librarian, questionId, "read");
  return questionDetail(db, record, access);
}

questionRoutes.post("/:id/actions", async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, transitionSchema);
  const { record, access } = await openQuestion(c.env.DB, librarian, c.req.param("id"), body.action);
  await changeStatus(c.env.DB, librarian, record, access, body);
  return c.json(await reread(c.env.DB, librarian, c.req.param("id")));
});

questionRoutes.post("/:id/answer", async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, answerSchema);
  const { record, access } = await openQuestion(c.env.DB, librarian, c.req.param("id"), "answer");
  const outcome = await answerQuestion(c.env, librarian, record, access, body);
  return c.json({ ...(await reread(c.env.DB, librarian, c.req.param("id"))), mailKey: outcome.mailKey, replay: outcome.replay }, outcome.replay ? 200 : 201);
});

questionRoutes.post("/:id/notes", async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, noteSchema);
  const { record } = await openQuestion(c.env.DB, librarian, c.req.param("id"), "note");
  await addNote(c.env.DB, librarian, record, body.body);
  return c.json(await reread(c.env.DB, librarian, c.req.param("id")), 201);
});

questionRoutes.put("/:id/codes", async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, questionCodesSchema);
  const { record, access } = await openQuestion(c.env.DB, librarian, c.req.param("id"), "codes");
  await changeCodes(c.env.DB, librarian, record, access, body);
  return c.json(await reread(c.env.DB, librarian, c.req.param("id")));
});

questionRoutes.post("/:id/mails/resend", async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, resendMailSchema);
  const { record } = await openQuestion(c.env.DB, librarian, c.req.param("id"), "resend_mail");
  await resendMail(c.env, librarian, record, body.eventKey);
  return c.json(await reread(c.env.DB, librarian, c.req.param("id")));
});
