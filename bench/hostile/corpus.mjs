// The hostile corpus: malformed, oversized and malicious requests and frames,
// each with the answer it must get. `$marker` in a body is replaced by a
// unique marker per run, so the server log can be searched for any trace of a
// body. Fixture names in paths and headers ({waiting}, {active}, {token}, …)
// are filled in by the runner (bench/lib/hostile-runner.mjs).
import { LIMITS } from "../../src/shared/limits.ts";

/** Script and markup that would call the page's `__refdeskPwned(tag)` (or set a global) if it ever ran. */
export function scriptPayloads(marker) {
  const call = (tag) => `__refdeskPwned('${marker}-${tag}')`;
  return [
    `<script>${call("script")}</script>`,
    `<img src=x onerror="${call("img")}">`,
    `"><svg onload=${call("svg")}>`,
    `'><body onload=${call("body")}>`,
    `<a href="javascript:${call("a")}">click me</a>`,
    `javascript:${call("jsurl")}`,
    `<iframe srcdoc="<script>parent.${call("iframe")}</script>"></iframe>`,
    `{{constructor.constructor("${call("template")}")()}}`,
    `\${${call("template-literal")}}`,
    `<details open ontoggle=${call("details")}>`,
    `https://example.org/"onmouseover="${call("linkify-attr")}"x="`,
    `https://example.org/<img/src=x/onerror=${call("linkify-tag")}>`,
    `[link](javascript:${call("markdown")})`,
    `<style>@import 'javascript:${call("style")}';</style>`,
    `</textarea><script>${call("textarea")}</script>`,
    `<math><mtext><table><mglyph><style><img src=x onerror=${call("mxss")}>`,
    `&lt;script&gt;${call("entities")}&lt;/script&gt;`,
  ];
}

/** Chat text with control characters, and what must be stored: the control characters dropped (vertical tab and form feed become newlines). */
export const CONTROL_TEXT = [
  { sent: "bell\u0007 escape\u001b[2J null\u0000 delete\u007f end", stored: "bell escape[2J null delete end" },
  { sent: "line one\u000bline two\u000cline three", stored: "line one\nline two\nline three" },
];

/** Strings that look like SQL, unicode edge cases and the like: they must be stored and shown verbatim. */
export const STRANGE_TEXT = [
  `'); DROP TABLE chat_sessions; --`,
  `" OR 1=1 --`,
  `1; DELETE FROM messages WHERE 1=1`,
  `%27%20OR%20%271%27%3D%271`,
  `\u202egnp.exe (right-to-left override)`,
  `zero\u200bwidth\u200djoiner\ufeff`,
  `emoji 👩‍🔬 and CJK 图书馆 and RTL مكتبة`,
  `${"(".repeat(200)}deep${")".repeat(200)}`,
];

const longString = (n, ch = "a") => ch.repeat(n);
/** A JSON text of about `bytes` bytes. */
const bigJson = (bytes) => JSON.stringify({ formId: "x", question: "q", pad: "p".repeat(bytes) });

/**
 * HTTP cases with exact answers. `as`: "none" | "own" (a librarian of the
 * bench-hostile library, not serving) | "server" (the one serving {active}) |
 * "outsider" (another library's librarian). `expect.status` and, for JSON
 * errors, `expect.code` and `expect.field` (null: must be absent).
 */
