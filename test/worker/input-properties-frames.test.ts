/**
 * Every client frame type of every socket, at the edges of its schema. The
 * frame types and their schemas are read from src/shared/protocol.ts (the
 * session socket, the queue socket and the co-browse stream), so a new frame
 * type is covered without a list to keep; each is drawn with fields at and
 * past their edges (bench/hostile/properties/) and sent by a patron past
 * hello, by the serving librarian, by a socket that has not said hello, by a
 * monitoring librarian and by a page sharing itself. Every frame that comes
 * back must be an `{type:"error", code, message}` frame or one the protocol
 * has; a socket may close only with a documented code; the object must keep
 * answering; and a refused frame must leave the chat's and the queue's
 * storage and every D1 table as they were.
 */
import { runInDurableObject } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JSON_SHAPES, EDGE_TEXTS } from "../../bench/hostile/properties/edge-values";
import { checkFrames, type FrameChannel, type FrameTarget } from "../../bench/hostile/properties/runner";
import type { SocketKind } from "../../bench/hostile/properties/frame-cases";
import { MIRRORED_TABLES } from "../../bench/hostile/properties/state-diff";
import { COBROWSE_LIMITS } from "../../src/shared/cobrowse-limits";
import { LIMITS } from "../../src/shared/limits";
import type { BrowserReport } from "../../src/shared/protocol";
import { accept, connect, createForm, createLibrarian, createLibrary, librarianSocket, monitorQueue, patronSocket, queueStub, sessionStub, signIn, startChat, type TestSocket } from "./helpers";
import { d1Rows, merged, objectRows } from "./stored-rows";

/** Frames per frame type, and the seed they are drawn with (the bench draws more with other seeds). */
const RUNS = 2;
const SEED = 20_260_304;

/** The site the library embeds its chat on, where shared pages come from. */
const SITE = "https://library.example";
const REPORT: BrowserReport = { framing: true, popups: "allowed", qwidget: true, cobrowseSupported: true, narrow: false };

/** A chat being served, with co-browsing asked for: both chat sockets past hello, the librarian monitoring the queue. */
async function servedChat() {
  const library = await createLibrary({ allowedOrigins: [SITE] });
  const formId = await createForm(library.id);
  const serving = await createLibrarian(library.id, "Maria");
  const colleague = await createLibrarian(library.id, "Bart");
  const cookie = await signIn(serving);
  const monitor = await monitorQueue(library.queueId, cookie);
  await monitorQueue(library.queueId, await signIn(colleague));
  const chat = await startChat(formId, { name: "Ada", email: "ada@patron.test" });
  expect((await accept(chat.sessionId, cookie)).status).toBe(200);
  const patron = await patronSocket(chat.sessionId, chat.token);
  const librarian = await librarianSocket(chat.sessionId, cookie);
  patron.send({ type: "capabilities", report: REPORT });
  await librarian.next((f) => f.type === "check" && f.check.reported);
  librarian.send({ type: "cobrowse.request" });
  await patron.next((f) => f.type === "cobrowse" && f.cobrowse.status === "requested");
  const fixtures: Record<string, readonly unknown[]> = {
    token: [chat.token],
    lastSeq: [0],
    url: [`${SITE}/catalog`],
    email: ["ada@patron.test"],
    to: [colleague.id, serving.id],
  };
  return { library, chat, monitor, patron, librarian, cookie, fixtures: (name: string) => fixtures[name] ?? [] };
}
type ServedChat = Awaited<ReturnType<typeof servedChat>>;

/** A test socket as the runner holds it: its frames, its close code, raw sends (the probe is binary). */
function channelOf<T>(s: TestSocket<T>): FrameChannel & { open(): boolean } {
  let code: number | null = null;
  void s.closed.then((c) => (code = c.code));
  return {
    send: (frame) => s.ws.send(frame),
    frames: s.frames as unknown[],
    closeCode: () => code,
    open: () => code === null,
  };
}

