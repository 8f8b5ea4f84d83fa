// Runs the hostile corpus (bench/hostile/corpus.mjs) against a bench server:
//   A. refused input — curated HTTP cases with exact answers, a sweep of
//      malformed bodies and parameters over every route the server's OpenAPI
//      document lists (with a body that breaks each route's declared schema),
//      malformed frames on every socket, refused upgrades, floods over the
//      limits — then proves nothing was stored (every D1 table and every
//      object's storage compared row by row);
//   B. accepted but hostile content (script, markup, SQL-looking text in
//      questions, names and messages) — stored verbatim, then the pages that
//      show it (chat window, monitor, hosted form errors, sign-in, 404) loaded
//      in Chromium, where a payload that ran would call `__refdeskPwned`;
//   C. the server log searched for the run's unique body marker;
//   D. (with `properties`) the property tests' generated requests and frames,
//      at and past every route's and frame type's schema edges, `properties`
//      of each (bench/hostile/property-phase.mjs).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { BODYLESS_ACTIONS, BODY_VARIANTS, CONTROL_TEXT, MALFORMED_BODY_NAMES, PARAM_VALUES, STRANGE_TEXT, helloFrames, httpCases, patronFrames, queueFrames, refusedUpgrades, scriptPayloads } from "../hostile/corpus.mjs";
import { fillParams, publicRoutes, schemaBreakingBody } from "../hostile/routes.mjs";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { cleanText } from "../../src/shared/display-text.ts";
import { MESSAGE_RATE, SOCKET_FRAME_RATE } from "../../src/shared/limits.ts";
import { accept, signIn, startChat, transcript } from "./http.mjs";
import { benchFormId, benchLibrarianEmail, benchQueueId } from "./seed.mjs";
import { librarianSocket, monitorSocket, openSocket, patronSocket, wsUrl } from "./socket.mjs";
import { diffState, queryD1, storedState } from "./stored-state.mjs";
import { propertyPhase } from "../hostile/property-phase.mjs";

const LIBRARY = "bench-hostile";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Replaces $marker and {fixture} placeholders in a string. */
function filler(marker, fixtures) {
  return (s) => (typeof s === "string" ? s.replaceAll("$marker", marker).replace(/\{(\w+)\}/g, (m, k) => (k in fixtures ? fixtures[k] : m)) : s);
}

/** Checks an HTTP answer against `expect`; returns a problem description or null. */
async function checkAnswer(res, expect) {
  const text = await res.text();
  const got = `${res.status} ${text.slice(0, 160)}`;
  if (expect.status !== undefined && res.status !== expect.status) return `status ${res.status}, want ${expect.status}: ${got}`;
  if (res.status >= 500) return `server error: ${got}`;
  if (expect.html && !(res.headers.get("content-type") ?? "").startsWith("text/html")) return `not an HTML page: ${got}`;
  if (expect.bodyLacks && text.includes(expect.bodyLacks)) return `page contains ${JSON.stringify(expect.bodyLacks)}`;
  if (expect.code) {
    if (!(res.headers.get("content-type") ?? "").startsWith("application/json")) return `not a JSON error: ${got}`;
    const body = JSON.parse(text);
    if (body?.error?.code !== expect.code) return `code ${body?.error?.code}, want ${expect.code}: ${got}`;
    if (typeof body.error.message !== "string" || body.error.message.length < 6) return `no clear message: ${got}`;
    if (/\bat \S+\.(ts|js):\d+/.test(body.error.message)) return `stack trace in the message: ${got}`;
    if (expect.field === null && body.error.field !== undefined) return `unexpected field ${body.error.field}`;
    if (typeof expect.field === "string" && body.error.field !== expect.field) return `field ${body.error.field}, want ${expect.field}: ${got}`;
  }
  return null;
}

/**
 * A sweep answer must not be a server error, and an API refusal must be a JSON
 * error with a code and a message — except that an HTML form post (the hosted
 * form posts to /api/chats) may be answered with an HTML page, as a browser
 * without JavaScript needs.
 */
