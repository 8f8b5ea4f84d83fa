/**
 * The coverage schedule's time rules (src/coverage/schedule.ts), run inside
 * workerd with its own time zone data: shifts stay at their local hours across
 * daylight saving, midnight-crossing shifts work, reversed or overlong shifts
 * are refused, overlaps are found — also ones that exist only in the weeks when
 * America and Europe disagree about daylight saving.
 */
import { describe, expect, it } from "vitest";
import { coverageAt, describeShift, findOverlap, formatSpanInZone, occurrences, parseMinute, shiftProblem, type ShiftRule } from "../../src/coverage/schedule";
import { localToUtc, offsetAt, toLocal } from "../../src/coverage/zoned-time";

const CHICAGO = "America/Chicago";
const BERLIN = "Europe/Berlin";
const at = (iso: string) => Date.parse(iso);
const rule = (r: Partial<ShiftRule> & Pick<ShiftRule, "weekday" | "startMinute" | "endMinute">): ShiftRule => ({ libraryId: "lib", timeZone: CHICAGO, endsNextDay: false, ...r });
const hm = (text: string) => parseMinute(text)!;
const iso = (ms: number) => new Date(ms).toISOString();

describe("zoned time", () => {
  it("reads local time and offsets in Chicago and Berlin across their 2026 clock changes", () => {
    expect(offsetAt(CHICAGO, at("2026-03-08T07:59:00Z"))).toBe(-6 * 3600_000);
    expect(offsetAt(CHICAGO, at("2026-03-08T08:00:00Z"))).toBe(-5 * 3600_000);
    expect(offsetAt(BERLIN, at("2026-03-29T00:59:00Z"))).toBe(1 * 3600_000);
    expect(offsetAt(BERLIN, at("2026-03-29T01:00:00Z"))).toBe(2 * 3600_000);
    expect(toLocal(CHICAGO, at("2026-11-02T00:00:00Z"))).toEqual({ year: 2026, month: 11, day: 1, minute: 18 * 60, weekday: 7 });
  });

  it("moves a skipped local time forward and picks the earlier of a repeated one", () => {
    const chicago = (t: number) => offsetAt(CHICAGO, t);
    // 02:30 does not exist on 8 March 2026 in Chicago: it becomes 03:30 CDT.
    expect(iso(localToUtc(chicago, 2026, 3, 8, hm("02:30")))).toBe("2026-03-08T08:30:00.000Z");
    // 01:30 happens twice on 1 November 2026: the first (CDT) is meant.
    expect(iso(localToUtc(chicago, 2026, 11, 1, hm("01:30")))).toBe("2026-11-01T06:30:00.000Z");
    const berlin = (t: number) => offsetAt(BERLIN, t);
    expect(iso(localToUtc(berlin, 2026, 3, 29, hm("02:00")))).toBe("2026-03-29T01:00:00.000Z");
    expect(iso(localToUtc(berlin, 2026, 10, 25, hm("02:30")))).toBe("2026-10-25T00:30:00.000Z");
  });
});

describe("a shift's own rules", () => {
  it("accepts same-day and midnight-crossing shifts and refuses reversed, empty and overlong ones", () => {
    expect(shiftProblem(rule({ weekday: 1, startMinute: hm("18:00"), endMinute: hm("22:00") }))).toBeNull();
    expect(shiftProblem(rule({ weekday: 5, startMinute: hm("22:00"), endMinute: hm("02:00"), endsNextDay: true }))).toBeNull();
    expect(shiftProblem(rule({ weekday: 1, startMinute: hm("18:00"), endMinute: hm("24:00") }))).toBeNull();
    expect(shiftProblem(rule({ weekday: 1, startMinute: hm("22:00"), endMinute: hm("18:00") }))).toMatch(/ends \(18:00\) before it starts \(22:00\)/);
    expect(shiftProblem(rule({ weekday: 1, startMinute: hm("09:00"), endMinute: hm("09:00") }))).toMatch(/cannot end when it starts/);
    expect(shiftProblem(rule({ weekday: 1, startMinute: hm("09:00"), endMinute: hm("10:00"), endsNextDay: true }))).toMatch(/at most 24 hours/);
    expect(shiftProblem(rule({ weekday: 8, startMinute: 0, endMinute: 60 }))).toMatch(/day of the week/);
    expect(parseMinute("25:00")).toBeNull();
    expect(parseMinute("24:01")).toBeNull();
    expect(describeShift(rule({ weekday: 7, startMinute: hm("22:00"), endMinute: hm("02:00"), endsNextDay: true }))).toBe("Sun 22:00–Mon 02:00");
  });
});