/** Whether the chat is still being served, as the patron's socket last heard. */
function stillActive(patron: TestSocket<unknown>): boolean {
  const views = (patron.frames as { type: string; session?: { status: string } }[]).filter((f) => f.type === "welcome" || f.type === "status");
  return views.at(-1)?.session?.status === "active";
}

/** The chat object's rows, its queue's and D1's (but the chat rows the object copies its state to on its own schedule: MIRRORED_TABLES). */
async function chatRows(w: ServedChat) {
  return merged(
    await d1Rows(MIRRORED_TABLES),
    await objectRows("ChatSession", w.chat.sessionId, sessionStub(w.chat.sessionId)),
    await objectRows("RequestQueue", w.library.queueId, queueStub(w.library.queueId)),
  );
}

/**
 * A target for one socket in one state: `open` makes that socket on a chat
 * still being served (a new chat when the last one ended); `usable` says
 * whether the socket is still in the state under test.
 */
function target(open: (w: ServedChat) => Promise<TestSocket<unknown>>, usable: (s: TestSocket<unknown>) => boolean = () => true): FrameTarget {
  let world: ServedChat | undefined;
  let socket: (FrameChannel & { open(): boolean }) | undefined;
  let raw: TestSocket<unknown> | undefined;
  return {
    async channel() {
      if (!world || !stillActive(world.patron as TestSocket<unknown>) || world.patron.ws.readyState !== WebSocket.OPEN || world.librarian.ws.readyState !== WebSocket.OPEN) {
        world = await servedChat();
        socket = undefined;
      }
      if (!socket || !raw || !socket.open() || !usable(raw)) {
        raw = await open(world);
        socket = channelOf(raw);
      }
      return socket;
    },
    snapshot: () => chatRows(world!),
    afterAccepted: async () => {},
    fixtures: (name) => world?.fixtures(name) ?? [],
  };
}

const notWelcomed = (s: TestSocket<unknown>) => !(s.frames as { type: string }[]).some((f) => f.type === "welcome");

const TARGETS: { label: string; socket: SocketKind; frameBytes: number; target: () => FrameTarget }[] = [
  { label: "patron, past hello", socket: "session", frameBytes: LIMITS.frameBytes, target: () => target(async (w) => w.patron as TestSocket<unknown>) },
  { label: "serving librarian", socket: "session", frameBytes: LIMITS.frameBytes, target: () => target(async (w) => w.librarian as TestSocket<unknown>) },
  { label: "chat socket before hello", socket: "session", frameBytes: LIMITS.frameBytes, target: () => target((w) => connect(`/api/chats/${w.chat.sessionId}/socket`), notWelcomed) },
  { label: "monitoring librarian", socket: "queue", frameBytes: LIMITS.frameBytes, target: () => target(async (w) => w.monitor as TestSocket<unknown>) },
  {
    label: "shared page, past hello",
    socket: "cobrowse",
    frameBytes: COBROWSE_LIMITS.frameBytes,
    target: () =>
      target(async (w) => {
        const s = await connect(`/api/chats/${w.chat.sessionId}/cobrowse`, undefined, { Origin: SITE });
        s.send({ type: "hello", token: w.chat.token });
        return s as TestSocket<unknown>;
      }),
  },
  { label: "shared page before hello", socket: "cobrowse", frameBytes: COBROWSE_LIMITS.frameBytes, target: () => target((w) => connect(`/api/chats/${w.chat.sessionId}/cobrowse`, undefined, { Origin: SITE })) },
];

describe("every frame type of every socket, at its schema's edges: an error frame or a documented frame back, no crash, and a refused frame stores nothing", () => {
  it.each(TARGETS.map((t) => [t.label, t] as const))("%s", async (_label, t) => {
    const checks = await checkFrames(t.socket, t.target(), { runs: RUNS, seed: SEED, frameBytes: t.frameBytes, label: t.label });
    expect(checks.length).toBeGreaterThan(RUNS);
    expect(checks.filter((c) => c.problem !== null).map((c) => `${c.name}\n    → ${c.problem}`)).toEqual([]);
  }, 60_000);
});

