/**
 * Transfers as pure rules: an offer keeps the chat with its librarian until it
 * is accepted, declined, cancelled or expires; an offer nobody could see puts
 * everything back.
 */
import { describe, expect, it } from "vitest";
import { cancelTransfer, declineTransfer, nobodyToTakeIt, offerTransfer, transferExpired, transferNotShown, transferShown } from "../../../durable-objects/chat-session/rules/transfer";
import { TIMING } from "../../../src/shared/limits";
import { active, COOP, decided, HOME, lisa, linesOf, marge, T0, waiting } from "./fixtures";

const toMarge = { from: lisa, to: { kind: "librarian" as const, librarian: marge }, queueId: HOME, note: "She needs the 1962 directory" };

function offered() {
  const r = offerTransfer(active(lisa), toMarge, "t-1", T0 + 70_000);
  if (!r.ok) throw new Error(r.message);
  return r;
}

describe("offering a transfer", () => {
  it("stores the offer with its expiry and keeps the librarian", () => {
    const { next, transfer } = offered();
    expect(next.librarian).toEqual(lisa);
    expect(transfer).toMatchObject({ id: "t-1", queueId: HOME, expiresAt: T0 + 70_000 + TIMING.transferOfferMs });
  });

  it("is refused to anyone but the serving librarian, for a chat not in progress, twice, or to oneself", () => {
    expect(offerTransfer(active(lisa), { ...toMarge, from: marge }, "t", T0)).toMatchObject({ ok: false, code: "forbidden" });
    expect(offerTransfer({ ...active(lisa), status: "patron_left" }, toMarge, "t", T0)).toMatchObject({ ok: false, code: "not_active" });
    expect(offerTransfer(offered().next, toMarge, "t-2", T0)).toMatchObject({ ok: false, code: "not_active" });
    const self = { ...toMarge, to: { kind: "librarian" as const, librarian: lisa } };
    expect(offerTransfer(active(lisa), self, "t", T0)).toMatchObject({ ok: false, code: "validation_failed", field: "to.librarianId" });
    expect(offerTransfer(waiting(), toMarge, "t", T0)).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("once shown, tells the patron and files the note as internal", () => {
    const { next, transfer } = offered();
    const d = transferShown(next, transfer);
    expect(linesOf(d)).toEqual(["You are being transferred to Marge."]);
    expect(d.outputs).toContainEqual({ kind: "internal-note", author: { id: lisa.id, name: "Lisa" }, body: "She needs the 1962 directory" });
  });

  it("shown to nobody, puts everything back and says who is not there", () => {
    const s = active(lisa);
    const r = offerTransfer(s, { ...toMarge, queueId: COOP }, "t-1", T0 + 70_000);
    if (!r.ok) throw new Error(r.message);
    expect(r.next.queueIds).toEqual([HOME, COOP]);
    expect(transferNotShown(r.next, r.transfer, s.queueIds).next).toMatchObject({ transfer: null, queueIds: [HOME] });
    expect(nobodyToTakeIt(r.transfer)).toMatchObject({ code: "not_found", field: "to.librarianId", message: "Marge is not monitoring right now." });
  });
});

describe("an offer without a taker", () => {
  it("expires at its time, not before: the chat stays, both sides are told, the offer leaves the queue", () => {
    const { next, transfer } = offered();
    expect(transferExpired(next, transfer.expiresAt - 1).next).toBe(next);
    const d = transferExpired(next, transfer.expiresAt);
    expect(d.next).toMatchObject({ transfer: null, librarian: lisa, status: "active" });
    expect(linesOf(d)).toEqual(["Nobody could take the chat just now; Lisa is still with you."]);
    expect(d.effects).toEqual([{ kind: "withdraw", queueIds: [HOME], reason: "withdrawn", by: null }]);
  });

  it("can be cancelled by the librarian who offered it, and declined only by the one it was offered to", () => {
    const { next } = offered();
    expect(cancelTransfer(next, marge.id)).toMatchObject({ ok: false, code: "forbidden" });
    expect(linesOf(decided(cancelTransfer(next, lisa.id)))).toEqual(["Lisa is still with you."]);
    expect(declineTransfer(next, lisa.id)).toMatchObject({ ok: false, code: "forbidden" });
    expect(linesOf(decided(declineTransfer(next, marge.id)))).toEqual(["Marge could not take the chat; Lisa is still with you."]);
    expect(cancelTransfer(active(lisa), lisa.id)).toMatchObject({ ok: false, code: "not_active" });
  });
});