export function httpCases() {
  const json = { "Content-Type": "application/json" };
  const start = (body, extra = {}) => ({ method: "POST", path: "/api/chats", headers: { ...json, ...extra }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const okStart = { formId: "{form}", question: "$marker question" };
  return [
    // ---- starting a chat ----
    { name: "start: truncated JSON", ...start(`{"formId": "{form}", "question": "$marker`), expect: { status: 400, code: "bad_json" } },
    { name: "start: JSON array", ...start([okStart]), expect: { status: 400, code: "validation_failed" } },
    { name: "start: JSON null", ...start("null"), expect: { status: 400, code: "validation_failed" } },
    { name: "start: formId of the wrong type", ...start({ ...okStart, formId: 42 }), expect: { status: 400, code: "validation_failed", field: "formId" } },
    { name: "start: question missing", ...start({ formId: "{form}" }), expect: { status: 400, code: "validation_failed", field: "question" } },
    { name: "start: question of the wrong type", ...start({ formId: "{form}", question: ["$marker"] }), expect: { status: 400, code: "validation_failed", field: "question" } },
    { name: "start: question only spaces", ...start({ formId: "{form}", question: "   " }), expect: { status: 400, code: "validation_failed", field: "question" } },
    { name: "start: control characters in the question", ...start({ formId: "{form}", question: "$marker \u0000\u0007\u001b[31m" }), expect: { status: 400, code: "validation_failed", field: "question" } },
    { name: "start: question over the limit", ...start({ formId: "{form}", question: `$marker ${longString(LIMITS.questionChars)}` }), expect: { status: 400, code: "validation_failed", field: "question" } },
    { name: "start: name over the limit", ...start({ ...okStart, name: longString(LIMITS.nameChars + 1) }), expect: { status: 400, code: "validation_failed", field: "name" } },
    { name: "start: e-mail that is not one", ...start({ ...okStart, email: "<script>@x" }), expect: { status: 400, code: "validation_failed", field: "email" } },
    { name: "start: SQL in the form id", ...start({ ...okStart, formId: "x' OR '1'='1" }), expect: { status: 400, code: "validation_failed", field: "formId" } },
    { name: "start: unknown form", ...start({ ...okStart, formId: "no-such-form" }), expect: { status: 404, code: "not_found", field: "formId" } },
    { name: "start: unknown extra field", ...start({ ...okStart, fields: { bogus: "$marker" } }), expect: { status: 400, code: "validation_failed", field: "fields.bogus" } },
    { name: "start: field id with path characters", ...start({ ...okStart, fields: { "../../etc": "x" } }), expect: { status: 400, code: "validation_failed" } },
    { name: "start: prototype pollution", ...start(`{"__proto__": {"formId": "{form}", "question": "$marker"}}`), expect: { status: 400, code: "validation_failed", field: "formId" } },
    { name: "start: javascript: page URL", ...start({ ...okStart, pageUrl: "javascript:__refdeskPwned('pageurl')" }), expect: { status: 400, code: "validation_failed", field: "pageUrl" } },
    { name: "start: text/plain body", ...start(JSON.stringify(okStart), { "Content-Type": "text/plain" }), expect: { status: 415, code: "validation_failed" } },
    { name: "start: 1 MB body", ...start(bigJson(1024 * 1024)), expect: { status: 413, code: "too_large" } },
    { name: "start: 40 KB body without a length header", method: "POST", path: "/api/chats", headers: json, body: bigJson(40 * 1024), chunked: true, expect: { status: 413, code: "too_large" } },
    { name: "start: from a site the library does not allow", ...start(okStart, { Origin: "https://evil.example" }), expect: { status: 403, code: "forbidden", field: "origin" } },

    // ---- librarian actions ----
    { name: "accept: signed out", method: "POST", path: "/api/chats/{waiting}/accept", expect: { status: 401, code: "unauthorized" } },
    { name: "accept: forged cookie", method: "POST", path: "/api/chats/{waiting}/accept", headers: { Cookie: "__Host-refdesk_session=forged-$marker" }, expect: { status: 401, code: "unauthorized" } },
    { name: "accept: another library's librarian", as: "outsider", method: "POST", path: "/api/chats/{waiting}/accept", expect: { status: 403, code: "forbidden" } },
    { name: "accept: from a foreign origin (JSON, with the cookie)", as: "own", method: "POST", path: "/api/chats/{waiting}/accept", headers: { ...json, Origin: "https://evil.example" }, body: "{}", expect: { status: 403, code: "forbidden" } },
    { name: "accept: from a foreign origin (no body, with the cookie)", as: "own", method: "POST", path: "/api/chats/{waiting}/accept", headers: { Origin: "https://evil.example" }, expect: { status: 403, code: "forbidden" } },
    { name: "accept: unknown session", as: "own", method: "POST", path: "/api/chats/00000000-0000-4000-8000-000000000000/accept", expect: { status: 404, code: "not_found" } },
    { name: "accept: malformed session id", as: "own", method: "POST", path: "/api/chats/..%2F..%2Fetc%2Fpasswd/accept", expect: { status: 404, code: "not_found" } },
    { name: "accept: SQL session id", as: "own", method: "POST", path: `/api/chats/${encodeURIComponent("1' OR '1'='1")}/accept`, expect: { status: 404, code: "not_found" } },
    { name: "accept: already taken", as: "own", method: "POST", path: "/api/chats/{active}/accept", expect: { status: 409, code: "already_taken" } },
    { name: "end: signed out", method: "POST", path: "/api/chats/{active}/end", headers: json, body: `{"resolution":"answered"}`, expect: { status: 401, code: "unauthorized" } },
    { name: "end: not the serving librarian", as: "own", method: "POST", path: "/api/chats/{active}/end", headers: json, body: `{"resolution":"answered"}`, expect: { status: 403, code: "forbidden" } },
    { name: "end: bad JSON", as: "server", method: "POST", path: "/api/chats/{active}/end", headers: json, body: `{"resolution":`, expect: { status: 400, code: "bad_json" } },
    { name: "end: unknown resolution", as: "server", method: "POST", path: "/api/chats/{active}/end", headers: json, body: `{"resolution":"<script>$marker</script>"}`, expect: { status: 400, code: "validation_failed", field: "resolution" } },
    { name: "end: too many descriptive codes", as: "server", method: "POST", path: "/api/chats/{active}/end", headers: json, body: JSON.stringify({ resolution: "answered", descriptiveCodes: ["a", "b", "c", "d", "e"] }), expect: { status: 400, code: "validation_failed", field: "descriptiveCodes" } },
    { name: "end: SQL as a descriptive code", as: "server", method: "POST", path: "/api/chats/{active}/end", headers: json, body: JSON.stringify({ resolution: "answered", descriptiveCodes: ["x'); DROP TABLE questions; --"] }), expect: { status: 400, code: "validation_failed", field: "descriptiveCodes.0" } },
    { name: "end: unknown descriptive code", as: "server", method: "POST", path: "/api/chats/{active}/end", headers: json, body: JSON.stringify({ resolution: "answered", descriptiveCodes: ["no_such_code"] }), expect: { status: 400, code: "validation_failed", field: "descriptiveCodes.0" } },
    { name: "end: note with control characters", as: "server", method: "POST", path: "/api/chats/{active}/end", headers: json, body: JSON.stringify({ resolution: "answered", note: "$marker \u0000" }), expect: { status: 400, code: "validation_failed", field: "note" } },
    { name: "end: from a foreign origin", as: "server", method: "POST", path: "/api/chats/{active}/end", headers: { ...json, Origin: "https://evil.example" }, body: `{"resolution":"answered"}`, expect: { status: 403, code: "forbidden" } },
    { name: "leave question: no token", method: "POST", path: "/api/chats/{waiting}/leave-question", headers: json, body: `{"email":"a@b.example"}`, expect: { status: 401, code: "unauthorized" } },
    { name: "leave question: forged token", method: "POST", path: "/api/chats/{waiting}/leave-question", headers: { ...json, Authorization: "Bearer forged-$marker" }, body: `{"email":"a@b.example"}`, expect: { status: 401, code: "unauthorized" } },
    { name: "leave question: another session's token", method: "POST", path: "/api/chats/{waiting}/leave-question", headers: { ...json, Authorization: "Bearer {otherToken}" }, body: `{"email":"a@b.example"}`, expect: { status: 401, code: "unauthorized" } },
    { name: "leave question: bad e-mail", method: "POST", path: "/api/chats/{waiting}/leave-question", headers: { ...json, Authorization: "Bearer {waitingToken}" }, body: `{"email":"$marker"}`, expect: { status: 400, code: "validation_failed", field: "email" } },
    { name: "leave question: details over the limit", method: "POST", path: "/api/chats/{waiting}/leave-question", headers: { ...json, Authorization: "Bearer {waitingToken}" }, body: JSON.stringify({ email: "a@b.example", details: `$marker ${longString(LIMITS.questionChars)}` }), expect: { status: 400, code: "validation_failed", field: "details" } },

    // ---- reading ----
    { name: "session: signed out", method: "GET", path: "/api/chats/{active}", expect: { status: 401, code: "unauthorized" } },
    { name: "session: patron token is not a sign-in", method: "GET", path: "/api/chats/{active}/transcript", headers: { Authorization: "Bearer {activeToken}" }, expect: { status: 401, code: "unauthorized" } },
    { name: "transcript: another library's librarian", as: "outsider", method: "GET", path: "/api/chats/{active}/transcript", expect: { status: 403, code: "forbidden" } },
    { name: "codes: another library's librarian", as: "outsider", method: "GET", path: "/api/chats/{active}/codes", expect: { status: 403, code: "forbidden" } },
    { name: "queues: signed out", method: "GET", path: "/api/queues", expect: { status: 401, code: "unauthorized" } },
    { name: "my sessions: signed out", method: "GET", path: "/api/me/sessions", expect: { status: 401, code: "unauthorized" } },
    { name: "chat socket without an upgrade", method: "GET", path: "/api/chats/{active}/socket", expect: { status: 426, code: "bad_frame" } },
    { name: "queue socket without an upgrade", as: "own", method: "GET", path: "/api/queues/{queue}/socket", expect: { status: 426, code: "bad_frame" } },

    // ---- signing in ----
    { name: "sign-in: bad JSON", method: "POST", path: "/api/auth/sign-in", headers: json, body: `{"email":`, expect: { status: 400, code: "bad_json" } },
    { name: "sign-in: e-mail of the wrong type", method: "POST", path: "/api/auth/sign-in", headers: json, body: `{"email":{"$gt":""},"password":"x"}`, expect: { status: 400, code: "validation_failed", field: "email" } },
    { name: "sign-in: SQL as the e-mail", method: "POST", path: "/api/auth/sign-in", headers: json, body: JSON.stringify({ email: "' OR 1=1 --", password: "$marker" }), expect: { status: 400, code: "validation_failed", field: "email" } },
    { name: "sign-in: password over the limit", method: "POST", path: "/api/auth/sign-in", headers: json, body: JSON.stringify({ email: "a@b.example", password: longString(201) }), expect: { status: 400, code: "validation_failed", field: "password" } },
    { name: "sign-in: unknown account", method: "POST", path: "/api/auth/sign-in", headers: json, body: JSON.stringify({ email: "nobody@bench.example", password: "$marker" }), expect: { status: 401, code: "unauthorized" } },
    { name: "sign-in: redirect to another site", method: "POST", path: "/api/auth/sign-in", headers: json, body: JSON.stringify({ email: "a@b.example", password: "x", next: "https://evil.example/" }), expect: { status: 400, code: "validation_failed", field: "next" } },
    { name: "me: forged cookie", method: "GET", path: "/api/auth/me", headers: { Cookie: "__Host-refdesk_session=forged" }, expect: { status: 401, code: "unauthorized" } },

    // ---- pages ----
    { name: "login page: hostile e-mail echoed back", method: "POST", path: "/login", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "{origin}" }, body: `email=${encodeURIComponent(`"><script>__refdeskPwned('login')</script>@x.example`)}&password=$marker`, expect: { status: 400, html: true } },
    { name: "login page: form post from another site", method: "POST", path: "/login", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" }, body: "email=a%40b.example&password=x", expect: { status: 403 } },
    { name: "login page: javascript: next", method: "GET", path: `/login?next=${encodeURIComponent("javascript:__refdeskPwned('next')")}`, expect: { status: 200, html: true, bodyLacks: "javascript:" } },
    { name: "hosted form: unknown form id with markup", method: "GET", path: `/f/${encodeURIComponent("<script>x</script>")}`, expect: { status: 404, html: true, bodyLacks: "<script>x" } },
    { name: "chat page: unknown chat id with markup", method: "GET", path: `/chat/${encodeURIComponent("\"><img src=x>")}`, expect: { status: 404, html: true, bodyLacks: "<img src=x" } },
  ];
}

/** Values for path parameters in the sweep over every route. */
export const PARAM_VALUES = ["00000000-0000-4000-8000-000000000000", "../../etc/passwd", "<script>__refdeskPwned('param')</script>", "' OR '1'='1", "lib:%00", "x".repeat(3000)];

/** Request bodies for the sweep over every route (POST/PUT/PATCH/DELETE). */
export const BODY_VARIANTS = [
  { name: "no body", headers: {}, body: undefined },
  { name: "bad JSON", headers: { "Content-Type": "application/json" }, body: `{"$marker": ` },
  { name: "JSON array", headers: { "Content-Type": "application/json" }, body: `["$marker"]` },
  { name: "JSON number", headers: { "Content-Type": "application/json" }, body: "1e309" },
  { name: "wrong types", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ formId: 1, question: { $marker: true }, email: ["x"], resolution: null, descriptiveCodes: "x", password: 5, name: false, status: 7 }) },
  { name: "prototype pollution", headers: { "Content-Type": "application/json" }, body: `{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":"$marker"}}}` },
  { name: "control characters", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ question: "$marker \u0000\u0001\u0008", name: "\u001b[2J", email: "\u0000@x.example" }) },
  { name: "form-encoded junk", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "a=%ZZ&&=&question=$marker&__proto__[x]=1" },
  { name: "deeply nested JSON", headers: { "Content-Type": "application/json" }, body: `${"[".repeat(20_000)}"$marker"${"]".repeat(20_000)}` },
  { name: "1 MB JSON", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ question: `$marker ${"x".repeat(1024 * 1024)}` }), once: true },
];

