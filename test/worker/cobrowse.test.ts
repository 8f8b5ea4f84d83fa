/**
 * The co-browse check and the co-browse stream, through the real
 * Worker and session object: the patron's browser report reaches the serving
 * librarian judged; co-browsing needs the librarian's request and the
 * patron's consent on the page itself; the stream is checked (size, rate,
 * unmasked values) and relayed to the serving librarian only, never stored;
 * stopping ends it at once; only "started/ended" lines reach the transcript.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { BrowserReport, CobrowseServerMessage, PageEvent, SessionServerMessage } from "../../src/shared/protocol";
import { COBROWSE_LIMITS } from "../../src/shared/cobrowse-limits";
import { LIMITS } from "../../src/shared/limits";
import {
  accept,
  advanceSession,
  connect,
  createForm,
  createLibrarian,
  createLibrary,
  endChat,
  librarianSocket,
  monitorQueue,
  patronSocket,
  sessionStub,
  settle,
  signIn,
  startChat,
  transcriptOf,
  upgrade,
  type TestSocket,
} from "./helpers";

const SITE = "https://library.example";
const REPORT: BrowserReport = { framing: true, popups: "unknown", qwidget: true, cobrowseSupported: true, narrow: false };
type StreamSocket = TestSocket<CobrowseServerMessage>;
type Events = Extract<SessionServerMessage, { type: "cobrowse.events" }>;

/** A chat from a library that allows SITE to embed it, accepted, both chat sockets open. */
async function sharingReady(report: BrowserReport | null = REPORT) {
  const library = await createLibrary({ allowedOrigins: [SITE] });
  const formId = await createForm(library.id);
  const serving = await createLibrarian(library.id, "Maria");
  const cookie = await signIn(serving);
  const monitor = await monitorQueue(library.queueId, cookie);
  const chat = await startChat(formId, { name: "Ada" });
  expect((await accept(chat.sessionId, cookie)).status).toBe(200);
  const patron = await patronSocket(chat.sessionId, chat.token);
  const librarian = await librarianSocket(chat.sessionId, cookie);
  if (report) {
    patron.send({ type: "capabilities", report });
    await librarian.next((f) => f.type === "check" && f.check.reported);
  }
  return { library, formId, serving, cookie, monitor, chat, patron, librarian };
}

async function stream(sessionId: string, token: string | null, origin = SITE): Promise<StreamSocket> {
  const s = await connect<CobrowseServerMessage>(`/api/chats/${sessionId}/cobrowse`, undefined, { Origin: origin });
  if (token) s.send({ type: "hello", token });
  return s;
}

/** The librarian asks, the patron's page agrees: returns the sharing page's socket, started. */
async function sharing(ctx: Awaited<ReturnType<typeof sharingReady>>, url = `${SITE}/catalog`) {
  ctx.librarian.send({ type: "cobrowse.request" });
  await ctx.patron.next((f) => f.type === "cobrowse" && f.cobrowse.status === "requested");
  const page = await stream(ctx.chat.sessionId, ctx.chat.token);
  page.send({ type: "start", url, title: "Catalog" });
  const started = await page.next((f) => f.type === "started");
  return { page, sharingId: started.type === "started" ? started.sharingId : "" };
}

/** A page snapshot in rrweb's format with the given input fields. */
function snapshot(inputs: Record<string, unknown>[] = [], marker = "Welcome"): PageEvent {
  const children = [
    { type: 3, id: 4, textContent: marker },
    ...inputs.map((attributes, i) => ({ type: 2, id: 10 + i, tagName: "input", attributes, childNodes: [] })),
  ];
  return { type: 2, timestamp: Date.now(), data: { node: { type: 0, id: 1, childNodes: [{ type: 2, id: 2, tagName: "html", attributes: {}, childNodes: [{ type: 2, id: 3, tagName: "body", attributes: {}, childNodes: children }] }] }, initialOffset: { top: 0, left: 0 } } };
}
const inputEvent = (id: number, text: string): PageEvent => ({ type: 3, timestamp: Date.now(), data: { source: 5, id, text, isChecked: false } });
const relayed = (s: TestSocket<SessionServerMessage>) => s.frames.filter((f): f is Events => f.type === "cobrowse.events");