describe("daylight saving", () => {
  const monday = rule({ weekday: 1, startMinute: hm("18:00"), endMinute: hm("22:00") });

  it("keeps 'Mon 18:00–22:00 America/Chicago' at 18:00–22:00 local across spring-forward", () => {
    const weeks = occurrences(monday, 0, at("2026-03-01T00:00:00Z"), at("2026-03-15T00:00:00Z"));
    expect(weeks.map((o) => [iso(o.start), iso(o.end)])).toEqual([
      ["2026-03-03T00:00:00.000Z", "2026-03-03T04:00:00.000Z"], // CST, UTC−6
      ["2026-03-09T23:00:00.000Z", "2026-03-10T03:00:00.000Z"], // CDT, UTC−5
    ]);
    for (const o of weeks) expect(toLocal(CHICAGO, o.start).minute).toBe(hm("18:00"));
  });

  it("…and across fall-back", () => {
    const weeks = occurrences(monday, 0, at("2026-10-25T00:00:00Z"), at("2026-11-08T00:00:00Z"));
    expect(weeks.map((o) => iso(o.start))).toEqual(["2026-10-26T23:00:00.000Z", "2026-11-03T00:00:00.000Z"]);
  });

  it("gives a shift over the skipped hour one real hour, and one over the repeated hour three", () => {
    const night = rule({ weekday: 7, startMinute: hm("01:00"), endMinute: hm("03:00") });
    const [spring] = occurrences(night, 0, at("2026-03-08T00:00:00Z"), at("2026-03-09T00:00:00Z"));
    expect((spring!.end - spring!.start) / 3600_000).toBe(1);
    const [fall] = occurrences(night, 0, at("2026-11-01T00:00:00Z"), at("2026-11-02T00:00:00Z"));
    expect((fall!.end - fall!.start) / 3600_000).toBe(3);
  });

  it("finds no overlap between back-to-back shifts on the fall-back night, and one when they really overlap", () => {
    const before = rule({ weekday: 7, startMinute: hm("00:00"), endMinute: hm("01:30") });
    const after = rule({ weekday: 7, startMinute: hm("01:30"), endMinute: hm("03:00") });
    expect(findOverlap([before, after], at("2026-10-26T00:00:00Z"), 2)).toBeNull();
    const overlapping = rule({ weekday: 7, startMinute: hm("01:00"), endMinute: hm("03:00") });
    expect(findOverlap([before, overlapping], at("2026-10-26T00:00:00Z"), 2)).toMatchObject({ first: 0, second: 1 });
  });

  it("finds an overlap between Chicago and Berlin shifts that exists only while their clocks disagree", () => {
    // Standard time: 16:00–17:00Z and 15:00–16:00Z; summer time: 15:00–16:00Z and 14:00–15:00Z — back to back.
    // From 8 to 29 March 2026 Chicago is on summer time and Berlin is not: both 15:00–16:00Z.
    const chicago = rule({ libraryId: "a", weekday: 1, startMinute: hm("10:00"), endMinute: hm("11:00") });
    const berlin = rule({ libraryId: "b", timeZone: BERLIN, weekday: 1, startMinute: hm("16:00"), endMinute: hm("17:00") });
    expect(findOverlap([chicago, berlin], at("2026-01-05T00:00:00Z"), 8)).toBeNull();
    const found = findOverlap([chicago, berlin], at("2026-01-05T00:00:00Z"));
    expect(found).toMatchObject({ first: 0, second: 1 });
    expect(iso(found!.at)).toBe("2026-03-09T15:00:00.000Z");
  });
});

describe("midnight", () => {
  const late = rule({ libraryId: "late", weekday: 5, startMinute: hm("22:00"), endMinute: hm("02:00"), endsNextDay: true });
  const saturday = rule({ libraryId: "sat", weekday: 6, startMinute: hm("09:00"), endMinute: hm("17:00") });

  it("says whose shift it is after midnight, and whose is next", () => {
    // Saturday 01:00 in Chicago (CST) = 07:00Z.
    const during = coverageAt([late, saturday], at("2026-01-10T07:00:00Z"));
    expect(during.current?.rule).toBe(0);
    expect(iso(during.current!.end)).toBe("2026-01-10T08:00:00.000Z");
    // Shown on the clocks of Chicago and of a viewer in Berlin.
    expect(formatSpanInZone(CHICAGO, during.current!.start, during.current!.end)).toBe("Fri 22:00–Sat 02:00");
    expect(formatSpanInZone(BERLIN, during.current!.start, during.current!.end)).toBe("Sat 05:00–09:00");
    expect(during.next?.rule).toBe(1);
    // Saturday 02:30: nobody until 09:00.
    const gap = coverageAt([late, saturday], at("2026-01-10T08:30:00Z"));
    expect(gap.current).toBeNull();
    expect(iso(gap.next!.start)).toBe("2026-01-10T15:00:00.000Z");
  });

  it("finds overlaps across midnight and across the end of the week", () => {
    const early = rule({ weekday: 6, startMinute: hm("01:00"), endMinute: hm("03:00") });
    expect(findOverlap([late, early], at("2026-01-05T00:00:00Z"), 2)).toMatchObject({ first: 0, second: 1 });
    const sundayNight = rule({ weekday: 7, startMinute: hm("22:00"), endMinute: hm("02:00"), endsNextDay: true });
    const mondayEarly = rule({ weekday: 1, startMinute: hm("01:30"), endMinute: hm("04:00") });
    expect(findOverlap([sundayNight, mondayEarly], at("2026-01-05T00:00:00Z"), 2)).toMatchObject({ first: 0, second: 1 });
    const mondayLater = rule({ weekday: 1, startMinute: hm("02:00"), endMinute: hm("04:00") });
    expect(findOverlap([sundayNight, mondayLater], at("2026-01-05T00:00:00Z"), 54)).toBeNull();
  });
});