/** The body variants no route can mistake for a valid request: swept again as a signed-in librarian from our own origin. */
export const MALFORMED_BODY_NAMES = ["bad JSON", "JSON array", "JSON number", "wrong types", "control characters", "deeply nested JSON", "1 MB JSON"];

/** Routes that act without reading a body (signing out): left out of the signed-in sweep, which would otherwise just sign out. */
export const BODYLESS_ACTIONS = ["POST /api/auth/sign-out", "POST /logout"];

/**
 * Frames for an authenticated patron on the chat socket, each with the error
 * code it must be answered with (the socket stays open) or the close code.
 */
export function patronFrames() {
  const send = (body, clientId = "c-$marker") => JSON.stringify({ type: "send", clientId, body });
  return [
    { name: "bad JSON", frame: `{"type": "send", "body": "$marker`, expect: { error: "bad_json" } },
    { name: "binary frame", frame: Buffer.from("$marker"), expect: { error: "bad_frame" } },
    { name: "JSON null", frame: "null", expect: { error: "bad_frame" } },
    { name: "JSON array", frame: `["send", "$marker"]`, expect: { error: "bad_frame" } },
    { name: "unknown kind", frame: JSON.stringify({ type: "delete_everything", body: "$marker" }), expect: { error: "bad_frame", field: "type" } },
    { name: "type of the wrong type", frame: JSON.stringify({ type: 7 }), expect: { error: "bad_frame", field: "type" } },
    { name: "send without a client id", frame: JSON.stringify({ type: "send", body: "$marker" }), expect: { error: "bad_frame", field: "clientId" } },
    { name: "client id of the wrong type", frame: JSON.stringify({ type: "send", clientId: 5, body: "$marker" }), expect: { error: "bad_frame", field: "clientId" } },
    { name: "client id over the limit", frame: send("$marker", "c".repeat(LIMITS.clientIdChars + 1)), expect: { error: "bad_frame", field: "clientId" } },
    { name: "empty body", frame: send(""), expect: { error: "bad_frame", field: "body" } },
    { name: "body only whitespace", frame: send(" \n\t "), expect: { error: "bad_frame", field: "body" } },
    { name: "body of the wrong type", frame: JSON.stringify({ type: "send", clientId: "c", body: { $marker: 1 } }), expect: { error: "bad_frame", field: "body" } },
    { name: "body over the limit", frame: send(`$marker ${"m".repeat(LIMITS.messageChars)}`), expect: { error: "bad_frame", field: "body" } },
    { name: "a body of control characters only (empty once they are dropped)", frame: send("\u0000\u0007\u001b\u007f"), expect: { error: "bad_frame", field: "body" } },
    { name: "frame just over the frame limit", frame: send(`$marker ${"m".repeat(LIMITS.frameBytes)}`), expect: { error: "too_large" } },
    { name: "frame of multi-byte characters over the limit", frame: send(`$marker ${"图".repeat(Math.ceil(LIMITS.frameBytes / 3) + 10)}`), expect: { error: "too_large" } },
    { name: "1 MB frame", frame: send(`$marker ${"m".repeat(1024 * 1024)}`), expect: { error: "too_large", orClose: 1009 } },
    { name: "typing of the wrong type", frame: JSON.stringify({ type: "typing", active: "$marker" }), expect: { error: "bad_frame", field: "active" } },
    { name: "second hello with a forged token", frame: JSON.stringify({ type: "hello", token: "forged-$marker", lastSeq: 0 }), expect: { error: "unauthorized", close: 1008 } },
  ];
}