describe("the co-browse check", () => {
  it("reaches the serving librarian judged, after the welcome and on every change; only patrons report", async () => {
    const ctx = await sharingReady(null);
    const first = await ctx.librarian.next((f) => f.type === "check");
    expect(first.type === "check" && first.check).toMatchObject({ reported: false, cobrowse: { possible: false } });
    ctx.patron.send({ type: "capabilities", report: { ...REPORT, qwidget: false } });
    const judged = await ctx.librarian.next((f) => f.type === "check" && f.check.reported);
    expect(judged.type === "check" && judged.check).toMatchObject({
      reported: true,
      viewport: { available: false, note: expect.stringContaining("plain chat") },
      cobrowse: { possible: false, note: expect.stringContaining("Qwidget") },
      popups: "unknown",
    });
    ctx.patron.send({ type: "capabilities", report: { ...REPORT, popups: "blocked" } });
    const later = await ctx.librarian.next((f) => f.type === "check" && f.check.popups === "blocked");
    expect(later.type === "check" && later.check.cobrowse.possible).toBe(true);
    // A reconnecting monitor gets the latest check at once.
    const again = await librarianSocket(ctx.chat.sessionId, ctx.cookie);
    expect((await again.next((f) => f.type === "check")).type === "check").toBe(true);
    expect(again.frames.find((f) => f.type === "check")).toMatchObject({ check: { popups: "blocked" } });
    ctx.librarian.send({ type: "capabilities", report: REPORT });
    expect(await ctx.librarian.next((f) => f.type === "error")).toMatchObject({ code: "forbidden" });
  });
});

describe("asking to co-browse", () => {
  it("is refused when the patron's browser cannot co-browse, and to anyone but the serving librarian", async () => {
    const ctx = await sharingReady({ ...REPORT, qwidget: false });
    ctx.librarian.send({ type: "cobrowse.request" });
    expect(await ctx.librarian.next((f) => f.type === "error")).toMatchObject({ code: "not_active", message: expect.stringContaining("not possible") });
    ctx.patron.send({ type: "cobrowse.request" });
    expect(await ctx.patron.next((f) => f.type === "error")).toMatchObject({ code: "forbidden" });
    await settle();
    expect(ctx.patron.frames.some((f) => f.type === "cobrowse")).toBe(false);
  });

  it("asks the patron, who may decline", async () => {
    const ctx = await sharingReady();
    ctx.librarian.send({ type: "cobrowse.request" });
    const asked = await ctx.patron.next((f) => f.type === "cobrowse");
    expect(asked).toMatchObject({ cobrowse: { status: "requested", librarianName: "Maria", url: null } });
    ctx.patron.send({ type: "cobrowse.decline" });
    await ctx.librarian.next((f) => f.type === "cobrowse" && f.cobrowse.status === "off");
    // No consent, no stream.
    const page = await stream(ctx.chat.sessionId, ctx.chat.token);
    page.send({ type: "start", url: `${SITE}/catalog`, title: "Catalog" });
    expect(await page.next((f) => f.type === "error")).toMatchObject({ code: "not_active", message: "No librarian has asked to see your page." });
    expect((await transcriptOf(ctx.chat.sessionId, ctx.cookie)).some((m) => m.body.includes("Co-browsing"))).toBe(false);
  });
});

