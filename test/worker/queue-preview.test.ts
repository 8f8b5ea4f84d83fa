import { describe, expect, it } from "vitest";
import type { QueueServerMessage } from "../../src/shared/protocol";
import { TIMING } from "../../src/shared/limits";
import { patronSocket, staffedLibrary, startChat } from "./helpers";

type Updated = Extract<QueueServerMessage, { type: "request.updated" }>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the queue's preview of what a waiting patron adds", () => {
  it("shows the first line at once and a burst of lines in one refresh, never one per line", async () => {
    const { formId, monitors } = await staffedLibrary(1);
    const [monitor] = monitors;
    const started = await startChat(formId, { name: "Ada" });
    await monitor!.next((f) => f.type === "request.added");
    const patron = await patronSocket(started.sessionId, started.token);

    const lines = ["1880 census", "Ohio", "Cuyahoga County", "the Zimmermann family", "any township", "thank you"];
    for (const [i, body] of lines.entries()) patron.send({ type: "send", clientId: `w-${i}`, body });
    for (const [i] of lines.entries()) await patron.next((f) => f.type === "ack" && f.clientId === `w-${i}`);

    const first = (await monitor!.next((f) => f.type === "request.updated")) as Updated;
    expect(first.request.preview).toEqual(["1880 census"]);
    // The rest arrive together, within the refresh interval, as the newest five lines.
    const updates = () => monitor!.frames.filter((f): f is Updated => f.type === "request.updated" && f.request.sessionId === started.sessionId);
    await monitor!.next((f) => f.type === "request.updated" && (f as Updated).request.preview.includes("thank you"), TIMING.previewRefreshMs + 3000);
    expect(updates().at(-1)!.request.preview).toEqual(lines.slice(-5));
    await sleep(TIMING.previewRefreshMs + 200);
    expect(updates()).toHaveLength(2);
  });
});