/** Hellos a patron socket may open with, and their answers. */
export function helloFrames() {
  return [
    { name: "send before hello", frame: JSON.stringify({ type: "send", clientId: "c", body: "$marker" }), expect: { error: "hello_required" } },
    { name: "hello with a forged token", frame: JSON.stringify({ type: "hello", token: "forged-$marker", lastSeq: 0 }), expect: { error: "unauthorized", close: 1008 } },
    { name: "hello with another session's token", frame: JSON.stringify({ type: "hello", token: "{otherToken}", lastSeq: 0 }), expect: { error: "unauthorized", close: 1008 } },
    { name: "hello without a token", frame: JSON.stringify({ type: "hello", lastSeq: 0 }), expect: { error: "unauthorized", close: 1008 } },
    { name: "hello with an oversized token", frame: JSON.stringify({ type: "hello", token: "t".repeat(201), lastSeq: 0 }), expect: { error: "bad_frame", field: "token" } },
    { name: "hello with a negative lastSeq", frame: JSON.stringify({ type: "hello", token: "{activeToken}", lastSeq: -1 }), expect: { error: "bad_frame", field: "lastSeq" } },
    { name: "hello with a string lastSeq", frame: JSON.stringify({ type: "hello", token: "{activeToken}", lastSeq: "$marker" }), expect: { error: "bad_frame", field: "lastSeq" } },
  ];
}

