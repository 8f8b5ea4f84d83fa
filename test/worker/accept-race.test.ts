/**
 * Accept-first: however many librarians accept at the same instant, exactly one
 * wins, every other gets 409 already_taken naming the winner, and every
 * monitoring librarian sees the request leave the queue, taken by the winner.
 */
import { describe, expect, it } from "vitest";
import type { ErrorCode, QueueServerMessage, SessionView } from "../../src/shared/protocol";
import {
  accept,
  connect,
  countRows,
  createLibrarian,
  createLibrary,
  queueStub,
  sessionStub,
  sessionView,
  settle,
  signIn,
  slowSessionD1,
  staffedLibrary,
  startChat,
  transcriptOf,
  type QueueSocket,
  type TestLibrarian,
} from "./helpers";

type Removed = Extract<QueueServerMessage, { type: "request.removed" }>;
interface AcceptOutcome {
  status: number;
  body: { session?: SessionView; error?: { code: ErrorCode; message: string; takenBy?: string } };
  /** Order in which the responses came back. */
  finished: number;
}

/** Every librarian accepts at once; returns the outcomes in librarian order. */
async function acceptAll(sessionId: string, cookies: string[]): Promise<AcceptOutcome[]> {
  let finished = 0;
  return Promise.all(
    cookies.map(async (cookie) => {
      const res = await accept(sessionId, cookie);
      const body = (await res.json()) as AcceptOutcome["body"];
      return { status: res.status, body, finished: finished++ };
    }),
  );
}

/** Asserts exactly one winner and returns them; everyone else was told who won. */
function expectOneWinner(outcomes: AcceptOutcome[], librarians: TestLibrarian[]): TestLibrarian {
  const winners = outcomes.filter((o) => o.status === 200);
  expect(winners, JSON.stringify(outcomes.map((o) => o.status))).toHaveLength(1);
  const winner = librarians.find((l) => l.id === winners[0]!.body.session?.librarian?.id);
  expect(winner).toBeDefined();
  for (const loser of outcomes.filter((o) => o.status !== 200)) {
    expect(loser.status).toBe(409);
    expect(loser.body.error?.code).toBe("already_taken");
    expect(loser.body.error?.takenBy).toBe(winner!.name);
  }
  return winner!;
}

/** Every monitor saw the request removed exactly once, accepted by the winner. */
async function expectEveryMonitorToldOnce(monitors: QueueSocket[], sessionId: string, winner: TestLibrarian): Promise<void> {
  const isRemoval = (f: QueueServerMessage): f is Removed => f.type === "request.removed" && f.sessionId === sessionId;
  await Promise.all(monitors.map((m) => m.next(isRemoval)));
  await settle();
  for (const m of monitors) {
    const removals = m.frames.filter(isRemoval);
    expect(removals).toHaveLength(1);
    expect(removals[0]).toMatchObject({ reason: "accepted", by: { id: winner.id, name: winner.name } });
  }
}

