/**
 * Accept-first across queues: a request rolled over to a cooperative is shown
 * in the home queue and the group queue at once. However many librarians of
 * both accept at the same instant, exactly one wins (the ChatSession decides),
 * everyone else gets 409 already_taken naming the winner, and every monitor of
 * every queue that showed it sees it removed once.
 */
import { describe, expect, it } from "vitest";
import { groupQueueId } from "../../src/queues/queue-ids";
import { ROLLOVER_LIMITS } from "../../src/queues/routing-policy";
import type { QueueServerMessage } from "../../src/shared/protocol";
import {
  accept,
  advanceSession,
  countRows,
  createForm,
  createGroup,
  createLibrarian,
  createLibrary,
  monitorQueue,
  queueStub,
  settle,
  signIn,
  slowSessionD1,
  startChat,
  uniqueId,
  type QueueSocket,
  type TestLibrarian,
} from "./helpers";

const PER_SIDE = 10;

async function twoSidedCooperative() {
  const home = await createLibrary({ name: "Home Library" });
  const partner = await createLibrary({ name: "Partner Library" });
  const groupId = uniqueId("coop");
  await createGroup(groupId, "Race Cooperative", [home.id, partner.id]);
  const formId = await createForm(home.id);
  const homeLibrarians = await Promise.all(Array.from({ length: PER_SIDE }, (_, i) => createLibrarian(home.id, `Home ${i + 1}`)));
  const partnerLibrarians = await Promise.all(Array.from({ length: PER_SIDE }, (_, i) => createLibrarian(partner.id, `Partner ${i + 1}`)));
  const homeCookies = await Promise.all(homeLibrarians.map(signIn));
  const partnerCookies = await Promise.all(partnerLibrarians.map(signIn));
  const homeMonitors = await Promise.all(homeCookies.map((c) => monitorQueue(home.queueId, c)));
  const groupMonitors = await Promise.all(partnerCookies.map((c) => monitorQueue(groupQueueId(groupId), c)));
  return { home, groupId, formId, librarians: [...homeLibrarians, ...partnerLibrarians], cookies: [...homeCookies, ...partnerCookies], homeMonitors, groupMonitors };
}

/** Starts a chat, waits until home monitors see it, lets the roll-over time pass, waits until the group's monitors see it. */
async function rolledOverRequest(formId: string, homeMonitors: QueueSocket[], groupMonitors: QueueSocket[]): Promise<string> {
  const chat = await startChat(formId);
  expect(chat.status).toBe("waiting");
  const added = (f: QueueServerMessage) => f.type === "request.added" && f.request.sessionId === chat.sessionId;
  await Promise.all(homeMonitors.map((m) => m.next(added)));
  await advanceSession(chat.sessionId, ROLLOVER_LIMITS.defaultSeconds * 1000);
  await Promise.all(groupMonitors.map((m) => m.next(added)));
  return chat.sessionId;
}

async function acceptAllAtOnce(sessionId: string, cookies: string[]) {
  return Promise.all(
    cookies.map(async (cookie) => {
      const res = await accept(sessionId, cookie);
      return { status: res.status, body: (await res.json()) as { session?: { librarian: { id: string } | null }; error?: { code: string; takenBy?: string } } };
    }),
  );
}

function theWinner(outcomes: Awaited<ReturnType<typeof acceptAllAtOnce>>, librarians: TestLibrarian[]): TestLibrarian {
  const winners = outcomes.filter((o) => o.status === 200);
  expect(winners, JSON.stringify(outcomes.map((o) => o.status))).toHaveLength(1);
  const winner = librarians.find((l) => l.id === winners[0]!.body.session?.librarian?.id)!;
  expect(winner).toBeDefined();
  for (const o of outcomes.filter((x) => x.status !== 200)) {
    expect(o.status).toBe(409);
    expect(o.body.error).toMatchObject({ code: "already_taken", takenBy: winner.name });
  }
  return winner;
}

async function everyMonitorToldOnce(monitors: QueueSocket[], sessionId: string, winner: TestLibrarian) {
  const removal = (f: QueueServerMessage) => f.type === "request.removed" && f.sessionId === sessionId;
  await Promise.all(monitors.map((m) => m.next(removal)));
  await settle();
  for (const m of monitors) {
    const removals = m.frames.filter(removal);
    expect(removals).toHaveLength(1);
    expect(removals[0]).toMatchObject({ reason: "accepted", by: { id: winner.id } });
  }
}

describe("accept races across a library's queue and its cooperative's", () => {
  it(`${PER_SIDE} home and ${PER_SIDE} cooperative librarians accept at once: exactly one winner, over several trials, half of them with the accept path slowed`, async () => {
    const { home, groupId, formId, librarians, cookies, homeMonitors, groupMonitors } = await twoSidedCooperative();
    for (let trial = 0; trial < 6; trial++) {
      const sessionId = await rolledOverRequest(formId, homeMonitors, groupMonitors);
      const restore = trial % 2 === 0 ? await slowSessionD1(sessionId, 120) : null;

      const outcomes = await acceptAllAtOnce(sessionId, cookies);

      const winner = theWinner(outcomes, librarians);
      await restore?.();
      await everyMonitorToldOnce([...homeMonitors, ...groupMonitors], sessionId, winner);
      expect(await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND librarian_id = ? AND answering_library_id = ?", sessionId, winner.id, winner.libraryId)).toBe(1);
      expect((await queueStub(home.queueId).snapshot()).requests).toEqual([]);
      expect((await queueStub(groupQueueId(groupId)).snapshot()).requests).toEqual([]);
    }
  });

  it("a cooperative librarian can win when only they accept, and a home librarian afterwards is told who took it", async () => {
    const { formId, librarians, cookies, homeMonitors, groupMonitors } = await twoSidedCooperative();
    const sessionId = await rolledOverRequest(formId, homeMonitors, groupMonitors);
    const partnerCookie = cookies[PER_SIDE]!;
    const res = await accept(sessionId, partnerCookie);
    expect(res.status).toBe(200);
    const late = await accept(sessionId, cookies[0]);
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { takenBy: string } }).error.takenBy).toBe(librarians[PER_SIDE]!.name);
  });
});
