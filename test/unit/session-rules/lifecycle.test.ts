/**
 * How chats end, as pure rules: every ending files the chat; the same end
 * twice changes nothing; a patron who leaves, a wait limit that passes and a
 * librarian who can no longer serve each land where the product says.
 */
import { describe, expect, it } from "vitest";
import {
  abandonUnavailable,
  endByLibrarian,
  handBack,
  leaveQuestion,
  markUnavailable,
  patronLeaves,
  startSession,
  waitLimitPassed,
} from "../../../durable-objects/chat-session/rules/lifecycle";
import { ABANDON_AFTER_MS } from "../../../durable-objects/chat-session/session-state";
import { CLOSE_CODES } from "../../../src/shared/close-codes";
import { active, COOP, decided, HOME, lisa, linesOf, marge, request, T0, waiting } from "./fixtures";

const answered = { librarianId: lisa.id, resolution: "answered" as const, descriptiveCodes: ["genealogy"], note: null };
const files = (d: { effects: { kind: string }[] }) => d.effects.some((e) => e.kind === "file");

describe("a new request", () => {
  it("waits in its form's queue with the question as the patron's first message and a wait limit", () => {
    const d = startSession(request({ waitLimitSeconds: 120 }), T0);
    expect(d.next).toMatchObject({ status: "waiting", queueIds: [HOME], waitLimitAt: T0 + 120_000, librarian: null, filed: false });
    expect(d.outputs).toEqual([{ kind: "patron-text", name: "Ada", body: "Do you have the 1962 city directory?" }]);
  });

  it("keeps a route only when there is somewhere to roll over to", () => {
    expect(startSession(request({ route: { stages: [HOME], rolloverMs: 1, rollOnTimeout: true } }), T0).next.route).toBeNull();
    expect(startSession(request({ route: { stages: [HOME, COOP], rolloverMs: 1, rollOnTimeout: true } }), T0).next.route?.stages).toEqual([HOME, COOP]);
  });
});

describe("waiting", () => {
  it("turns unavailable when the wait limit passes, not a moment before; the patron is told and every queue drops it", () => {
    const s = waiting();
    expect(waitLimitPassed(s, s.waitLimitAt - 1).next).toBe(s);
    const d = waitLimitPassed(s, s.waitLimitAt);
    expect(d.next).toMatchObject({ status: "unavailable", abandonAt: s.waitLimitAt + ABANDON_AFTER_MS });
    expect(d.effects).toContainEqual({ kind: "withdraw", queueIds: [HOME], reason: "unavailable", by: null });
  });

  it("an unavailable request nobody follows up is filed after a while: for follow-up when the patron left an address, as a lost call otherwise", () => {
    for (const [email, resolution] of [[null, "lost_call"], ["ada@patron.test", "followup_by_library"]] as const) {
      const s = markUnavailable(waiting({ patronEmail: email }), T0).next;
      expect(abandonUnavailable(s, s.abandonAt! - 1).next).toBe(s);
      const d = abandonUnavailable(s, s.abandonAt!);
      expect(d.next).toMatchObject({ status: "ended", resolution });
      expect(files(d)).toBe(true);
      expect(d.outputs).toContainEqual({ kind: "close", sockets: "all", code: CLOSE_CODES.sessionEnded, reason: "session ended" });
    }
  });

  it("a patron who leaves before anybody answered is withdrawn and filed unanswered", () => {
    const d = patronLeaves(waiting(), T0 + 10_000);
    expect(d.next).toMatchObject({ status: "ended", resolution: "lost_call", endedAt: T0 + 10_000 });
    expect(linesOf(d)).toEqual(["Ada left before a librarian joined."]);
    expect(d.effects).toEqual([{ kind: "withdraw", queueIds: [HOME], reason: "left", by: null }, { kind: "file" }]);
  });

  it("a question left by e-mail is filed for the home library with the details as the patron's words", () => {
    const d = decided(leaveQuestion(waiting(), { email: "ada@patron.test", name: null, details: "Any year is fine." }, T0 + 5_000));
    expect(d.next).toMatchObject({ status: "ended", source: "email", resolution: "followup_by_library", patronEmail: "ada@patron.test" });
    expect(d.outputs[0]).toEqual({ kind: "patron-text", name: "Ada", body: "Any year is fine." });
    expect(files(d)).toBe(true);
    expect(leaveQuestion(active(lisa), { email: "a@b.test", name: null, details: null }, T0)).toMatchObject({ ok: false, code: "not_active" });
  });
});

describe("ending a chat", () => {
  it("by its librarian, with codes: ended, told, sockets closed, filed", () => {
    const d = decided(endByLibrarian(active(lisa), answered, T0 + 300_000));
    expect(d.next).toMatchObject({ status: "ended", resolution: "answered", descriptiveCodes: ["genealogy"], endedAt: T0 + 300_000 });
    expect(linesOf(d)).toEqual(["Lisa ended the chat."]);
    expect(files(d)).toBe(true);
  });

  it("the same end twice changes nothing; a different end is refused; only the serving librarian may end", () => {
    const ended = decided(endByLibrarian(active(lisa), answered, T0 + 300_000)).next;
    const again = decided(endByLibrarian(ended, answered, T0 + 400_000));
    expect(again.next).toBe(ended);
    expect(again.outputs).toEqual([]);
    expect(again.effects).toEqual([]);
    expect(endByLibrarian(ended, { ...answered, resolution: "spam" }, T0 + 400_000)).toMatchObject({ ok: false, code: "session_ended" });
    expect(endByLibrarian(active(lisa), { ...answered, librarianId: marge.id }, T0)).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("after the patron left: the librarian still ends it with codes", () => {
    const left = patronLeaves(active(lisa), T0 + 100_000);
    expect(left.next.status).toBe("patron_left");
    expect(left.effects).toContainEqual({ kind: "mirror", patch: { status: "patron_left" }, urgency: "now" });
    expect(decided(endByLibrarian(left.next, answered, T0 + 200_000)).next.status).toBe("ended");
  });
});

describe("handing back", () => {
  it("puts an active chat back in the queue with a fresh wait limit and closes the gone librarian's sockets", () => {
    const s = active(lisa);
    const d = decided(handBack(s, lisa.id, T0 + 600_000));
    expect(d.next).toMatchObject({ status: "waiting", librarian: null, acceptedAt: null, waitLimitAt: T0 + 600_000 + (s.waitLimitAt - s.createdAt) });
    expect(d.outputs[0]).toMatchObject({ kind: "close", sockets: "librarians" });
    expect(linesOf(d)).toEqual(["Lisa is no longer available. You are back in the queue: another librarian will be with you shortly."]);
  });

  it("files a chat the patron already left for follow-up by the home library", () => {
    const left = patronLeaves(active(lisa), T0 + 100_000).next;
    const d = decided(handBack(left, lisa.id, T0 + 200_000));
    expect(d.next).toMatchObject({ status: "ended", resolution: "followup_by_library" });
    expect(files(d)).toBe(true);
  });

  it("is refused for a librarian not serving the chat", () => {
    expect(handBack(active(lisa), marge.id, T0)).toMatchObject({ ok: false, code: "not_active" });
    expect(handBack(waiting(), lisa.id, T0)).toMatchObject({ ok: false, code: "not_active" });
  });
});
