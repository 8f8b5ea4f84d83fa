/**
 * The queries, against an oracle written independently of them: whatever a
 * librarian types — control characters, lone surrogates, bidi and zero-width
 * marks, emoji, right-to-left text, SQL and LIKE wildcards — the questions
 * search lists exactly the questions whose text contains it (or refuses it
 * with the field named), never everything; whatever days are asked for — year
 * 0, 9999, days that do not exist, in time zones 26 hours apart — it lists
 * exactly the questions received on those days in the library's own time
 * zone; a policy search for a word no page has finds nothing, whatever
 * else the search holds; and an audit page's cursor that is not an entry id
 * reads the first page, as documented.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CALENDAR_DATES, EDGE_CHARS, EDGE_TEXTS, NUMBER_TEXTS, dateText, edgeText, withEdgeInside } from "../../bench/hostile/properties/edge-values";
import type { QuestionListResponse } from "../../src/shared/questions-api";
import { call } from "./helpers";
import { api, fileQuestion, homeLibrary, type ErrorBody } from "./question-fixtures";

const SEED = 20_260_302;

/** Texts the questions hold: wildcards, escapes, marks and scripts a search could trip on. */
const TEXTS = [
  "Census records 1900, 100% sure",
  "a_b and a%b and a\\b",
  "Zero\u200bwidth and bidi \u202egnp.exe\u202c",
  "emoji 👩‍🔬 and 🏳️‍🌈 flags",
  "مكتبة عامة: أين الكتب؟",
  "Cafe\u0301 or Café, ﬃ ligature, İstanbul",
  "Quote ' and \" and `back` ticks; -- comment",
  "Tab\tand\nnew line",
];
const NAMES = ["Ada", "Ñoño", "李小龙", "O'Brien", null];
const EMAILS = ["ada@patron.test", "o'brien+tag@example.org", "UPPER@Example.ORG", "under_score@x.test", null];

/** Instants at the edges of the calendar: year 0, the first centuries, the epoch, days clocks change, the last instant of 9999. */
const INSTANTS = [
  Date.parse("0000-01-01T00:00:00Z"),
  Date.parse("0000-12-31T12:00:00Z"),
  Date.parse("0050-06-15T12:00:00Z"),
  Date.parse("0099-12-31T23:59:59.999Z"),
  Date.parse("1969-12-31T23:59:59.999Z"),
  0,
  Date.parse("2024-02-29T12:00:00Z"),
  Date.parse("2024-03-10T07:59:59.999Z"),
  Date.parse("2024-03-10T08:00:00Z"),
  Date.parse("2024-11-03T05:30:00Z"),
  Date.parse("9999-12-31T00:00:00Z"),
  Date.parse("9999-12-31T23:59:59.999Z"),
];

/** Libraries whose days begin up to 26 hours apart. */
const ZONES = ["UTC", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "Asia/Kathmandu"];

interface Seeded {
  id: string;
  createdAt: number;
  texts: string[];
  email: string | null;
}

const libraries = await Promise.all(
  ZONES.map(async (timeZone, z) => {
    const home = await homeLibrary({ timeZone });
    const seeded: Seeded[] = [];
    for (const [i, createdAt] of INSTANTS.entries()) {
      const question = TEXTS[(i + z) % TEXTS.length]!;
      const line = TEXTS[(i + z + 3) % TEXTS.length]!;
      const patronName = NAMES[i % NAMES.length]!;
      const email = EMAILS[(i + z) % EMAILS.length]!;
      const { questionId } = await fileQuestion(home.library.id, { createdAt, question, patronName, patronEmail: email, transcriptOptOut: true, lines: [{ role: "patron", body: line }] });
      seeded.push({ id: questionId, createdAt, texts: [question, patronName ?? "", line], email });
    }
    return { timeZone, cookie: home.cookie, seeded };
  }),
);

const search = (cookie: string, params: Record<string, string>) => api<QuestionListResponse & ErrorBody>(`/api/questions?${new URLSearchParams({ list: "all", hidden: "include", size: "100", ...params })}`, cookie);

/** LIKE's idea of "contains": ASCII letters in either case, everything else as it is. */
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const likeContains = (text: string, part: string) => asciiLower(text).includes(asciiLower(part));

/** What a client's URL encoder sends for a string (lone surrogates become U+FFFD). */
const sent = (s: string) => new URLSearchParams({ v: s }).get("v")!;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const sorted = (ids: string[]) => [...ids].sort();