async function checkSweepAnswer(res, path, requestType = "") {
  const text = await res.text();
  if (res.status >= 500) return `server error ${res.status}: ${text.slice(0, 200)}`;
  const htmlForForm = requestType.startsWith("application/x-www-form-urlencoded") && (res.headers.get("content-type") ?? "").startsWith("text/html");
  if (path.startsWith("/api/") && res.status >= 400 && !htmlForForm) {
    try {
      const body = JSON.parse(text);
      if (!body?.error?.code || !body.error.message) return `API refusal without code and message: ${res.status} ${text.slice(0, 200)}`;
    } catch {
      return `API refusal that is not JSON: ${res.status} ${text.slice(0, 200)}`;
    }
  }
  return null;
}

/** Sends one frame and waits for the error frame (or close) it must cause. Returns a problem or null. */
async function checkFrame(socket, frame, expect) {
  const from = socket.frames.length;
  socket.send(frame);
  const error = socket.next((f) => f.type === "error", 10_000, from).catch(() => null);
  const closed = socket.whenClosed(10_000).catch(() => null);
  const first = await Promise.race([error.then((f) => ({ f })), closed.then((c) => ({ c }))]);
  if (first.c && expect.orClose === first.c.code) return null;
  const f = first.f ?? (await error);
  if (!f) return `no error frame (closed: ${JSON.stringify(socket.closed)})`;
  if (f.code !== expect.error) return `error ${f.code} (${f.message}), want ${expect.error}`;
  if (!f.message || f.message.length < 6) return `no clear message: ${JSON.stringify(f)}`;
  if (expect.field && f.field !== expect.field) return `field ${f.field}, want ${expect.field}`;
  if (expect.close) {
    const c = await closed;
    if (c?.code !== expect.close) return `closed with ${c?.code}, want ${expect.close}`;
  } else {
    await sleep(50);
    if (socket.closed) return `socket closed (${socket.closed.code}) after a refused frame`;
  }
  return null;
}

/**
 * Runs everything against `server` (from startBenchServer). Options:
 * `sweep` ("full" | "quick" | "ci"), `browser` (load pages in Chromium),
 * `properties` (generated cases per route and frame type; 0: none) with their
 * `seed`, `log`.
 *
 * @param {any} server a bench server (startBenchServer)
 * @param {{ sweep?: "full" | "quick" | "ci", browser?: boolean, properties?: number, seed?: number, log?: (line: string) => void }} [options]
 * @returns {Promise<any>}
 */
