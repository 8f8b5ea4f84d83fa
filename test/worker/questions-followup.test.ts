/**
 * The follow-up answer: recorded in the history, the status changed, the mail
 * queued through the outbox and sent by the real queue consumer through the
 * real send_email binding — read back with postal-mime from the exact MIME
 * handed to the binding. And every bad follow-up is refused, changing nothing.
 */
import { env } from "cloudflare:test";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { followupMailKey } from "../../src/mail/followup-mail";
import { LIMITS } from "../../src/shared/limits";
import type { QuestionDetail } from "../../src/shared/questions-api";
import { call } from "./helpers";
import { api, asRef, eventCount, fileQuestion, getQuestion, homeLibrary, mailReaches, questionRow, type ErrorBody } from "./question-fixtures";

const home = await homeLibrary({ name: "Springfield Public Library", contactEmail: "ask@springfield.test", timeZone: "America/Chicago" });
await env.DB.prepare("UPDATE libraries SET mail_sender_name = ? WHERE id = ?").bind("Springfield Answers", home.library.id).run();

const answer = (questionId: string, json: unknown, cookie = home.cookie) =>
  api<QuestionDetail & ErrorBody & { mailKey: string; replay: boolean }>(`/api/questions/${questionId}/answer`, cookie, { json });

const outboxFor = async (questionId: string) =>
  (await env.DB.prepare("SELECT event_key, status FROM mail_outbox WHERE question_id = ? ORDER BY event_key").bind(questionId).all<{ event_key: string; status: string }>()).results;

async function pendingQuestion(extra: Parameters<typeof fileQuestion>[1] = {}) {
  return fileQuestion(home.library.id, {
    resolution: "followup_by_me",
    librarian: asRef(home.librarian),
    patronName: "Ada <b>Patron</b>",
    patronEmail: "ada@patron.test",
    question: "Do you have the 1880 census for Ohio?",
    lines: [
      { role: "patron", body: "Cuyahoga County, please." },
      { role: "librarian", body: "Let me check our microfilm and get back to you." },
    ],
    ...extra,
  });
}

