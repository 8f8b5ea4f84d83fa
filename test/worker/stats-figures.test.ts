/**
 * Statistics count exactly: a known set of chats, filed through the real
 * filing code, gives exact figures in every report — for a librarian, a
 * library, a cooperative — and the cooperative's rollups agree with counting
 * the facts directly, table for table.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { codeCells, hourCells, pairCells, peopleCells, windowOf, type CellQuery } from "../../src/stats/cells";
import { dayNumber } from "../../src/stats/local-time";
import { countUse } from "../../src/scripts/store";
import { resolveScope } from "../../src/stats/scope";
import type { Librarian } from "../../src/auth/librarian";
import type { StatsQuery } from "../../src/shared/stats-api";
import { SURVEY_QUESTION_KIND_LABELS, type SurveyQuestionKind } from "../../src/shared/survey";
import { fileChat, onlyRow, rowOf, statsApi, statsWorld, tableOf, type StatsWorld } from "./stats-fixtures";

const WEEK = "from=2025-03-03&to=2025-03-09";
let w: StatsWorld;
let sessions: Record<string, string>;

beforeAll(async () => {
  w = await statsWorld();
  const group = `group:${w.groupId}`;
  sessions = {
    // Monday 09:00 Chicago: an Alpha patron answered at home in 25 s, 10 minutes, rated 5.
    homeAnswered: await fileChat({ libraryId: w.a.id, at: "2025-03-03T15:00:00Z", waitS: 25, lengthS: 600, librarian: w.aLibrarian.librarian, codes: ["genealogy"], rating: 5, comment: "Very helpful, thanks" }),
    // Monday 10:30 Chicago: an Alpha patron rolled over to the cooperative, answered by Beta in 70 s.
    partnerAnswered: await fileChat({ libraryId: w.a.id, at: "2025-03-03T16:30:00Z", waitS: 70, lengthS: 300, librarian: w.bLibrarian.librarian, queueIds: [`lib:${w.a.id}`, group], acceptedQueueId: group, resolution: "followup_by_me", codes: ["genealogy", "research_help"], rating: 4 }),
    // Tuesday 23:30 Chicago (Wednesday in UTC): turned away.
    turnedAway: await fileChat({ libraryId: w.a.id, at: "2025-03-05T05:30:00Z", waitS: null, lengthS: 120, turnedAway: true, resolution: "lost_call", queueIds: [`lib:${w.a.id}`, group] }),
    // Wednesday 08:00 Chicago: the patron left while waiting.
    abandoned: await fileChat({ libraryId: w.a.id, at: "2025-03-05T14:00:00Z", waitS: null, lengthS: 40, resolution: "lost_call", origin: "https://www.alpha.example" }),
    // Wednesday 12:00 Chicago: practice (left out).
    practice: await fileChat({ libraryId: w.a.id, at: "2025-03-05T18:00:00Z", waitS: 5, librarian: w.aLibrarian.librarian, resolution: "practice" }),
    // Thursday 14:00 New York: a Beta patron answered at home in 5 s, 30 minutes, rated 3.
    betaAnswered: await fileChat({ libraryId: w.b.id, at: "2025-03-06T19:00:00Z", waitS: 5, lengthS: 1800, librarian: w.bLibrarian.librarian, codes: ["ready_reference"], rating: 3, comment: "Fine" }),
    // Friday 16:00 New York: answered, then ended by itself.
    betaIdle: await fileChat({ libraryId: w.b.id, at: "2025-03-07T21:00:00Z", waitS: 200, lengthS: 1900, librarian: w.bLibrarian.librarian, resolution: "auto_ended" }),
    // An outsider's chat, which no one in the cooperative may count.
    outsider: await fileChat({ libraryId: w.c.id, at: "2025-03-04T12:00:00Z", waitS: 12, librarian: w.cLibrarian.librarian, codes: ["genealogy"], rating: 1 }),
    // Saturday: spam (left out).
    spam: await fileChat({ libraryId: w.a.id, at: "2025-03-08T17:00:00Z", waitS: 3, librarian: w.aLibrarian2.librarian, resolution: "spam" }),
  };
});

const volume = (cookie: string, query: string) => statsApi(`/api/stats/volume?${WEEK}&${query}`, cookie);

describe("volume", () => {
  it("counts a library's patrons' chats and its librarians' answers, practice and spam left out", async () => {
    const r = await volume(w.aAdmin.cookie, "scope=library");
    expect(r.status).toBe(200);
    expect(r.body.timeZone).toBe("America/Chicago");
    expect(onlyRow(tableOf(r.body, "totals"))).toEqual({ requests: 4, answered: 2, turned_away: 1, abandoned: 1, auto_ended: 0, answered_share: 50, rolled_over: 2, partner_answered: 1 });
    const days = tableOf(r.body, "by-day");
    expect(days.columns[0]!.label).toBe("Day (America/Chicago)");
    expect(days.rows.map((row) => row.slice(0, 2))).toEqual([
      ["2025-03-03", 2],
      ["2025-03-04", 1],
      ["2025-03-05", 1],
      ["2025-03-06", 0],
      ["2025-03-07", 0],
      ["2025-03-08", 0],
      ["2025-03-09", 0],
    ]);
    expect(tableOf(r.body, "by-week").rows).toEqual([["2025-03-03", 4, 2, 1, 1, 0]]);
    expect(tableOf(r.body, "by-month").rows).toEqual([["2025-03", 4, 2, 1, 1, 0]]);
  });

  it("brings practice and spam back when asked", async () => {
    const r = await volume(w.aAdmin.cookie, "scope=library&leftOut=include");
    expect(onlyRow(tableOf(r.body, "totals")).requests).toBe(6);
  });

  it("counts a partner's answers for the answering library too", async () => {
    const r = await volume(w.bAdmin.cookie, "scope=library");
    expect(r.body.timeZone).toBe("America/New_York");
    expect(onlyRow(tableOf(r.body, "totals"))).toMatchObject({ requests: 3, answered: 3, auto_ended: 1, partner_answered: 1 });
  });

  it("counts the whole cooperative, and never an outsider's chat", async () => {
    const r = await volume(w.aGroupAdmin.cookie, `scope=group&group=${w.groupId}`);
    expect(r.status).toBe(200);
    // Two members, one in Chicago and one in New York: the tie goes to the first zone alphabetically.
    expect(r.body.timeZone).toBe("America/Chicago");
    expect(onlyRow(tableOf(r.body, "totals"))).toEqual({ requests: 6, answered: 4, turned_away: 1, abandoned: 1, auto_ended: 1, answered_share: 66.7, rolled_over: 2, partner_answered: 1 });
  });

  it("counts a librarian's own chats", async () => {
    const r = await volume(w.aLibrarian.cookie, "");
    expect(r.body.scope).toMatchObject({ kind: "me", id: w.aLibrarian.librarian.id });
    expect(onlyRow(tableOf(r.body, "totals"))).toMatchObject({ requests: 1, answered: 1 });
  });

  it("narrows by every filter", async () => {
    const count = async (query: string) => onlyRow(tableOf((await volume(w.aGroupAdmin.cookie, `scope=group&group=${w.groupId}&${query}`)).body, "totals")).requests;
    expect(await count(`library=${w.a.id}`)).toBe(4);
    expect(await count(`library=${w.b.id}`)).toBe(3);
    expect(await count(`queue=group:${w.groupId}`)).toBe(2);
    expect(await count(`queue=lib:${w.b.id}`)).toBe(2);
    expect(await count("source=qwidget")).toBe(1);
    expect(await count("source=hosted")).toBe(5);
    expect(await count(`site=${encodeURIComponent("https://www.alpha.example")}`)).toBe(1);
    expect(await count(`librarian=${w.bLibrarian.librarian.id}`)).toBe(3);
    expect(await count("resolution=lost_call")).toBe(2);
    expect(await count("code=genealogy")).toBe(2);
    expect(await count("answered=home")).toBe(3);
    expect(await count("answered=partner")).toBe(1);
    expect(await count("rating=5")).toBe(1);
    expect(await count("rating=rated")).toBe(3);
    expect(await count("rating=unrated")).toBe(1);
    expect(await count("resolution=practice&leftOut=include")).toBe(1);
  });
});

describe("the other reports", () => {
  it("when: by hour, weekday and hour of the week, in the report's zone", async () => {
    const r = (await statsApi(`/api/stats/when?${WEEK}&scope=group&group=${w.groupId}`, w.aGroupAdmin.cookie)).body;
    const hours = tableOf(r, "by-hour");
    expect(rowOf(hours, "09:00")).toMatchObject({ requests: 1, answered: 1 });
    expect(rowOf(hours, "23:00")).toMatchObject({ requests: 1, turned_away: 1 });
    // Beta's 14:00 in New York is 13:00 in the cooperative's Chicago.
    expect(rowOf(hours, "13:00")).toMatchObject({ requests: 1 });
    expect(rowOf(tableOf(r, "by-weekday"), "Tuesday")).toMatchObject({ requests: 1, per_day: 1 });
    expect(rowOf(tableOf(r, "heatmap"), "Monday")).toMatchObject({ h9: 1, h10: 1 });
  });

  it("waits: percentiles to the bin's edge, never beyond the longest; answered within", async () => {
    const r = (await statsApi(`/api/stats/waits?${WEEK}&scope=group&group=${w.groupId}`, w.aGroupAdmin.cookie)).body;
    // Answered waits: 5, 25, 70, 200 s.
    expect(onlyRow(tableOf(r, "overall"))).toEqual({
      answered: 4,
      wait_p50: 30,
      wait_p90: 200,
      wait_max: 200,
      wait_mean: 75,
      within_30: 50,
      within_60: 50,
      within_120: 75,
      duration_p50: 600,
      duration_p90: 1900,
      duration_max: 1900,
      duration_mean: 1150,
    });
    expect(rowOf(tableOf(r, "by-hour"), "09:00")).toMatchObject({ answered: 1, wait_p50: 25, wait_max: 25, within_30: 100 });
  });

  it("codes: resolutions and descriptive codes under their current labels", async () => {
    await env.DB.prepare("UPDATE descriptive_codes SET label = 'Family history', active = 0 WHERE library_id = ? AND code = 'genealogy'").bind(w.a.id).run();
    const r = (await statsApi(`/api/stats/codes?${WEEK}&scope=library`, w.aAdmin.cookie)).body;
    expect(tableOf(r, "resolutions").rows).toEqual([
      ["lost_call", "Lost call / patron left", 2, 50],
      ["answered", "Answered", 1, 25],
      ["followup_by_me", "Followup By Me", 1, 25],
    ]);
    expect(tableOf(r, "descriptive").rows).toEqual([
      ["genealogy", "Family history", 2, 50],
      ["research_help", "Research help", 1, 25],
    ]);
    const trend = tableOf(r, "trend");
    expect(trend.columns.map((c) => c.label)).toEqual(["Week starting (America/Chicago)", "Family history", "Research help"]);
    expect(trend.rows).toEqual([["2025-03-03", 2, 1]]);
  });

  it("people: each librarian's chats, waits and ratings", async () => {
    const r = (await statsApi(`/api/stats/people?${WEEK}&scope=group&group=${w.groupId}`, w.aGroupAdmin.cookie)).body;
    const people = tableOf(r, "librarians");
    expect(rowOf(people, "Bob")).toEqual({ librarian: "Bob", library: "Beta Library", chats: 3, wait_p50: 90, wait_mean: 92, wait_min: 5, wait_max: 200, duration_p50: 1800, rated: 2, rating_mean: 3.5 });
    expect(rowOf(people, "Ann")).toMatchObject({ chats: 1, wait_min: 25, wait_max: 25, rated: 1, rating_mean: 5 });
    expect(people.rows.map((row) => row[0])).not.toContain("Cy");
  });

  it("people: how often each script was used, the scripts each scope keeps and no one's personal ones", async () => {
    const script = async (row: { scope: "library" | "group" | "personal"; libraryId?: string; groupId?: string; ownerId?: string; title: string; category?: string }) => {
      const r = await env.DB.prepare("INSERT INTO canned_messages (scope, library_id, group_id, owner_id, category, title, body) VALUES (?, ?, ?, ?, ?, ?, 'Text') RETURNING id")
        .bind(row.scope, row.libraryId ?? null, row.groupId ?? null, row.ownerId ?? null, row.category ?? "", row.title)
        .first<{ id: number }>();
      return r!.id;
    };
    const use = async (id: number, times: number, at: string) => {
      for (let i = 0; i < times; i++) await countUse(env.DB, id, Date.parse(at));
    };
    // Monday 21:00 in Chicago is Tuesday 03:00 in UTC: the day is the report zone's.
    await use(await script({ scope: "library", libraryId: w.a.id, title: "Welcome", category: "Greetings" }), 7, "2025-03-04T03:00:00Z");
    await script({ scope: "library", libraryId: w.a.id, title: "Never used" });
    await use(await script({ scope: "library", libraryId: w.b.id, title: "Beta hours" }), 5, "2025-03-06T15:00:00Z");
    await use(await script({ scope: "group", groupId: w.groupId, title: "Rolled over to us" }), 3, "2025-03-05T15:00:00Z");
    await use(await script({ scope: "personal", libraryId: w.a.id, ownerId: w.aLibrarian.librarian.id, title: "Ann's sign-off" }), 2, "2025-03-05T15:00:00Z");
    await use(await script({ scope: "library", libraryId: w.c.id, title: "Gamma only" }), 9, "2025-03-05T15:00:00Z");
    const scripts = async (cookie: string, query: string) => tableOf((await statsApi(`/api/stats/people?${WEEK}&${query}`, cookie)).body, "scripts").rows;

    expect(await scripts(w.aAdmin.cookie, "scope=library")).toEqual([
      ["Welcome", "Alpha Library", "Greetings", 7, "2025-03-03"],
      ["Never used", "Alpha Library", "", 0, null],
    ]);
    expect(await scripts(w.aGroupAdmin.cookie, "scope=group")).toEqual([
      ["Welcome", "Alpha Library", "Greetings", 7, "2025-03-03"],
      ["Beta hours", "Beta Library", "", 5, "2025-03-06"],
      ["Rolled over to us", "Alpha–Beta Cooperative (cooperative)", "", 3, "2025-03-05"],
      ["Never used", "Alpha Library", "", 0, null],
    ]);
    expect(await scripts(w.aGroupAdmin.cookie, `scope=group&library=${w.b.id}`)).toEqual([["Beta hours", "Beta Library", "", 5, "2025-03-06"]]);
    expect(await scripts(w.aLibrarian.cookie, "")).toEqual([["Ann's sign-off", "Personal", "", 2, "2025-03-05"]]);
    expect(await scripts(w.bAdmin.cookie, "scope=library")).toEqual([["Beta hours", "Beta Library", "", 5, "2025-03-06"]]);
    // The count is the script's, since it was made: a range without any use still shows it.
    expect((await statsApi(`/api/stats/people?from=2024-01-01&to=2024-01-31&scope=library`, w.bAdmin.cookie)).body.tables.find((t) => t.id === "scripts")!.rows).toEqual([["Beta hours", "Beta Library", "", 5, "2025-03-06"]]);
  });

  it("cooperative: who answered whose patrons, the balance, roll-overs", async () => {
    const r = (await statsApi(`/api/stats/cooperative?${WEEK}&scope=group&group=${w.groupId}`, w.aGroupAdmin.cookie)).body;
    const matrix = tableOf(r, "matrix");
    expect(matrix.columns.map((c) => c.label)).toEqual(["Patron's library", "Answered by Alpha Library", "Answered by Beta Library", "Not answered", "Requests"]);
    expect(matrix.rows).toEqual([
      ["Alpha Library", 1, 1, 2, 4],
      ["Beta Library", 0, 2, 0, 2],
    ]);
    expect(tableOf(r, "balance").rows).toEqual([
      ["Alpha Library", 1, 0, 1, -1],
      ["Beta Library", 2, 1, 0, 1],
    ]);
    expect(rowOf(tableOf(r, "rollovers"), "Alpha Library")).toEqual({ library: "Alpha Library", requests: 4, rolled_over: 2, answered_home: 0, answered_partner: 1, not_answered: 1 });
    // Where they went: one to Beta, one to nobody.
    expect([...tableOf(r, "rollover-destinations").rows].sort()).toEqual([
      ["Alpha Library", "Beta Library", 1],
      ["Alpha Library", "Nobody", 1],
    ]);
  });

  it("feedback: the ratings, by library and librarian, and comments for the patrons' own library only", async () => {
    const a = (await statsApi(`/api/stats/feedback?${WEEK}&scope=library`, w.aAdmin.cookie)).body;
    expect(tableOf(a, "distribution").rows).toEqual([
      ["1", 0, 0],
      ["2", 0, 0],
      ["3", 0, 0],
      ["4", 1, 50],
      ["5", 1, 50],
    ]);
    expect(a.comments).toEqual([{ date: "2025-03-03", rating: 5, librarian: "Ann", library: "Alpha Library", comment: "Very helpful, thanks" }]);
    // Beta answered an Alpha patron: Beta counts the rating, never sees the patron's words.
    const b = (await statsApi(`/api/stats/feedback?${WEEK}&scope=library`, w.bAdmin.cookie)).body;
    expect(rowOf(tableOf(b, "by-librarian"), "Bob")).toMatchObject({ rated: 2, mean: 3.5 });
    expect(b.comments?.map((c) => c.comment)).toEqual(["Fine"]);
    // A librarian sees the ratings of their own chats, no comments.
    const own = (await statsApi(`/api/stats/feedback?${WEEK}`, w.aLibrarian.cookie)).body;
    expect(own.comments).toBeNull();
    expect(JSON.stringify(own)).not.toContain("Very helpful");
  });
});

describe("survey answers", () => {
  const answer = (sessionId: string, libraryId: string, questionId: string, question: string, kind: SurveyQuestionKind, answerNumber: number | null, answerText: string | null) =>
    env.DB.prepare("INSERT INTO survey_answers (session_id, question_id, library_id, form_id, question, kind, answer_number, answer_text, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)").bind(sessionId, questionId, libraryId, question, kind, answerNumber, answerText, Date.parse("2025-03-09T12:00:00Z"));
  const { scale, choice, text } = SURVEY_QUESTION_KIND_LABELS;

  beforeAll(async () => {
    await env.DB.batch([
      answer(sessions.homeAnswered!, w.a.id, "q1", "How easy was it?", "scale", 5, null),
      answer(sessions.homeAnswered!, w.a.id, "q2", "How did you find us?", "choice", 1, "Library website"),
      answer(sessions.homeAnswered!, w.a.id, "q3", "Anything else?", "text", null, "Call me at 555-0100"),
      answer(sessions.partnerAnswered!, w.a.id, "q1", "How easy was it?", "scale", 3, null),
      answer(sessions.partnerAnswered!, w.a.id, "q2", "How did you find us?", "choice", 0, "A friend"),
      answer(sessions.practice!, w.a.id, "q1", "How easy was it?", "scale", 1, null),
      answer(sessions.betaAnswered!, w.b.id, "q1", "Would you come back?", "scale", 4, null),
      answer(sessions.outsider!, w.c.id, "q1", "How easy was it?", "scale", 2, null),
    ]);
  });
  const survey = async (cookie: string, query: string) => {
    const r = await statsApi(`/api/stats/feedback?${WEEK}&${query}`, cookie);
    expect(r.text).not.toContain("555-0100");
    return { questions: tableOf(r.body, "survey-questions"), answers: tableOf(r.body, "survey-answers").rows };
  };

  it("a library sees its own survey's answers over the chats it counts: each question's mean and spread, written answers counted only", async () => {
    const a = await survey(w.aAdmin.cookie, "scope=library");
    expect(a.questions.rows).toEqual([
      ["Anything else?", "Alpha Library", text, 1, null],
      ["How did you find us?", "Alpha Library", choice, 2, null],
      ["How easy was it?", "Alpha Library", scale, 2, 4],
    ]);
    expect(a.answers).toEqual([
      ["Anything else?", "Alpha Library", "A written answer (not shown)", 1, 100],
      ["How did you find us?", "Alpha Library", "A friend", 1, 50],
      ["How did you find us?", "Alpha Library", "Library website", 1, 50],
      ["How easy was it?", "Alpha Library", "3", 1, 50],
      ["How easy was it?", "Alpha Library", "5", 1, 50],
    ]);
    // Practice is left out unless asked for, as everywhere; the filters narrow the answers too.
    expect(rowOf((await survey(w.aAdmin.cookie, "scope=library&leftOut=include")).questions, "How easy was it?")).toMatchObject({ answers: 3, mean: 3 });
    expect((await survey(w.aAdmin.cookie, "scope=library&answered=partner")).answers).toEqual([
      ["How did you find us?", "Alpha Library", "A friend", 1, 100],
      ["How easy was it?", "Alpha Library", "3", 1, 100],
    ]);
  });

  it("a partner that answered counts the ratings, never the other library's survey; a librarian sees their own chats'; a cooperative one member's at a time", async () => {
    expect((await survey(w.bAdmin.cookie, "scope=library")).questions.rows).toEqual([["Would you come back?", "Beta Library", scale, 1, 4]]);
    expect((await survey(w.bLibrarian.cookie, "")).questions.rows).toEqual([
      ["How did you find us?", "Alpha Library", choice, 1, null],
      ["How easy was it?", "Alpha Library", scale, 1, 3],
      ["Would you come back?", "Beta Library", scale, 1, 4],
    ]);
    const whole = await survey(w.aGroupAdmin.cookie, "scope=group");
    expect(whole.questions.rows).toEqual([]);
    expect(whole.questions.description).toContain("Choose one member library");
    expect((await survey(w.aGroupAdmin.cookie, `scope=group&library=${w.b.id}`)).questions.rows).toEqual([["Would you come back?", "Beta Library", scale, 1, 4]]);
  });
});

describe("both ways of counting agree", () => {
  it("the cooperative's rollups, whole and in every slice, give the very cells counting its facts gives", async () => {
    const viewer = (await env.DB.prepare("SELECT id, library_id AS libraryId, display_name AS displayName, email, role FROM librarians WHERE id = ?").bind(w.aGroupAdmin.librarian.id).first()) as unknown as Librarian;
    const filters: Partial<StatsQuery>[] = [
      {},
      { resolution: "lost_call" },
      { resolution: "followup_by_me" },
      { source: "qwidget" },
      { source: "hosted" },
      { answered: "home" },
      { answered: "partner" },
      { queue: `group:${w.groupId}` },
      { code: "genealogy" },
      { code: "research_help" },
      { rating: "5" },
      { rating: "rated" },
      { rating: "unrated" },
    ];
    let nonEmpty = 0;
    for (const leftOut of ["exclude", "include"] as const) {
      for (const filter of filters) {
        const q = { scope: "group" as const, group: w.groupId, leftOut, ...filter };
        const scope = await resolveScope(env.DB, viewer, q);
        expect(scope.slice, JSON.stringify(filter)).not.toBeNull();
        const rollups: CellQuery = { d1: env.DB, scope, q, window: windowOf(scope.zone, dayNumber("2025-03-01"), dayNumber("2025-03-31")) };
        const facts: CellQuery = { ...rollups, scope: { ...scope, slice: null } };
        const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
        for (const grouping of ["total", "day", "hour", "weekday-hour", "day-hour"] as const) {
          expect(sorted(await hourCells(rollups, grouping)), `${JSON.stringify(filter)} ${grouping}`).toEqual(sorted(await hourCells(facts, grouping)));
        }
        for (const unit of ["week", "month"] as const) expect(sorted(await codeCells(rollups, unit))).toEqual(sorted(await codeCells(facts, unit)));
        expect(sorted(await pairCells(rollups))).toEqual(sorted(await pairCells(facts)));
        expect(sorted(await peopleCells(rollups))).toEqual(sorted(await peopleCells(facts)));
        if ((await hourCells(rollups, "total")).length > 0) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(20);
  });

  it("two filters that cut across the cooperative at once are counted from the facts", async () => {
    const viewer = (await env.DB.prepare("SELECT id, library_id AS libraryId, display_name AS displayName, email, role FROM librarians WHERE id = ?").bind(w.aGroupAdmin.librarian.id).first()) as unknown as Librarian;
    expect((await resolveScope(env.DB, viewer, { scope: "group", group: w.groupId, code: "genealogy", rating: "5" })).slice).toBeNull();
    expect((await resolveScope(env.DB, viewer, { scope: "group", group: w.groupId, library: w.a.id })).slice).toBeNull();
    const r = await statsApi(`/api/stats/volume?${WEEK}&scope=group&group=${w.groupId}&code=genealogy&rating=5`, w.aGroupAdmin.cookie);
    expect(onlyRow(tableOf(r.body, "totals")).requests).toBe(1);
  });

  it("a chat filed twice counts once", async () => {
    const before = await env.DB.prepare("SELECT sum(requests) AS n FROM stat_group_hours WHERE group_id = ?").bind(w.groupId).first<{ n: number }>();
    const row = await env.DB.prepare("SELECT * FROM chat_sessions WHERE id = ?").bind(sessions.homeAnswered).first();
    expect(row).toBeTruthy();
    const { fileEndedSession } = await import("../../src/questions/file-session");
    const fact = await env.DB.prepare("SELECT * FROM stat_chats WHERE session_id = ?").bind(sessions.homeAnswered).first<Record<string, number | string>>();
    await fileEndedSession(env, {
      sessionId: sessions.homeAnswered!,
      libraryId: w.a.id,
      question: "A question",
      patronName: "Ada Patron",
      patronEmail: null,
      transcriptOptOut: true,
      librarian: { id: w.aLibrarian.librarian.id, name: "Ann", libraryId: w.a.id },
      resolution: "answered",
      descriptiveCodes: ["genealogy"],
      note: null,
      source: "chat",
      messages: [],
      createdAt: Number(fact!.created_at),
      acceptedAt: Number(fact!.accepted_at),
      endedAt: Number(fact!.ended_at),
    });
    const after = await env.DB.prepare("SELECT sum(requests) AS n FROM stat_group_hours WHERE group_id = ?").bind(w.groupId).first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM stat_chats WHERE session_id = ?").bind(sessions.homeAnswered).first<{ n: number }>()).toEqual({ n: 1 });
  });
});