/** Frames for a signed-in monitor on the queue socket. */
export function queueFrames() {
  const staff = (fields) => JSON.stringify({ type: "staff.send", clientId: "s-$marker", body: "$marker", to: null, ...fields });
  return [
    { name: "staff message of control characters only", frame: staff({ body: "\u0000\u001b\u0008" }), expect: { error: "bad_frame", field: "body" } },
    { name: "staff message over the limit", frame: staff({ body: `$marker ${"s".repeat(LIMITS.staffMessageChars)}` }), expect: { error: "bad_frame", field: "body" } },
    { name: "staff message to a librarian who is not monitoring", frame: staff({ to: "nobody-$marker" }), expect: { error: "not_found", field: "to" } },
    { name: "staff message with a recipient of the wrong type", frame: staff({ to: 42 }), expect: { error: "bad_frame", field: "to" } },
    { name: "staff message without a client id", frame: JSON.stringify({ type: "staff.send", body: "$marker", to: null }), expect: { error: "bad_frame", field: "clientId" } },
    { name: "bad JSON", frame: `{"type":`, expect: { error: "bad_json" } },
    { name: "unknown kind", frame: JSON.stringify({ type: "accept_all", marker: "$marker" }), expect: { error: "bad_frame", field: "type" } },
    { name: "unknown status", frame: JSON.stringify({ type: "set_status", status: "<b>$marker</b>" }), expect: { error: "bad_frame", field: "status" } },
    { name: "binary frame", frame: Buffer.from([0, 1, 2, 3]), expect: { error: "bad_frame" } },
    { name: "1 MB frame", frame: JSON.stringify({ type: "set_status", status: "x".repeat(1024 * 1024) }), expect: { error: "too_large", orClose: 1009 } },
  ];
}

