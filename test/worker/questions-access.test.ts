/**
 * Tenancy of the module: only librarians of the home library see a question,
 * plus the cooperative librarian for their own "Followup By Me" question.
 * Every other attempt is answered exactly like a question that does not
 * exist, changes nothing, and is logged (console and access_denials).
 */
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { QuestionDetail, QuestionListResponse } from "../../src/shared/questions-api";
import { call, createLibrarian, createLibrary, signIn } from "./helpers";
import { api, asRef, cooperative, eventCount, fileQuestion, getQuestion, homeLibrary, partnerServes, questionRow, type ErrorBody } from "./question-fixtures";

afterEach(() => vi.restoreAllMocks());

const denials = async (librarianId: string) =>
  (await env.DB.prepare("SELECT resource, resource_id, action FROM access_denials WHERE librarian_id = ? ORDER BY id").bind(librarianId).all<Record<string, string>>()).results;

async function outsider() {
  const library = await createLibrary({ name: "Elsewhere Library" });
  const librarian = await createLibrarian(library.id, "Outsider", "library_admin");
  return { librarian, cookie: await signIn(librarian) };
}

describe("a librarian of another library", () => {
  it("is told a question does not exist, exactly as for one that does not, and the refusal is logged", async () => {
    const home = await homeLibrary();
    const { questionId } = await fileQuestion(home.library.id, { patronEmail: "ada@patron.test", question: "A private question about my account" });
    const { librarian, cookie } = await outsider();
    const warn = vi.spyOn(console, "warn");

    const refused = await getQuestion(questionId, cookie);
    const missing = await getQuestion(`q-${crypto.randomUUID()}`, cookie);
    expect(refused.status).toBe(404);
    expect(refused).toEqual(missing);
    expect(refused.body).toEqual({ error: { code: "not_found", message: "Question not found." } });

    expect(await denials(librarian.id)).toEqual([{ resource: "question", resource_id: questionId, action: "read" }]);
    const logged = warn.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>);
    expect(logged).toContainEqual(expect.objectContaining({ event: "access_refused", resource: "question", resourceId: questionId, librarianId: librarian.id }));

    // The home library's librarian sees it.
    expect((await getQuestion(questionId, home.cookie)).status).toBe(200);
  });

  it("never finds another library's questions in any list or search", async () => {
    const home = await homeLibrary();
    const marker = `zebra-${crypto.randomUUID().slice(0, 8)}`;
    await fileQuestion(home.library.id, { question: `Books about ${marker}`, patronEmail: "ada@patron.test" });
    const { cookie } = await outsider();
    const theirs = await api<QuestionListResponse>(`/api/questions?list=all&hidden=include&q=${marker}`, cookie);
    expect(theirs.status).toBe(200);
    expect(theirs.body.total).toBe(0);
    expect(Object.values(theirs.body.counts).every((n) => n === 0)).toBe(true);
    const ours = await api<QuestionListResponse>(`/api/questions?list=all&q=${marker}`, home.cookie);
    expect(ours.body.total).toBe(1);
  });

  it("cannot answer, note, recode, re-send or change the status of another library's question: 404, nothing changes", async () => {
    const home = await homeLibrary();
    const { questionId } = await fileQuestion(home.library.id, { patronEmail: "ada@patron.test" });
    const { librarian, cookie } = await outsider();
    const before = await questionRow(questionId);
    const events = await eventCount(questionId);
    const mails = async () => (await env.DB.prepare("SELECT * FROM mail_outbox WHERE question_id = ?").bind(questionId).all()).results.map((m) => m.event_key);
    const mailsBefore = await mails();

    const attempts: [string, string, unknown, string][] = [
      ["POST", "answer", { body: "Not yours to answer" }, "answer"],
      ["POST", "notes", { body: "Snooping" }, "note"],
      ["PUT", "codes", { resolution: "spam", descriptiveCodes: [] }, "codes"],
      ["POST", "mails/resend", { eventKey: `transcript:${questionId}` }, "resend_mail"],
      ["POST", "actions", { action: "close" }, "close"],
      ["POST", "actions", { action: "assign", assigneeId: librarian.id }, "assign"],
    ];
    for (const [method, path, json] of attempts) {
      const res = await api<ErrorBody>(`/api/questions/${questionId}/${path}`, cookie, { method, json });
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    expect(await questionRow(questionId)).toEqual(before);
    expect(await eventCount(questionId)).toBe(events);
    expect(await mails()).toEqual(mailsBefore);
    expect((await denials(librarian.id)).map((d) => d.action)).toEqual(attempts.map((a) => a[3]));
  });
});