export async function hostileRun(server, { sweep = "full", browser = true, properties = 0, seed = 1, log = () => {} } = {}) {
  const base = server.base;
  const marker = `HOSTILEMARK${randomBytes(6).toString("hex")}`;
  const results = [];
  const record = (group, name, problem) => results.push({ group, name, ok: problem === null, problem });

  // ---- fixtures ----
  const cookies = {
    server: await signIn(base, benchLibrarianEmail(LIBRARY, 1)),
    own: await signIn(base, benchLibrarianEmail(LIBRARY, 2)),
    outsider: await signIn(base, benchLibrarianEmail("bench-outsider", 1)),
    admin: await signIn(base, benchLibrarianEmail(LIBRARY, 4)),
  };
  const staffing = await monitorSocket(base, benchQueueId(LIBRARY), cookies.server);
  const formId = benchFormId(LIBRARY);
  const waiting = await startChat(base, { formId, question: "A waiting question" });
  const active = await startChat(base, { formId, question: "An active question" });
  const other = await startChat(base, { formId, question: "Another session" });
  if ((await accept(base, active.sessionId, cookies.server)).status !== 200) throw new Error("fixture accept failed");
  const fixtures = {
    origin: base,
    form: formId,
    queue: benchQueueId(LIBRARY),
    waiting: waiting.sessionId,
    waitingToken: waiting.token,
    active: active.sessionId,
    activeToken: active.token,
    otherToken: other.token,
  };
  const fill = filler(marker, fixtures);
  await sleep(300);
  const before = storedState(server.persistDir);

  // ---- A1: curated HTTP cases ----
  const send = async ({ method, path, headers = {}, body, as, chunked }) => {
    const h = { Origin: base, ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, fill(v)])) };
    if (as && as !== "none") h.Cookie = cookies[as];
    let payload = body === undefined ? undefined : typeof body === "string" ? fill(body) : body;
    const init = { method, headers: h, redirect: "manual" };
    if (payload !== undefined && chunked) {
      const bytes = new TextEncoder().encode(payload);
      payload = new ReadableStream({
        start(c) {
          for (let i = 0; i < bytes.length; i += 8192) c.enqueue(bytes.slice(i, i + 8192));
          c.close();
        },
      });
      init.duplex = "half";
    }
    if (payload !== undefined) init.body = payload;
    return fetch(base + fill(path), init);
  };
  for (const c of httpCases()) record("http", c.name, await checkAnswer(await send(c), c.expect));
  log(`curated HTTP cases: ${results.length}`);

  // ---- A2: the sweep over every route ----
  const routes = await publicRoutes(base);
  // "full": every parameter value and body; "quick": a few of each; "ci": one hostile id, four bodies.
  const params = { full: PARAM_VALUES, quick: PARAM_VALUES.slice(0, 3), ci: PARAM_VALUES.slice(0, 1) }[sweep];
  const bodyNames = { quick: ["no body", "bad JSON", "wrong types", "control characters", "1 MB JSON"], ci: ["no body", "bad JSON", "wrong types", "1 MB JSON"] }[sweep];
  const bodies = bodyNames ? BODY_VARIANTS.filter((b) => bodyNames.includes(b.name)) : BODY_VARIANTS;
  let swept = 0;
  for (const route of routes) {
    const values = route.path.includes("{") ? params : [null];
    // A body that breaks the schema the route declares: malformed for that route, whoever sends it.
    const breaking = route.method === "GET" ? null : schemaBreakingBody(route.body, marker);
    const declared = breaking ? { name: "breaks its declared schema", headers: { "Content-Type": "application/json" }, body: JSON.stringify(breaking) } : null;
    for (const [vi, value] of values.entries()) {
      const path = value === null ? route.path : fillParams(route.path, value);
      // Signed out; signed in but from another origin; signed in (a librarian, an administrator)
      // from our own origin with bodies no route can accept.
      for (const auth of ["none", "foreign-origin", "signed-in", "admin"]) {
        const signedIn = auth === "signed-in" || auth === "admin";
        if (signedIn && BODYLESS_ACTIONS.includes(`${route.method} ${route.path}`)) continue;
        let variants = route.method === "GET" ? [{ name: "no body", headers: {}, body: undefined }] : [...bodies.filter((b) => !b.once || vi === 0), ...(declared ? [declared] : [])];
        if (signedIn && route.method !== "GET") variants = variants.filter((b) => b === declared || MALFORMED_BODY_NAMES.includes(b.name));
        for (const b of variants) {
          const cookie = { "foreign-origin": cookies.own, "signed-in": cookies.own, admin: cookies.admin }[auth];
          const headers = { ...b.headers, ...(auth === "foreign-origin" ? { Origin: "https://evil.example" } : {}), ...(cookie ? { Cookie: cookie } : {}) };
          const res = await send({ method: route.method, path, headers, body: b.body });
          record("sweep", `${route.method} ${route.path} [${value === null ? "" : value.slice(0, 24)}] ${auth} ${b.name}`, await checkSweepAnswer(res, path, b.headers["Content-Type"]));
          swept++;
        }
      }
    }
  }
  log(`sweep: ${swept} requests over ${routes.length} routes`);

  // ---- A3: sockets ----
  for (const c of refusedUpgrades()) {
    const problem = await openSocket(wsUrl(base, fill(c.path)), { cookie: c.as ? cookies[c.as] : undefined, origin: c.origin ?? base }).then(
      (s) => {
        s.close();
        return "upgrade was accepted";
      },
      (err) => {
        if (err.status !== c.expect) return `status ${err.status ?? err.message}, want ${c.expect}`;
        try {
          const body = JSON.parse(err.body);
          return body?.error?.code && body.error.message ? null : `refusal without code and message: ${err.body}`;
        } catch {
          return `refusal that is not JSON: ${err.body}`;
        }
      },
    );
    record("upgrade", c.name, problem);
  }
  for (const c of helloFrames()) {
    const s = await openSocket(wsUrl(base, `/api/chats/${fixtures.active}/socket`));
    record("patron socket (before hello)", c.name, await checkFrame(s, fill(c.frame), c.expect));
    s.close();
  }
  let patron = await patronSocket(base, fixtures.active, fixtures.activeToken);
  for (const c of patronFrames()) {
    if (patron.closed) patron = await patronSocket(base, fixtures.active, fixtures.activeToken);
    record("patron socket", c.name, await checkFrame(patron, typeof c.frame === "string" ? fill(c.frame) : c.frame, c.expect));
  }
  patron.close();
  {
    const notServing = await openSocket(wsUrl(base, `/api/chats/${fixtures.active}/socket?as=librarian`), { cookie: cookies.own, origin: base });
    record("librarian socket", "hello from a librarian who is not serving", await checkFrame(notServing, JSON.stringify({ type: "hello", lastSeq: 0 }), { error: "forbidden", close: 1008 }));
    const serving = await librarianSocket(base, fixtures.active, cookies.server);
    record("librarian socket", "a librarian cannot leave", await checkFrame(serving, JSON.stringify({ type: "leave" }), { error: "forbidden" }));
    record("librarian socket", "bad JSON", await checkFrame(serving, `{"type":"send","body":"${marker}`, { error: "bad_json" }));
    serving.close();
  }
  {
    let monitor = await monitorSocket(base, fixtures.queue, cookies.own);
    for (const c of queueFrames()) {
      if (monitor.closed) monitor = await monitorSocket(base, fixtures.queue, cookies.own);
      record("queue socket", c.name, await checkFrame(monitor, typeof c.frame === "string" ? fill(c.frame) : c.frame, c.expect));
    }
    monitor.close();
  }

  // ---- A4: floods over the limits ----
  {
    // The limiter counts in fixed one-minute windows: keep going until it refuses
    // (at most two windows' worth), then check it let no more than its limit through.
    const ip = `10.250.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const statuses = [];
    for (let i = 0; i < 45 && !statuses.includes(429); i++) {
      const res = await fetch(`${base}/api/chats`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "cf-connecting-ip": ip },
        body: JSON.stringify({ formId, question: `${marker} flood ${i}`, fields: { bogus: "x" } }),
      });
      statuses.push(res.status);
      await res.text();
    }
    const through = statuses.filter((s) => s === 400).length;
    const ok = statuses.at(-1) === 429 && statuses.slice(0, -1).every((s) => s === 400) && through >= 20 && through <= 40;
    record("flood", "chat requests from one address over the limit (20 a minute): each refused (400), then rate-limited (429)", ok ? null : `statuses ${statuses.join(",")}`);
  }
  {
    const email = benchLibrarianEmail(LIBRARY, 3);
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${base}/api/auth/sign-in`, { method: "POST", headers: { "Content-Type": "application/json", Origin: base }, body: JSON.stringify({ email, password: `${marker}-wrong-${i}` }) });
      statuses.push(res.status);
      await res.text();
    }
    const right = await fetch(`${base}/api/auth/sign-in`, { method: "POST", headers: { "Content-Type": "application/json", Origin: base }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
    statuses.push(right.status);
    await right.text();
    // The sign-in throttle (src/auth/sign-in-throttle.ts): 5 free attempts for one address, then a wait before each.
    record("flood", "7 wrong passwords then the right one: 401 ×5, then held back (429) before the password is even checked, the right one too", statuses.join(",") === "401,401,401,401,401,429,429,429" ? null : `statuses ${statuses.join(",")}`);
  }
  {
    const s = await patronSocket(base, fixtures.active, fixtures.activeToken);
    const from = s.frames.length;
    // Fewer than the socket's flood limit: the allowance is answered frame by frame, the rest dropped after one notice, and the socket stays open.
    const burst = SOCKET_FRAME_RATE.burst + SOCKET_FRAME_RATE.closeAfterDropped / 2;
    for (let i = 0; i < burst; i++) s.send(`{"type":"send","clientId":"f${i}","body":"${marker} ${i}`);
    await sleep(3000);
    const errors = s.frames.slice(from).filter((f) => f.type === "error" && f.code === "bad_json").length;
    const notices = s.frames.slice(from).filter((f) => f.type === "error" && f.code === "rate_limited").length;
    // The socket had already used a little of its allowance (its hello), hence the margin.
    const ok = errors >= SOCKET_FRAME_RATE.burst - 5 && errors < burst && notices === 1 && !s.closed;
    record("flood", `${burst} malformed frames in a burst: the socket's allowance answered, one notice for the rest, the socket stays open`, ok ? null : `${errors} errors, ${notices} notices, closed ${JSON.stringify(s.closed)}`);
    s.close();
  }
  {
    const sockets = await Promise.all(Array.from({ length: 30 }, () => openSocket(wsUrl(base, `/api/chats/${fixtures.active}/socket`))));
    for (const s of sockets) s.send(JSON.stringify({ type: "hello", token: `forged-${marker}`, lastSeq: 0 }));
    const codes = await Promise.all(sockets.map((s) => s.whenClosed(10_000).then((c) => c.code, () => null)));
    record("flood", "30 forged hellos at once: every socket closed with 1008", codes.every((c) => c === 1008) ? null : `close codes ${codes.join(",")}`);
  }

  await sleep(500);
  const changes = diffState(before, storedState(server.persistDir));
  record("stored state", "nothing stored or changed by any refused input (every D1 table, every object's storage)", changes.length === 0 ? null : JSON.stringify(changes).slice(0, 1500));
  log(`phase A: ${results.length} checks`);

  // ---- B: accepted hostile content ----
  const payloads = scriptPayloads(marker);
  const name = `<img src=x onerror=__refdeskPwned('${marker}-name')>`;
  const hostileWaiting = await startChat(base, { formId, question: `${payloads[0]} ${marker} waiting`, name });
  const hostileActive = await startChat(base, { formId, question: `${payloads[1]} ${marker} active`, name: `"><svg onload=__refdeskPwned('${marker}-name2')>`, pageUrl: `https://library.example/?q="><script>__refdeskPwned('${marker}-pageurl')</script>` });
  const sentBodies = [];
  {
    const p = await patronSocket(base, hostileWaiting.sessionId, hostileWaiting.token);
    for (const [i, body] of payloads.slice(0, 6).entries()) {
      await p.sendChat(`w${i}`, body);
    }
    p.close();
    if ((await accept(base, hostileActive.sessionId, cookies.server)).status !== 200) throw new Error("hostile accept failed");
    const pa = await patronSocket(base, hostileActive.sessionId, hostileActive.token);
    const li = await librarianSocket(base, hostileActive.sessionId, cookies.server);
    for (const [i, body] of [...payloads, ...STRANGE_TEXT].entries()) {
      const from = i % 3 === 2 ? li : pa;
      const ack = await from.sendChat(`h${i}`, body);
      if (ack.type !== "ack") record("hostile content", `message ${i} accepted`, `refused: ${JSON.stringify(ack)}`);
      // Stored as the chat shows it: invisible and direction-overriding characters removed (src/shared/display-text.ts).
      sentBodies.push(cleanText(body).trim());
    }
    pa.close();
    li.close();
    // A staff message to everyone on the queue, shown in every monitor.
    const m = await monitorSocket(base, fixtures.queue, cookies.server);
    m.send({ type: "staff.send", clientId: "staff-h", body: `${payloads[2]} ${marker} staff`, to: null });
    await m.next((f) => f.type === "staff.message" || f.type === "error");
    m.close();
  }
  const afterSend = await transcript(base, hostileActive.sessionId, cookies.server);
  const stored = afterSend.filter((m) => m.clientId?.startsWith("h")).map((m) => m.body);
  record("hostile content", "every hostile message stored as written (less invisible and direction-overriding characters), once, in order", JSON.stringify(stored) === JSON.stringify(sentBodies) ? null : `stored ${stored.length} of ${sentBodies.length}`);
  {
    // Control characters are dropped from chat text (a client could not take a refused message back).
    const pa = await patronSocket(base, hostileActive.sessionId, hostileActive.token);
    const got = [];
    for (const [i, c] of CONTROL_TEXT.entries()) {
      const ack = await pa.sendChat(`ctl${i}`, `${marker} ${c.sent}`);
      got.push(ack.type === "ack" ? (await transcript(base, hostileActive.sessionId, cookies.server)).find((m) => m.seq === ack.seq)?.body : `refused: ${ack.message}`);
    }
    pa.close();
    const want = CONTROL_TEXT.map((c) => `${marker} ${c.stored}`);
    record("hostile content", "control characters dropped from chat text (vertical tab and form feed become newlines)", JSON.stringify(got) === JSON.stringify(want) ? null : `stored ${JSON.stringify(got)}`);
  }
  const afterB = storedState(server.persistDir);
  const tablesKept = Object.keys(before).every((t) => t in afterB);
  record("hostile content", "SQL-looking text changed no table", tablesKept && afterB["d1:chat_sessions"].length === before["d1:chat_sessions"].length + 2 ? null : "tables or rows missing");

  // A second hostile chat, ended and filed, for the Ask a Librarian module's pages.
  const hostileFiled = await startChat(base, { formId, question: `${payloads[3]} ${marker} filed`, name: `<b onmouseover=__refdeskPwned('${marker}-name3')>x</b>` });
  const filedAccept = await accept(base, hostileFiled.sessionId, cookies.server);
  if (filedAccept.status !== 200) throw new Error(`hostile accept failed: ${filedAccept.status} ${JSON.stringify(filedAccept.body)} ${JSON.stringify(hostileFiled)}`);
  {
    const pa = await patronSocket(base, hostileFiled.sessionId, hostileFiled.token);
    for (const [i, body] of [...payloads, ...STRANGE_TEXT].entries()) {
      await pa.sendChat(`f${i}`, body);
    }
    pa.close();
    const ended = await fetch(`${base}/api/chats/${hostileFiled.sessionId}/end`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: cookies.server, Origin: base },
      body: JSON.stringify({ resolution: "answered", note: `<script>__refdeskPwned('${marker}-note')</script>` }),
    });
    if (ended.status !== 200) throw new Error(`ending the hostile chat failed: ${ended.status} ${await ended.text()}`);
  }
  const questionId = queryD1(server.persistDir, "SELECT id FROM questions WHERE session_id = ?", hostileFiled.sessionId)[0]?.id ?? null;
  record("hostile content", "the ended hostile chat was filed as a question", questionId ? null : "no question row");
  {
    // A flood of well-formed messages: the burst is taken, the rest refused as too fast (named, with a retry time) and not stored.
    const flood = await startChat(base, { formId, question: `${marker} flood of messages` });
    if ((await accept(base, flood.sessionId, cookies.server)).status !== 200) throw new Error("flood accept failed");
    const pa = await patronSocket(base, flood.sessionId, flood.token);
    // Twice the message burst, but within the socket's own allowance (after the hello): past it, frames are dropped unread (the socket flood checks below).
    const count = Math.min(MESSAGE_RATE.burst * 2, SOCKET_FRAME_RATE.burst - 1);
    const from = pa.frames.length;
    for (let i = 0; i < count; i++) pa.send({ type: "send", clientId: `flood${i}`, body: `${marker} flood ${i}` });
    const answered = () => pa.frames.slice(from).filter((f) => f.type === "ack" || f.type === "error");
    await pa.next(() => answered().length >= count, 10_000, from).catch(() => {});
    pa.close();
    const answers = answered();
    const acked = new Set(answers.filter((f) => f.type === "ack").map((f) => f.clientId));
    const refused = answers.filter((f) => f.type === "error");
    const stored = (await transcript(base, flood.sessionId, cookies.server)).filter((m) => m.clientId?.startsWith("flood")).map((m) => m.clientId);
    const ok =
      answers.length === count &&
      acked.size >= MESSAGE_RATE.burst &&
      acked.size < count &&
      refused.every((f) => f.code === "rate_limited" && f.clientId?.startsWith("flood") && !acked.has(f.clientId) && f.retryAfterMs > 0) &&
      stored.length === acked.size &&
      stored.every((id) => acked.has(id));
    record("flood", `${count} chat messages at once from one patron: the burst of ${MESSAGE_RATE.burst} taken, the rest refused as too fast with a retry time, none of them stored`, ok ? null : `${acked.size} acknowledged, ${refused.length} refused (${JSON.stringify(refused[0] ?? null)}), ${stored.length} stored, ${answers.length} answers`);
  }

  // ---- B2: pages in Chromium ----
  if (browser) {
    const pages = await checkPagesInChromium(base, { marker, cookie: cookies.server, formId, hostileActive, hostileWaiting, questionId, log });
    for (const p of pages) record("page", p.name, p.problem);
  }
  staffing.close();

  // ---- C: the log ----
  await sleep(500);
  const logText = existsSync(server.logFile) ? readFileSync(server.logFile, "utf8") : server.output();
  const hits = logText.split("\n").filter((l) => l.includes(marker));
  record("log", "no trace of any message body in the server log", hits.length === 0 ? null : `${hits.length} lines, e.g. ${hits[0].slice(0, 200)}`);

  // ---- D: generated cases at every schema's edges ----
  if (properties > 0) for (const c of await propertyPhase(server, { runs: properties, seed, log })) record(c.group, `${c.name}`, c.problem);

  return { marker, routes: routes.map((r) => `${r.method} ${r.path}`), ...tally(results), storedChanges: changes };
}

