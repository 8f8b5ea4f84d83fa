/**
 * The transitions table, enforced: every action from every status either does
 * what the table says (new status, owner, one history row) or is refused with
 * 409 and changes nothing at all.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { QUESTION_ACTIONS, QUESTION_STATUSES, TRANSITIONS, isAllowed, type QuestionAction, type QuestionStatus } from "../../src/shared/question-rules";
import type { QuestionDetail } from "../../src/shared/questions-api";
import type { ResolutionCode } from "../../src/shared/codes";
import { createLibrarian, createLibrary } from "./helpers";
import { api, asRef, eventCount, fileQuestion, getQuestion, homeLibrary, questionRow, type ErrorBody } from "./question-fixtures";

/** A resolution code that files a question in each status (see the routing table). */
const FILED_AS: Record<QuestionStatus, ResolutionCode> = {
  new: "followup_by_library",
  pending: "followup_by_me",
  answered: "answered",
  closed: "lost_call",
};

const home = await homeLibrary();

async function questionIn(status: QuestionStatus) {
  const filed = await fileQuestion(home.library.id, {
    resolution: FILED_AS[status],
    librarian: asRef(home.colleague),
    patronEmail: "ada@patron.test",
    lines: [{ role: "librarian", body: "Let me look into that." }],
  });
  expect((await questionRow(filed.questionId)).status).toBe(status);
  return filed.questionId;
}

function act(questionId: string, action: QuestionAction, assigneeId?: string) {
  if (action === "answer") return api<QuestionDetail & ErrorBody>(`/api/questions/${questionId}/answer`, home.cookie, { json: { body: "Here is what I found." } });
  const json = TRANSITIONS[action].needsAssignee ? { action, assigneeId } : { action };
  return api<QuestionDetail & ErrorBody>(`/api/questions/${questionId}/actions`, home.cookie, { json });
}

const mailCount = async (questionId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM mail_outbox WHERE question_id = ?").bind(questionId).first<{ n: number }>())!.n;

const cases = QUESTION_ACTIONS.flatMap((action) => QUESTION_STATUSES.map((status) => [action, status] as const));

describe("every action from every status", () => {
  it.each(cases)("%s from %s", async (action, status) => {
    const questionId = await questionIn(status);
    const before = await questionRow(questionId);
    const events = await eventCount(questionId);
    const mails = await mailCount(questionId);
    // Bart (the colleague) owns filed pending and answered questions; Lisa takes them over.
    const res = await act(questionId, action, home.librarian.id);

    if (isAllowed(action, status)) {
      expect(res.status, JSON.stringify(res.body)).toBe(action === "answer" ? 201 : 200);
      expect(res.body.question.status).toBe(TRANSITIONS[action].to);
      expect(await eventCount(questionId)).toBe(events + 1);
      expect(res.body.events.at(-1)).toMatchObject({ action, actor: { id: home.librarian.id } });
      expect(await mailCount(questionId)).toBe(mails + (action === "answer" ? 1 : 0));
    } else {
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: "invalid_transition", field: "action" });
      expect(res.body.error.message).toContain(status);
      expect(await questionRow(questionId)).toEqual(before);
      expect(await eventCount(questionId)).toBe(events);
      expect(await mailCount(questionId)).toBe(mails);
    }
  });
});

describe("who owns the question afterwards", () => {
  it("assign names the owner and moves a new question to pending; the history says who and to whom", async () => {
    const questionId = await questionIn("new");
    const res = await act(questionId, "assign", home.colleague.id);
    expect(res.body.question).toMatchObject({ status: "pending", assignee: { id: home.colleague.id, name: "Bart" } });
    expect(res.body.events.at(-1)).toMatchObject({ actor: { name: "Lisa" }, summary: "assigned the question to Bart." });
  });

  it("reassign hands a pending question to someone else and says from whom", async () => {
    const questionId = await questionIn("pending");
    const res = await act(questionId, "reassign", home.admin.id);
    expect(res.body.question.assignee).toEqual({ id: home.admin.id, name: "Marge" });
    expect(res.body.events.at(-1)!.summary).toBe("reassigned the question from Bart to Marge.");
  });

  it("marking pending, reopening and answering make the librarian who acts the owner only when nobody owns it", async () => {
    const unowned = await questionIn("new");
    expect((await act(unowned, "pending")).body.question.assignee?.id).toBe(home.librarian.id);
    const closedUnowned = await questionIn("closed");
    expect((await act(closedUnowned, "reopen")).body.question.assignee?.id).toBe(home.librarian.id);
    const answeredByBart = await questionIn("answered");
    expect((await act(answeredByBart, "reopen")).body.question.assignee?.id).toBe(home.colleague.id);
    const newOne = await questionIn("new");
    expect((await act(newOne, "answer")).body.question.assignee?.id).toBe(home.librarian.id);
    const closing = await questionIn("pending");
    expect((await act(closing, "close")).body.question.assignee?.id).toBe(home.colleague.id);
  });
});

describe("bad status changes change nothing", () => {
  it("refuses an assignee from another library, a disabled one, and the current owner, naming the field", async () => {
    const other = await createLibrary();
    const stranger = await createLibrarian(other.id, "Stranger");
    const gone = await createLibrarian(home.library.id, "Gone");
    await env.DB.prepare("UPDATE librarians SET disabled_at = ? WHERE id = ?").bind(Date.now(), gone.id).run();
    const questionId = await questionIn("pending");
    const before = await questionRow(questionId);
    for (const [action, assigneeId] of [["reassign", stranger.id], ["reassign", gone.id], ["reassign", home.colleague.id]] as const) {
      const res = await act(questionId, action, assigneeId);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "validation_failed", field: "assigneeId" });
    }
    expect(await questionRow(questionId)).toEqual(before);
  });

  it("refuses an unknown action and a missing assignee with 400", async () => {
    const questionId = await questionIn("new");
    const unknown = await api<ErrorBody>(`/api/questions/${questionId}/actions`, home.cookie, { json: { action: "delete" } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe("action");
    const noAssignee = await api<ErrorBody>(`/api/questions/${questionId}/actions`, home.cookie, { json: { action: "assign" } });
    expect(noAssignee.status).toBe(400);
    expect(noAssignee.body.error.field).toBe("assigneeId");
    expect((await questionRow(questionId)).status).toBe("new");
  });

  it("offers on the page exactly the actions the table allows", async () => {
    for (const status of QUESTION_STATUSES) {
      const detail = await getQuestion(await questionIn(status), home.cookie);
      expect(detail.body.viewer.actions).toEqual(QUESTION_ACTIONS.filter((a) => a !== "answer" && isAllowed(a, status)));
      expect(detail.body.viewer.canAnswer).toBe(isAllowed("answer", status));
    }
    // The table itself, in words: a closed question is reopened, not answered.
    expect(isAllowed("answer", "closed")).toBe(false);
    expect(isAllowed("reopen", "closed")).toBe(true);
    expect(isAllowed("assign", "answered")).toBe(false);
  });
});
