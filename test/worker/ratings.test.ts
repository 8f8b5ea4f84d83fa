/**
 * Ratings and surveys: each form says what the patron is asked after the chat
 * (off, a rating, a rating and a comment, or a rating and up to five questions
 * of the library's own); the server checks every answer against it and keeps
 * the answers in plain rows. The transcript mail carries a one-use link to
 * rate later. Librarians see the rating on the question; administrators in
 * their list.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { transcriptMailKey } from "../../src/questions/file-session";
import type { SurveyConfig } from "../../src/shared/survey";
import { activeChat, call, countRows, createLibrarian, endChat, signIn } from "./helpers";
import { getQuestion } from "./question-fixtures";

type ErrorBody = { error: { code: string; message: string; field?: string } };

const SURVEY: SurveyConfig = {
  mode: "survey",
  questions: [
    { id: "q1", text: "Did you find what you needed?", kind: "choice", options: ["Yes", "Partly", "No"], required: true },
    { id: "q2", text: "How easy was the chat?", kind: "scale", options: [], required: false },
    { id: "q3", text: "Anything else?", kind: "text", options: [], required: false },
  ],
};

/** An answered chat, ended, its form asking `survey` (the default when left out). */
async function endedChat(survey?: SurveyConfig, patron: Record<string, unknown> = {}) {
  const chat = await activeChat({ patron });
  const admin = await signIn(await createLibrarian(chat.library.id, "Admin", "library_admin"));
  if (survey) {
    const res = await call(`/api/admin/forms/${chat.formId}/survey`, { method: "PUT", cookie: admin, json: survey });
    expect(res.status, await res.clone().text()).toBe(200);
  }
  const ended = await endChat(chat.chat.sessionId, chat.cookie, { resolution: "answered" });
  expect(ended.status, await ended.clone().text()).toBe(200);
  const rate = (json: unknown) => call(`/api/chats/${chat.chat.sessionId}/rating`, { method: "POST", json, headers: { Authorization: `Bearer ${chat.chat.token}` } });
  return { ...chat, admin, rate };
}

const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;