/** Only one claim ran its side effects: one "joined" line, one librarian in D1. */
async function expectOneClaimRecorded(sessionId: string, winner: TestLibrarian, cookie: string): Promise<void> {
  const joined = (await transcriptOf(sessionId, cookie)).filter((m) => m.kind === "system" && m.body.endsWith("has joined the chat."));
  expect(joined.map((m) => m.body)).toEqual([`${winner.name} has joined the chat.`]);
  expect(await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND status = 'active' AND librarian_id = ?", sessionId, winner.id)).toBe(1);
}

async function startAndWaitUntilShown(formId: string, monitors: QueueSocket[]): Promise<string> {
  const chat = await startChat(formId);
  expect(chat.status).toBe("waiting");
  await Promise.all(monitors.map((m) => m.next((f) => f.type === "request.added" && f.request.sessionId === chat.sessionId)));
  return chat.sessionId;
}


const RACERS = 24;

describe("simultaneous accepts", () => {
  it(`${RACERS} librarians, each monitoring, accept at the same instant: exactly one wins`, async () => {
    const { library, formId, librarians, cookies, monitors } = await staffedLibrary(RACERS);
    const sessionId = await startAndWaitUntilShown(formId, monitors);

    const outcomes = await acceptAll(sessionId, cookies);

    const winner = expectOneWinner(outcomes, librarians);
    expect(outcomes.filter((o) => o.status === 409)).toHaveLength(RACERS - 1);
    await expectEveryMonitorToldOnce(monitors, sessionId, winner);
    await expectOneClaimRecorded(sessionId, winner, cookies[0]!);
    expect((await queueStub(library.queueId).snapshot()).requests).toHaveLength(0);
  });

  it("holds across trials while the accept path is slowed by an awaited call (10 sessions × 25 librarians)", async () => {
    const { formId, librarians, cookies, monitors } = await staffedLibrary(25);
    const wins = new Map<string, number>();
    for (let trial = 0; trial < 10; trial++) {
      const sessionId = await startAndWaitUntilShown(formId, monitors);
      // Alternate: half the trials slow the object's D1 write (after the claim is
      // stored), half run on the ordinary path, which already awaits D1 and the queues.
      const restore = trial % 2 === 0 ? await slowSessionD1(sessionId, 150) : null;

      const outcomes = await acceptAll(sessionId, cookies);

      const winner = expectOneWinner(outcomes, librarians);
      if (restore) {
        // The rivals were answered while the winner's claim was still awaiting D1:
        // the race was decided inside the slow window, not before it.
        const winnerFinished = outcomes.find((o) => o.status === 200)!.finished;
        expect(winnerFinished).toBeGreaterThan(0);
        await restore();
      }
      await expectEveryMonitorToldOnce(monitors, sessionId, winner);
      await expectOneClaimRecorded(sessionId, winner, cookies[0]!);
      wins.set(winner.id, (wins.get(winner.id) ?? 0) + 1);
    }
    expect([...wins.values()].reduce((a, b) => a + b, 0)).toBe(10);
  });
});

describe("who may accept", () => {
  it("refuses a librarian of another library with 403 and changes nothing", async () => {
    const { formId, cookies, monitors } = await staffedLibrary(1);
    const sessionId = await startAndWaitUntilShown(formId, monitors);
    const other = await createLibrary({ name: "Elsewhere Public Library" });
    const outsider = await signIn(await createLibrarian(other.id, "Outsider"));

    const res = await accept(sessionId, outsider);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");

    // Nothing changed: still waiting, still queued, nobody told it was taken.
    expect(await sessionView(sessionId, cookies[0]!)).toMatchObject({ status: "waiting", librarian: null });
    await settle();
    expect(monitors[0]!.frames.some((f) => f.type === "request.removed")).toBe(false);
    expect(await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND status = 'waiting' AND librarian_id IS NULL", sessionId)).toBe(1);
    // …and the library's own librarian can still take it.
    expect((await accept(sessionId, cookies[0])).status).toBe(200);
  });

  it("tells an outsider nothing about who took a request (403, no name)", async () => {
    const { formId, cookies, monitors } = await staffedLibrary(1);
    const sessionId = await startAndWaitUntilShown(formId, monitors);
    expect((await accept(sessionId, cookies[0])).status).toBe(200);
    const other = await createLibrary({ name: "Elsewhere Public Library" });
    const outsider = await signIn(await createLibrarian(other.id, "Outsider"));

    const res = await accept(sessionId, outsider);
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; takenBy?: string } };
    expect(body.error.code).toBe("forbidden");
    expect(body.error.takenBy).toBeUndefined();
  });

  it("answers 404 for an unknown session and 401 without sign-in", async () => {
    const { formId, cookies, monitors } = await staffedLibrary(1);
    const sessionId = await startAndWaitUntilShown(formId, monitors);

    const unknown = await accept(crypto.randomUUID(), cookies[0]);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("not_found");
    expect((await accept("not-a-session-id", cookies[0])).status).toBe(404);

    const anonymous = await accept(sessionId, undefined);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    expect(await sessionView(sessionId, cookies[0]!)).toMatchObject({ status: "waiting", librarian: null });
  });
});

describe("accept racing the patron", () => {
  // The claim must not be lost to, or contradicted by, a patron action that was
  // already in progress when it arrived. Called on the session's stub directly,
  // as the routes do, so the two really overlap inside the object.
  it("accept and leave-question at the same instant: exactly one of them happens", async () => {
    const { library, formId, librarians, cookies, monitors } = await staffedLibrary(1);
    for (let trial = 0; trial < 5; trial++) {
      const chat = await startChat(formId, { email: `race-${trial}@patron.test` });
      await monitors[0]!.next((f) => f.type === "request.added" && f.request.sessionId === chat.sessionId);
      const stub = sessionStub(chat.sessionId);
      const me = { id: librarians[0]!.id, name: librarians[0]!.name, libraryId: library.id };

      const [left, claimed] = await Promise.all([stub.leaveQuestion(chat.token, `race-${trial}@patron.test`, null, "More detail"), stub.claim(me, [library.queueId])]);

      expect([left.ok, claimed.ok].filter(Boolean), JSON.stringify({ left, claimed })).toHaveLength(1);
      const view = await sessionView(chat.sessionId, cookies[0]!);
      if (claimed.ok) {
        expect(view).toMatchObject({ status: "active", librarian: { id: me.id } });
        expect(await countRows("SELECT 1 FROM questions WHERE session_id = ?", chat.sessionId)).toBe(0);
      } else {
        expect(view).toMatchObject({ status: "ended", librarian: null });
        expect(await countRows("SELECT 1 FROM questions WHERE session_id = ? AND source = 'email'", chat.sessionId)).toBe(1);
      }
    }
  });

  it("a patron saying hello while the request is accepted is shown the session as it is", async () => {
    const { library, formId, librarians, monitors } = await staffedLibrary(1);
    const chat = await startChat(formId);
    await monitors[0]!.next((f) => f.type === "request.added" && f.request.sessionId === chat.sessionId);
    const patron = await connect(`/api/chats/${chat.sessionId}/socket`);

    patron.send({ type: "hello", token: chat.token, lastSeq: 0 });
    const claimed = await sessionStub(chat.sessionId).claim({ id: librarians[0]!.id, name: librarians[0]!.name, libraryId: library.id }, [library.queueId]);
    expect(claimed.ok).toBe(true);

    await patron.next((f) => f.type === "welcome");
    await patron.next((f) => f.type === "message" && f.message.body.endsWith("has joined the chat."));
    await settle();
    // Whatever the interleaving, the last status the patron was told is "active".
    const statuses = patron.frames.flatMap((f) => (f.type === "welcome" || f.type === "status" ? [f.session.status] : []));
    expect(statuses.at(-1)).toBe("active");
  });
});