describe("the co-browse stream", () => {
  it("relays the consenting page's events to the serving librarian only, and stores none of them", async () => {
    const ctx = await sharingReady();
    const { page } = await sharing(ctx);
    const active = await ctx.librarian.next((f) => f.type === "cobrowse" && f.cobrowse.status === "active");
    expect(active).toMatchObject({ cobrowse: { url: `${SITE}/catalog`, title: "Catalog", librarianName: "Maria" } });
    const events = [snapshot([{ type: "text", value: "***" }], "Unique marker 7f3a")];
    page.send({ type: "events", events });
    const got = await ctx.librarian.next((f) => f.type === "cobrowse.events");
    expect(got).toEqual({ type: "cobrowse.events", events });
    await settle();
    // Not to the patron's chat socket, not to the queue's monitors.
    expect(ctx.patron.frames.some((f) => f.type === "cobrowse.events")).toBe(false);
    expect(JSON.stringify(ctx.monitor.frames)).not.toContain("Unique marker");
    // Nothing of the stream in storage: only the "started" line.
    const stored = await runInDurableObject(sessionStub(ctx.chat.sessionId), (_obj, state) =>
      JSON.stringify([state.storage.sql.exec("SELECT * FROM messages").toArray(), state.storage.sql.exec("SELECT * FROM meta").toArray()]),
    );
    expect(stored).not.toContain("Unique marker");
    const lines = (await transcriptOf(ctx.chat.sessionId, ctx.cookie)).map((m) => m.body);
    expect(lines).toContain(`Co-browsing started: Ada is sharing a page of library.example with Maria.`);
  });

  it("refuses frames without consent, from a page that did not start, and from a page that is not the patron's", async () => {
    const ctx = await sharingReady();
    const early = await stream(ctx.chat.sessionId, ctx.chat.token);
    early.send({ type: "events", events: [snapshot()] });
    expect(await early.next((f) => f.type === "error")).toMatchObject({ code: "forbidden", message: expect.stringContaining("nothing was relayed") });
    await sharing(ctx);
    // A second page of the patron that never agreed on its own.
    const other = await stream(ctx.chat.sessionId, ctx.chat.token);
    other.send({ type: "events", events: [snapshot([], "from the other page")] });
    expect(await other.next((f) => f.type === "error")).toMatchObject({ code: "forbidden" });
    // Someone without the chat's token.
    const stranger = await stream(ctx.chat.sessionId, "not-the-token");
    expect(await stranger.next((f) => f.type === "error")).toMatchObject({ code: "unauthorized" });
    expect((await stranger.closed).code).toBe(1008);
    const silent = await stream(ctx.chat.sessionId, null);
    silent.send({ type: "events", events: [snapshot()] });
    expect(await silent.next((f) => f.type === "error")).toMatchObject({ code: "hello_required" });
    // A site the library does not allow cannot even open the socket; a librarian cannot either.
    expect((await upgrade(`/api/chats/${ctx.chat.sessionId}/cobrowse`, { headers: { Origin: "https://evil.example" } })).status).toBe(403);
    expect((await upgrade(`/api/chats/${ctx.chat.sessionId}/cobrowse?as=librarian`, { cookie: ctx.cookie, headers: { Origin: SITE } })).status).toBe(403);
    // A page of another site cannot claim to be the library's page.
    const elsewhere = await stream(ctx.chat.sessionId, ctx.chat.token);
    elsewhere.send({ type: "start", url: "https://evil.example/", title: "x" });
    expect(await elsewhere.next((f) => f.type === "error")).toMatchObject({ code: "validation_failed", field: "url" });
    await settle();
    expect(relayed(ctx.librarian)).toHaveLength(0);
  });

  it("refuses a frame that would leak a typed value or a password field, and oversize frames", async () => {
    const ctx = await sharingReady();
    const { page } = await sharing(ctx);
    const refused = async (events: PageEvent[]) => {
      const from = page.frames.length;
      page.send({ type: "events", events });
      return page.nextFrom((f) => f.type === "error", from);
    };
    expect(await refused([snapshot([{ type: "text", value: "my library card 2900012345" }])])).toMatchObject({ code: "validation_failed", message: expect.stringContaining("unmasked") });
    expect(await refused([snapshot([{ type: "password", value: "********" }])])).toMatchObject({ code: "validation_failed", message: expect.stringContaining("password") });
    expect(await refused([snapshot([{ autocomplete: "cc-number", value: "****" }])])).toMatchObject({ code: "validation_failed" });
    // With the masked snapshot accepted, typing is relayed only masked; a checkbox's own value may pass.
    page.send({ type: "events", events: [snapshot([{ type: "text", value: "" }, { type: "checkbox", value: "yes" }])] });
    await ctx.librarian.next((f) => f.type === "cobrowse.events");
    expect(await refused([inputEvent(10, "hunter2")])).toMatchObject({ code: "validation_failed" });
    page.send({ type: "events", events: [inputEvent(10, "*******"), inputEvent(11, "yes")] });
    await ctx.librarian.next((f) => f.type === "cobrowse.events" && JSON.stringify(f.events).includes("*******"));
    // Frames above the co-browse limit are refused unread; above the chat limit but below it, accepted.
    const big = snapshot([], "x".repeat(LIMITS.frameBytes * 2));
    page.send({ type: "events", events: [big] });
    await ctx.librarian.next((f) => f.type === "cobrowse.events" && JSON.stringify(f).length > LIMITS.frameBytes * 2);
    expect(await refused([snapshot([], "y".repeat(COBROWSE_LIMITS.frameBytes))])).toMatchObject({ code: "too_large" });
    await settle();
    const all = JSON.stringify(relayed(ctx.librarian));
    for (const secret of ["2900012345", "hunter2", "********", "yyyy"]) expect(all).not.toContain(secret);
  });

  it("limits how fast a page may stream", async () => {
    const ctx = await sharingReady();
    const { page } = await sharing(ctx);
    const burst = COBROWSE_LIMITS.framesPerSecond + 10;
    for (let i = 0; i < burst; i++) page.send({ type: "events", events: [{ type: 3, timestamp: i, data: { source: 1, positions: [{ x: i, y: i, id: 1, timeOffset: 0 }] } }] });
    expect(await page.next((f) => f.type === "error")).toMatchObject({ code: "rate_limited" });
    await settle(300);
    expect(relayed(ctx.librarian).length).toBeLessThan(burst);
    expect(relayed(ctx.librarian).length).toBeGreaterThanOrEqual(COBROWSE_LIMITS.framesPerSecond - 1);
  });

  it("stops at once when the patron stops sharing: the page is told, later frames are refused, the transcript says so", async () => {
    const ctx = await sharingReady();
    const { page } = await sharing(ctx);
    page.send({ type: "stop" });
    await ctx.librarian.next((f) => f.type === "cobrowse" && f.cobrowse.status === "off");
    expect((await page.closed).code).toBe(1000);
    const after = await stream(ctx.chat.sessionId, ctx.chat.token);
    after.send({ type: "events", events: [snapshot()] });
    expect(await after.next((f) => f.type === "error")).toMatchObject({ code: "forbidden" });
    const lines = (await transcriptOf(ctx.chat.sessionId, ctx.cookie)).map((m) => m.body);
    expect(lines).toContain("Co-browsing ended (stopped by the patron).");
  });

  it("the serving librarian can stop it too, point, resync and navigate — on the same site only", async () => {
    const ctx = await sharingReady();
    const { page } = await sharing(ctx);
    ctx.librarian.send({ type: "cobrowse.point", target: { nodeId: 10, x: 40, y: 80, label: "Search" } });
    expect(await page.next((f) => f.type === "point")).toEqual({ type: "point", target: { nodeId: 10, x: 40, y: 80, label: "Search" } });
    ctx.librarian.send({ type: "cobrowse.resync" });
    await page.next((f) => f.type === "resync");
    for (const url of ["https://evil.example/", "javascript:alert(1)", "data:text/html,hi"]) {
      const from = ctx.librarian.frames.length;
      ctx.librarian.send({ type: "cobrowse.navigate", url });
      expect(await ctx.librarian.nextFrom((f) => f.type === "error", from), url).toMatchObject({ code: "validation_failed", field: "url" });
    }
    ctx.librarian.send({ type: "cobrowse.navigate", url: `${SITE}/hours` });
    expect(await page.next((f) => f.type === "navigate")).toEqual({ type: "navigate", url: `${SITE}/hours` });
    expect(page.frames.filter((f) => f.type === "navigate")).toHaveLength(1);
    // The patron cannot lead.
    ctx.patron.send({ type: "cobrowse.navigate", url: `${SITE}/x` });
    expect(await ctx.patron.next((f) => f.type === "error")).toMatchObject({ code: "forbidden" });
    ctx.librarian.send({ type: "cobrowse.stop" });
    expect(await page.next((f) => f.type === "ended")).toMatchObject({ reason: "stopped by Maria" });
  });

  it("pauses while the patron's next page loads, resumes with the same consent, and ends when no page comes back", async () => {
    const ctx = await sharingReady();
    const { page, sharingId } = await sharing(ctx);
    page.ws.close(1001, "navigating");
    await ctx.librarian.next((f) => f.type === "cobrowse" && f.cobrowse.status === "paused");
    const next = await stream(ctx.chat.sessionId, ctx.chat.token);
    next.send({ type: "start", url: `${SITE}/hours`, title: "Hours", sharingId });
    await next.next((f) => f.type === "started");
    await ctx.librarian.next((f) => f.type === "cobrowse" && f.cobrowse.status === "active" && f.cobrowse.url === `${SITE}/hours`);
    // A made-up sharing id is not consent.
    const forged = await stream(ctx.chat.sessionId, ctx.chat.token);
    forged.send({ type: "start", url: `${SITE}/x`, title: "x", sharingId: "forged" });
    expect(await forged.next((f) => f.type === "ended")).toBeTruthy();
    next.ws.close(1001, "navigating");
    await ctx.librarian.next((f) => f.type === "cobrowse" && f.cobrowse.status === "paused");
    await advanceSession(ctx.chat.sessionId, COBROWSE_LIMITS.resumeMs + 1000);
    await ctx.librarian.next((f) => f.type === "cobrowse" && f.cobrowse.status === "off");
    const lines = (await transcriptOf(ctx.chat.sessionId, ctx.cookie)).map((m) => m.body).filter((b) => b.startsWith("Co-browsing"));
    expect(lines).toEqual(["Co-browsing started: Ada is sharing a page of library.example with Maria.", "Co-browsing ended (the shared page did not come back)."]);
  });

  it("ends with the chat, telling the sharing page", async () => {
    const ctx = await sharingReady();
    const { page } = await sharing(ctx);
    expect((await endChat(ctx.chat.sessionId, ctx.cookie, { resolution: "answered" })).status).toBe(200);
    expect(await page.next((f) => f.type === "ended")).toMatchObject({ reason: "the chat ended" });
    const lines = (await transcriptOf(ctx.chat.sessionId, ctx.cookie)).map((m) => m.body);
    expect(lines.indexOf("Co-browsing ended (the chat ended).")).toBeLessThan(lines.indexOf("Maria ended the chat."));
    // An ended chat takes no new sharing.
    const late = await stream(ctx.chat.sessionId, ctx.chat.token);
    late.send({ type: "start", url: `${SITE}/catalog`, title: "Catalog" });
    expect(await late.next((f) => f.type === "error")).toMatchObject({ code: "session_ended" });
  });
});