describe("the cooperative librarian", () => {
  it("follows up their own Followup By Me question — answer and notes — but leaves status, owner and codes to the home library", async () => {
    const coop = await cooperative();
    const { questionId } = await partnerServes(coop, "followup_by_me");
    const before = await questionRow(questionId);

    for (const json of [{ action: "close" }, { action: "reassign", assigneeId: coop.librarian.id }]) {
      const res = await api<ErrorBody>(`/api/questions/${questionId}/actions`, coop.partnerCookie, { json });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain("Home Library");
    }
    const recode = await api<ErrorBody>(`/api/questions/${questionId}/codes`, coop.partnerCookie, { method: "PUT", json: { resolution: "answered", descriptiveCodes: [] } });
    expect(recode.status).toBe(403);
    expect(await questionRow(questionId)).toEqual(before);

    const note = await api<QuestionDetail>(`/api/questions/${questionId}/notes`, coop.partnerCookie, { json: { body: "Checking the county archive." } });
    expect(note.status).toBe(201);
    const answer = await api<QuestionDetail>(`/api/questions/${questionId}/answer`, coop.partnerCookie, { json: { body: "The county archive has the 1880 schedules." } });
    expect(answer.status).toBe(201);
    expect(answer.body.question).toMatchObject({ status: "answered", assignee: { id: coop.partner.id } });
    // Still theirs to see once answered.
    expect((await getQuestion(questionId, coop.partnerCookie)).status).toBe(200);
  });

  it("loses sight of the question once the home library reassigns it, and a colleague of theirs never had it", async () => {
    const coop = await cooperative();
    const { questionId } = await partnerServes(coop, "followup_by_me");
    const colleague = await createLibrarian(coop.partnerLibrary.id, "Partner Colleague");
    expect((await getQuestion(questionId, await signIn(colleague))).status).toBe(404);

    const reassigned = await api<QuestionDetail>(`/api/questions/${questionId}/actions`, coop.cookie, { json: { action: "reassign", assigneeId: coop.librarian.id } });
    expect(reassigned.status).toBe(200);
    expect((await getQuestion(questionId, coop.partnerCookie)).status).toBe(404);
    const mine = await api<QuestionListResponse>("/api/questions?list=mine", coop.partnerCookie);
    expect(mine.body.questions.map((q) => q.id)).not.toContain(questionId);
  });

  it("sees the question because they served the chat — owning a question of another library is not enough", async () => {
    const home = await homeLibrary();
    const partnerLibrary = await createLibrary();
    const partner = await createLibrarian(partnerLibrary.id, "Pat");
    // Filed as Followup By Me by a home librarian, then (by some data fix) owned by an outsider who never chatted.
    const { questionId } = await fileQuestion(home.library.id, { resolution: "followup_by_me", librarian: asRef(home.librarian) });
    await env.DB.prepare("UPDATE questions SET assigned_to = ? WHERE id = ?").bind(partner.id, questionId).run();
    expect((await getQuestion(questionId, await signIn(partner))).status).toBe(404);
  });
});

describe("without signing in, or from another site", () => {
  it("asks to sign in (401 for the API, the sign-in page for the module)", async () => {
    expect((await call("/api/questions")).status).toBe(401);
    expect((await call(`/api/questions/q-${crypto.randomUUID()}`)).status).toBe(401);
    const page = await call("/questions", { redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/login?next=%2Fquestions");
  });

  it("refuses changes posted from another origin", async () => {
    const home = await homeLibrary();
    const { questionId } = await fileQuestion(home.library.id);
    const res = await call(`/api/questions/${questionId}/actions`, { method: "POST", cookie: home.cookie, headers: { Origin: "https://evil.test" }, json: { action: "close" } });
    expect(res.status).toBe(403);
    expect((await questionRow(questionId)).status).toBe("new");
  });

  it("shows the codes page only to library administrators", async () => {
    const home = await homeLibrary();
    const asLibrarian = await call("/questions/codes", { cookie: home.cookie });
    expect(asLibrarian.status).toBe(403);
    expect(await asLibrarian.text()).toContain("Only a library administrator");
    const asAdmin = await call("/questions/codes", { cookie: home.adminCookie });
    expect(asAdmin.status).toBe(200);
    expect(await asAdmin.text()).toContain("/build/questions.js");
  });
});
