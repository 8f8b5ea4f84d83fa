/**
 * Live and lasting: a chat ended through the real session object is counted
 * the moment it is filed, a turned-away request too; the patron's rating and a
 * librarian recoding the question change the figures at once; coverage comes
 * from monitoring stretches (a person on two queues counted once, every
 * stretch exactly once however many readers race); planning puts demand,
 * staffing, failures and the schedule side by side; and the facts keep no
 * personal data and survive the privacy scrub.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { catchUpPresence } from "../../src/stats/presence-catch-up";
import { dateOf, dayNumber, localCell } from "../../src/stats/local-time";
import { runPrivacyScrub } from "../../src/privacy/scrub";
import { accept, call, closeSocket, createForm, createLibrarian, createLibrary, endChat, monitorQueue, signIn, startChat } from "./helpers";
import { fileChat, monitoringSpan, onlyRow, rowOf, statsApi, statsWorld, tableOf, type StatsWorld } from "./stats-fixtures";

let w: StatsWorld;

beforeAll(async () => {
  w = await statsWorld();
});

const today = (zone: string) => dateOf(localCell(zone, Date.now()).day);

describe("live", () => {
  it("counts a chat the moment it ends, its rating the moment it is given, and a recoded question at once", async () => {
    const formId = await createForm(w.a.id);
    const monitor = await monitorQueue(w.a.queueId, w.aLibrarian.cookie);
    const chat = await startChat(formId, { name: "Ada Lovelace", email: "ada@patron.test" });
    expect(chat.status).toBe("waiting");
    expect((await accept(chat.sessionId, w.aLibrarian.cookie)).status).toBe(200);
    expect((await endChat(chat.sessionId, w.aLibrarian.cookie, { resolution: "answered", descriptiveCodes: ["genealogy"] })).status).toBe(200);
    await closeSocket(monitor);
    const day = today("America/Chicago");
    const volume = async () => onlyRow(tableOf((await statsApi(`/api/stats/volume?scope=library&from=${day}&to=${day}`, w.aAdmin.cookie)).body, "totals"));
    expect(await volume()).toMatchObject({ requests: 1, answered: 1 });
    // The group rollup has it too.
    const group = onlyRow(tableOf((await statsApi(`/api/stats/volume?scope=group&group=${w.groupId}&from=${day}&to=${day}`, w.aGroupAdmin.cookie)).body, "totals"));
    expect(group).toMatchObject({ requests: 1, answered: 1 });

    const rated = await call(`/api/chats/${chat.sessionId}/rating`, { method: "POST", headers: { Authorization: `Bearer ${chat.token}` }, json: { rating: 2, comment: "Slow answer" } });
    expect(rated.status).toBe(200);
    const feedback = (await statsApi(`/api/stats/feedback?scope=group&group=${w.groupId}&from=${day}&to=${day}`, w.aGroupAdmin.cookie)).body;
    expect(rowOf(tableOf(feedback, "distribution"), "2")).toMatchObject({ chats: 1 });
    // Rating again replaces the rating, in the figures too.
    await call(`/api/chats/${chat.sessionId}/rating`, { method: "POST", headers: { Authorization: `Bearer ${chat.token}` }, json: { rating: 5 } });
    const again = (await statsApi(`/api/stats/feedback?scope=group&group=${w.groupId}&from=${day}&to=${day}`, w.aGroupAdmin.cookie)).body;
    expect(tableOf(again, "distribution").rows.map((r) => r[1])).toEqual([0, 0, 0, 0, 1]);

    const recoded = await call(`/api/questions/q-${chat.sessionId}/codes`, { method: "PUT", cookie: w.aLibrarian.cookie, json: { resolution: "practice", descriptiveCodes: ["research_help"] } });
    expect(recoded.status).toBeLessThan(300);
    expect(await volume()).toMatchObject({ requests: 0 });
    const codes = (await statsApi(`/api/stats/codes?scope=group&group=${w.groupId}&from=${day}&to=${day}&leftOut=include`, w.aGroupAdmin.cookie)).body;
    expect(tableOf(codes, "resolutions").rows).toEqual([["practice", "Practice", 1, 100]]);
    expect(tableOf(codes, "descriptive").rows.map((r) => r[0])).toEqual(["research_help"]);
    expect(onlyRow(tableOf((await statsApi(`/api/stats/volume?scope=group&group=${w.groupId}&from=${day}&to=${day}`, w.aGroupAdmin.cookie)).body, "totals")).requests).toBe(0);
  });

  it("counts a patron's survey answers the moment they are given, written answers never shown", async () => {
    const formId = await createForm(w.a.id);
    const survey = {
      mode: "survey",
      questions: [
        { id: "q1", text: "How easy was it to ask?", kind: "scale", options: [], required: true },
        { id: "q2", text: "How did you find us?", kind: "choice", options: ["Search engine", "Library website"], required: false },
        { id: "q3", text: "Anything else?", kind: "text", options: [], required: false },
      ],
    };
    await env.DB.prepare("UPDATE forms SET survey = ? WHERE id = ?").bind(JSON.stringify(survey), formId).run();
    const monitor = await monitorQueue(w.a.queueId, w.aLibrarian.cookie);
    const chat = await startChat(formId, { name: "Grace Hopper", email: "grace@patron.test" });
    expect((await accept(chat.sessionId, w.aLibrarian.cookie)).status).toBe(200);
    expect((await endChat(chat.sessionId, w.aLibrarian.cookie, { resolution: "answered", descriptiveCodes: [] })).status).toBe(200);
    await closeSocket(monitor);
    const rated = await call(`/api/chats/${chat.sessionId}/rating`, { method: "POST", headers: { Authorization: `Bearer ${chat.token}` }, json: { rating: 4, answers: { q1: 4, q2: "Library website", q3: "My card is 1234" } } });
    expect(rated.status, await rated.text()).toBe(200);
    const day = today("America/Chicago");
    const r = await statsApi(`/api/stats/feedback?scope=library&from=${day}&to=${day}`, w.aAdmin.cookie);
    expect(tableOf(r.body, "survey-questions").rows.map((row) => [row[0], row[3], row[4]])).toEqual([
      ["Anything else?", 1, null],
      ["How did you find us?", 1, null],
      ["How easy was it to ask?", 1, 4],
    ]);
    expect(rowOf(tableOf(r.body, "survey-answers"), "How did you find us?")).toMatchObject({ answer: "Library website", answers: 1, share: 100 });
    expect(r.text).not.toContain("My card is 1234");
    const csv = await statsApi(`/api/stats/feedback/survey-answers.csv?scope=library&from=${day}&to=${day}`, w.aAdmin.cookie);
    expect(csv.text).not.toContain("1234");
  });

  it("counts a request turned away because nobody was monitoring", async () => {
    const formId = await createForm(w.b.id);
    const chat = await startChat(formId);
    expect(chat.status).toBe("unavailable");
    const left = await call(`/api/chats/${chat.sessionId}/leave-question`, { method: "POST", headers: { Authorization: `Bearer ${chat.token}` }, json: { email: "pat@patron.test" } });
    expect(left.status).toBe(200);
    const day = today("America/New_York");
    expect(onlyRow(tableOf((await statsApi(`/api/stats/volume?scope=library&from=${day}&to=${day}`, w.bAdmin.cookie)).body, "totals"))).toMatchObject({ requests: 1, turned_away: 1, answered: 0 });
  });

  it("keeps the figures past the privacy scrub, while the patron's comment goes with the chat", async () => {
    const library = await createLibrary({ name: "Scrubbed Library", timeZone: "UTC" });
    const admin = await createLibrarian(library.id, "Sue", "library_admin");
    const cookie = await signIn(admin);
    const at = "2025-01-06T12:00:00Z";
    await fileChat({ libraryId: library.id, at, librarian: admin, codes: ["genealogy"], rating: 4, comment: "Helpful, my name is Ada Lovelace" });
    await fileChat({ libraryId: library.id, at: "2025-01-06T13:00:00Z", waitS: null, turnedAway: true });
    const figures = async () => {
      const query = "scope=library&from=2025-01-06&to=2025-01-06";
      const [volume, codes, feedback] = await Promise.all(["volume", "codes", "feedback"].map(async (r) => (await statsApi(`/api/stats/${r}?${query}`, cookie)).body));
      return { totals: onlyRow(tableOf(volume!, "totals")), codes: tableOf(codes!, "descriptive").rows, ratings: tableOf(feedback!, "distribution").rows, comments: feedback!.comments?.map((c) => c.comment) };
    };
    const before = await figures();
    expect(before.totals).toMatchObject({ requests: 2, answered: 1, turned_away: 1 });
    expect(before.comments).toEqual(["Helpful, my name is Ada Lovelace"]);
    // The scrub runs well past the library's retention period (30 days).
    await runPrivacyScrub(env, Date.parse(at) + 60 * 86_400_000, 200);
    const scrubbed = await env.DB.prepare("SELECT count(*) AS n FROM chat_sessions WHERE library_id = ? AND scrubbed_at IS NOT NULL").bind(library.id).first<{ n: number }>();
    expect(scrubbed!.n).toBe(2);
    const after = await figures();
    expect(after.comments).toEqual([]);
    expect({ ...after, comments: before.comments }).toEqual(before);
  });

  it("keeps no name, address or text in any statistics table", async () => {
    const tables = (await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'stat_%'").all<{ name: string }>()).results.map((t) => t.name);
    expect(tables.length).toBeGreaterThanOrEqual(10);
    for (const t of tables) {
      const dump = JSON.stringify((await env.DB.prepare(`SELECT * FROM ${t}`).all()).results);
      for (const personal of ["Ada", "Lovelace", "ada@patron.test", "pat@patron.test", "census", "Slow answer", "A question", "Helpful, my name"]) expect(dump, `${t} holds ${personal}`).not.toContain(personal);
    }
  });
});

describe("coverage from presence", () => {
  beforeAll(async () => {
    // Ann monitors Alpha's queue 09:00–11:00 and the cooperative's 10:00–12:00 (Chicago, 3 March): three hours as a person.
    await monitoringSpan(w.aLibrarian.librarian, w.a.queueId, "2025-03-03T15:00:00Z", "2025-03-03T17:00:00Z");
    await monitoringSpan(w.aLibrarian.librarian, `group:${w.groupId}`, "2025-03-03T16:00:00Z", "2025-03-03T18:00:00Z");
    // Bob monitors the cooperative's queue 18:00–20:00 New York (17:00–19:00 Chicago).
    await monitoringSpan(w.bLibrarian.librarian, `group:${w.groupId}`, "2025-03-03T23:00:00Z", "2025-03-04T01:00:00Z");
    // The outsider monitors their own queue: never in the cooperative's figures.
    await monitoringSpan(w.cLibrarian.librarian, w.c.queueId, "2025-03-03T15:00:00Z", "2025-03-03T23:00:00Z");
  });

  it("counts each stretch once, however many readers race", async () => {
    const counted = await Promise.all([catchUpPresence(env.DB), catchUpPresence(env.DB), catchUpPresence(env.DB)]);
    expect(counted.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
    await catchUpPresence(env.DB);
    // (The live test's monitor wrote a stretch of today for Ann too: only 3 March is looked at.)
    const total = await env.DB.prepare("SELECT sum(queue_ms) AS q, sum(person_ms) AS p FROM stat_presence_hours WHERE librarian_id = ? AND local_day = ?")
      .bind(w.aLibrarian.librarian.id, dayNumber("2025-03-03"))
      .first<{ q: number; p: number }>();
    expect(total).toEqual({ q: 4 * 3_600_000, p: 3 * 3_600_000 });
  });

  it("reports hours monitored by person, hour, weekday and month", async () => {
    const people = (await statsApi("/api/stats/people?scope=library&from=2025-03-01&to=2025-03-31", w.aAdmin.cookie)).body;
    expect(tableOf(people, "coverage-people").rows).toEqual([["Ann", "Alpha Library", 3]]);
    const hours = tableOf(people, "coverage-hours");
    expect([rowOf(hours, "09:00").hours, rowOf(hours, "10:00").hours, rowOf(hours, "11:00").hours, rowOf(hours, "12:00").hours]).toEqual([1, 1, 1, 0]);
    expect(rowOf(tableOf(people, "coverage-weekdays"), "Monday").hours).toBe(3);
    expect(tableOf(people, "coverage-months").rows).toEqual([["2025-03", 3]]);
    // One queue: the time on it.
    const onGroupQueue = (await statsApi(`/api/stats/people?scope=library&from=2025-03-01&to=2025-03-31&queue=group:${w.groupId}`, w.aAdmin.cookie)).body;
    expect(tableOf(onGroupQueue, "coverage-people").rows).toEqual([["Ann", "Alpha Library", 2]]);
    // The cooperative: both members' librarians, in its zone; never the outsider.
    const coop = (await statsApi(`/api/stats/people?scope=group&group=${w.groupId}&from=2025-03-01&to=2025-03-31`, w.aGroupAdmin.cookie)).body;
    expect(tableOf(coop, "coverage-people").rows).toEqual([
      ["Ann", "Alpha Library", 3],
      ["Bob", "Beta Library", 2],
    ]);
    expect(rowOf(tableOf(coop, "coverage-hours"), "17:00").hours).toBe(1);
    const coopQueue = (await statsApi(`/api/stats/people?scope=group&group=${w.groupId}&from=2025-03-01&to=2025-03-31&queue=group:${w.groupId}`, w.aGroupAdmin.cookie)).body;
    expect(rowOf(tableOf(coopQueue, "coverage-hours"), "11:00").hours).toBe(1);
    expect(tableOf(coopQueue, "coverage-people").rows).toEqual([
      ["Ann", "Alpha Library", 2],
      ["Bob", "Beta Library", 2],
    ]);
    // A librarian sees their own.
    const own = (await statsApi("/api/stats/people?from=2025-03-01&to=2025-03-31", w.bLibrarian.cookie)).body;
    expect(tableOf(own, "coverage-people").rows).toEqual([["Bob", "Beta Library", 2]]);
  });

  it("planning: demand, staffing, failures and the schedule by hour of the week, and where patrons were lost", async () => {
    await env.DB.prepare("INSERT INTO coverage_shifts (group_id, library_id, time_zone, weekday, start_minute, end_minute, ends_next_day) VALUES (?, ?, 'America/Chicago', 1, 600, 720, 0), (?, ?, 'America/New_York', 1, 1200, 1260, 0)")
      .bind(w.groupId, w.a.id, w.groupId, w.b.id)
      .run();
    // Monday 3 March, Chicago: one turned away at 08:15 (nobody monitoring), one abandoned at 09:30 (Ann monitoring), one answered after 3 minutes at 10:05.
    await fileChat({ libraryId: w.a.id, at: "2025-03-03T14:15:00Z", waitS: null, turnedAway: true });
    await fileChat({ libraryId: w.a.id, at: "2025-03-03T15:30:00Z", waitS: null });
    await fileChat({ libraryId: w.a.id, at: "2025-03-03T16:05:00Z", waitS: 180, lengthS: 600, librarian: w.aLibrarian.librarian });
    const r = (await statsApi("/api/stats/planning?scope=library&from=2025-03-03&to=2025-03-09", w.aAdmin.cookie)).body;
    const week = tableOf(r, "hours-of-week");
    expect(week.rows).toHaveLength(168);
    const at = (hour: string) => Object.fromEntries(week.columns.map((c, i) => [c.key, week.rows.find((row) => row[0] === "Monday" && row[1] === hour)![i]]));
    expect(at("08:00")).toMatchObject({ requests: 1, turned_away: 1, lost_unstaffed: 1, staffing: 0, needed: 1, gap: 1 });
    expect(at("09:00")).toMatchObject({ requests: 1, abandoned: 1, lost_unstaffed: 0, staffing: 1 });
    expect(at("10:00")).toMatchObject({ requests: 1, long_waits: 1, staffing: 1, scheduled: 1, unstaffed: 0 });
    expect(at("11:00")).toMatchObject({ scheduled: 1, unstaffed: 0 });
    const lost = tableOf(r, "where-lost");
    expect(lost.rows[0]!.slice(0, 4)).toEqual(["Monday", "08:00", 1, 1]);
    expect(String(lost.rows[0]![7])).toContain("one librarian would have reached them");
    // The cooperative's view: Beta's 20:00–21:00 New York shift (19:00 Chicago) nobody staffed.
    const coop = (await statsApi(`/api/stats/planning?scope=group&group=${w.groupId}&from=2025-03-03&to=2025-03-09`, w.aGroupAdmin.cookie)).body;
    const coopWeek = tableOf(coop, "hours-of-week");
    const coopAt = (hour: string) => Object.fromEntries(coopWeek.columns.map((c, i) => [c.key, coopWeek.rows.find((row) => row[0] === "Monday" && row[1] === hour)![i]]));
    expect(coopAt("19:00")).toMatchObject({ scheduled: 1, unstaffed: 1 });
    expect(coopAt("10:00")).toMatchObject({ scheduled: 1, unstaffed: 0 });
    expect(rowOf(tableOf(coop, "lost-heatmap"), "Monday")).toMatchObject({ h8: 1, h9: 1 });
  });
});