/** Checks, passes, failures and each group's figures of a run's results. */
function tally(results) {
  const failures = results.filter((r) => !r.ok);
  const groups = {};
  for (const r of results) {
    groups[r.group] ??= { checks: 0, passed: 0 };
    groups[r.group].checks++;
    if (r.ok) groups[r.group].passed++;
  }
  return { checks: results.length, passed: results.length - failures.length, groups, failures };
}

/**
 * The property phase alone (`--properties=N --properties-only`): a long run
 * of generated cases without the curated corpus, the sweep or the pages.
 *
 * @param {any} server a bench server (startBenchServer)
 * @param {{ properties: number, seed?: number, log?: (line: string) => void }} options
 * @returns {Promise<any>}
 */
export async function propertyRun(server, { properties, seed = 1, log = () => {} }) {
  const results = (await propertyPhase(server, { runs: properties, seed, log })).map((c) => ({ ...c, ok: c.problem === null }));
  const routes = new Set(results.flatMap((r) => (r.route ? [r.route] : [])));
  return { routes: [...routes], ...tally(results) };
}

/**
 * Loads every page that shows patron- or librarian-written text, with the
 * hostile content in place, and checks that no payload ran: the page defines
 * `__refdeskPwned` (which a payload would call), counts dialogs and CSP
 * violations (a blocked script is still an injection), and scans the DOM for
 * injected handlers, scripts and javascript: links.
 */