/**
 * A shared page's events are rrweb's serialised DOM, read by the stream guard
 * (src/cobrowse/stream-guard.ts) to refuse typed values: page trees whose
 * attributes and ids are any JSON at all — objects whose `toString` is not a
 * function, lists, numbers — are relayed or refused, never a crash.
 */
describe("page events of any shape on a sharing page", () => {
  // Objects no string can be made of (their toString and valueOf are not functions) among every other JSON shape.
  const unprintable = fc.constantFrom<unknown>({ toString: 1 }, { toString: "x", valueOf: {} }, { valueOf: [], toString: null });
  const attribute = fc.oneof(unprintable, fc.constantFrom(...JSON_SHAPES), fc.constantFrom("password", "cc-number", "one-time-code", "checkbox", "***", ...EDGE_TEXTS.slice(0, 12)));
  const { node } = fc.letrec((tie) => ({
    node: fc.record({
      type: fc.oneof(fc.constant<unknown>(2), fc.constantFrom<unknown>(3, "2", null)),
      id: fc.oneof(fc.nat({ max: 50 }), fc.constantFrom(...JSON_SHAPES)),
      tagName: fc.oneof(fc.constantFrom<unknown>("input", "INPUT", "textarea", "select"), fc.constantFrom<unknown>("div", 7, null), unprintable),
      attributes: fc.oneof(fc.dictionary(fc.constantFrom("type", "value", "autocomplete", "checked", "__proto__", "constructor"), attribute, { maxKeys: 4 }), fc.constantFrom(...JSON_SHAPES)),
      childNodes: fc.oneof({ depthSize: "small" }, fc.constantFrom(...JSON_SHAPES), fc.array(tie("node"), { maxLength: 3 })),
    }),
  }));
  const event = fc.oneof(
    node.map((n) => ({ type: 2, timestamp: 1, data: { node: n } })),
    fc.array(node, { maxLength: 3 }).map((adds) => ({ type: 3, timestamp: 1, data: { source: 0, adds: adds.map((n) => ({ node: n })) } })),
    fc.record({ id: fc.oneof(fc.nat({ max: 50 }), fc.constantFrom(...JSON_SHAPES)), text: attribute }).map((d) => ({ type: 3, timestamp: 1, data: { source: 5, ...d } })),
  );

  it("are relayed to the librarian or refused with an error frame", async () => {
    const w = await servedChat();
    const page = await connect(`/api/chats/${w.chat.sessionId}/cobrowse`, undefined, { Origin: SITE });
    page.send({ type: "hello", token: w.chat.token });
    page.send({ type: "start", url: `${SITE}/catalog`, title: "Catalog" });
    await page.next((f) => (f as { type: string }).type === "started");
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 3 }), async (events) => {
        // Within the socket's frame allowance (SOCKET_FRAME_RATE): each case comes a second later on the chat's clock.
        await runInDurableObject(sessionStub(w.chat.sessionId), (obj) => obj.clock.advance(1_000));
        const from = page.frames.length;
        const relayedFrom = w.librarian.frames.length;
        page.send(JSON.stringify({ type: "events", events }));
        page.ws.send(new Uint8Array([0x70]));
        await page.nextFrom((f) => (f as { type: string; message?: string }).type === "error" && /binary/i.test((f as { message: string }).message), from, 5000);
        const answers = (page.frames.slice(from) as { type: string; code?: string }[]).filter((f) => f.type === "error" && !/binary/i.test((f as { message?: string }).message ?? ""));
        for (const a of answers) expect(["validation_failed", "rate_limited", "bad_frame", "too_large"]).toContain(a.code);
        // Refused, or relayed to the librarian: a frame that got neither was dropped by a guard that threw.
        if (answers.length === 0) await w.librarian.nextFrom((f) => f.type === "cobrowse.events" && f.events.length === events.length, relayedFrom, 2000);
      }),
      { numRuns: 40, seed: SEED, endOnFailure: true },
    );
  }, 60_000);
});
