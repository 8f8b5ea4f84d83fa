/**
 * The coverage schedule at work, moved through time by the seam (each domain
 * function takes "now"): the monitor's whose-shift-now-and-next with an alert
 * for a scheduled library nobody from which is online on the cooperative
 * queue; the scheduled but unstaffed hours a group's administrators see; and
 * roll-over that prefers the library scheduled now — planned at a given time,
 * and carried out live by the session object.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Librarian } from "../../src/auth/librarian";
import { coverageGaps, monitorCoverage } from "../../src/coverage/monitor-coverage";
import { database } from "../../src/db/client";
import { planRoute } from "../../src/queues/plan-route";
import { groupQueueId, libraryQueueId } from "../../src/queues/queue-ids";
import { accept, call, closeSocket, createForm, createGroup, createLibrarian, createLibrary, monitorQueue, settle, signIn, startChat, uniqueId, type TestLibrarian, monitorsShown } from "./helpers";

const CHICAGO = "America/Chicago";
const at = (iso: string) => Date.parse(iso);
/** Monday 2 March 2026, 18:30 in Chicago (CST, UTC−6). */
const MONDAY_EVENING = at("2026-03-03T00:30:00Z");

const asLibrarian = (l: TestLibrarian, libraryName: string, role: Librarian["role"] = "librarian"): Librarian => ({ id: l.id, libraryId: l.libraryId, libraryName, displayName: l.name, email: l.email, role });

/** A cooperative of two Chicago libraries: home on shift Monday 18:00–22:00, partner 22:00–02:00. */
async function scheduledCooperative() {
  const home = await createLibrary({ name: "Home Library", timeZone: CHICAGO });
  const partner = await createLibrary({ name: "Partner Library", timeZone: CHICAGO });
  const groupId = uniqueId("shifts");
  await createGroup(groupId, "Evening Cooperative", [home.id, partner.id]);
  const groupAdmin = await createLibrarian(partner.id, "Gwen", "group_admin");
  const adminCookie = await signIn(groupAdmin);
  const saved = await call(`/api/groups/${groupId}/schedule`, {
    method: "PUT",
    cookie: adminCookie,
    json: {
      shifts: [
        { libraryId: home.id, weekday: 1, start: "18:00", end: "22:00" },
        { libraryId: partner.id, weekday: 1, start: "22:00", end: "02:00", endsNextDay: true },
      ],
    },
  });
  expect(saved.status, await saved.clone().text()).toBe(200);
  const homeLibrarian = await createLibrarian(home.id, "Hal");
  const homeColleague = await createLibrarian(home.id, "Hope");
  const partnerLibrarian = await createLibrarian(partner.id, "Pat");
  return { home, partner, groupId, queueId: groupQueueId(groupId), groupAdmin, adminCookie, homeLibrarian, homeColleague, partnerLibrarian };
}

