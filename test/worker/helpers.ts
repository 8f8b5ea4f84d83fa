/**
 * Test helpers: build libraries, librarians and forms in the real D1, sign in,
 * open real WebSockets through the Worker and wait for frames.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { hashPassword } from "../../src/auth/password";
import { createLibrary as insertLibrary, type NewLibrary } from "../../src/libraries/create-library";
import { libraryQueueId } from "../../src/queues/queue-ids";
import type { EndChatBody } from "../../src/shared/api";
import { applyQueueFrame, emptyQueueModel } from "../../src/client/monitor/queue-model";
import type { ChatMessage, Monitor, QueueServerMessage, SessionServerMessage, SessionView } from "../../src/shared/protocol";

export const ORIGIN = "https://refdesk.test";

export function worker(): Fetcher {
  return (exports as unknown as { default: Fetcher }).default;
}

export function call(path: string, init: RequestInit & { cookie?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("Cookie", init.cookie);
  // Browsers send Origin with every POST; the CSRF check relies on it.
  if (init.method && init.method !== "GET" && !headers.has("Origin")) headers.set("Origin", ORIGIN);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  return worker().fetch(new Request(`${ORIGIN}${path}`, { ...init, headers, body }));
}

let counter = 0;
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

export async function createLibrary(overrides: Partial<NewLibrary> = {}): Promise<NewLibrary & { queueId: string }> {
  const lib: NewLibrary = { id: uniqueId("lib"), name: "Test Library", contactEmail: "ask@library.test", ...overrides };
  await insertLibrary(env.DB, lib);
  return { ...lib, queueId: libraryQueueId(lib.id) };
}

export async function createGroup(id: string, name: string, libraryIds: string[]): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("INSERT INTO groups (id, name) VALUES (?, ?)").bind(id, name),
    ...libraryIds.map((l, i) => env.DB.prepare("INSERT INTO group_members (group_id, library_id, position) VALUES (?, ?, ?)").bind(id, l, i)),
  ]);
}

export interface TestLibrarian {
  id: string;
  email: string;
  password: string;
  name: string;
  libraryId: string;
}

// Fewer PBKDF2 rounds keep fixtures quick; the stored hash carries its round count.
export async function createLibrarian(libraryId: string, name = "Librarian", role = "librarian"): Promise<TestLibrarian> {
  const id = uniqueId("lbn");
  const email = `${id}@library.test`;
  const password = `pw-${id}`;
  await env.DB.prepare("INSERT INTO librarians (id, library_id, email, display_name, password_hash, role) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(id, libraryId, email, name, await hashPassword(password, 1000), role)
    .run();
  return { id, email, password, name, libraryId };
}

export async function createForm(libraryId: string, opts: { queueId?: string; fields?: unknown[]; enabled?: boolean } = {}): Promise<string> {
  const id = uniqueId("form");
  await env.DB.prepare("INSERT INTO forms (id, library_id, queue_id, title, fields, enabled) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(id, libraryId, opts.queueId ?? libraryQueueId(libraryId), "Ask us", JSON.stringify(opts.fields ?? []), opts.enabled === false ? 0 : 1)
    .run();
  return id;
}

export async function signIn(l: TestLibrarian): Promise<string> {
  const res = await call("/api/auth/sign-in", { method: "POST", json: { email: l.email, password: l.password } });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie")!;
  return cookie.split(";")[0]!;
}

/** A socket with every frame it received kept in order. */
export interface TestSocket<T> {
  ws: WebSocket;
  frames: T[];
  closed: Promise<{ code: number; reason: string }>;
  /** The first frame, already received or yet to come, that matches. */
  next(predicate: (f: T) => boolean, timeoutMs?: number): Promise<T>;
  /** The first matching frame among those received from frame index `from` on (default: from now). */
  nextFrom(predicate: (f: T) => boolean, from?: number, timeoutMs?: number): Promise<T>;
  send(frame: unknown): void;
}

