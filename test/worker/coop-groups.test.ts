/**
 * Running a cooperative: invitations (a group administrator invites, the
 * library's administrator accepts — nobody joins uninvited), the coverage
 * schedule API (overlapping, reversed and foreign shifts refused, nothing
 * changed), "whose shift is it now", a library's routing settings (roll-over
 * time in range, group order), and each member's contribution.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ROLLOVER_LIMITS } from "../../src/queues/routing-policy";
import type { ScheduleBody } from "../../src/shared/coop-api";
import { call, countRows, createGroup, createLibrarian, createLibrary, signIn, uniqueId } from "./helpers";

async function cookieFor(libraryId: string, role = "librarian") {
  return signIn(await createLibrarian(libraryId, `${role} ${libraryId}`, role));
}

/** A group of two libraries (Chicago and Berlin), a group admin in the first, and a library outside it. */
async function cooperative() {
  const chicago = await createLibrary({ name: "Lakeside Library", timeZone: "America/Chicago" });
  const berlin = await createLibrary({ name: "Spree Bibliothek", timeZone: "Europe/Berlin" });
  const outside = await createLibrary({ name: "Newcomer Library", timeZone: "America/New_York" });
  const groupId = uniqueId("coop");
  await createGroup(groupId, "Night Owls Cooperative", [chicago.id, berlin.id]);
  return {
    groupId,
    chicago,
    berlin,
    outside,
    groupAdmin: await cookieFor(chicago.id, "group_admin"),
    chicagoAdmin: await cookieFor(chicago.id, "library_admin"),
    berlinLibrarian: await cookieFor(berlin.id),
    outsideAdmin: await cookieFor(outside.id, "library_admin"),
    outsideGroupAdmin: await cookieFor(outside.id, "group_admin"),
  };
}

const json = async <T>(res: Response) => (await res.json()) as T;
type ErrorBody = { error: { code: string; message: string; field?: string } };

describe("invitations", () => {
  it("a library joins only after its administrator accepts a group administrator's invitation", async () => {
    const t = await cooperative();
    const members = () => countRows("SELECT 1 FROM group_members WHERE group_id = ?", t.groupId);

    const uninvited = await call(`/api/groups/${t.groupId}/join`, { method: "POST", cookie: t.outsideAdmin });
    expect(uninvited.status).toBe(403);
    expect((await json<ErrorBody>(uninvited)).error.message).toMatch(/no invitation/);
    expect(await members()).toBe(2);

    // Only the group's administrators invite.
    for (const cookie of [t.chicagoAdmin, t.berlinLibrarian, t.outsideGroupAdmin]) {
      expect((await call(`/api/groups/${t.groupId}/invitations`, { method: "POST", cookie, json: { libraryId: t.outside.id } })).status).toBe(403);
    }
    const invited = await call(`/api/groups/${t.groupId}/invitations`, { method: "POST", cookie: t.groupAdmin, json: { libraryId: t.outside.id } });
    expect(invited.status).toBe(201);
    expect((await call(`/api/groups/${t.groupId}/invitations`, { method: "POST", cookie: t.groupAdmin, json: { libraryId: t.outside.id } })).status).toBe(409);
    expect((await json<{ invitations: { groupId: string }[] }>(await call(`/api/libraries/${t.outside.id}/invitations`, { cookie: t.outsideAdmin }))).invitations).toMatchObject([{ groupId: t.groupId }]);

    // A plain librarian of the invited library cannot accept for it.
    const plain = await cookieFor(t.outside.id);
    expect((await call(`/api/groups/${t.groupId}/join`, { method: "POST", cookie: plain })).status).toBe(403);
    expect(await members()).toBe(2);

    const joined = await Promise.all([call(`/api/groups/${t.groupId}/join`, { method: "POST", cookie: t.outsideAdmin }), call(`/api/groups/${t.groupId}/join`, { method: "POST", cookie: t.outsideAdmin })]);
    expect(joined.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await members()).toBe(3);
    expect(await countRows("SELECT 1 FROM group_invitations WHERE library_id = ? AND accepted_at IS NOT NULL", t.outside.id)).toBe(1);
    // Now its librarians staff the cooperative queue.
    const queues = await json<{ queues: { id: string }[] }>(await call("/api/queues", { cookie: plain }));
    expect(queues.queues.map((q) => q.id)).toContain(`group:${t.groupId}`);
  });

  it("refuses inviting an unknown library or a member, and joining an unknown group", async () => {
    const t = await cooperative();
    const unknown = await call(`/api/groups/${t.groupId}/invitations`, { method: "POST", cookie: t.groupAdmin, json: { libraryId: "no-such-library" } });
    expect(unknown.status).toBe(404);
    expect((await json<ErrorBody>(unknown)).error.field).toBe("libraryId");
    expect((await call(`/api/groups/${t.groupId}/invitations`, { method: "POST", cookie: t.groupAdmin, json: { libraryId: t.berlin.id } })).status).toBe(409);
    expect((await call(`/api/groups/no-such-group/join`, { method: "POST", cookie: t.outsideAdmin })).status).toBe(404);
    expect(await countRows("SELECT 1 FROM group_invitations WHERE group_id = ?", t.groupId)).toBe(0);
  });
});