describe("the monitor's coverage, by the time seam", () => {
  it("says whose shift it is now and next, and alerts the scheduled library until someone from it is online on the cooperative queue", async () => {
    const t = await scheduledCooperative();
    const hal = asLibrarian(t.homeLibrarian, "Home Library");
    const pat = asLibrarian(t.partnerLibrarian, "Partner Library");
    const coverageOf = async (l: Librarian, now: number) => (await monitorCoverage(env, l, CHICAGO, now)).find((g) => g.groupId === t.groupId)!;

    // 18:30: the home library's shift, and nobody from it is monitoring.
    const evening = await coverageOf(hal, MONDAY_EVENING);
    expect(evening).toMatchObject({ groupName: "Evening Cooperative", queueId: t.queueId, current: { libraryId: t.home.id, local: "Mon 18:00–22:00" }, next: { libraryId: t.partner.id } });
    expect(evening.alert).toMatchObject({ groupId: t.groupId, queueId: t.queueId, startsAt: "2026-03-03T00:00:00.000Z", endsAt: "2026-03-03T04:00:00.000Z" });
    expect(evening.alert!.message).toContain("has begun, and nobody from your library is online on it");
    // The partner is not on shift: no alert for them.
    expect((await coverageOf(pat, MONDAY_EVENING)).alert).toBeNull();

    // A colleague comes online on the cooperative queue: nobody is alerted any more.
    const hope = await monitorQueue(t.queueId, await signIn(t.homeColleague));
    expect((await coverageOf(hal, MONDAY_EVENING)).alert).toBeNull();
    // Away is not online.
    hope.send({ type: "set_status", status: "away" });
    await hope.next(() => monitorsShown(hope).some((m) => m.librarianId === t.homeColleague.id && m.status === "away"));
    expect((await coverageOf(hal, MONDAY_EVENING)).alert).not.toBeNull();
    await closeSocket(hope);

    // 22:30: the partner's shift; their librarian is alerted, the home library no more.
    const late = at("2026-03-03T04:30:00Z");
    expect((await coverageOf(pat, late)).alert).toMatchObject({ startsAt: "2026-03-03T04:00:00.000Z", local: "Mon 22:00–Tue 02:00" });
    expect((await coverageOf(hal, late)).alert).toBeNull();
    // Tuesday morning: nobody is scheduled, nobody is alerted.
    const morning = await coverageOf(hal, at("2026-03-03T15:00:00Z"));
    expect(morning.current).toBeNull();
    expect(morning.alert).toBeNull();
  });

  it("answers the monitor at GET /api/coverage/now with each group's queue and alert", async () => {
    const t = await scheduledCooperative();
    const res = await call("/api/coverage/now", { cookie: await signIn(t.homeLibrarian) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { groups: { groupId: string; queueId: string; alert: unknown }[] };
    expect(body.groups.find((g) => g.groupId === t.groupId)).toMatchObject({ queueId: t.queueId });
    expect(body.groups.every((g) => "alert" in g)).toBe(true);
  });
});

describe("scheduled but unstaffed hours", () => {
  it("lists the parts of each shift nobody from its library monitored, newest first, leaving out blips", async () => {
    const t = await scheduledCooperative();
    const chicago = (hhmm: string, day = "2026-03-02") => at(`${day}T${hhmm}:00-06:00`);
    const span = (l: TestLibrarian, from: number, to: number) =>
      env.DB.prepare("INSERT INTO monitoring_spans (id, queue_id, librarian_id, library_id, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)").bind(crypto.randomUUID(), t.queueId, l.id, l.libraryId, from, to);
    const outsider = await createLibrarian(t.partner.id, "Someone else");
    await env.DB.batch([
      span(t.homeLibrarian, chicago("18:00"), chicago("19:00")),
      span(t.homeColleague, chicago("19:10"), chicago("21:58")),
      // The partner monitoring during the home library's shift does not staff the home library's hours.
      span(outsider, chicago("19:00"), chicago("19:10")),
    ]);
    const now = chicago("23:00");
    const gaps = await coverageGaps(env, t.groupId, chicago("17:00"), now, CHICAGO);
    expect(gaps.map((g) => ({ libraryId: g.libraryId, local: g.local, minutes: g.minutes }))).toEqual([
      { libraryId: t.partner.id, local: "Mon 22:00–23:00", minutes: 60 },
      { libraryId: t.home.id, local: "Mon 19:00–19:10", minutes: 10 },
    ]);

    // Someone of the partner monitoring right now staffs the partner's shift so far.
    const pat = await monitorQueue(t.queueId, await signIn(t.partnerLibrarian));
    const withPat = await coverageGaps(env, t.groupId, chicago("17:00"), now, CHICAGO);
    expect(withPat.map((g) => g.libraryId)).toEqual([t.home.id]);
    await closeSocket(pat);
  });

  it("is for the group's administrators", async () => {
    const t = await scheduledCooperative();
    const ok = await call(`/api/groups/${t.groupId}/coverage/gaps?days=3`, { cookie: t.adminCookie });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ days: 3, gaps: expect.any(Array) });
    expect((await call(`/api/groups/${t.groupId}/coverage/gaps`, { cookie: await signIn(t.homeLibrarian) })).status).toBe(403);
    expect((await call(`/api/groups/${t.groupId}/coverage/gaps?days=99`, { cookie: t.adminCookie })).status).toBe(400);
    // The group's administration page lists them.
    const page = await call(`/admin/groups/${t.groupId}/cooperation`, { cookie: t.adminCookie, headers: { Accept: "text/html" } });
    expect(await page.text()).toContain("Scheduled but unstaffed, last 7 days");
  });
});