/**
 * Who a queue socket shows as monitoring now: its snapshot with every presence
 * frame since (the whole list, then changes) applied, as the monitor's page applies them.
 */
export function monitorsShown(socket: TestSocket<QueueServerMessage>): Monitor[] {
  const model = socket.frames.reduce((m, f) => applyQueueFrame(m, f, ""), emptyQueueModel);
  return Object.values(model.monitors)[0] ?? [];
}

/** Asks for a WebSocket upgrade and returns the raw response (101, or the refusal). */
export function upgrade(path: string, opts: { cookie?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { Upgrade: "websocket", ...opts.headers };
  if (opts.cookie) headers.Cookie = opts.cookie;
  return worker().fetch(new Request(`${ORIGIN}${path}`, { headers }));
}

export async function connect<T = SessionServerMessage>(path: string, cookie?: string, headers?: Record<string, string>): Promise<TestSocket<T>> {
  const res = await upgrade(path, { cookie, headers });
  if (res.status !== 101 || !res.webSocket) throw new Error(`upgrade failed: ${res.status} ${await res.text()}`);
  const ws = res.webSocket;
  ws.accept();
  const frames: T[] = [];
  const waiters: { predicate: (f: T) => boolean; resolve: (f: T) => void }[] = [];
  let resolveClosed!: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
  ws.addEventListener("message", (e) => {
    if (typeof e.data !== "string" || e.data === "pong") return;
    const frame = JSON.parse(e.data) as T;
    frames.push(frame);
    for (const w of waiters.filter((waiter) => waiter.predicate(frame))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(frame);
    }
  });
  ws.addEventListener("close", (e) => resolveClosed({ code: e.code, reason: e.reason }));
  const nextFrom = (predicate: (f: T) => boolean, from = frames.length, timeoutMs = 5000): Promise<T> => {
    const already = frames.slice(from).find(predicate);
    if (already) return Promise.resolve(already);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames).slice(0, 2000)}`)), timeoutMs);
      waiters.push({ predicate, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  };
  return {
    ws,
    frames,
    closed,
    send: (frame) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    next: (predicate, timeoutMs = 5000) => nextFrom(predicate, 0, timeoutMs),
    nextFrom,
  };
}

export type QueueSocket = TestSocket<QueueServerMessage>;
export type SessionSocket = TestSocket<SessionServerMessage>;

let patronCounter = 0;
/**
 * A distinct network address for each simulated patron. Starting a chat is rate
 * limited per address (PATRON_RATE_LIMIT), and fixture-heavy files start far more
 * chats than one real patron would.
 */
export function patronIp(): string {
  patronCounter += 1;
  return `10.${(patronCounter >> 16) & 255}.${(patronCounter >> 8) & 255}.${patronCounter & 255}`;
}

export interface StartedChat {
  res: Response;
  sessionId: string;
  token: string;
  status: string;
  alternatives: { message: string; email: string | null; phone: string | null; hours: string | null; links: { label: string; url: string }[] } | null;
  error?: { code: string; message: string; field?: string };
}

/** Starts a chat from a form as a patron would; returns the session id and token. */
export async function startChat(formId: string, extra: Record<string, unknown> = {}): Promise<StartedChat> {
  const res = await call("/api/chats", {
    method: "POST",
    headers: { "cf-connecting-ip": patronIp() },
    json: { formId, question: "Where can I find census records?", ...extra },
  });
  const body = (await res.json()) as Omit<StartedChat, "res">;
  return { res, ...body };
}

/** Says hello and waits until the welcome and every missed message have arrived. */
export async function hello(s: SessionSocket, lastSeq: number, token?: string): Promise<SessionSocket> {
  s.send({ type: "hello", token, lastSeq });
  const welcome = await s.next((f) => f.type === "welcome");
  const upTo = welcome.type === "welcome" ? welcome.lastSeq : 0;
  if (upTo > lastSeq) await s.next((f) => f.type === "message" && f.message.seq === upTo);
  return s;
}

/** A patron connects and says hello. */
export async function patronSocket(sessionId: string, token: string, lastSeq = 0): Promise<SessionSocket> {
  return hello(await connect(`/api/chats/${sessionId}/socket`), lastSeq, token);
}

export async function librarianSocket(sessionId: string, cookie: string, lastSeq = 0): Promise<SessionSocket> {
  return hello(await connect(`/api/chats/${sessionId}/socket?as=librarian`, cookie), lastSeq);
}

export async function monitorQueue(queueId: string, cookie: string): Promise<QueueSocket> {
  const s = await connect<QueueServerMessage>(`/api/queues/${queueId}/socket`, cookie);
  await s.next((f) => f.type === "queue.snapshot");
  return s;
}

/** A library with a form and a signed-in librarian monitoring its queue. */
export async function staffedLibrary(librarianCount = 1) {
  const library = await createLibrary();
  const formId = await createForm(library.id);
  const librarians = await Promise.all(Array.from({ length: librarianCount }, (_, i) => createLibrarian(library.id, `Librarian ${i + 1}`)));
  const cookies = await Promise.all(librarians.map(signIn));
  const monitors = await Promise.all(cookies.map((c) => monitorQueue(library.queueId, c)));
  return { library, formId, librarians, cookies, monitors };
}

// ---- acting on a chat ------------------------------------------------------

export function accept(sessionId: string, cookie?: string): Promise<Response> {
  return call(`/api/chats/${sessionId}/accept`, { method: "POST", cookie });
}

export function endChat(sessionId: string, cookie: string | undefined, body: EndChatBody): Promise<Response> {
  return call(`/api/chats/${sessionId}/end`, { method: "POST", cookie, json: body });
}

/** The whole stored message log, read as the given librarian would. */
export async function transcriptOf(sessionId: string, cookie: string): Promise<ChatMessage[]> {
  const res = await call(`/api/chats/${sessionId}/transcript`, { cookie });
  if (res.status !== 200) throw new Error(`transcript: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { messages: ChatMessage[] }).messages;
}

