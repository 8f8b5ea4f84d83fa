// The hostile bench's property phase (`--properties=N`): the property tests of
// test/worker/input-properties-*.test.ts — requests generated from every
// route's declared schemas, frames from every socket's frame schemas, at and
// past their edges — run N times per route and frame type against a bench
// server, each answer judged and every refusal checked against the whole of
// what the server stored (every D1 table, every object's storage). The
// generation and judging code is the tests' own (bench/hostile/properties/),
// bundled with esbuild as `npm run docs` bundles the protocol.
import { build } from "esbuild";
import { existsSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { COBROWSE_LIMITS } from "../../src/shared/cobrowse-limits.ts";
import { LIMITS } from "../../src/shared/limits.ts";
import { accept, patronIp, signIn, startChat } from "../lib/http.mjs";
import { librarianSocket, monitorSocket, openSocket, patronSocket, wsUrl } from "../lib/socket.mjs";
import { benchFormId, benchLibrarianEmail, benchQueueId } from "../lib/seed.mjs";
import { storedState } from "../lib/stored-state.mjs";
import { MIRRORED_TABLES } from "./properties/state-diff.ts";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The tests' runner, bundled (its modules import each other and zod without file extensions). */
async function loadRunner() {
  const out = path.join(os.tmpdir(), `refdesk-property-runner-${process.pid}.mjs`);
  await build({
    stdin: {
      contents: 'export { checkFrames, checkOperation } from "./runner"; export { TIMER_SETTINGS, bodyFieldNames, operationsOf } from "./request-cases";',
      resolveDir: path.join(import.meta.dirname, "properties"),
      loader: "ts",
    },
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "warning",
  });
  try {
    return await import(pathToFileURL(out).href);
  } finally {
    rmSync(out, { force: true });
  }
}

/**
 * The bench-hostile library is home (its chats wait an hour and roll over
 * nowhere, so no chat's timer writes during the run): a librarian who serves
 * none of its chats, its administrator, and — standing in for the tests'
 * service administrator, which the demo data has none of — Edna, the demo's
 * group administrator (of the statewide cooperative).
 */
const HOME = { library: "bench-hostile", form: benchFormId("bench-hostile"), queue: benchQueueId("bench-hostile"), group: "statewide" };
const ACCOUNTS = { librarian: benchLibrarianEmail("bench-hostile", 2), "library-admin": benchLibrarianEmail("bench-hostile", 4), "service-admin": "edna@capital-u.example" };
const ADMIN_PAGES = ["librarians", "forms", "settings", "privacy", "audit"];
const REPORT = { framing: true, popups: "allowed", qwidget: true, cobrowseSupported: true, narrow: false };

/**
 * The frames run on a library the generated requests never touch (their form
 * stays as it is): one librarian staffs its queue and serves its chats,
 * another is the monitor whose frames are generated (a status of "away" there
 * leaves the queue staffed).
 */
const FRAMES_HOME = { form: benchFormId("bench-faults"), queue: benchQueueId("bench-faults"), staff: benchLibrarianEmail("bench-faults", 1), monitor: benchLibrarianEmail("bench-faults", 2) };

/** A patron's chat on a form, as the bench starts them. */
async function newChat(base, formId) {
  const c = await startChat(base, { formId, question: "Where are the census records?", name: "Ada", ip: patronIp() });
  if (c.status !== "waiting") throw new Error(`property fixture chat did not wait: ${JSON.stringify(c)}`);
  return { sessionId: c.sessionId, token: c.token };
}

async function expectOk(res, what) {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body ?? (await res.text?.()))}`);
}

/** The world the generated requests run in, and the target the runner sends them to. */
async function httpWorld(base, persistDir, TIMER_SETTINGS) {
  const cookies = new Map();
  for (const [credential, email] of Object.entries(ACCOUNTS)) cookies.set(credential, await signIn(base, email, DEMO_PASSWORD));
  const monitor = await monitorSocket(base, HOME.queue, cookies.get("library-admin"));
  const admin = { "Content-Type": "application/json", Origin: base, Cookie: cookies.get("library-admin") };
  // An account the administrators may manage, never one the requests are sent as.
  const invited = await fetch(`${base}/api/admin/libraries/${HOME.library}/invitations`, { method: "POST", headers: admin, body: JSON.stringify({ email: `managed-${Date.now()}@bench.example`, displayName: "Vic" }) });
  if (invited.status !== 201 && invited.status !== 200) throw new Error(`inviting the managed account: ${invited.status} ${await invited.text()}`);
  const managed = (await invited.json()).librarian?.id;
  const canned = await fetch(`${base}/api/canned-messages`, { method: "POST", headers: admin, body: JSON.stringify({ title: "Hours", body: "We are open 9 to 5." }) });
  const cannedId = (await canned.json()).cannedMessage?.id;
  const [waiting, served, servedByLibrarian, ended] = [await newChat(base, HOME.form), await newChat(base, HOME.form), await newChat(base, HOME.form), await newChat(base, HOME.form)];
  await expectOk(await accept(base, served.sessionId, cookies.get("library-admin")), "accept");
  await expectOk(await accept(base, servedByLibrarian.sessionId, cookies.get("librarian")), "accept");
  await expectOk(await accept(base, ended.sessionId, cookies.get("library-admin")), "accept");
  await expectOk(await fetch(`${base}/api/chats/${ended.sessionId}/end`, { method: "POST", headers: admin, body: JSON.stringify({ resolution: "answered" }) }), "end");
  const chats = [waiting, served, servedByLibrarian, ended];
  const byName = {
    libraryId: [HOME.library, "capital-u", "bench-outsider"],
    library: [HOME.library],
    librarianId: managed ? [managed] : [],
    librarian: ["bench-hostile-2"],
    assigneeId: ["bench-hostile-2", "bench-hostile-4"],
    groupId: [HOME.group],
    formId: [HOME.form],
    form: [HOME.form],
    queueId: [HOME.queue, `group:${HOME.group}`],
    code: ["ready_reference", "research_help"],
    descriptiveCodes: ["ready_reference"],
    page: ADMIN_PAGES,
    email: ["ada@patron.test"],
    timeZone: ["America/Chicago", "UTC"],
  };
  const fixtures = (routePath, name) => {
    if (name === "id") {
      if (routePath.startsWith("/api/chats") || routePath.startsWith("/chat/")) return chats.map((c) => c.sessionId);
      if (routePath.startsWith("/api/questions") || routePath.startsWith("/questions/")) return [`q-${ended.sessionId}`];
      if (routePath.startsWith("/api/canned-messages")) return cannedId ? [String(cannedId)] : [];
      return [];
    }
    if (name === "sessionId") return routePath.startsWith("/api/admin") ? [] : [ended.sessionId];
    if (name === "libraryId" && TIMER_SETTINGS.test(routePath)) return ["capital-u", "bench-outsider"];
    return byName[name] ?? [];
  };
  const chatIn = (url) => chats.find((c) => url.includes(c.sessionId)) ?? waiting;
  const target = {
    async send({ method, url, headers, body }) {
      return fetch(base + url, { method, headers: { Origin: base, ...headers }, body: method === "GET" ? undefined : body, redirect: "manual" });
    },
    async upgrade(url, headers) {
      return openSocket(wsUrl(base, url), { cookie: headers.Cookie, origin: base, ping: false }).then(
        (s) => {
          s.close();
          return { status: 101, contentType: "", text: "" };
        },
        (err) => ({ status: err.status ?? 0, contentType: err.body?.startsWith("{") ? "application/json" : "", text: err.body ?? String(err.message) }),
      );
    },
    credentialHeaders(credential, url) {
      const headers = { "cf-connecting-ip": patronIp() };
      if (cookies.has(credential)) headers.Cookie = cookies.get(credential);
      const own = chatIn(url);
      if (credential === "patron") headers.Authorization = `Bearer ${own.token}`;
      if (credential === "other-patron") headers.Authorization = `Bearer ${chats.find((c) => c !== own).token}`;
      return headers;
    },
    snapshot: async () => storedState(persistDir),
    async afterAccepted(request) {
      // A transfer offer left open would run out (TIMING.transferOfferMs) during some later request: withdraw it now.
      const transfer = /^\/api\/chats\/([^/?]+)\/transfer(\?|$)/.exec(request.url);
      if (transfer && request.method === "POST") {
        const res = await fetch(`${base}/api/chats/${transfer[1]}/transfer/cancel`, { method: "POST", headers: { Origin: base, Cookie: cookies.get(request.credential) ?? "" } });
        await res.text();
      }
      if (request.method !== "GET") {
        for (const [credential, email] of Object.entries(ACCOUNTS)) {
          const me = await fetch(`${base}/api/auth/me`, { headers: { Cookie: cookies.get(credential) } });
          await me.text();
          if (me.status !== 200) cookies.set(credential, await signIn(base, email, DEMO_PASSWORD));
        }
      }
      await sleep(30);
    },
    fixtures,
  };
  return { target, close: () => monitor.close() };
}

/** A chat being served with co-browsing asked for, both chat sockets past hello. */
async function servedChat(base, cookie) {
  const chat = await newChat(base, FRAMES_HOME.form);
  await expectOk(await accept(base, chat.sessionId, cookie), "accept");
  const patron = await patronSocket(base, chat.sessionId, chat.token);
  const librarian = await librarianSocket(base, chat.sessionId, cookie);
  patron.send({ type: "capabilities", report: REPORT });
  await librarian.next((f) => f.type === "check" && f.check.reported);
  librarian.send({ type: "cobrowse.request" });
  await patron.next((f) => f.type === "cobrowse" && f.cobrowse.status === "requested");
  const fixtures = { token: [chat.token], lastSeq: [0], url: [`${base}/catalog`], email: ["ada@patron.test"], to: ["bench-faults-1", "bench-faults-2"] };
  return { chat, patron, librarian, fixtures: (name) => fixtures[name] ?? [] };
}

function channelOf(s) {
  return { send: (frame) => s.ws.send(frame), frames: s.frames, closeCode: () => s.closed?.code ?? null };
}

/** One socket in one state, on a chat still being served (a new chat once the last one ended). */
function frameTarget(base, persistDir, cookie, open, usable = () => true) {
  let world;
  let socket;
  const active = (w) => {
    const views = w.patron.frames.filter((f) => f.type === "welcome" || f.type === "status");
    return views.at(-1)?.session?.status === "active" && !w.patron.closed && !w.librarian.closed;
  };
  return {
    async channel() {
      if (!world || !active(world)) {
        world?.patron.close();
        world?.librarian.close();
        world = await servedChat(base, cookie);
        socket = undefined;
      }
      if (!socket || socket.closed || !usable(socket)) socket = await open(world);
      return channelOf(socket);
    },
    snapshot: async () => {
      const all = storedState(persistDir);
      for (const t of MIRRORED_TABLES) delete all[t];
      return all;
    },
    afterAccepted: async () => {},
    fixtures: (name) => world?.fixtures(name) ?? [],
  };
}

/**
 * Runs the property phase: `runs` generated requests per route and `runs`
 * frames per frame type of every socket. Returns [{ group, route?, name, problem }].
 */
export async function propertyPhase(server, { runs, seed, log = () => {} }) {
  const base = server.base;
  const serverLog = () => (existsSync(server.logFile) ? readFileSync(server.logFile, "utf8") : server.output());
  const logFrom = serverLog().length;
  const { checkFrames, checkOperation, bodyFieldNames, operationsOf, TIMER_SETTINGS } = await loadRunner();
  const res = await fetch(`${base}/api/openapi.json`);
  const operations = operationsOf(await res.json());
  const looseFields = bodyFieldNames(operations);
  const out = [];
  const world = await httpWorld(base, server.persistDir, TIMER_SETTINGS);
  try {
    for (const op of operations) {
      for (const c of await checkOperation(op, world.target, { runs, seed, looseFields })) out.push({ group: "properties: routes", route: `${op.method} ${op.path}`, ...c });
    }
  } finally {
    world.close();
  }
  log(`properties: ${out.length} requests over ${operations.length} routes`);

  const cookie = await signIn(base, FRAMES_HOME.staff, DEMO_PASSWORD);
  const monitorCookie = await signIn(base, FRAMES_HOME.monitor, DEMO_PASSWORD);
  const notWelcomed = (s) => !s.frames.some((f) => f.type === "welcome");
  const cobrowse = async (w, hello) => {
    const s = await openSocket(wsUrl(base, `/api/chats/${w.chat.sessionId}/cobrowse`), { origin: base, ping: false });
    if (hello) s.send({ type: "hello", token: w.chat.token });
    return s;
  };
  const targets = [
    ["patron, past hello", "session", LIMITS.frameBytes, frameTarget(base, server.persistDir, cookie, async (w) => w.patron)],
    ["serving librarian", "session", LIMITS.frameBytes, frameTarget(base, server.persistDir, cookie, async (w) => w.librarian)],
    ["chat socket before hello", "session", LIMITS.frameBytes, frameTarget(base, server.persistDir, cookie, (w) => openSocket(wsUrl(base, `/api/chats/${w.chat.sessionId}/socket`), { ping: false }), notWelcomed)],
    ["monitoring librarian", "queue", LIMITS.frameBytes, frameTarget(base, server.persistDir, cookie, () => monitorSocket(base, FRAMES_HOME.queue, monitorCookie))],
    ["shared page, past hello", "cobrowse", COBROWSE_LIMITS.frameBytes, frameTarget(base, server.persistDir, cookie, (w) => cobrowse(w, true))],
    ["shared page before hello", "cobrowse", COBROWSE_LIMITS.frameBytes, frameTarget(base, server.persistDir, cookie, (w) => cobrowse(w, false))],
  ];
  const before = out.length;
  // Someone monitors the queue, so each new chat waits to be accepted.
  const staffing = await monitorSocket(base, FRAMES_HOME.queue, cookie);
  try {
    for (const [label, socket, frameBytes, target] of targets) {
      for (const c of await checkFrames(socket, target, { runs, seed, frameBytes, label })) out.push({ group: "properties: frames", ...c });
    }
  } finally {
    staffing.close();
  }
  log(`properties: ${out.length - before} frames over ${targets.length} sockets`);
  // A frame an object threw on can look answered (the socket stays open): the runtime's log says otherwise.
  await sleep(500);
  const thrown = serverLog()
    .slice(logFrom)
    .split("\n")
    .filter((l) => /uncaught|"event":"unhandled_error"/i.test(l));
  out.push({ group: "properties: server log", name: "no uncaught exception or unhandled error while the generated cases ran", problem: thrown.length ? `${thrown.length} lines, e.g. ${thrown[0].slice(0, 300)}` : null });
  return out;
}
