/**
 * Lists, search and paging: the text of the question and of the whole
 * transcript, the patron's e-mail, days in the library's own time zone,
 * codes, librarians; newest or oldest first; pages that add up; bounds that
 * are refused with the field named; spam left out unless asked for.
 */
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/shared/limits";
import type { QuestionListResponse } from "../../src/shared/questions-api";
import { api, asRef, fileQuestion, homeLibrary, type ErrorBody } from "./question-fixtures";

// Chicago: 2026-03-10 04:30 UTC is still the evening of 9 March there (CDT, UTC−5).
const home = await homeLibrary({ timeZone: "America/Chicago" });
const at = (iso: string) => Date.parse(iso);

const lateOnThe9th = await fileQuestion(home.library.id, { createdAt: at("2026-03-10T04:30:00Z"), question: "Evening question about bus routes", patronEmail: "ada@patron.test" });
const earlyOnThe10th = await fileQuestion(home.library.id, { createdAt: at("2026-03-10T05:30:00Z"), question: "Midnight question about parking", patronEmail: "grace@other.test" });
const inTranscript = await fileQuestion(home.library.id, {
  createdAt: at("2026-03-11T15:00:00Z"),
  question: "Can you help me with a map?",
  lines: [{ role: "patron", body: "I need a 1900 plat map of Springfield township." }],
  patronEmail: "ada@patron.test",
});
const coded = await fileQuestion(home.library.id, {
  createdAt: at("2026-03-12T15:00:00Z"),
  question: "Family tree research, 100% stuck",
  resolution: "followup_by_me",
  librarian: asRef(home.colleague),
  descriptiveCodes: ["genealogy", "local_history"],
  patronEmail: "ada@patron.test",
});
const spam = await fileQuestion(home.library.id, { createdAt: at("2026-03-13T15:00:00Z"), question: "BUY CHEAP WATCHES", resolution: "spam", librarian: asRef(home.librarian) });

const search = (query: string) => api<QuestionListResponse & ErrorBody>(`/api/questions?${query}`, home.cookie);
const ids = (r: { body: QuestionListResponse }) => r.body.questions.map((q) => q.id);

describe("searching", () => {
  it("finds words in the question and anywhere in the transcript", async () => {
    expect(ids(await search("list=all&q=plat map"))).toEqual([inTranscript.questionId]);
    expect(ids(await search("list=all&q=BUS ROUTES"))).toEqual([lateOnThe9th.questionId]);
    // The search text is taken literally: "%" is not a wildcard.
    expect(ids(await search(`list=all&q=${encodeURIComponent("100%")}`))).toEqual([coded.questionId]);
    expect(ids(await search("list=all&q=nothing-like-this"))).toEqual([]);
  });

  it("finds by the patron's e-mail address, or part of it", async () => {
    expect(ids(await search("list=all&email=other.test"))).toEqual([earlyOnThe10th.questionId]);
    expect(ids(await search("list=all&email=ADA@patron.test&order=oldest"))).toEqual([lateOnThe9th.questionId, inTranscript.questionId, coded.questionId]);
  });

  it("takes dates as days in the library's time zone", async () => {
    expect(ids(await search("list=all&from=2026-03-09&to=2026-03-09"))).toEqual([lateOnThe9th.questionId]);
    expect(ids(await search("list=all&from=2026-03-10&to=2026-03-10"))).toEqual([earlyOnThe10th.questionId]);
    expect(ids(await search("list=all&from=2026-03-11&order=oldest"))).toEqual([inTranscript.questionId, coded.questionId]);
    expect(ids(await search("list=all&to=2026-03-10&order=oldest"))).toEqual([lateOnThe9th.questionId, earlyOnThe10th.questionId]);
  });

  it("finds by descriptive code, resolution code and librarian (owner or the one who chatted)", async () => {
    expect(ids(await search("list=all&code=local_history"))).toEqual([coded.questionId]);
    expect(ids(await search("list=all&resolution=followup_by_me"))).toEqual([coded.questionId]);
    expect(ids(await search(`list=all&librarian=${home.colleague.id}`))).toEqual([coded.questionId]);
    expect(ids(await search(`list=all&librarian=${home.librarian.id}&hidden=include`))).toEqual([spam.questionId]);
  });

  it("combines filters, and counts each list under the same search", async () => {
    const res = await search("list=new&email=patron.test");
    expect(ids(res)).toEqual([inTranscript.questionId, lateOnThe9th.questionId]);
    expect(res.body.counts).toEqual({ new: 2, mine: 0, pending: 1, answered: 0, closed: 0, all: 3 });
    expect(res.body.total).toBe(2);
    const colleagueView = await api<QuestionListResponse>("/api/questions?list=mine", home.colleagueCookie);
    expect(ids(colleagueView)).toEqual([coded.questionId]);
  });

  it("leaves spam out unless asked for", async () => {
    expect(ids(await search("list=all&q=WATCHES"))).toEqual([]);
    expect(ids(await search("list=all&q=WATCHES&hidden=include"))).toEqual([spam.questionId]);
    expect(ids(await search("list=all&hidden=only"))).toEqual([spam.questionId]);
    expect((await search("list=closed")).body.counts.closed).toBe(0);
  });
});

// A library of its own for paging: 23 new questions a minute apart.
const paging = await homeLibrary();
const filed: string[] = [];
for (let i = 0; i < 23; i++) filed.push((await fileQuestion(paging.library.id, { createdAt: at("2026-05-01T12:00:00Z") + i * 60_000, question: `Paging question ${i}` })).questionId);

describe("order and paging", () => {
  const page = (query: string) => api<QuestionListResponse & ErrorBody>(`/api/questions?list=new&${query}`, paging.cookie);

  it("shows newest first unless asked for oldest", async () => {
    expect(ids(await page("size=3"))).toEqual(filed.slice(-3).reverse());
    expect(ids(await page("size=3&order=oldest"))).toEqual(filed.slice(0, 3));
  });

  it("walks every page once, in order, with the total and the number of pages", async () => {
    const seen: string[] = [];
    for (let p = 1; p <= 5; p++) {
      const res = await page(`size=5&page=${p}&order=oldest`);
      expect(res.body).toMatchObject({ page: p, size: 5, total: 23, pages: 5 });
      expect(res.body.questions.length).toBe(p < 5 ? 5 : 3);
      seen.push(...ids(res));
    }
    expect(seen).toEqual(filed);
    expect(ids(await page("size=5&page=6"))).toEqual([]);
    expect((await page("")).body.size).toBe(LIMITS.questionPageSize);
  });

  it("refuses pages and sizes out of bounds, unknown lists and bad dates, naming the field", async () => {
    const bad: [string, string][] = [
      [`size=${LIMITS.questionPageSizeMax + 1}`, "size"],
      ["size=0", "size"],
      ["page=0", "page"],
      ["page=two", "page"],
      ["list=everything", "list"],
      ["order=random", "order"],
      ["from=2026-02-30", "from"],
      ["from=March", "from"],
      ["from=2026-03-10&to=2026-03-09", "to"],
      [`q=${"x".repeat(LIMITS.searchChars + 1)}`, "q"],
      ["code=Not A Code", "code"],
      ["resolution=maybe", "resolution"],
      ["hidden=all", "hidden"],
    ];
    for (const [query, field] of bad) {
      const res = await api<ErrorBody>(`/api/questions?${query}`, paging.cookie);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toMatchObject({ code: "validation_failed", field });
    }
  });
});