export async function sessionView(sessionId: string, cookie: string): Promise<SessionView> {
  const res = await call(`/api/chats/${sessionId}`, { cookie });
  if (res.status !== 200) throw new Error(`session: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { session: SessionView }).session;
}

/** The chat messages a socket has received, in arrival order. */
export function messagesOn(s: SessionSocket): ChatMessage[] {
  return s.frames.flatMap((f) => (f.type === "message" ? [f.message] : []));
}

/** Sends a chat message and waits for its acknowledgement. */
export async function sendMessage(s: SessionSocket, clientId: string, body: string): Promise<Extract<SessionServerMessage, { type: "ack" }>> {
  const from = s.frames.length;
  s.send({ type: "send", clientId, body });
  return (await s.nextFrom((f) => f.type === "ack" && f.clientId === clientId, from)) as Extract<SessionServerMessage, { type: "ack" }>;
}

/** Closes a socket from the client side and waits for the server's answering close. */
export async function closeSocket<T>(s: TestSocket<T>, code = 1000): Promise<{ code: number; reason: string }> {
  s.ws.close(code, "test");
  return s.closed;
}

/** Lets in-flight frames arrive, so a test can assert that nothing more came. */
export function settle(ms = 100): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `probe` returns a value that is not undefined. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await settle(25);
  }
}

/** A staffed library with a chat already accepted by its first librarian, both sides connected. */
export async function activeChat(opts: { librarians?: number; patron?: Record<string, unknown> } = {}) {
  const staffed = await staffedLibrary(opts.librarians ?? 1);
  const chat = await startChat(staffed.formId, opts.patron);
  if (chat.status !== "waiting") throw new Error(`chat did not wait: ${JSON.stringify(chat)}`);
  const accepted = await accept(chat.sessionId, staffed.cookies[0]);
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${await accepted.text()}`);
  const patron = await patronSocket(chat.sessionId, chat.token);
  const librarian = await librarianSocket(chat.sessionId, staffed.cookies[0]!);
  return { ...staffed, chat, patron, librarian, cookie: staffed.cookies[0]!, serving: staffed.librarians[0]! };
}

