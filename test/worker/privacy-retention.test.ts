/**
 * Forgetful, proved: a patron's name, e-mail address, phone number and a
 * sentence of theirs are planted in every field a patron or a librarian can
 * fill — the form (built-in and custom fields), the question, waiting-time
 * messages, messages both ways, files both ways (names, alt text and bytes),
 * a pushed page, the transcript e-mail choice,
 * the rating comment, a survey's text answer, the browser's anonymous id, the
 * end note, the transfer note, a staff message, the
 * question's notes, follow-up answers and the address they went to, a left
 * question, cooperative feedback — everything is filed and mailed through the
 * real bindings, and the cron runs past the retention period. Then every
 * column of every D1 table (found through sqlite_master, not listed here) and
 * every involved object's storage and every file in R2 is searched for each planted string: none
 * is left, while codes, times, libraries and ratings are.
 *
 * Then the parts that make it hold over time: an object that refuses to be
 * erased (its chat was not yet filed) is tried again on later runs, and what
 * it files meanwhile is scrubbed too; each library gets its own share of a
 * run, whatever its id.
 */
import { createScheduledController, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { NOT_YET_FILED } from "../../src/privacy/erase-objects";
import { REDACTED_EMAIL } from "../../src/privacy/redact";
import { runPrivacyScrub } from "../../src/privacy/scrub";
import { UNSENT_MAIL_NOTE } from "../../src/privacy/scrub-chats";
import { deliverMail } from "../../src/mail/outbox";
import { transcriptMailKey } from "../../src/questions/file-session";
import { groupQueueId } from "../../src/queues/queue-ids";
import type { QueueServerMessage } from "../../src/shared/protocol";
import { mailReaches } from "./question-fixtures";
import {
  accept,
  advanceSession,
  call,
  closeSocket,
  countRows,
  createForm,
  createGroup,
  createLibrarian,
  createLibrary,
  endChat,
  librarianSocket,
  monitorQueue,
  patronIp,
  patronSocket,
  queueStub,
  sendMessage,
  sessionStub,
  signIn,
  uniqueId,
  type SessionSocket,
} from "./helpers";

const DAY = 24 * 60 * 60 * 1000;

// ---- what is planted ---------------------------------------------------------

const NAME = "Zenobia Quillfeather";
const EMAIL = "zenobia.quill@patron.test";
const OTHER_EMAIL = "quillfeather.z@elsewhere.test";
const PHONE = "+1 (555) 867-5309";
const SENTENCE = "The heron nests behind the old mill on Larkspur Lane.";
/** Everything at once, for free-text fields. */
const PLANT = `${NAME} (${EMAIL}, ${PHONE}): ${SENTENCE}`;
/** The anonymous id the patron's browser sends (the Qwidget's), planted with the name in it so the search finds it. */
const BROWSER_ID = "Quillfeather-browser-0001";
/** What is searched for: each planted piece (names in part too, as a librarian would write them). */
const NEEDLES = ["Zenobia", "Quillfeather", "zenobia.quill@patron.test", "quillfeather.z@elsewhere.test", "867-5309", "Larkspur", "heron nests"];

const FIELDS = [
  { id: "card", label: "Library card or phone", kind: "text", required: false },
  { id: "about", label: "Anything else we should know?", kind: "textarea", required: false },
];

// ---- acting as patron and librarian --------------------------------------------

/** Starts a chat the way the hosted form does, with the patron's browser and page giving themselves away too. */
async function startPlantedChat(formId: string, extra: Record<string, unknown> = {}) {
  const res = await call("/api/chats", {
    method: "POST",
    headers: { "cf-connecting-ip": patronIp(), "User-Agent": `PlantBrowser/1.0 (${NAME})`, Referer: `https://library.test/ask?from=${encodeURIComponent(NAME)}` },
    json: { formId, question: PLANT, name: NAME, email: EMAIL, fields: { card: PHONE, about: PLANT }, pageUrl: `https://library.test/catalog?patron=${encodeURIComponent(NAME)}&tel=867-5309`, browserId: BROWSER_ID, ...extra },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { sessionId: string; token: string; status: string };
}

function postJson(path: string, cookie: string | undefined, json: unknown, headers: Record<string, string> = {}) {
  return call(path, { method: "POST", cookie, json, headers });
}

const PNG_HEADER = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PDF_HEADER = [...new TextEncoder().encode("%PDF-1.7\n")];
const withBytes = (header: number[], text: string) => Uint8Array.from([...header, ...new TextEncoder().encode(text)]);

/** Sends a file into the chat (the patron with its token, or with `as: "librarian"` a signed-in librarian). */
function sendFile(sessionId: string, name: string, bytes: Uint8Array<ArrayBuffer>, headers: Record<string, string>, query: Record<string, string> = {}, cookie?: string) {
  const params = new URLSearchParams({ clientId: crypto.randomUUID(), name, ...query });
  return call(`/api/chats/${sessionId}/files?${params}`, { method: "POST", cookie, headers: { "Content-Type": "application/octet-stream", ...headers }, body: bytes });
}

/** The call succeeded (200 or 201); its JSON answer. */
async function expectOk(res: Promise<Response>): Promise<Record<string, unknown>> {
  const r = await res;
  const text = await r.text();
  expect(r.ok, `${r.status} ${text}`).toBe(true);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** The patron picks where the transcript goes, and waits for it to be confirmed. */
async function chooseTranscript(patron: SessionSocket, email: string) {
  const from = patron.frames.length;
  patron.send({ type: "transcript", send: true, email });
  await patron.nextFrom((f) => f.type === "transcript" && f.email === email, from);
}

// ---- searching everything ------------------------------------------------------

/** Text of a stored value, with any MIME message read back (its body parts are base64). */
async function textsOf(value: unknown): Promise<string[]> {
  if (value === null || value === undefined) return [];
  const text = value instanceof ArrayBuffer ? new TextDecoder().decode(value) : ArrayBuffer.isView(value) ? new TextDecoder().decode(value) : String(value);
  if (!text.includes("MIME-Version:")) return [text];
  const mail = await PostalMime.parse(text);
  return [text, mail.subject ?? "", mail.text ?? "", mail.html ?? "", JSON.stringify(mail.to ?? [])];
}

function hitsIn(where: string, texts: string[]): string[] {
  return NEEDLES.flatMap((needle) => (texts.some((t) => t.toLowerCase().includes(needle.toLowerCase())) ? [`${where}: ${needle}`] : []));
}

/** Every planted string found in D1: every table (from sqlite_master) and every column (pragma_table_info). */
async function plantedInD1(): Promise<string[]> {
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'").all<{ name: string }>();
  const hits: string[] = [];
  for (const { name: table } of tables.results) {
    const columns = (await env.DB.prepare("SELECT name FROM pragma_table_info(?)").bind(table).all<{ name: string }>()).results.map((c) => c.name);
    const rows = (await env.DB.prepare(`SELECT * FROM "${table}"`).all<Record<string, unknown>>()).results;
    for (const column of columns) {
      const texts = (await Promise.all(rows.map((r) => textsOf(r[column])))).flat();
      hits.push(...hitsIn(`${table}.${column}`, texts));
    }
  }
  return hits;
}

/** The number of D1 tables and columns searched (so a broken enumeration cannot pass as "nothing found"). */
async function d1Extent(): Promise<{ tables: number; columns: number }> {
  const row = await env.DB.prepare(
    "SELECT COUNT(DISTINCT m.name) AS tables, COUNT(*) AS columns FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
  ).first<{ tables: number; columns: number }>();
  return row!;
}

/** Every planted string found in the chat files' R2 bucket: keys, names kept beside them, and the bytes. */
async function plantedInR2(): Promise<string[]> {
  const hits: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.FILES.list({ cursor, include: ["customMetadata", "httpMetadata"] });
    for (const o of page.objects) {
      const body = await (await env.FILES.get(o.key))?.arrayBuffer();
      hits.push(...hitsIn(`R2 ${o.key}`, [o.key, JSON.stringify(o.customMetadata ?? {}), ...(await textsOf(body))]));
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return hits;
}

/** Every planted string found in an object's storage: its SQL tables, and its key-value storage. */
async function plantedInObject(label: string, stub: DurableObjectStub): Promise<string[]> {
  const dump = await runInDurableObject(stub, async (_obj, state) => {
    const out: { where: string; values: unknown[] }[] = [];
    const tables = state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray();
    for (const { name } of tables) {
      try {
        for (const row of state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray()) out.push({ where: name, values: Object.values(row) });
      } catch {
        // The runtime's own tables (_cf_…) may not be readable with SQL; their contents are read through the API below.
      }
    }
    for (const [key, value] of await state.storage.list()) out.push({ where: `kv:${key}`, values: [key, JSON.stringify(value)] });
    return out;
  });
  const hits: string[] = [];
  for (const { where, values } of dump) hits.push(...hitsIn(`${label} ${where}`, (await Promise.all(values.map(textsOf))).flat()));
  return hits;
}

async function runCron(at: number) {
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(at), cron: "17 3 * * *" }), env);
}

// ---- the scenario ------------------------------------------------------------------

/**
 * Home library: a chat with everything a chat can carry, transferred between
 * two of its librarians, rated, ended with a note, answered again by e-mail and
 * noted; a staff message about the patron in its queue.
 */
async function fullChat() {
  const library = await createLibrary({ name: "Home Library" });
  const formId = await createForm(library.id, { fields: FIELDS });
  const first = await createLibrarian(library.id, "Desk One");
  const second = await createLibrarian(library.id, "Desk Two");
  const [cookieA, cookieB] = [await signIn(first), await signIn(second)];
  const [monitorA, monitorB] = [await monitorQueue(library.queueId, cookieA), await monitorQueue(library.queueId, cookieB)];

  const chat = await startPlantedChat(formId);
  expect(chat.status).toBe("waiting");
  const patron = await patronSocket(chat.sessionId, chat.token);
  await sendMessage(patron, "wait-1", `While I wait: ${PLANT}`);
  await expectOk(accept(chat.sessionId, cookieA));
  const deskA = await librarianSocket(chat.sessionId, cookieA);
  await sendMessage(patron, "p-1", PLANT);
  await sendMessage(deskA, "l-1", `Hello ${NAME.split(" ")[0]}! I have your number as ${PHONE}. ${SENTENCE}`);
  await chooseTranscript(patron, OTHER_EMAIL);
  // Files both ways: their names, alt text and bytes carry the planted strings too.
  await expectOk(sendFile(chat.sessionId, `${NAME} card.png`, withBytes(PNG_HEADER, PLANT), { Authorization: `Bearer ${chat.token}` }, { alt: `My card, ${PHONE}` }));
  await expectOk(sendFile(chat.sessionId, `For ${NAME}.pdf`, withBytes(PDF_HEADER, PLANT), {}, { as: "librarian" }, cookieA));
  await expectOk(postJson(`/api/chats/${chat.sessionId}/push`, cookieA, { url: `https://catalog.library.test/record?for=${encodeURIComponent(NAME)}`, title: PLANT.slice(0, 200), clientId: "push-1" }));

  // A colleague is told about the patron in the staff chat, and the chat goes to them with a note.
  monitorA.send({ type: "staff.send", clientId: "staff-1", body: `Can someone take ${PLANT}`, to: null });
  await monitorB.next((f: QueueServerMessage) => f.type === "staff.message");
  await expectOk(postJson(`/api/chats/${chat.sessionId}/transfer`, cookieA, { to: { kind: "librarian", librarianId: second.id }, note: `Internal: ${PLANT}` }));
  await expectOk(accept(chat.sessionId, cookieB));
  const deskB = await librarianSocket(chat.sessionId, cookieB);
  await sendMessage(deskB, "l-2", `Taking over for ${NAME}.`);
  await sendMessage(patron, "p-2", `Call me on ${PHONE}`);
  // The patron leaves first: a system line with their name ("… left the chat.").
  patron.send({ type: "leave" });
  await deskB.next((f) => f.type === "message" && f.message.kind === "system" && f.message.body.startsWith(NAME));
  await expectOk(endChat(chat.sessionId, cookieB, { resolution: "answered", descriptiveCodes: ["genealogy"], note: `End note: ${PLANT}` }));
  await expectOk(postJson(`/api/chats/${chat.sessionId}/rating`, undefined, { rating: 4, comment: PLANT }, { Authorization: `Bearer ${chat.token}` }));
  await mailReaches(transcriptMailKey(chat.sessionId), "sent");

  // The follow-up: a note and an answer by e-mail, to the address the patron chose.
  const questionId = `q-${chat.sessionId}`;
  await expectOk(postJson(`/api/questions/${questionId}/notes`, cookieB, { body: `Note: ${PLANT}` }));
  const answer = await expectOk(postJson(`/api/questions/${questionId}/answer`, cookieB, { body: `Dear ${NAME}, ${SENTENCE} Call ${PHONE}.` }));
  const followup = await mailReaches(String(answer.mailKey), "sent");
  expect(followup.to_address).toBe(OTHER_EMAIL);

  for (const s of [patron, deskA, deskB]) await closeSocket(s);
  for (const m of [monitorA, monitorB]) await closeSocket(m);
  return { library, sessionId: chat.sessionId, queueIds: [library.queueId], cookie: cookieB };
}

/** Nobody on duty: the patron leaves the question by e-mail; a librarian answers it later and notes it. */
async function leftQuestion() {
  const library = await createLibrary({ name: "Quiet Library" });
  const formId = await createForm(library.id, { fields: FIELDS });
  const cookie = await signIn(await createLibrarian(library.id, "Later Desk"));
  const chat = await startPlantedChat(formId, { name: undefined, email: undefined });
  expect(chat.status).toBe("unavailable");
  await expectOk(postJson(`/api/chats/${chat.sessionId}/leave-question`, undefined, { email: EMAIL, name: NAME, details: PLANT }, { Authorization: `Bearer ${chat.token}` }));
  const questionId = `q-${chat.sessionId}`;
  await expectOk(postJson(`/api/questions/${questionId}/notes`, cookie, { body: `Phoned ${PHONE} about ${SENTENCE}` }));
  const answer = await expectOk(postJson(`/api/questions/${questionId}/answer`, cookie, { body: `Hello ${NAME}: ${SENTENCE}` }));
  await mailReaches(String(answer.mailKey), "sent");
  return { library, sessionId: chat.sessionId, queueIds: [library.queueId] };
}

/** A partner library answers the home library's patron; the home library leaves feedback quoting the patron. */
async function cooperativeChat() {
  const home = await createLibrary({ name: "Small Home Library" });
  const partner = await createLibrary({ name: "Partner Library" });
  const groupId = uniqueId("coop");
  await createGroup(groupId, "Retention Cooperative", [home.id, partner.id]);
  const formId = await createForm(home.id, { fields: FIELDS });
  await env.DB.prepare("UPDATE forms SET survey = ? WHERE id = ?")
    .bind(JSON.stringify({ mode: "survey", questions: [{ id: "q1", text: "How easy was it?", kind: "scale" }, { id: "q2", text: "Anything else?", kind: "text" }] }), formId)
    .run();
  const partnerCookie = await signIn(await createLibrarian(partner.id, "Partner Desk"));
  const homeCookie = await signIn(await createLibrarian(home.id, "Home Desk"));
  const monitor = await monitorQueue(groupQueueId(groupId), partnerCookie);
  const chat = await startPlantedChat(formId);
  await monitor.next((f: QueueServerMessage) => f.type === "request.added" && f.request.sessionId === chat.sessionId);
  await expectOk(accept(chat.sessionId, partnerCookie));
  const patron = await patronSocket(chat.sessionId, chat.token);
  const desk = await librarianSocket(chat.sessionId, partnerCookie);
  await sendMessage(desk, "l-1", `Hi ${NAME}`);
  await sendMessage(patron, "p-1", SENTENCE);
  await expectOk(endChat(chat.sessionId, partnerCookie, { resolution: "answered", note: PLANT }));
  await mailReaches(transcriptMailKey(chat.sessionId), "sent");
  // The patron answers the form's survey, a scale and a sentence of their own.
  await expectOk(postJson(`/api/chats/${chat.sessionId}/rating`, undefined, { rating: 5, answers: { q1: 4, q2: PLANT } }, { Authorization: `Bearer ${chat.token}` }));
  await expectOk(postJson("/api/feedback", homeCookie, { sessionId: chat.sessionId, rating: "excellent", comment: `Well handled for ${PLANT}` }));
  for (const s of [patron, desk]) await closeSocket(s);
  await closeSocket(monitor);
  return { library: home, partner, sessionId: chat.sessionId, queueIds: [home.queueId, partner.queueId, groupQueueId(groupId)] };
}

describe("past retention, no trace of the patron anywhere", () => {
  it("leaves none of the planted name, e-mail, phone number or sentence in any table, column or object, and keeps the aggregates", async () => {
    const full = await fullChat();
    const left = await leftQuestion();
    const coop = await cooperativeChat();
    const sessions = [full.sessionId, left.sessionId, coop.sessionId];
    const queues = [...full.queueIds, ...left.queueIds, ...coop.queueIds];
    const objects = () => [...sessions.map((id) => [`session ${id}`, sessionStub(id)] as const), ...queues.map((id) => [`queue ${id}`, queueStub(id)] as const)];

    // Before: the planted strings are everywhere the search looks (so finding none later means something).
    const before = await plantedInD1();
    for (const column of ["chat_sessions.question", "chat_sessions.patron_name", "chat_sessions.patron_email", "chat_sessions.patron_details", "chat_sessions.user_agent", "chat_sessions.referrer", "chat_sessions.end_note", "chat_sessions.transcript", "chat_sessions.rating_comment", "chat_sessions.patron_browser_id", "survey_answers.answer_text", "questions.question", "questions.patron_name", "questions.patron_email", "question_events.detail", "mail_outbox.to_address", "mail_outbox.subject", "mail_outbox.text_body", "mail_outbox.html_body", "mail_outbox.raw_message", "coop_feedback.comment"]) {
      expect(before.some((h) => h.startsWith(`${column}:`)), `${column} holds a planted string before the scrub`).toBe(true);
    }
    const objectsBefore = (await Promise.all(objects().map(([label, stub]) => plantedInObject(label, stub)))).flat();
    expect(objectsBefore.some((h) => h.includes("internal_notes")), "the transfer note is in the chat's object").toBe(true);
    expect(objectsBefore.some((h) => h.includes("staff_messages")), "the staff message is in the queue's object").toBe(true);
    const filesBefore = await plantedInR2();
    expect(filesBefore.some((h) => h.endsWith("Larkspur")), "the files' bytes are in R2").toBe(true);
    expect(filesBefore.some((h) => h.endsWith("Zenobia")), "the files' names are in R2").toBe(true);

    // Time passes: the queues drop what they keep for a shift by themselves; then the cron runs past retention.
    const at = Date.now() + 31 * DAY;
    for (const id of queues) {
      await runInDurableObject(queueStub(id), (obj) => obj.clock.advance(31 * DAY));
      await runDurableObjectAlarm(queueStub(id));
    }
    await runCron(at);

    // Nothing planted is left: D1, every column of every table…
    const extent = await d1Extent();
    expect(extent.tables).toBeGreaterThanOrEqual(25);
    expect(extent.columns).toBeGreaterThanOrEqual(200);
    expect(await plantedInD1()).toEqual([]);
    // …and every object involved.
    expect((await Promise.all(objects().map(([label, stub]) => plantedInObject(label, stub)))).flat()).toEqual([]);
    // …and every file in R2.
    expect(await plantedInR2()).toEqual([]);

    // What statistics need stays: rows, codes, times, libraries, librarians, ratings as numbers.
    const kept = await env.DB.prepare(
      `SELECT id, library_id, answering_library_id, status, resolution_code, descriptive_codes, rating, librarian_id, created_at, accepted_at, ended_at, scrubbed_at
         FROM chat_sessions WHERE id IN (?, ?, ?)`,
    )
      .bind(...sessions)
      .all<Record<string, unknown>>();
    const byId = new Map(kept.results.map((r) => [r.id, r]));
    expect(byId.get(full.sessionId)).toMatchObject({ library_id: full.library.id, status: "ended", resolution_code: "answered", descriptive_codes: '["genealogy"]', rating: 4, scrubbed_at: at });
    expect(byId.get(coop.sessionId)).toMatchObject({ library_id: coop.library.id, answering_library_id: coop.partner.id, resolution_code: "answered" });
    expect(byId.get(left.sessionId)).toMatchObject({ library_id: left.library.id, status: "ended" });
    for (const r of kept.results) expect([r.created_at, r.ended_at].every((t) => typeof t === "number")).toBe(true);
    expect(await countRows("SELECT 1 FROM questions WHERE session_id IN (?, ?, ?)", ...sessions)).toBe(3);
    expect(await countRows("SELECT 1 FROM question_events WHERE action IN ('filed', 'note', 'answer') AND scrubbed_at = ?", at)).toBeGreaterThanOrEqual(7);
    // Two transcript mails (the left question gets none) and two follow-ups, still on record as sent.
    expect(await countRows("SELECT 1 FROM mail_outbox WHERE status = 'sent' AND sent_at IS NOT NULL")).toBe(4);
    expect(await env.DB.prepare("SELECT rating FROM coop_feedback WHERE session_id = ?").bind(coop.sessionId).first()).toEqual({ rating: "excellent" });
    // The survey's numbers stay for statistics, its words go; the chat's rating link is gone with it.
    expect((await env.DB.prepare("SELECT question_id, answer_number, answer_text FROM survey_answers WHERE session_id = ? ORDER BY question_id").bind(coop.sessionId).all()).results).toEqual([
      { question_id: "q1", answer_number: 4, answer_text: null },
      { question_id: "q2", answer_number: null, answer_text: null },
    ]);
    expect(await countRows("SELECT 1 FROM rating_links WHERE session_id IN (?, ?, ?)", ...sessions)).toBe(0);
    // Each library's part of the run is recorded, counts only.
    const changes = await env.DB.prepare("SELECT library_id, sessions_scrubbed, questions_scrubbed, mails_scrubbed, events_scrubbed, feedback_scrubbed, objects_erased, objects_pending FROM scrub_changes").all<Record<string, unknown>>();
    expect(changes.results).toEqual(
      expect.arrayContaining([
        { library_id: full.library.id, sessions_scrubbed: 1, questions_scrubbed: 1, mails_scrubbed: 2, events_scrubbed: 3, feedback_scrubbed: 0, objects_erased: 1, objects_pending: 0 },
        { library_id: left.library.id, sessions_scrubbed: 1, questions_scrubbed: 1, mails_scrubbed: 1, events_scrubbed: 2, feedback_scrubbed: 0, objects_erased: 1, objects_pending: 0 },
        { library_id: coop.library.id, sessions_scrubbed: 1, questions_scrubbed: 1, mails_scrubbed: 1, events_scrubbed: 1, feedback_scrubbed: 1, objects_erased: 1, objects_pending: 0 },
      ]),
    );

    // A note written about the question after its chat was scrubbed goes once it is older than the period too.
    await expectOk(postJson(`/api/questions/q-${full.sessionId}/notes`, full.cookie, { body: `Later: ${PLANT}` }));
    await runCron(Date.now() + DAY);
    expect((await plantedInD1()).map((h) => h.split(":")[0])).toEqual(NEEDLES.filter((n) => PLANT.includes(n)).map(() => "question_events.detail"));
    await runCron(Date.now() + 31 * DAY);
    expect(await plantedInD1()).toEqual([]);
    expect(await lastChanges(full.library.id)).toMatchObject({ sessions_scrubbed: 0, events_scrubbed: 1 });
  });
});

/** Storage tables an object holds (none once erased). */
const objectTables = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (_obj, state) => state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'").toArray().length);

const lastChanges = (libraryId: string) =>
  env.DB.prepare("SELECT * FROM scrub_changes WHERE library_id = ? ORDER BY run_id DESC LIMIT 1").bind(libraryId).first<Record<string, unknown>>();

describe("an object that cannot be erased yet", () => {
  it("is never erased while its chat lives, is tried again on later runs, and what it files meanwhile is scrubbed too", async () => {
    // Nobody on duty: the chat waits as "unavailable" (the patron may still leave the question).
    const library = await createLibrary({ name: "Unstaffed Library" });
    const formId = await createForm(library.id, { fields: FIELDS });
    const chat = await startPlantedChat(formId);
    expect(chat.status).toBe("unavailable");

    // Past retention: D1 is scrubbed at once; the object refuses (its chat has not ended) and keeps its storage.
    const first = Date.now() + 31 * DAY;
    await runCron(first);
    expect(await plantedInD1()).toEqual([]);
    expect(await objectTables(sessionStub(chat.sessionId))).toBeGreaterThan(0);
    expect(await env.DB.prepare("SELECT attempts, last_error FROM scrub_pending_objects WHERE session_id = ?").bind(chat.sessionId).first()).toEqual({ attempts: 1, last_error: NOT_YET_FILED });
    expect(await lastChanges(library.id)).toMatchObject({ sessions_scrubbed: 1, objects_erased: 0, objects_pending: 1 });

    // Still not over on the next run: tried again, counted again, still kept.
    await runCron(first + DAY);
    expect(await env.DB.prepare("SELECT attempts FROM scrub_pending_objects WHERE session_id = ?").bind(chat.sessionId).first()).toEqual({ attempts: 2 });
    expect(await objectTables(sessionStub(chat.sessionId))).toBeGreaterThan(0);

    // The chat gives up by itself and files itself: the patron's data are back in D1…
    await advanceSession(chat.sessionId, 31 * 60 * 1000);
    expect(await countRows("SELECT 1 FROM questions WHERE session_id = ? AND patron_name = ?", chat.sessionId, NAME)).toBe(1);
    const mail = await env.DB.prepare("SELECT event_key FROM mail_outbox WHERE question_id = ?").bind(`q-${chat.sessionId}`).first<{ event_key: string }>();
    if (mail) await mailReaches(mail.event_key, "sent");
    expect((await plantedInD1()).length).toBeGreaterThan(0);

    // …until the next run: the object is erased now, and its chat's rows are scrubbed again.
    await runCron(first + 2 * DAY);
    expect(await plantedInD1()).toEqual([]);
    expect(await objectTables(sessionStub(chat.sessionId))).toBe(0);
    expect(await plantedInObject("session", sessionStub(chat.sessionId))).toEqual([]);
    expect(await countRows("SELECT 1 FROM scrub_pending_objects WHERE session_id = ?", chat.sessionId)).toBe(0);
    expect(await lastChanges(library.id)).toMatchObject({ sessions_scrubbed: 0, questions_scrubbed: 1, objects_erased: 1, objects_pending: 0 });
  });
});

describe("sharing a run between libraries", () => {
  /** A library with `n` chats filed long ago (their objects hold nothing any more). */
  async function libraryWithBacklog(n: number, label: string) {
    const library = await createLibrary({ id: uniqueId(label), name: `Backlog ${label}` });
    const old = Date.now() - 400 * DAY;
    await env.DB.batch(
      Array.from({ length: n }, (_, i) =>
        env.DB.prepare("INSERT INTO chat_sessions (id, library_id, queue_id, status, question, patron_name, created_at, ended_at) VALUES (?, ?, ?, 'ended', ?, ?, ?, ?)").bind(
          crypto.randomUUID(),
          library.id,
          library.queueId,
          `Question ${i} from ${NAME}`,
          NAME,
          old + i,
          old + i + 60_000,
        ),
      ),
    );
    return library;
  }
  const left = (libraryId: string) => countRows("SELECT 1 FROM chat_sessions WHERE library_id = ? AND scrubbed_at IS NULL", libraryId);

  it("gives every library with work its own share, whatever its id, rotates who goes first, and finishes everything on later runs", async () => {
    // "a…" sorts first: in id order it would take the whole run.
    const big = await libraryWithBacklog(40, "a-big");
    const small = await libraryWithBacklog(3, "m-small");
    const late = await libraryWithBacklog(40, "z-late");
    const libs = [big, small, late];

    // A run with room for about 40 chats: the small library is done, the other two share the rest evenly.
    const at = Date.now();
    const report = await runPrivacyScrub(env, at, 80);
    expect(report.librariesDeferred).toBe(0);
    expect(await left(small.id)).toBe(0);
    const [bigDone, lateDone] = [40 - (await left(big.id)), 40 - (await left(late.id))];
    expect(bigDone).toBeGreaterThan(5);
    expect(lateDone).toBeGreaterThan(5);
    expect(Math.abs(bigDone - lateDone)).toBeLessThanOrEqual(1);
    const run = await env.DB.prepare("SELECT * FROM scrub_changes WHERE run_id = ?").bind(report.runId).all<Record<string, unknown>>();
    expect(Object.fromEntries(run.results.map((r) => [r.library_id, r.sessions_scrubbed]))).toEqual({ [big.id]: bigDone, [small.id]: 3, [late.id]: lateDone });

    // Runs with room for one library's turn only: each run serves the next library, so none waits behind another.
    const served = new Set<unknown>();
    for (let i = 0; i < 2; i++) {
      const r = await runPrivacyScrub(env, at + (i + 1) * 60_000, 20);
      expect(r.librariesDeferred).toBe(1);
      const changes = await env.DB.prepare("SELECT library_id FROM scrub_changes WHERE run_id = ?").bind(r.runId).all<{ library_id: string }>();
      expect(changes.results).toHaveLength(1);
      served.add(changes.results[0]!.library_id);
    }
    expect(served).toEqual(new Set([big.id, late.id]));

    // Full runs finish the backlog.
    for (let i = 0; i < 3 && (await Promise.all(libs.map((l) => left(l.id)))).some((n) => n > 0); i++) await runPrivacyScrub(env, at + (i + 10) * 60_000);
    for (const l of libs) expect(await left(l.id)).toBe(0);
    expect(await countRows("SELECT 1 FROM chat_sessions WHERE library_id IN (?, ?, ?) AND (patron_name IS NOT NULL OR question != '[removed after the retention period]')", big.id, small.id, late.id)).toBe(0);
  });
});

describe("a mail still waiting when its chat is scrubbed", () => {
  it("is never sent, and says why", async () => {
    const library = await createLibrary({ name: "Stuck Mail Library" });
    const sessionId = crypto.randomUUID();
    const old = Date.now() - 100 * DAY;
    const key = `test-pending:${sessionId}`;
    await env.DB.batch([
      env.DB.prepare("INSERT INTO chat_sessions (id, library_id, queue_id, status, question, patron_email, created_at) VALUES (?, ?, ?, 'ended', ?, ?, ?)").bind(sessionId, library.id, library.queueId, PLANT, EMAIL, old),
      env.DB.prepare("INSERT INTO questions (id, library_id, session_id, source, status, question, patron_email, created_at, updated_at) VALUES (?, ?, ?, 'chat', 'new', ?, ?, ?, ?)").bind(`q-${sessionId}`, library.id, sessionId, PLANT, EMAIL, old, old),
      env.DB.prepare("INSERT INTO mail_outbox (event_key, library_id, question_id, to_address, subject, text_body, html_body, status, attempts, last_error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 3, ?, ?)").bind(
        key,
        library.id,
        `q-${sessionId}`,
        EMAIL,
        PLANT,
        PLANT,
        `<p>${PLANT}</p>`,
        `550 mailbox ${EMAIL} unavailable`,
        old,
      ),
    ]);
    await runPrivacyScrub(env, Date.now());
    const row = await env.DB.prepare("SELECT to_address, status, last_error, raw_message FROM mail_outbox WHERE event_key = ?").bind(key).first();
    expect(row).toEqual({ to_address: REDACTED_EMAIL, status: "failed", last_error: UNSENT_MAIL_NOTE, raw_message: null });
    // A delivery already on its way finds nobody to send it to.
    expect(await deliverMail(env, key)).toBe("failed");
    expect(await env.DB.prepare("SELECT status, raw_message, sent_at FROM mail_outbox WHERE event_key = ?").bind(key).first()).toEqual({ status: "failed", raw_message: null, sent_at: null });
    expect(await plantedInD1()).toEqual([]);
  });
});
