/**
 * Accept-first as a pure rule: whatever the order and number of claims, one
 * wins; every other claim is told who won, and a claim from outside the
 * request's queues learns nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claim } from "../../../durable-objects/chat-session/rules/claim";
import { offerTransfer } from "../../../durable-objects/chat-session/rules/transfer";
import { endByLibrarian } from "../../../durable-objects/chat-session/rules/lifecycle";
import type { LibrarianRef } from "../../../src/objects/contracts";
import { active, COOP, decided, HOME, lisa, linesOf, marge, partner, T0, waiting } from "./fixtures";

const librarian = (i: number): LibrarianRef => ({ id: `lib-${i}`, name: `Librarian ${i}`, libraryId: i % 2 ? "springfield" : "shelbyville" });

describe("claim", () => {
  it("makes the first claim the winner: stored as active with that librarian, the request withdrawn from every queue showing it", () => {
    const s = { ...waiting(), queueIds: [HOME, COOP] };
    const d = decided(claim(s, lisa, [HOME], T0 + 5_000));
    expect(d.next).toMatchObject({ status: "active", librarian: lisa, acceptedAt: T0 + 5_000 });
    expect(linesOf(d)).toEqual(["Lisa has joined the chat."]);
    expect(d.effects).toContainEqual({ kind: "withdraw", queueIds: [HOME, COOP], reason: "accepted", by: { id: lisa.id, name: lisa.name } });
    expect(d.effects).toContainEqual(expect.objectContaining({ kind: "mirror", urgency: "now", patch: expect.objectContaining({ status: "active", librarianId: lisa.id }) }));
  });

  it("refuses every later claim as already taken, naming the winner", () => {
    const s = active(lisa);
    expect(claim(s, marge, [HOME], T0 + 61_000)).toMatchObject({ ok: false, code: "already_taken", by: lisa, message: "Already taken by Lisa." });
  });

  it("tells a librarian who staffs none of the request's queues nothing, not even whether it was taken", () => {
    for (const s of [waiting(), active(lisa)]) {
      const r = claim(s, partner, [COOP], T0 + 1);
      expect(r).toEqual({ ok: false, code: "forbidden", message: "This request is not in any queue you staff." });
    }
  });

  it("calls an ended chat ended, not taken", () => {
    const ended = decided(endByLibrarian(active(lisa), { librarianId: lisa.id, resolution: "answered", descriptiveCodes: [], note: null }, T0 + 120_000)).next;
    expect(claim(ended, marge, [HOME], T0 + 130_000)).toMatchObject({ ok: false, code: "session_ended" });
    expect(claim({ ...waiting(), status: "unavailable" }, marge, [HOME], T0 + 1)).toMatchObject({ ok: false, code: "session_ended" });
  });

  it("has exactly one winner for any number of claims in any order, each applied to the state the last one left", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 60 }), (ids) => {
        let s = waiting();
        const winners: string[] = [];
        for (const id of ids) {
          const r = claim(s, librarian(id), [HOME], T0 + 1);
          if (r.ok) {
            winners.push(librarian(id).id);
            s = r.next;
          } else {
            expect(r.code).toBe("already_taken");
            expect(r.by?.id).toBe(winners[0]);
          }
        }
        expect(winners).toEqual([librarian(ids[0]!).id]);
        expect(s.librarian?.id).toBe(winners[0]);
      }),
    );
  });
});

describe("claiming a transfer", () => {
  const offered = (to: "marge" | "queue") => {
    const s = active(lisa);
    const target = to === "marge" ? { kind: "librarian" as const, librarian: marge } : { kind: "queue" as const, queueName: "Statewide" };
    return decided(offerTransfer(s, { from: lisa, to: target, queueId: to === "marge" ? HOME : COOP, note: "Genealogy" }, "t-1", T0 + 70_000)).next;
  };

  it("goes to the librarian it was offered to, once; the offering librarian's sockets close after the status", () => {
    const s = offered("marge");
    const d = decided(claim(s, marge, [HOME], T0 + 80_000));
    expect(d.next).toMatchObject({ status: "active", librarian: marge, transfer: null });
    const kinds = d.outputs.map((o) => o.kind);
    expect(kinds.indexOf("status")).toBeLessThan(kinds.indexOf("close"));
    expect(d.outputs).toContainEqual(expect.objectContaining({ kind: "close", sockets: { librarianId: lisa.id } }));
    expect(claim(d.next, partner, [HOME], T0 + 81_000)).toMatchObject({ ok: false, code: "already_taken", by: marge });
  });

  it("is refused to anyone else, and to the librarian offering it", () => {
    const s = offered("marge");
    expect(claim(s, partner, [HOME], T0 + 80_000)).toMatchObject({ ok: false, code: "already_taken", by: lisa });
    expect(claim(s, lisa, [HOME], T0 + 80_000)).toMatchObject({ ok: false, code: "not_active" });
  });

  it("offered to a queue, goes to whoever staffs that queue: a partner too, since the queue joined the chat's queues", () => {
    const s = offered("queue");
    expect(s.queueIds).toEqual([HOME, COOP]);
    expect(decided(claim(s, partner, [COOP], T0 + 80_000)).next.librarian).toEqual(partner);
  });
});
