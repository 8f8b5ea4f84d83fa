/**
 * Consults as pure rules: one invitation at a time, only to someone not in
 * the chat, joined only by the one invited; consultants write, the owner
 * owns; a transfer to a consultant makes them the owner, not a consultant.
 */
import { describe, expect, it } from "vitest";
import { writeRefusal } from "../../../durable-objects/chat-session/rules/chat-frames";
import { claim } from "../../../durable-objects/chat-session/rules/claim";
import { consultInviteExpired, inviteConsultant, joinConsult, leaveConsult } from "../../../durable-objects/chat-session/rules/consult";
import { endByLibrarian } from "../../../durable-objects/chat-session/rules/lifecycle";
import { offerTransfer } from "../../../durable-objects/chat-session/rules/transfer";
import { active, decided, HOME, lisa, linesOf, marge, partner, T0 } from "./fixtures";

const invited = () => {
  const r = inviteConsultant(active(lisa), { from: lisa, to: marge, queueId: HOME }, "c-1", T0 + 70_000);
  if (!r.ok) throw new Error(r.message);
  return r;
};

describe("consults", () => {
  it("let only the owner invite, one colleague at a time, nobody already in the chat", () => {
    expect(inviteConsultant(active(lisa), { from: marge, to: partner, queueId: HOME }, "x", T0)).toMatchObject({ ok: false, code: "forbidden" });
    expect(inviteConsultant(active(lisa), { from: lisa, to: lisa, queueId: HOME }, "x", T0)).toMatchObject({ ok: false, code: "validation_failed" });
    expect(inviteConsultant(invited().next, { from: lisa, to: partner, queueId: HOME }, "x", T0)).toMatchObject({ ok: false, code: "not_active" });
  });

  it("let only the one invited join; the patron is told; the consultant writes but does not own", () => {
    const s = invited().next;
    expect(joinConsult(s, partner)).toMatchObject({ ok: false, code: "forbidden" });
    const d = decided(joinConsult(s, marge));
    expect(linesOf(d)).toEqual(["Marge has joined the chat to help Lisa."]);
    expect(d.next.consultants).toEqual([marge]);
    expect(writeRefusal(d.next, { role: "librarian", librarian: marge })).toBeNull();
    expect(writeRefusal(d.next, { role: "librarian", librarian: partner })).toMatchObject({ code: "not_active" });
    expect(endByLibrarian(d.next, { librarianId: marge.id, resolution: "answered", descriptiveCodes: [], note: null }, T0)).toMatchObject({ ok: false, code: "forbidden" });
    const left = decided(leaveConsult(d.next, marge.id));
    expect(left.next.consultants).toEqual([]);
    expect(left.outputs).toContainEqual(expect.objectContaining({ kind: "close", sockets: { librarianId: marge.id } }));
  });

  it("lapse at their time, not before", () => {
    const { next, invite } = invited();
    expect(consultInviteExpired(next, invite.expiresAt - 1).next).toBe(next);
    expect(consultInviteExpired(next, invite.expiresAt).next.consultInvite).toBeNull();
  });

  it("hand ownership to a consultant through a transfer: they own it and no longer consult", () => {
    const joined = decided(joinConsult(invited().next, marge)).next;
    const offered = offerTransfer(joined, { from: lisa, to: { kind: "librarian", librarian: marge }, queueId: HOME, note: null }, "t-1", T0 + 80_000);
    if (!offered.ok) throw new Error(offered.message);
    const taken = decided(claim(offered.next, marge, [HOME], T0 + 90_000)).next;
    expect(taken.librarian).toEqual(marge);
    expect(taken.consultants).toEqual([]);
  });
});