async function checkPagesInChromium(base, { marker, cookie, formId, hostileActive, hostileWaiting, questionId, log }) {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  const out = [];
  try {
    const open = async (name, { withCookie = false, go, ready }) => {
      const context = await browser.newContext({ baseURL: base });
      if (withCookie) {
        const [k, v] = cookie.split("=");
        // The sign-in cookie is a __Host- cookie: Secure, for the whole host, no Domain (Chromium takes Secure cookies on loopback).
        await context.addCookies([{ name: k, value: v, domain: new URL(base).hostname, path: "/", secure: true, sameSite: "Lax" }]);
      }
      await context.addInitScript(() => {
        const w = window;
        w.__pwned = [];
        w.__refdeskPwned = (tag) => w.__pwned.push(String(tag));
        w.__csp = [];
        document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
      });
      const page = await context.newPage();
      const dialogs = [];
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      let problem = null;
      try {
        await go(page);
        await ready(page);
        await page.waitForTimeout(300);
        const found = await page.evaluate((mark) => {
          const w = window;
          const injected = [];
          for (const el of document.querySelectorAll("*")) {
            for (const a of el.attributes) if (/^on/i.test(a.name)) injected.push(`${el.tagName} ${a.name}`);
            if (el.tagName === "SCRIPT" && !(el.getAttribute("type") === "application/json" || (el.getAttribute("src") ?? "").startsWith("/build/"))) injected.push(`SCRIPT ${el.outerHTML.slice(0, 80)}`);
            if (["IFRAME", "OBJECT", "EMBED"].includes(el.tagName) && (el.hasAttribute("srcdoc") || /javascript:/i.test(el.getAttribute("src") ?? ""))) injected.push(el.outerHTML.slice(0, 80));
            if (el.tagName === "A" && /^\s*javascript:/i.test(el.getAttribute("href") ?? "")) injected.push(`A href=${el.getAttribute("href")}`);
          }
          return { ran: w.__pwned, csp: w.__csp, injected, shown: document.body.innerText.includes(mark) };
        }, marker);
        if (found.ran.length) problem = `payload ran: ${found.ran.join(", ")}`;
        else if (dialogs.length) problem = `dialog opened: ${dialogs.join(", ")}`;
        else if (found.csp.length) problem = `CSP had to block something: ${found.csp.join(" | ")}`;
        else if (found.injected.length) problem = `injected into the DOM: ${found.injected.slice(0, 3).join(" | ")}`;
      } catch (error) {
        const text = await page.evaluate(() => document.body?.innerText ?? "").catch(() => "");
        problem = `page did not load as expected: ${String(error).split("\n")[0].slice(0, 200)} — page shows: ${text.replace(/\s+/g, " ").slice(0, 400)}`;
      }
      out.push({ name, problem });
      log(`page ${name}: ${problem ?? "ok"}`);
      await context.close();
    };

    // The detector itself: a page without our CSP where a payload does run must be caught.
    {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(() => {
        window.__pwned = [];
        window.__refdeskPwned = (tag) => window.__pwned.push(String(tag));
      });
      await page.goto("about:blank");
      await page.setContent(scriptPayloads(marker)[1]);
      await page.waitForFunction(() => window.__pwned.length > 0, null, { timeout: 5000 }).catch(() => {});
      const caught = await page.evaluate(() => window.__pwned.length);
      out.push({ name: "detector self-test: a payload that runs on an unprotected page is caught", problem: caught > 0 ? null : "the detector missed a payload that ran" });
      await context.close();
    }

    await open("patron chat window with hostile messages", {
      go: (p) => p.goto(`/chat/${hostileActive.sessionId}#token=${hostileActive.token}`),
      ready: (p) => p.getByRole("log").getByText("deep)").first().waitFor({ timeout: 15_000 }),
    });
    await open("patron chat window while waiting, hostile question and name", {
      go: (p) => p.goto(`/chat/${hostileWaiting.sessionId}#token=${hostileWaiting.token}`),
      ready: (p) => p.getByText(`${marker} waiting`).first().waitFor({ timeout: 15_000 }),
    });
    await open("librarian monitor: hostile waiting request, preview and chat", {
      withCookie: true,
      go: (p) => p.goto("/monitor"),
      ready: async (p) => {
        await p.getByText(`${marker} waiting`).first().waitFor({ timeout: 15_000 });
        // The compact row shows the latest line added while waiting and counts the others (all in its tooltip).
        await p.locator(".waiting-item .waiting-added", { hasText: "more)" }).first().waitFor({ timeout: 15_000 });
        // Open the hostile chat's tab (its name is the hostile patron name).
        await p.getByRole("tab", { name: /-name2/ }).click();
        await p.getByRole("log").getByText("deep)").first().waitFor({ timeout: 15_000 });
      },
    });
    await open("Ask a Librarian module: list with the hostile question", {
      withCookie: true,
      go: (p) => p.goto("/questions?list=all"),
      ready: (p) => p.getByText(`${marker} filed`).first().waitFor({ timeout: 15_000 }),
    });
    await open("Ask a Librarian module: the filed hostile transcript", {
      withCookie: true,
      go: (p) => p.goto(`/questions/${questionId}`),
      ready: (p) => p.getByText("deep)").first().waitFor({ timeout: 15_000 }),
    });
    await open("hosted form error after a hostile submission", {
      go: async (p) => {
        await p.goto(`/f/${formId}`);
        await p.getByLabel("Your question").fill(`<script>__refdeskPwned('${marker}-form')</script> ${marker}`);
        // Past the browser's own maxlength, so the server has to refuse it.
        await p.evaluate((mark) => {
          const input = document.getElementById("f-name");
          input.removeAttribute("maxlength");
          input.value = `<img src=x onerror=__refdeskPwned('${mark}-formname')>${"x".repeat(200)}`;
        }, marker);
        await Promise.all([p.waitForNavigation(), p.getByRole("button", { name: /Ask a librarian/ }).click()]);
      },
      ready: (p) => p.waitForLoadState("load"),
    });
    await open("sign-in page with a javascript: next and a wrong password", {
      go: async (p) => {
        await p.goto(`/login?next=${encodeURIComponent(`javascript:__refdeskPwned('${marker}-next')`)}`);
        await p.getByLabel("E-mail").fill("nobody@bench.example");
        await p.getByLabel("Password").fill(`${marker}<script>`);
        await Promise.all([p.waitForNavigation(), p.getByRole("button", { name: "Sign in" }).click()]);
      },
      ready: (p) => p.getByRole("alert").waitFor({ timeout: 15_000 }),
    });
    await open("not-found page for a path with markup", {
      // (No body marker in the path: wrangler logs request paths, and paths are not message bodies.)
      go: (p) => p.goto(`/chat/${encodeURIComponent(`"><script>__refdeskPwned('path-404')</script>`)}`),
      ready: (p) => p.getByRole("heading", { name: /not found/i }).waitFor({ timeout: 15_000 }),
    });
  } finally {
    await browser.close();
  }
  return out;
}