describe("roll-over that prefers the library scheduled now", () => {
  it("plans the scheduled library's own queue before the group's, when the group wants it", async () => {
    const t = await scheduledCooperative();
    const db = database(env.DB);
    const late = at("2026-03-03T04:30:00Z");
    const homeQueue = libraryQueueId(t.home.id);
    expect((await planRoute(db, t.home.id, homeQueue, late)).stages).toEqual([homeQueue, t.queueId]);

    expect((await call(`/api/groups/${t.groupId}/routing`, { method: "PUT", cookie: await signIn(t.homeLibrarian), json: { rolloverPrefersScheduled: true } })).status).toBe(403);
    const on = await call(`/api/groups/${t.groupId}/routing`, { method: "PUT", cookie: t.adminCookie, json: { rolloverPrefersScheduled: true } });
    expect(await on.json()).toEqual({ rolloverPrefersScheduled: true });
    expect(await (await call(`/api/groups/${t.groupId}/routing`, { cookie: await signIn(t.homeLibrarian) })).json()).toEqual({ rolloverPrefersScheduled: true });

    // 22:30: the partner's shift — the home library's requests go to the partner first.
    expect((await planRoute(db, t.home.id, homeQueue, late)).stages).toEqual([homeQueue, libraryQueueId(t.partner.id), t.queueId]);
    // The partner's own patrons: it is their own library; nothing is added.
    expect((await planRoute(db, t.partner.id, libraryQueueId(t.partner.id), late)).stages).toEqual([libraryQueueId(t.partner.id), t.queueId]);
    // Nobody scheduled: the group as before.
    expect((await planRoute(db, t.home.id, homeQueue, at("2026-03-03T15:00:00Z"))).stages).toEqual([homeQueue, t.queueId]);
  });

  it("shows the request to the scheduled library's librarians first, and not yet to the rest of the cooperative", async () => {
    const home = await createLibrary({ name: "Quiet Home" });
    const scheduled = await createLibrary({ name: "On Shift" });
    const third = await createLibrary({ name: "Third Member" });
    const groupId = uniqueId("live");
    await createGroup(groupId, "Live Cooperative", [home.id, scheduled.id, third.id]);
    const admin = await createLibrarian(scheduled.id, "Ada", "group_admin");
    const adminCookie = await signIn(admin);
    // A shift around the real now (23 hours from an hour ago, in UTC): this test runs on the real clock.
    const start = new Date(Date.now() - 3600_000);
    const weekday = ((start.getUTCDay() + 6) % 7) + 1;
    const hhmm = `${String(start.getUTCHours()).padStart(2, "0")}:${String(start.getUTCMinutes()).padStart(2, "0")}`;
    const end = `${String((start.getUTCHours() + 23) % 24).padStart(2, "0")}:${String(start.getUTCMinutes()).padStart(2, "0")}`;
    const saved = await call(`/api/groups/${groupId}/schedule`, { method: "PUT", cookie: adminCookie, json: { shifts: [{ libraryId: scheduled.id, weekday, start: hhmm, end, endsNextDay: true, timeZone: "UTC" }] } });
    expect(saved.status, await saved.clone().text()).toBe(200);
    await call(`/api/groups/${groupId}/routing`, { method: "PUT", cookie: adminCookie, json: { rolloverPrefersScheduled: true } });

    const samCookie = await signIn(await createLibrarian(scheduled.id, "Sam"));
    const onShift = await monitorQueue(libraryQueueId(scheduled.id), samCookie);
    const elsewhere = await monitorQueue(groupQueueId(groupId), await signIn(await createLibrarian(third.id, "Tess")));
    const formId = await createForm(home.id);
    const chat = await startChat(formId, { name: "Quinn" });
    expect(chat.status).toBe("waiting");
    const shown = await onShift.next((f) => f.type === "request.added" && f.request.sessionId === chat.sessionId);
    expect(shown.type === "request.added" && shown.request.libraryName).toBe("Quiet Home");
    await settle(200);
    expect(elsewhere.frames.some((f) => f.type === "request.added" && f.request.sessionId === chat.sessionId)).toBe(false);

    expect((await accept(chat.sessionId, samCookie)).status).toBe(200);
    await closeSocket(onShift);
    await closeSocket(elsewhere);
  });
});
