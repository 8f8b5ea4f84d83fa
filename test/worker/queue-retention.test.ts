/**
 * A queue keeps nothing about people longer than it needs, even when nobody
 * is monitoring and nothing new happens: staff messages go after a shift, and
 * a request whose removal never arrived goes after TIMING.queueEntryMaxAgeMs.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TIMING } from "../../src/shared/limits";
import { closeSocket, createLibrary, queueStub, staffedLibrary } from "./helpers";

const rows = (queueId: string, table: string) =>
  runInDurableObject(queueStub(queueId), (_obj, state) => state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n);

describe("a queue's storage over time", () => {
  it("drops a shift's staff messages by itself after everyone left", async () => {
    const { library, monitors } = await staffedLibrary(1);
    monitors[0]!.send({ type: "staff.send", clientId: "n-1", body: "Ada asked about the census; call her back", to: null });
    await monitors[0]!.next((f) => f.type === "staff.message");
    await closeSocket(monitors[0]!);
    expect(await rows(library.queueId, "staff_messages")).toBe(1);
    await runInDurableObject(queueStub(library.queueId), (obj) => obj.clock.advance(TIMING.staffHistoryMs + 1_000));
    expect(await runDurableObjectAlarm(queueStub(library.queueId))).toBe(true);
    expect(await rows(library.queueId, "staff_messages")).toBe(0);
  });

  it("drops a request left behind by a removal that never arrived", async () => {
    const library = await createLibrary();
    const stub = queueStub(library.queueId);
    const request = { sessionId: crypto.randomUUID(), queueId: library.queueId, libraryId: library.id, libraryName: "L", formId: null, question: "Ada's question", patronName: "Ada", createdAt: Date.now(), preview: [] };
    // Kept although nobody is monitoring, as a patron's home queue keeps it during roll-over.
    expect(await stub.offer(request, { keepWhenUnstaffed: true })).toEqual({ staffed: false });
    expect(await rows(library.queueId, "requests")).toBe(1);
    await runInDurableObject(stub, (obj) => obj.clock.advance(TIMING.queueEntryMaxAgeMs - 60_000));
    await runDurableObjectAlarm(stub);
    expect(await rows(library.queueId, "requests")).toBe(1);
    await runInDurableObject(stub, (obj) => obj.clock.advance(120_000));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await rows(library.queueId, "requests")).toBe(0);
  });
});