// ---- D1 --------------------------------------------------------------------

/** A row count, for "this changed nothing" assertions. */
export async function countRows(sql: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM (${sql})`).bind(...binds).first<{ n: number }>();
  return row?.n ?? 0;
}

// ---- the objects' clocks ---------------------------------------------------

// Stubs typed by the classes (not only their RPC surface), so tests can look inside with runInDurableObject.
export const sessionStub = (sessionId: string) => env.CHAT_SESSION.getByName(sessionId);
export const queueStub = (queueId: string) => env.REQUEST_QUEUE.getByName(queueId);

/** Moves a chat session's clock forward and runs its alarm, as if that much time had passed. Returns whether an alarm ran. */
export async function advanceSession(sessionId: string, ms: number): Promise<boolean> {
  const stub = sessionStub(sessionId);
  await runInDurableObject(stub, (obj) => obj.clock.advance(ms));
  return runDurableObjectAlarm(stub);
}

/** Moves a queue's clock forward and runs its alarm. Returns whether an alarm ran. */
export async function advanceQueue(queueId: string, ms: number): Promise<boolean> {
  const stub = queueStub(queueId);
  await runInDurableObject(stub, (obj) => obj.clock.advance(ms));
  return runDurableObjectAlarm(stub);
}

// ---- fault injection (shared by the race tests) ------------------------------

/**
 * Runs `before` ahead of every D1 call a chat session object makes — the real
 * binding still answers each call that `before` lets through — so a test can
 * slow the object's D1 writes (a claim's awaited writes stay open while rival
 * claims arrive) or make them fail. Returns a function that restores the binding.
 */
export async function interceptSessionD1(sessionId: string, before: () => Promise<void>): Promise<() => Promise<void>> {
  const wrap = (real: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = {
      bind: (...values: unknown[]) => wrap(real.bind(...values)),
      run: async () => (await before(), real.run()),
      all: async () => (await before(), real.all()),
      first: async (column?: string) => (await before(), column === undefined ? real.first() : real.first(column)),
      raw: async () => (await before(), real.raw()),
    };
    return wrapped as unknown as D1PreparedStatement;
  };
  // `env` is a protected field of the object; the test reaches in on purpose.
  type WithEnv = { env: Env };
  let original: Env | undefined;
  await runInDurableObject(sessionStub(sessionId), (obj) => {
    const holder = obj as unknown as WithEnv;
    original = holder.env;
    const realDb = holder.env.DB;
    const db = { prepare: (query: string) => wrap(realDb.prepare(query)), batch: async (s: D1PreparedStatement[]) => (await before(), realDb.batch(s)) } as unknown as D1Database;
    holder.env = { ...holder.env, DB: db };
  });
  return async () => {
    await runInDurableObject(sessionStub(sessionId), (obj) => {
      (obj as unknown as WithEnv).env = original!;
    });
  };
}

/** Slows every D1 call a chat session object makes by `delayMs`. */
export function slowSessionD1(sessionId: string, delayMs: number): Promise<() => Promise<void>> {
  return interceptSessionD1(sessionId, () => new Promise<void>((resolve) => setTimeout(resolve, delayMs)));
}

/** Makes every D1 call a chat session object makes fail, as an unreachable database would. */
export function failSessionD1(sessionId: string): Promise<() => Promise<void>> {
  return interceptSessionD1(sessionId, async () => {
    throw new Error("D1_ERROR: injected outage");
  });
}