describe("the questions search finds exactly what holds the text, never everything", () => {
  const anyText = fc.oneof(
    fc.constantFrom(...TEXTS).chain((t) => fc.tuple(fc.nat({ max: t.length }), fc.nat({ max: 12 })).map(([from, n]) => t.slice(from, from + n + 1))),
    fc.constantFrom(...TEXTS).chain((t) => withEdgeInside(t.slice(0, 6))),
    fc.constantFrom(...EDGE_TEXTS),
    edgeText(8),
    fc.constantFrom(...EDGE_CHARS.control).map((c) => `${c}zz`),
  );

  it("for words in the question, the patron's name or the transcript", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...libraries.keys()), anyText, async (l, typed) => {
        const { cookie, seeded } = libraries[l]!;
        const q = sent(typed);
        const res = await search(cookie, { q });
        const wanted = q.trim();
        if (CONTROL.test(wanted) || wanted.length > 200) {
          expect(res.status, JSON.stringify(res.body)).toBe(400);
          expect(res.body.error.field).toBe("q");
          return;
        }
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const expected = seeded.filter((s) => wanted === "" || s.texts.some((t) => likeContains(sent(t), wanted))).map((s) => s.id);
        expect(sorted(res.body.questions.map((x) => x.id)), `q=${JSON.stringify(q)}`).toEqual(sorted(expected));
      }),
      { numRuns: 60, seed: SEED, endOnFailure: true },
    );
  });

  it("for the patron's e-mail address, or part of it", async () => {
    const part = fc.oneof(
      fc.constantFrom(...EMAILS.filter((e): e is string => e !== null)).chain((e) => fc.tuple(fc.nat({ max: e.length }), fc.nat({ max: 10 })).map(([from, n]) => e.slice(from, from + n + 1))),
      fc.constantFrom("%", "_", "\\", "%@%", "\u0000", "a\u0000", "'", "+"),
      edgeText(6),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...libraries.keys()), part, async (l, typed) => {
        const { cookie, seeded } = libraries[l]!;
        const email = sent(typed);
        const res = await search(cookie, { email });
        const wanted = email.trim().toLowerCase();
        if (CONTROL.test(wanted)) {
          expect(res.status, JSON.stringify(res.body)).toBe(400);
          expect(res.body.error.field).toBe("email");
          return;
        }
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const expected = seeded.filter((s) => wanted === "" || (s.email !== null && likeContains(s.email, wanted))).map((s) => s.id);
        expect(sorted(res.body.questions.map((x) => x.id)), `email=${JSON.stringify(email)}`).toEqual(sorted(expected));
      }),
      { numRuns: 30, seed: SEED, endOnFailure: true },
    );
  });
});

/** A calendar day's parts, or null when the text is not a real YYYY-MM-DD day. */
function realDay(text: string): [number, number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? [y, mo, d] : null;
}

/** The day an instant falls on in a time zone, as y·10⁴ + m·10² + d (year 0 is 1 BC: the era says so). */
function localDay(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, era: "short", year: "numeric", month: "numeric", day: "numeric" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const year = get("era").startsWith("B") ? 1 - Number(get("year")) : Number(get("year"));
  return year * 10_000 + Number(get("month")) * 100 + Number(get("day"));
}

