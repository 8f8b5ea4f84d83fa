/**
 * The privacy scrub's pure rules: how a run's budget is shared between
 * libraries, what stays of a question's history row, and what redaction finds
 * in the text Refdesk itself wrote.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CallBudget, shareFairly } from "../../src/privacy/budget";
import { eventDetailHasText, scrubEventDetail } from "../../src/privacy/event-detail";
import { patronNamesIn, redactNames, redactText, REMOVED_TEXT, scrubTranscript } from "../../src/privacy/redact";

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("sharing a run's budget between libraries", () => {
  const demands = fc.array(fc.nat({ max: 1000 }), { maxLength: 40 });
  const budget = fc.nat({ max: 5000 });

  it("never gives more than the budget, nor any library more than it needs", () => {
    fc.assert(
      fc.property(demands, budget, (d, b) => {
        const given = shareFairly(d, b);
        expect(sum(given)).toBeLessThanOrEqual(b);
        given.forEach((g) => expect(g).toBeGreaterThanOrEqual(0));
        given.forEach((g, i) => expect(g).toBeLessThanOrEqual(d[i]!));
      }),
    );
  });

  it("spends the whole budget while anyone still needs it", () => {
    fc.assert(
      fc.property(demands, budget, (d, b) => {
        expect(sum(shareFairly(d, b))).toBe(Math.min(b, sum(d)));
      }),
    );
  });

  it("is fair: a library left short never gets less than another (beyond one unit)", () => {
    fc.assert(
      fc.property(demands, budget, (d, b) => {
        const given = shareFairly(d, b);
        given.forEach((g, i) => {
          if (g < d[i]!) for (const other of given) expect(other).toBeLessThanOrEqual(g + 1);
        });
      }),
    );
  });

  it("when there is less than one unit for each, serves those listed first", () => {
    expect(shareFairly([5, 5, 5, 5], 2)).toEqual([1, 1, 0, 0]);
    expect(shareFairly([0, 5, 5, 5], 2)).toEqual([0, 1, 1, 0]);
    expect(shareFairly([2, 9, 9], 12)).toEqual([2, 5, 5]);
  });

  it("counts calls and refuses what would not fit", () => {
    const b = new CallBudget(5);
    expect(b.spend(3)).toBe(true);
    expect(b.spend(3)).toBe(false);
    expect(b.remaining).toBe(2);
    expect(b.spend(2)).toBe(true);
    expect(b.remaining).toBe(0);
  });
});

describe("a question's history row past retention", () => {
  it("keeps statuses, codes, source, assignees and ids, and empties everything else", () => {
    const filed = { resolution: "answered", status: "answered", descriptiveCodes: ["genealogy"], note: "Ada called", source: "chat" };
    expect(scrubEventDetail(filed)).toEqual({ ...filed, note: REMOVED_TEXT });
    const answer = { from: "new", to: "answered", body: "Dear Ada…", requestId: "r-1", sentTo: "ada@patron.test" };
    expect(scrubEventDetail(answer)).toEqual({ from: "new", to: "answered", body: REMOVED_TEXT, requestId: "r-1", sentTo: REMOVED_TEXT });
    const codes = { from: { resolution: "answered", descriptiveCodes: [] }, to: { resolution: "lost_call", descriptiveCodes: ["a"] } };
    expect(scrubEventDetail(codes)).toEqual(codes);
    // A key nobody has decided about yet goes, whatever it holds.
    expect(scrubEventDetail({ status: "new", extra: { name: "Ada" }, flag: true })).toEqual({ status: "new", extra: null, flag: null });
  });

  it("is done once: a scrubbed row has nothing left to scrub", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (detail) => {
        const once = scrubEventDetail(detail);
        expect(eventDetailHasText(once)).toBe(false);
        expect(scrubEventDetail(once)).toEqual(once);
      }),
    );
    expect(eventDetailHasText({ note: null, status: "new" })).toBe(false);
    expect(eventDetailHasText({ note: "x" })).toBe(true);
  });
});

describe("redaction of the text Refdesk wrote", () => {
  it("removes phone numbers written in the usual ways, and leaves short numbers", () => {
    for (const phone of ["+1 (555) 867-5309", "555-867-5309", "0171 2345678", "+44 20 7946 0958", "5558675309"]) {
      expect(redactText(`Call ${phone} today`, { name: null, email: null })).toBe("Call [phone removed] today");
    }
    expect(redactText("Reel 14, shelf 4, room 101", { name: null, email: null })).toBe("Reel 14, shelf 4, room 101");
  });

  it("removes every name the patron went by", () => {
    expect(redactNames("Ada Lovelace left; Countess A. King joined", ["Ada Lovelace", "Countess King"])).toBe("[name removed] left; [name removed] A. [name removed] joined");
  });

  it("finds the patron's names in a transcript, not the stand-in", () => {
    const t = [
      { author: { role: "patron", name: "Ada" } },
      { author: { role: "librarian", name: "Lisa" } },
      { author: { role: "patron", name: "Patron" } },
      { author: { role: "patron", name: "Ada" } },
    ];
    expect(patronNamesIn(t)).toEqual(["Ada"]);
    expect(patronNamesIn("not a transcript")).toEqual([]);
  });

  it("scrubs a transcript the same way twice", () => {
    const t = [
      { seq: 1, clientId: "c", author: { role: "patron", name: "Ada" }, kind: "text", body: "hi", push: undefined },
      { seq: 2, clientId: null, author: { role: "librarian", name: "Lisa" }, kind: "push", body: "Page opened", push: { url: "https://x.test/?q=Ada" } },
      { seq: 3, clientId: null, author: { role: "system", name: "Refdesk" }, kind: "system", body: "Ada left the chat." },
    ];
    const once = scrubTranscript(t, ["Ada"]);
    expect(scrubTranscript(once, patronNamesIn(once))).toEqual(once);
    expect(JSON.stringify(once)).not.toContain("Ada");
  });
});