describe("answering a question", () => {
  it("records the answer, marks the question answered and mails the patron: text and HTML, transcript quoted, the library's name and reply-to", async () => {
    const { questionId } = await pendingQuestion();
    const requestId = crypto.randomUUID();
    const body = "We have the 1880 schedules on microfilm: <script>alert(1)</script>\n\nAsk at the second-floor desk.";
    const res = await answer(questionId, { body, requestId });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.question.status).toBe("answered");
    const event = res.body.events.at(-1)!;
    expect(event).toMatchObject({ action: "answer", actor: { id: home.librarian.id, name: "Lisa" }, summary: "sent a follow-up answer (Pending → Answered)." });
    expect(res.body.mailKey).toBe(followupMailKey(questionId, event.id));
    expect(res.body.mails.find((m) => m.eventKey === res.body.mailKey)).toMatchObject({ kind: "followup", to: "ada@patron.test" });

    // The real consumer sends it; the row keeps the exact MIME handed to the binding.
    const row = await mailReaches(res.body.mailKey, "sent");
    expect(row.attempts).toBe(1);
    const mail = await PostalMime.parse(String(row.raw_message));
    expect(mail.from).toMatchObject({ address: env.MAIL_FROM, name: "Springfield Answers" });
    expect(mail.to?.[0]?.address).toBe("ada@patron.test");
    expect(mail.replyTo?.[0]?.address).toBe("ask@springfield.test");
    expect(mail.subject).toBe("An answer from Springfield Public Library: Do you have the 1880 census for Ohio?");
    expect(mail.text).toContain("We have the 1880 schedules on microfilm: <script>alert(1)</script>");
    expect(mail.text).toContain("— Lisa, Springfield Public Library");
    expect(mail.text).toContain("If you have more questions, reply to this e-mail.");
    expect(mail.text).toMatch(/^> \[.+\] Ada <b>Patron<\/b>: Cuyahoga County, please\.$/m);
    expect(mail.text).toMatch(/^> \[.+\] Lisa: Let me check our microfilm and get back to you\.$/m);
    expect(mail.html).toContain("<blockquote");
    expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("Ada &lt;b&gt;Patron&lt;/b&gt;");
    expect(mail.html).toContain("Let me check our microfilm");

    // The page shows it sent.
    const detail = await getQuestion(questionId, home.cookie);
    expect(detail.body.mails.find((m) => m.eventKey === res.body.mailKey)).toMatchObject({ status: "sent", attempts: 1, lastError: null });
  });

  it("mails the answer clean, and names stored before they were cleaned arrive clean and isolated", async () => {
    const FSI = "\u2068";
    const PDI = "\u2069";
    // Filed as older data could be: the name and a line still carry an override and a zero-width space.
    const { questionId } = await pendingQuestion({ patronName: "\u202Eדוד\u200B", lines: [{ role: "patron", body: "Thanks\u202E!\u200B" }] });
    const res = await answer(questionId, { body: "\u202EThe reels\u2066 are\u200B in.\u2069", requestId: crypto.randomUUID() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const mail = await PostalMime.parse(String((await mailReaches(res.body.mailKey, "sent")).raw_message));
    const text = mail.text ?? "";
    expect(text).toContain(`Hello ${FSI}דוד${PDI},`);
    expect(text).toContain("\nThe reels are in.\n");
    expect(text).toMatch(new RegExp(`^> \\[[^\\]]+ · Patron\\] ${FSI}דוד${PDI}: Thanks!$`, "m"));
    expect(text.replaceAll(`${FSI}דוד${PDI}`, "")).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b]/);
    const html = mail.html ?? "";
    expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b]/);
    expect(html).toContain("Hello <bdi>דוד</bdi>,");
    expect(html).toContain("<p>The reels are in.</p>");
    expect(html).toContain("— <bdi>Lisa</bdi>, <bdi>Springfield Public Library</bdi>");
  });

  it("sends one answer once, however often the same request arrives", async () => {
    const { questionId } = await pendingQuestion();
    const json = { body: "The answer, once.", requestId: crypto.randomUUID() };
    const first = await answer(questionId, json);
    expect(first.status).toBe(201);
    const events = await eventCount(questionId);
    const again = await answer(questionId, json);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replay: true, mailKey: first.body.mailKey });
    expect(await eventCount(questionId)).toBe(events);
    expect((await outboxFor(questionId)).filter((m) => m.event_key.startsWith("followup:"))).toHaveLength(1);
    // A second, different answer to an answered question is its own event and mail.
    const more = await answer(questionId, { body: "One more thing: the microfilm reader is on floor 2." });
    expect(more.status).toBe(201);
    expect(more.body.mailKey).not.toBe(first.body.mailKey);
    expect((await outboxFor(questionId)).filter((m) => m.event_key.startsWith("followup:"))).toHaveLength(2);
  });

  it("leaves the transcript out of the mail when the patron asked for no transcript", async () => {
    const { questionId } = await pendingQuestion({ transcriptOptOut: true });
    const res = await answer(questionId, { body: "Yes, we have it." });
    const mail = await PostalMime.parse(String((await mailReaches(res.body.mailKey, "sent")).raw_message));
    expect(mail.text).toContain("Yes, we have it.");
    expect(mail.text).toContain("Your question of");
    expect(mail.text).not.toContain("Let me check our microfilm");
    expect(mail.html).not.toContain("<blockquote");
  });

  it("answers a question the patron left by e-mail while chat was unavailable", async () => {
    const { questionId } = await fileQuestion(home.library.id, { source: "email", patronEmail: "grace@patron.test", question: "Is the 1950 city directory online?" });
    expect((await questionRow(questionId)).status).toBe("new");
    const res = await answer(questionId, { body: "Yes: see the digital collections page." });
    expect(res.status).toBe(201);
    expect(res.body.question).toMatchObject({ status: "answered", assignee: { id: home.librarian.id } });
    const mail = await PostalMime.parse(String((await mailReaches(res.body.mailKey, "sent")).raw_message));
    expect(mail.to?.[0]?.address).toBe("grace@patron.test");
    expect(mail.text).toContain("Is the 1950 city directory online?");
  });
});