describe("the questions search by date takes days in the library's time zone, at every edge of the calendar", () => {
  it("lists exactly the questions received from `from` to `to`, or refuses a day that is not one with the field named", async () => {
    const day = fc.oneof({ arbitrary: fc.constantFrom(...CALENDAR_DATES), weight: 2 }, { arbitrary: dateText(), weight: 2 }, { arbitrary: fc.constant(undefined), weight: 1 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...libraries.keys()), day, day, async (l, from, to) => {
        const { cookie, seeded, timeZone } = libraries[l]!;
        const res = await search(cookie, { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
        const [f, t] = [from === undefined || from === "" ? null : realDay(from), to === undefined || to === "" ? null : realDay(to)];
        const badFrom = from !== undefined && from !== "" && f === null;
        const badTo = to !== undefined && to !== "" && t === null;
        const asDay = (p: [number, number, number] | null) => (p ? p[0] * 10_000 + p[1] * 100 + p[2] : null);
        const [fromDay, toDay] = [asDay(f), asDay(t)];
        if (badFrom || badTo || (fromDay !== null && toDay !== null && fromDay > toDay)) {
          expect(res.status, JSON.stringify(res.body)).toBe(400);
          expect(res.body.error.field).toBe(badFrom ? "from" : "to");
          return;
        }
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const expected = seeded.filter((s) => {
          const d = localDay(s.createdAt, timeZone);
          return (fromDay === null || d >= fromDay) && (toDay === null || d <= toDay);
        });
        expect(sorted(res.body.questions.map((x) => x.id)), `from=${from} to=${to} in ${timeZone}`).toEqual(sorted(expected.map((s) => s.id)));
      }),
      { numRuns: 60, seed: SEED, endOnFailure: true },
    );
  });
});

describe("the policy search", () => {
  it("finds nothing for a word no page has, whatever marks, controls or wildcards surround it; refuses a search of no words", async () => {
    const { cookie, adminCookie, library } = await homeLibrary();
    const page = { sections: { borrowing: "<p>Census records and interlibrary loans. 100% of our renewals are online.</p>" }, quickAnswers: [{ title: "Hours", text: "Open every day" }] };
    const saved = await call(`/api/policies/${library.id}`, { method: "PUT", cookie: adminCookie, json: page });
    expect(saved.status, await saved.text()).toBe(200);
    const known = await call(`/api/policies/search?q=census`, { cookie });
    expect(((await known.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);

    const noise = fc.oneof(edgeText(6), fc.constantFrom(...EDGE_TEXTS), fc.constantFrom(...EDGE_CHARS.control));
    await fc.assert(
      fc.asyncProperty(noise, noise, fc.boolean(), async (before, after, withKnownWord) => {
        const q = sent(`${before}qqzxv${after}${withKnownWord ? " census" : ""}`);
        const res = await call(`/api/policies/search?${new URLSearchParams({ q })}`, { cookie });
        const body = (await res.json()) as { results?: unknown[] } & Partial<ErrorBody>;
        if (q.length > 200) {
          expect(res.status).toBe(400);
          return;
        }
        expect(res.status, JSON.stringify(body)).toBe(200);
        expect(body.results, `q=${JSON.stringify(q)}`).toEqual([]);
      }),
      { numRuns: 30, seed: SEED, endOnFailure: true },
    );
    // Nothing but marks and controls: no word to search for.
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom(...EDGE_CHARS.control, ...EDGE_CHARS.bidi, ...EDGE_CHARS.zeroWidth, ...EDGE_CHARS.wildcard, " "), minLength: 1, maxLength: 10 }), async (q) => {
        const res = await call(`/api/policies/search?${new URLSearchParams({ q })}`, { cookie });
        expect(res.status).toBe(400);
        expect(((await res.json()) as ErrorBody).error.field).toBe("q");
      }),
      { numRuns: 20, seed: SEED, endOnFailure: true },
    );
  });
});

describe("an audit page's cursor", () => {
  it("continues before an entry id; anything else — negative, fractional, Infinity, not a number — reads the first page", async () => {
    const { library, adminCookie } = await homeLibrary();
    for (const phone of ["555-0100", "555-0101", "555-0102", "555-0103"]) {
      const res = await call(`/api/admin/libraries/${library.id}/settings`, { method: "PATCH", cookie: adminCookie, json: { phone } });
      expect(res.status, await res.text()).toBe(200);
    }
    const page = async (before: string) => {
      const res = await call(`/api/admin/libraries/${library.id}/audit?${new URLSearchParams({ before })}`, { cookie: adminCookie });
      expect(res.status).toBe(200);
      return ((await res.json()) as { entries: { id: number }[] }).entries.map((e) => e.id);
    };
    const all = await page("");
    expect(all.length).toBeGreaterThanOrEqual(4);
    const cursor = fc.oneof(fc.constantFrom(...NUMBER_TEXTS, ...EDGE_TEXTS.slice(0, 20)), fc.constantFrom(...all).map(String), fc.integer({ min: -5, max: Math.max(...all) + 5 }).map(String));
    await fc.assert(
      fc.asyncProperty(cursor, async (before) => {
        const id = /^\d{1,15}$/.test(before.trim()) && Number(before) > 0 ? Number(before) : null;
        expect(await page(before), `before=${JSON.stringify(before)}`).toEqual(id === null ? all : all.filter((e) => e < id));
      }),
      { numRuns: 30, seed: SEED, endOnFailure: true },
    );
  });
});