describe("the coverage schedule", () => {
  const put = (groupId: string, cookie: string, body: ScheduleBody) => call(`/api/groups/${groupId}/schedule`, { method: "PUT", cookie, json: body });

  it("stores shifts in each library's own zone, midnight-crossing allowed, and says whose shift it is now", async () => {
    const t = await cooperative();
    // Every day in Berlin 00:00–24:00 would overlap Chicago's; give Chicago one evening and Berlin the rest of that day.
    const everyDay = Array.from({ length: 7 }, (_, i) => ({ libraryId: t.chicago.id, weekday: i + 1, start: "18:00", end: "02:00", endsNextDay: true }));
    const res = await put(t.groupId, t.groupAdmin, { shifts: everyDay });
    expect(res.status, await res.clone().text()).toBe(200);
    const { shifts } = await json<{ shifts: { label: string; timeZone: string }[] }>(res);
    expect(shifts[0]).toMatchObject({ label: "Mon 18:00–Tue 02:00", timeZone: "America/Chicago" });
    // Members read the schedule; the monitor asks whose shift it is.
    const now = await call(`/api/groups/${t.groupId}/coverage/now`, { cookie: t.berlinLibrarian });
    expect(now.status).toBe(200);
    const { coverage } = await json<{ coverage: { timeZone: string; current: { libraryId: string } | null; next: { libraryId: string } | null } }>(now);
    expect(coverage.timeZone).toBe("Europe/Berlin");
    // Chicago covers 18:00–02:00 every day: whoever is on or next, it is Chicago.
    expect((coverage.current ?? coverage.next)?.libraryId).toBe(t.chicago.id);
    const mine = await json<{ groups: { groupId: string }[] }>(await call("/api/coverage/now", { cookie: t.berlinLibrarian }));
    expect(mine.groups.map((g) => g.groupId)).toEqual([t.groupId]);
  });

  it("refuses overlapping, reversed, foreign and badly written shifts with the shift as the field, changing nothing", async () => {
    const t = await cooperative();
    const good = { libraryId: t.chicago.id, weekday: 1, start: "18:00", end: "22:00" };
    expect((await put(t.groupId, t.groupAdmin, { shifts: [good] })).status).toBe(200);
    const stored = async () => (await env.DB.prepare("SELECT * FROM coverage_shifts WHERE group_id = ? ORDER BY id").bind(t.groupId).all()).results;
    const before = await stored();
    const cases: [ScheduleBody, string, RegExp][] = [
      // Berlin Tue 01:00–05:00 CET is Mon 18:00–22:00 CST: the same hours.
      [{ shifts: [good, { libraryId: t.berlin.id, weekday: 2, start: "01:00", end: "05:00" }] }, "shifts.1", /overlap/],
      [{ shifts: [good, { libraryId: t.chicago.id, weekday: 3, start: "22:00", end: "18:00" }] }, "shifts.1.end", /ends \(18:00\) before it starts \(22:00\)/],
      [{ shifts: [good, { libraryId: t.outside.id, weekday: 3, start: "09:00", end: "10:00" }] }, "shifts.1.libraryId", /not a member/],
      [{ shifts: [good, { libraryId: t.chicago.id, weekday: 3, start: "09:00", end: "10:00", timeZone: "Mars/Olympus" }] }, "shifts.1.timeZone", /not a time zone/],
      [{ shifts: [good, { libraryId: t.chicago.id, weekday: 9, start: "09:00", end: "10:00" }] }, "shifts.1.weekday", /day of the week/],
      [{ shifts: [good, { libraryId: t.chicago.id, weekday: 3, start: "9am", end: "10:00" }] }, "shifts.1.start", /24-hour/],
    ];
    for (const [body, field, message] of cases) {
      const res = await put(t.groupId, t.groupAdmin, body);
      expect(res.status, field).toBe(400);
      const { error } = await json<ErrorBody>(res);
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
    }
    expect(await stored()).toEqual(before);
  });

  it("is changed only by the group's administrators", async () => {
    const t = await cooperative();
    for (const cookie of [t.chicagoAdmin, t.berlinLibrarian, t.outsideGroupAdmin]) {
      expect((await put(t.groupId, cookie, { shifts: [{ libraryId: t.chicago.id, weekday: 1, start: "09:00", end: "10:00" }] })).status).toBe(403);
    }
    expect(await countRows("SELECT 1 FROM coverage_shifts WHERE group_id = ?", t.groupId)).toBe(0);
    expect((await call(`/api/groups/${t.groupId}/schedule`, { cookie: t.outsideAdmin })).status).toBe(403);
    expect((await call(`/api/groups/${t.groupId}/coverage/now`, { cookie: t.outsideAdmin })).status).toBe(403);
  });

  it("saves from the administrator's HTML form, and shows a refused schedule with its error", async () => {
    const t = await cooperative();
    const form = new URLSearchParams({ rows: "2", "s0-library": t.chicago.id, "s0-weekday": "5", "s0-start": "22:00", "s0-end": "02:00", "s0-next": "on", "s1-library": t.berlin.id, "s1-weekday": "6", "s1-start": "10:00", "s1-end": "00:00" });
    const ok = await call(`/admin/groups/${t.groupId}/cooperation/schedule`, { method: "POST", cookie: t.groupAdmin, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Schedule saved.");
    const rows = (await env.DB.prepare("SELECT weekday, start_minute, end_minute, ends_next_day, time_zone FROM coverage_shifts WHERE group_id = ? ORDER BY weekday").bind(t.groupId).all()).results;
    expect(rows).toEqual([
      { weekday: 5, start_minute: 1320, end_minute: 120, ends_next_day: 1, time_zone: "America/Chicago" },
      { weekday: 6, start_minute: 600, end_minute: 1440, ends_next_day: 0, time_zone: "Europe/Berlin" },
    ]);
    // Chicago Saturday 01:00 falls inside Chicago's Friday-night shift.
    form.set("s1-library", t.chicago.id);
    form.set("s1-start", "01:00");
    const bad = await call(`/admin/groups/${t.groupId}/cooperation/schedule`, { method: "POST", cookie: t.groupAdmin, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/Shifts 1 and 2 overlap/);
    expect(await countRows("SELECT 1 FROM coverage_shifts WHERE group_id = ?", t.groupId)).toBe(2);
  });
});

describe("a library's routing settings", () => {
  const put = (libraryId: string, cookie: string, body: unknown) => call(`/api/libraries/${libraryId}/routing`, { method: "PUT", cookie, json: body });

  it("saves a roll-over time in range and the order of the library's groups", async () => {
    const t = await cooperative();
    const second = uniqueId("coop");
    await createGroup(second, "Second Cooperative", []);
    await env.DB.prepare("INSERT INTO group_members (group_id, library_id, position) VALUES (?, ?, 1)").bind(second, t.chicago.id).run();
    const res = await put(t.chicago.id, t.chicagoAdmin, { rolloverSeconds: 30, overflowMode: "unstaffed_only", groupOrder: [second, t.groupId] });
    expect(res.status, await res.clone().text()).toBe(200);
    const { routing } = await json<{ routing: { rolloverSeconds: number; overflowMode: string; groups: { id: string }[] } }>(res);
    expect(routing).toMatchObject({ rolloverSeconds: 30, overflowMode: "unstaffed_only" });
    expect(routing.groups.map((g) => g.id)).toEqual([second, t.groupId]);
  });

  it("refuses a roll-over time out of range, a bad mode or order, and anyone but the library's administrators, changing nothing", async () => {
    const t = await cooperative();
    const before = await env.DB.prepare("SELECT rollover_seconds, overflow_mode FROM libraries WHERE id = ?").bind(t.chicago.id).first();
    const cases: [unknown, string][] = [
      [{ rolloverSeconds: ROLLOVER_LIMITS.minSeconds - 1, overflowMode: "off" }, "rolloverSeconds"],
      [{ rolloverSeconds: ROLLOVER_LIMITS.maxSeconds + 1, overflowMode: "off" }, "rolloverSeconds"],
      [{ rolloverSeconds: 12.5, overflowMode: "off" }, "rolloverSeconds"],
      // Not shorter than the wait limit (300 s by default).
      [{ rolloverSeconds: 300, overflowMode: "off" }, "rolloverSeconds"],
      [{ rolloverSeconds: 30, overflowMode: "sometimes" }, "overflowMode"],
      [{ rolloverSeconds: 30, overflowMode: "off", groupOrder: ["someone-elses-group"] }, "groupOrder"],
    ];
    for (const [body, field] of cases) {
      const res = await put(t.chicago.id, t.chicagoAdmin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json<ErrorBody>(res)).error.field).toBe(field);
    }
    for (const cookie of [t.groupAdmin, t.berlinLibrarian, t.outsideAdmin]) {
      expect((await put(t.chicago.id, cookie, { rolloverSeconds: 30, overflowMode: "off" })).status).toBe(403);
    }
    expect(await env.DB.prepare("SELECT rollover_seconds, overflow_mode FROM libraries WHERE id = ?").bind(t.chicago.id).first()).toEqual(before);
  });
});

describe("contribution", () => {
  it("counts chats answered for other members and chats of a member's patrons answered by others, leaving practice and other groups out", async () => {
    const t = await cooperative();
    const stranger = await createLibrary({ name: "Not In This Group" });
    const now = Date.now();
    const session = (home: string, answering: string | null, resolution = "answered") =>
      env.DB.prepare("INSERT INTO chat_sessions (id, library_id, queue_id, status, question, answering_library_id, resolution_code, created_at) VALUES (?, ?, 'lib:x', 'ended', 'q', ?, ?, ?)").bind(
        crypto.randomUUID(),
        home,
        answering,
        resolution,
        now - 1000,
      );
    await env.DB.batch([
      session(t.chicago.id, t.berlin.id),
      session(t.chicago.id, t.berlin.id),
      session(t.berlin.id, t.chicago.id),
      session(t.berlin.id, t.berlin.id),
      session(t.chicago.id, t.berlin.id, "practice"),
      session(t.chicago.id, stranger.id),
      session(t.chicago.id, null, "lost_call"),
    ]);
    const res = await call(`/api/groups/${t.groupId}/contribution?days=7`, { cookie: t.groupAdmin });
    expect(res.status).toBe(200);
    const { members } = await json<{ members: { libraryId: string; answeredForOthers: number; answeredByOthers: number; answeredOwn: number }[] }>(res);
    const of = (id: string) => members.find((m) => m.libraryId === id);
    expect(of(t.chicago.id)).toMatchObject({ answeredForOthers: 1, answeredByOthers: 2, answeredOwn: 0 });
    expect(of(t.berlin.id)).toMatchObject({ answeredForOthers: 2, answeredByOthers: 1, answeredOwn: 1 });
    expect((await call(`/api/groups/${t.groupId}/contribution`, { cookie: t.berlinLibrarian })).status).toBe(403);
    expect((await call(`/api/groups/${t.groupId}/contribution?days=0`, { cookie: t.groupAdmin })).status).toBe(400);
    const page = await call(`/admin/groups/${t.groupId}/cooperation`, { cookie: t.groupAdmin });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Answered for other members");
  });
});

describe("creating a group and its page", () => {
  it("lets a group administrator create a group with their library as first member; others may not; ids are unique", async () => {
    const library = await createLibrary({ name: "Founding Library" });
    const founder = await cookieFor(library.id, "group_admin");
    const id = uniqueId("new-coop");
    expect((await call("/api/groups", { method: "POST", cookie: founder, json: { id, name: "New Cooperative" } })).status).toBe(201);
    expect(await countRows("SELECT 1 FROM group_members WHERE group_id = ? AND library_id = ?", id, library.id)).toBe(1);
    expect((await call("/api/groups", { method: "POST", cookie: founder, json: { id, name: "Again" } })).status).toBe(409);
    expect((await call("/api/groups", { method: "POST", cookie: await cookieFor(library.id, "library_admin"), json: { id: uniqueId("x"), name: "Mine" } })).status).toBe(403);
    const bad = await call("/api/groups", { method: "POST", cookie: founder, json: { id: "Not A Slug", name: "x" } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.field).toBe("id");
  });

  it("saves the group's page sanitised, refuses unsafe HTML, and only from its administrators", async () => {
    const t = await cooperative();
    const put = (cookie: string, body: string) => call(`/api/groups/${t.groupId}/page`, { method: "PUT", cookie, json: { body } });
    expect((await put(t.groupAdmin, '<p>Be kind. <a href="https://coop.example/rules">Rules</a></p>')).status).toBe(200);
    const saved = ((await (await call(`/api/groups/${t.groupId}/page`, { cookie: t.berlinLibrarian })).json()) as { body: string }).body;
    expect(saved).toBe('<p>Be kind. <a rel="noopener noreferrer" target="_blank" href="https://coop.example/rules">Rules</a></p>');
    const unsafe = await put(t.groupAdmin, '<p onmouseover="steal()">Hi</p>');
    expect(unsafe.status).toBe(400);
    expect(((await unsafe.json()) as ErrorBody).error).toMatchObject({ field: "body", message: expect.stringMatching(/event-handler attributes \(onmouseover\)/) });
    expect((await put(t.chicagoAdmin, "<p>Mine now</p>")).status).toBe(403);
    expect(((await (await call(`/api/groups/${t.groupId}/page`, { cookie: t.berlinLibrarian })).json()) as { body: string }).body).toBe(saved);
  });
});