describe("a bad follow-up changes nothing", () => {
  async function unchanged(questionId: string, attempt: () => Promise<{ status: number; body: ErrorBody }>, status: number, code: string, field?: string) {
    const before = await questionRow(questionId);
    const events = await eventCount(questionId);
    const mails = await outboxFor(questionId);
    const res = await attempt();
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    if (field) expect(res.body.error.field).toBe(field);
    expect(res.body.error.message.length).toBeGreaterThan(10);
    expect(await questionRow(questionId)).toEqual(before);
    expect(await eventCount(questionId)).toBe(events);
    expect(await outboxFor(questionId)).toEqual(mails);
    return res.body.error;
  }

  it("refuses an empty answer, and one too long", async () => {
    const { questionId } = await pendingQuestion();
    const empty = await unchanged(questionId, () => answer(questionId, { body: "   \n " }), 400, "validation_failed", "body");
    expect(empty.message).toContain("Write the answer");
    await unchanged(questionId, () => answer(questionId, {}), 400, "validation_failed", "body");
    await unchanged(questionId, () => answer(questionId, { body: "x".repeat(LIMITS.followupChars + 1) }), 400, "validation_failed", "body");
    await unchanged(questionId, () => answer(questionId, { body: "Fine", requestId: "not-a-uuid" }), 400, "validation_failed", "requestId");
  });

  it("refuses an answer to a patron who left no e-mail address, and says so on the page", async () => {
    const { questionId } = await pendingQuestion({ patronEmail: null });
    const error = await unchanged(questionId, () => answer(questionId, { body: "Here you go." }), 409, "no_recipient");
    expect(error.message).toContain("no e-mail address");
    const detail = await getQuestion(questionId, home.cookie);
    expect(detail.body.viewer).toMatchObject({ canAnswer: false, answerBlocked: error.message });
  });

  it("refuses an answer to a closed question: reopen it first", async () => {
    const { questionId } = await fileQuestion(home.library.id, { resolution: "lost_call", patronEmail: "ada@patron.test" });
    const error = await unchanged(questionId, () => answer(questionId, { body: "Late answer" }), 409, "invalid_transition", "action");
    expect(error.message).toContain("Reopen it first");
  });

  it("refuses a body that is not JSON", async () => {
    const { questionId } = await pendingQuestion();
    await unchanged(
      questionId,
      async () => {
        const res = await call(`/api/questions/${questionId}/answer`, { method: "POST", cookie: home.cookie, headers: { "Content-Type": "application/json" }, body: "{nope" });
        return { status: res.status, body: (await res.json()) as ErrorBody };
      },
      400,
      "bad_json",
    );
  });
});

describe("internal notes", () => {
  it("are kept with the question and its history, never mailed, and must say something", async () => {
    const { questionId } = await pendingQuestion();
    const mails = await outboxFor(questionId);
    const empty = await api<ErrorBody>(`/api/questions/${questionId}/notes`, home.cookie, { json: { body: "" } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe("body");
    const res = await api<QuestionDetail>(`/api/questions/${questionId}/notes`, home.colleagueCookie, { json: { body: "Patron called too; microfilm reel 14." } });
    expect(res.status).toBe(201);
    expect(res.body.notes).toEqual([expect.objectContaining({ author: { id: home.colleague.id, name: "Bart" }, body: "Patron called too; microfilm reel 14." })]);
    expect(res.body.events.at(-1)).toMatchObject({ action: "note", summary: "added an internal note." });
    expect(await outboxFor(questionId)).toEqual(mails);
  });
});