describe("what a form asks after the chat", () => {
  it("is a rating and a comment to begin with, and its administrators may change it; bad surveys change nothing", async () => {
    const chat = await activeChat();
    const admin = await signIn(await createLibrarian(chat.library.id, "Admin", "library_admin"));
    const get = async () => ((await (await call(`/api/admin/forms/${chat.formId}/survey`, { cookie: admin })).json()) as { survey: SurveyConfig }).survey;
    expect(await get()).toEqual({ mode: "rating_comment", questions: [] });

    const bad: [unknown, string][] = [
      [{ mode: "survey", questions: [] }, "questions"],
      [{ mode: "rating", questions: SURVEY.questions }, "questions"],
      [{ mode: "survey", questions: [{ id: "q1", text: "Pick", kind: "choice", options: ["Only one"] }] }, "questions.0.options"],
      [{ mode: "survey", questions: [{ id: "q1", text: "Scale", kind: "scale", options: ["x", "y"] }] }, "questions.0.options"],
      [{ mode: "survey", questions: Array.from({ length: 6 }, (_, i) => ({ id: `q${i + 1}`, text: `Q${i}`, kind: "text" })) }, "questions"],
      [{ mode: "survey", questions: [{ id: "q1", text: "A", kind: "text" }, { id: "q1", text: "B", kind: "text" }] }, "questions"],
      [{ mode: "survey", questions: [{ id: "q1", text: "", kind: "text" }] }, "questions.0.text"],
      [{ mode: "sometimes" }, "mode"],
    ];
    for (const [json, field] of bad) {
      const res = await call(`/api/admin/forms/${chat.formId}/survey`, { method: "PUT", cookie: admin, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect((await errorOf(res)).field, JSON.stringify(json)).toBe(field);
    }
    expect((await call(`/api/admin/forms/${chat.formId}/survey`, { method: "PUT", cookie: chat.cookie, json: SURVEY })).status).toBe(403);
    expect(await get()).toEqual({ mode: "rating_comment", questions: [] });

    expect((await call(`/api/admin/forms/${chat.formId}/survey`, { method: "PUT", cookie: admin, json: SURVEY })).status).toBe(200);
    expect(await get()).toEqual(SURVEY);
    expect(await countRows("SELECT 1 FROM audit_log WHERE target_id = ? AND action = 'form.updated'", chat.formId)).toBe(1);
  });
});

describe("the patron's rating", () => {
  it("with a form asking nothing, is refused", async () => {
    const chat = await endedChat({ mode: "off", questions: [] });
    const survey = await call(`/api/chats/${chat.chat.sessionId}/survey`, { headers: { Authorization: `Bearer ${chat.chat.token}` } });
    expect(await survey.json()).toEqual({ survey: { mode: "off", questions: [] } });
    const res = await chat.rate({ rating: 5 });
    expect(res.status).toBe(409);
    expect(await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND rating IS NOT NULL", chat.chat.sessionId)).toBe(0);
  });

  it("with a rating only, refuses a comment and stores the score", async () => {
    const chat = await endedChat({ mode: "rating", questions: [] });
    const withComment = await chat.rate({ rating: 4, comment: "Lovely" });
    expect(withComment.status).toBe(400);
    expect((await errorOf(withComment)).field).toBe("comment");
    expect((await chat.rate({ rating: 4 })).status).toBe(200);
    expect(await env.DB.prepare("SELECT rating, rating_comment FROM chat_sessions WHERE id = ?").bind(chat.chat.sessionId).first()).toEqual({ rating: 4, rating_comment: null });
  });

  it("with a survey, checks each answer against its question and keeps them in plain rows; rating again replaces them", async () => {
    const chat = await endedChat(SURVEY);
    const refused: [Record<string, unknown>, string][] = [
      [{ rating: 5 }, "answers.q1"],
      [{ rating: 5, answers: { q1: "Maybe" } }, "answers.q1"],
      [{ rating: 5, answers: { q1: "Yes", q2: 9 } }, "answers.q2"],
      [{ rating: 5, answers: { q1: "Yes", q9: "x" } }, "answers.q9"],
      [{ rating: 5, comment: "No comments here", answers: { q1: "Yes" } }, "comment"],
      [{ rating: 0, answers: { q1: "Yes" } }, "rating"],
    ];
    for (const [json, field] of refused) {
      const res = await chat.rate(json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect((await errorOf(res)).field, JSON.stringify(json)).toBe(field);
    }
    expect(await countRows("SELECT 1 FROM survey_answers WHERE session_id = ?", chat.chat.sessionId)).toBe(0);

    expect((await chat.rate({ rating: 5, answers: { q1: "Partly", q2: 4, q3: "The links were great." } })).status).toBe(200);
    const rows = await env.DB.prepare("SELECT question_id, question, kind, answer_number, answer_text, library_id, form_id FROM survey_answers WHERE session_id = ? ORDER BY question_id").bind(chat.chat.sessionId).all();
    expect(rows.results).toEqual([
      { question_id: "q1", question: "Did you find what you needed?", kind: "choice", answer_number: 1, answer_text: "Partly", library_id: chat.library.id, form_id: chat.formId },
      { question_id: "q2", question: "How easy was the chat?", kind: "scale", answer_number: 4, answer_text: null, library_id: chat.library.id, form_id: chat.formId },
      { question_id: "q3", question: "Anything else?", kind: "text", answer_number: null, answer_text: "The links were great.", library_id: chat.library.id, form_id: chat.formId },
    ]);
    expect((await chat.rate({ rating: 3, answers: { q1: "No" } })).status).toBe(200);
    expect(await countRows("SELECT 1 FROM survey_answers WHERE session_id = ?", chat.chat.sessionId)).toBe(1);
    expect(await env.DB.prepare("SELECT rating FROM chat_sessions WHERE id = ?").bind(chat.chat.sessionId).first()).toEqual({ rating: 3 });
  });

  it("shows on the question and its transcript for librarians, and in the administrators' list", async () => {
    const chat = await endedChat(SURVEY);
    expect((await chat.rate({ rating: 4, answers: { q1: "Yes", q3: "Quick and kind." } })).status).toBe(200);
    const question = await getQuestion(`q-${chat.chat.sessionId}`, chat.cookie);
    expect(question.body.question.rating).toBe(4);
    expect(question.body.session?.rating).toMatchObject({
      score: 4,
      comment: null,
      answers: [
        { questionId: "q1", question: "Did you find what you needed?", kind: "choice", answer: "Yes" },
        { questionId: "q3", question: "Anything else?", kind: "text", answer: "Quick and kind." },
      ],
    });
    const listed = (await (await call("/api/questions?list=all", { cookie: chat.cookie })).json()) as { questions: { id: string; rating: number | null }[] };
    expect(listed.questions.find((q) => q.id === `q-${chat.chat.sessionId}`)?.rating).toBe(4);

    const ratings = await call(`/api/admin/libraries/${chat.library.id}/ratings?days=7`, { cookie: chat.admin });
    expect(ratings.status).toBe(200);
    expect(await ratings.json()).toMatchObject({ days: 7, count: 1, average: 4, ratings: [{ sessionId: chat.chat.sessionId, questionId: `q-${chat.chat.sessionId}`, score: 4, librarianName: "Librarian 1" }] });
    expect((await call(`/api/admin/libraries/${chat.library.id}/ratings`, { cookie: chat.cookie })).status).toBe(403);
    expect((await call(`/api/admin/libraries/${chat.library.id}/ratings?days=0`, { cookie: chat.admin })).status).toBe(400);
  });
});

describe("the one-use rating link in the transcript mail", () => {
  /** The link's token, read from the stored mail. */
  async function linkOf(sessionId: string): Promise<string | null> {
    const row = await env.DB.prepare("SELECT text_body, html_body FROM mail_outbox WHERE event_key = ?").bind(transcriptMailKey(sessionId)).first<{ text_body: string; html_body: string }>();
    expect(row, "the transcript mail").toBeTruthy();
    const m = /https:\/\/refdesk\.test\/rate\/([A-Za-z0-9_-]+)/.exec(row!.text_body);
    if (m) expect(row!.html_body).toContain(`/rate/${m[1]}`);
    return m?.[1] ?? null;
  }
  const page = (token: string) => call(`/rate/${token}`, { headers: { Accept: "text/html" } });
  const submit = (token: string, fields: Record<string, string>) =>
    call(`/rate/${token}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html" }, body: new URLSearchParams(fields).toString() });

  it("rates once: the form, a wrong answer shown at its field (the link still good), the rating stored, then the link used up", async () => {
    const chat = await endedChat(SURVEY, { email: "rater@patron.test" });
    const token = await linkOf(chat.chat.sessionId);
    expect(token).toBeTruthy();
    expect(await countRows("SELECT 1 FROM rating_links WHERE session_id = ? AND used_at IS NULL", chat.chat.sessionId)).toBe(1);
    // Only the digest is stored.
    expect(await countRows("SELECT 1 FROM rating_links WHERE token_hash = ?", token)).toBe(0);

    const form = await page(token!);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain("Did you find what you needed?");
    expect(html).toContain('name="answers.q1"');

    const wrong = await submit(token!, { rating: "5" });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/aria-invalid="true" aria-describedby="f-answers-q1-error"/);
    expect(await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND rating IS NOT NULL", chat.chat.sessionId)).toBe(0);

    const done = await submit(token!, { rating: "5", "answers.q1": "Yes", "answers.q2": "5", "answers.q3": "Thanks!" });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Thank you");
    expect(await env.DB.prepare("SELECT rating FROM chat_sessions WHERE id = ?").bind(chat.chat.sessionId).first()).toEqual({ rating: 5 });
    expect(await countRows("SELECT 1 FROM survey_answers WHERE session_id = ?", chat.chat.sessionId)).toBe(3);

    // Used once: the page and a second post say so, and nothing changes.
    expect((await page(token!)).status).toBe(410);
    const again = await submit(token!, { rating: "1", "answers.q1": "No" });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("already been used");
    expect(await env.DB.prepare("SELECT rating FROM chat_sessions WHERE id = ?").bind(chat.chat.sessionId).first()).toEqual({ rating: 5 });
  });

  it("stores one rating when the link is used twice at once", async () => {
    const chat = await endedChat(undefined, { email: "twice@patron.test" });
    const token = (await linkOf(chat.chat.sessionId))!;
    const [a, b] = await Promise.all([submit(token, { rating: "2", comment: "first" }), submit(token, { rating: "4", comment: "second" })]);
    expect([a.status, b.status].sort()).toEqual([200, 410]);
    const row = await env.DB.prepare("SELECT rating, rating_comment FROM chat_sessions WHERE id = ?").bind(chat.chat.sessionId).first<{ rating: number; rating_comment: string }>();
    expect([{ rating: 2, rating_comment: "first" }, { rating: 4, rating_comment: "second" }]).toContainEqual(row);
  });

  it("refuses a link that is unknown or has expired, and mails none when the form asks nothing", async () => {
    const chat = await endedChat(undefined, { email: "late@patron.test" });
    const token = (await linkOf(chat.chat.sessionId))!;
    expect((await page("not-a-real-token-at-all-0000")).status).toBe(404);
    await env.DB.prepare("UPDATE rating_links SET expires_at = ? WHERE session_id = ?").bind(Date.now() - 1, chat.chat.sessionId).run();
    expect((await page(token)).status).toBe(410);
    expect((await submit(token, { rating: "5" })).status).toBe(410);
    expect(await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND rating IS NOT NULL", chat.chat.sessionId)).toBe(0);

    const quiet = await endedChat({ mode: "off", questions: [] }, { email: "quiet@patron.test" });
    expect(await linkOf(quiet.chat.sessionId)).toBeNull();
    expect(await countRows("SELECT 1 FROM rating_links WHERE session_id = ?", quiet.chat.sessionId)).toBe(0);
  });
});