/** Upgrades that must be refused, with the HTTP status. */
export function refusedUpgrades() {
  return [
    { name: "queue socket: signed out", path: "/api/queues/{queue}/socket", expect: 401 },
    { name: "queue socket: foreign origin", path: "/api/queues/{queue}/socket", as: "own", origin: "https://evil.example", expect: 403 },
    { name: "queue socket: another library's queue", path: "/api/queues/{queue}/socket", as: "outsider", expect: 403 },
    { name: "queue socket: unknown queue", path: `/api/queues/${encodeURIComponent("lib:<script>")}/socket`, as: "own", expect: 403 },
    { name: "librarian chat socket: signed out", path: "/api/chats/{active}/socket?as=librarian", expect: 401 },
    { name: "librarian chat socket: foreign origin", path: "/api/chats/{active}/socket?as=librarian", as: "server", origin: "https://evil.example", expect: 403 },
    { name: "librarian chat socket: another library's librarian", path: "/api/chats/{active}/socket?as=librarian", as: "outsider", expect: 403 },
    { name: "chat socket: unknown session", path: "/api/chats/00000000-0000-4000-8000-000000000000/socket", expect: 404 },
    { name: "chat socket: malformed id", path: `/api/chats/${encodeURIComponent("'; DROP TABLE x; --")}/socket`, expect: 404 },
  ];
}
