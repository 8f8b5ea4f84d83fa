/**
 * The pure rules behind the librarian's day: a survey's answers checked
 * against its questions, whether chats end with codes, the routing plan that
 * prefers the library scheduled now, the unstaffed parts of a shift, a shift
 * alert, when a desktop notification pops up, and the staff navigation.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { badgeIcon, shouldNotify } from "../../src/client/monitor/alerts";
import { shiftAlert } from "../../src/coverage/alerts";
import { uncovered, unstaffedGaps } from "../../src/coverage/gaps";
import { routeFor } from "../../src/queues/routing-policy";
import { codesCountProblem } from "../../src/shared/codes-settings";
import { placeOf, placesFor } from "../../src/shared/staff-nav";
import { checkSurveyAnswers, surveyOf } from "../../src/shared/survey-schemas";
import type { SurveyConfig } from "../../src/shared/survey";

describe("survey answers", () => {
  const survey: SurveyConfig = {
    mode: "survey",
    questions: [
      { id: "q1", text: "Found it?", kind: "choice", options: ["Yes", "No"], required: true },
      { id: "q2", text: "Easy?", kind: "scale", options: [], required: false },
      { id: "q3", text: "More?", kind: "text", options: [], required: false },
    ],
  };

  it("keeps each answer as a number and/or its words", () => {
    const checked = checkSurveyAnswers(survey, { answers: { q1: "No", q2: 2, q3: "  Thanks  " } });
    expect(checked.ok && checked.answers.map((a) => [a.question.id, a.answerNumber, a.answerText])).toEqual([
      ["q1", 1, "No"],
      ["q2", 2, null],
      ["q3", null, "Thanks"],
    ]);
  });

  it("names the field of the first problem", () => {
    const field = (body: Parameters<typeof checkSurveyAnswers>[1]) => {
      const r = checkSurveyAnswers(survey, body);
      return r.ok ? null : r.field;
    };
    expect(field({ answers: {} })).toBe("answers.q1");
    expect(field({ answers: { q1: "Maybe" } })).toBe("answers.q1");
    expect(field({ answers: { q1: "Yes", q2: 6 } })).toBe("answers.q2");
    expect(field({ answers: { q1: "Yes", q2: 2.5 } })).toBe("answers.q2");
    expect(field({ answers: { q1: "Yes", q3: "bell \u0007" } })).toBe("answers.q3");
    expect(field({ answers: { q1: "Yes", zz: 1 } })).toBe("answers.zz");
    expect(field({ comment: "hi", answers: { q1: "Yes" } })).toBe("comment");
    expect(checkSurveyAnswers({ mode: "rating_comment", questions: [] }, { comment: "hi" }).ok).toBe(true);
  });

  it("reads a stored survey leniently: anything unreadable is a rating and a comment", () => {
    expect(surveyOf(null)).toEqual({ mode: "rating_comment", questions: [] });
    expect(surveyOf("{not json")).toEqual({ mode: "rating_comment", questions: [] });
    expect(surveyOf({ mode: "survey", questions: [] })).toEqual({ mode: "rating_comment", questions: [] });
    expect(surveyOf(JSON.stringify({ mode: "rating" }))).toEqual({ mode: "rating", questions: [] });
  });
});

describe("codes at the end of a chat", () => {
  it("allows none when off, at least one when required, never more than four", () => {
    expect(codesCountProblem("off", 0)).toBeNull();
    expect(codesCountProblem("off", 1)).toMatch(/does not use/);
    expect(codesCountProblem("optional", 0)).toBeNull();
    expect(codesCountProblem("optional", 5)).toMatch(/at most 4/);
    expect(codesCountProblem("required", 0)).toMatch(/at least one/);
    expect(codesCountProblem("required", 4)).toBeNull();
  });
});

describe("the routing plan with a scheduled library", () => {
  const settings = { rolloverSeconds: 45, overflowMode: "unstaffed_or_timeout" };
  it("puts the scheduled library's queue just before its group's, once", () => {
    expect(routeFor(settings, "lib:home", ["group:a", "group:b"]).stages).toEqual(["lib:home", "group:a", "group:b"]);
    expect(routeFor(settings, "lib:home", ["group:a", "group:b"], { "group:b": "lib:s" }).stages).toEqual(["lib:home", "group:a", "lib:s", "group:b"]);
    expect(routeFor(settings, "lib:home", ["group:a", "group:b"], { "group:a": "lib:s", "group:b": "lib:s" }).stages).toEqual(["lib:home", "lib:s", "group:a", "group:b"]);
    expect(routeFor({ ...settings, overflowMode: "off" }, "lib:home", ["group:a"], { "group:a": "lib:s" }).stages).toEqual(["lib:home"]);
  });
});

describe("unstaffed parts of a shift", () => {
  const interval = fc.tuple(fc.nat(1000), fc.nat(1000)).map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) }));
  it("are inside the shift, outside every stretch monitored, and with them make up the whole shift", () => {
    fc.assert(
      fc.property(interval, fc.array(interval, { maxLength: 6 }), (within, cover) => {
        const gaps = uncovered(within, cover);
        let total = 0;
        for (const g of gaps) {
          expect(g.start).toBeGreaterThanOrEqual(within.start);
          expect(g.end).toBeLessThanOrEqual(within.end);
          expect(g.end).toBeGreaterThan(g.start);
          for (const c of cover) expect(g.end <= c.start || g.start >= c.end).toBe(true);
          total += g.end - g.start;
        }
        // Whatever is not a gap is covered.
        for (let t = within.start; t < within.end; t++) {
          const inGap = gaps.some((g) => g.start <= t && t < g.end);
          const covered = cover.some((c) => c.start <= t && t < c.end);
          expect(inGap).toBe(!covered);
        }
        expect(total).toBeLessThanOrEqual(within.end - within.start);
      }),
      { numRuns: 200 },
    );
  });

  it("count only the scheduled library's monitoring, stop at now, leave out blips, newest first", () => {
    const shifts = [
      { libraryId: "a", start: 0, end: 100 },
      { libraryId: "b", start: 100, end: 200 },
      { libraryId: "a", start: 300, end: 400 },
    ];
    const monitored = [
      { libraryId: "a", start: 0, end: 40 },
      { libraryId: "b", start: 40, end: 100 },
      { libraryId: "a", start: 45, end: 98 },
    ];
    expect(unstaffedGaps(shifts, monitored, 150, 3)).toEqual([
      { libraryId: "b", start: 100, end: 150 },
      { libraryId: "a", start: 40, end: 45 },
    ]);
  });
});

describe("a shift alert", () => {
  const current = { libraryId: "home", libraryName: "Home", startsAt: "2026-03-03T00:00:00.000Z", endsAt: "2026-03-03T04:00:00.000Z", rule: "Mon 18:00–22:00 (America/Chicago)", local: "Mon 18:00–22:00" };
  const group = { groupId: "g", groupName: "Coop", queueId: "group:g", current };
  const monitor = (libraryId: string, status: "online" | "busy" | "away") => ({ librarianId: `${libraryId}-1`, name: "X", libraryId, status, reconnecting: false });
  it("is for the scheduled library while nobody from it is online on the queue (busy counts, away does not)", () => {
    expect(shiftAlert({ libraryId: "home" }, group, [])).toMatchObject({ groupId: "g", local: "Mon 18:00–22:00" });
    expect(shiftAlert({ libraryId: "home" }, group, [monitor("other", "online"), monitor("home", "away")])).not.toBeNull();
    expect(shiftAlert({ libraryId: "home" }, group, [monitor("home", "busy")])).toBeNull();
    expect(shiftAlert({ libraryId: "other" }, group, [])).toBeNull();
    expect(shiftAlert({ libraryId: "home" }, { ...group, current: null }, [])).toBeNull();
  });
});

describe("desktop notifications", () => {
  const on = { enabled: true, access: "granted" as const, hidden: true, status: "online" as const };
  it("pop up while the monitor is hidden and the librarian is online, never without permission, quiet while busy or away", () => {
    for (const kind of ["request", "transfer", "consult", "direct"] as const) {
      expect(shouldNotify(kind, on)).toBe(true);
      expect(shouldNotify(kind, { ...on, hidden: false })).toBe(false);
      expect(shouldNotify(kind, { ...on, status: "busy" })).toBe(false);
      expect(shouldNotify(kind, { ...on, status: "away" })).toBe(false);
      expect(shouldNotify(kind, { ...on, access: "default" })).toBe(false);
      expect(shouldNotify(kind, { ...on, enabled: false })).toBe(false);
    }
    // A missed shift is told even to an away librarian looking at the monitor.
    expect(shouldNotify("coverage", { ...on, hidden: false, status: "away" })).toBe(true);
    expect(shouldNotify("coverage", { ...on, access: "denied" })).toBe(false);
  });

  it("puts the count on the tab's icon", () => {
    expect(decodeURIComponent(badgeIcon(3))).toContain(">3</text>");
    expect(decodeURIComponent(badgeIcon(120))).toContain(">99+</text>");
    expect(decodeURIComponent(badgeIcon(0))).not.toContain("<text");
  });
});

describe("the staff navigation", () => {
  it("gives administration to administrators only, and knows which place a page belongs to", () => {
    expect(placesFor("librarian").map((p) => p.id)).toEqual(["monitor", "questions", "stats", "policies", "feedback"]);
    expect(placesFor("group_admin").map((p) => p.id)).toContain("admin");
    expect(placeOf("/questions/q-1")).toBe("questions");
    expect(placeOf("/groups/statewide")).toBe("policies");
    expect(placeOf("/admin/libraries/x/scripts")).toBe("admin");
    expect(placeOf("/admin/account")).toBeNull();
    expect(placeOf("/monitoring")).toBeNull();
    expect(placeOf("/stats/library")).toBe("stats");
  });
});
