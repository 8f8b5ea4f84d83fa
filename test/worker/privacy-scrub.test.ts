/**
 * The daily privacy scrub, with time controlled: it removes exactly the
 * personal data of chats older than each library's retention period, keeps
 * codes and statistics, leaves younger and live chats alone, and records what
 * it changed (counts only), in D1 and in the chat's Durable Object. Its own
 * file, so the run's totals are this test's. Every field at once, searched in
 * every table, column and object: test/worker/privacy-retention.test.ts.
 */
import { createScheduledController, env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { deliverMail } from "../../src/mail/outbox";
import { transcriptMailKey } from "../../src/questions/file-session";
import { REMOVED_TEXT } from "../../src/privacy/redact";
import { DEFAULT_RETENTION_DAYS } from "../../src/shared/admin-limits";
import { accept, call, createForm, createLibrarian, createLibrary, endChat, librarianSocket, monitorQueue, patronSocket, sendMessage, sessionStub, signIn, startChat, transcriptOf } from "./helpers";
import { admin, json, signedIn } from "./admin-helpers";

const DAY = 24 * 60 * 60 * 1000;

/** A chat from question to end, with the patron's name, e-mail and a form answer, as in real use. */
async function endedChat(librarianCookie: string, formId: string, patron: { name: string; email: string; card: string }) {
  const chat = await startChat(formId, { name: patron.name, email: patron.email, fields: { card: patron.card }, pageUrl: "https://library.test/catalog?user=42" });
  expect(chat.status).toBe("waiting");
  expect((await accept(chat.sessionId, librarianCookie)).status).toBe(200);
  const p = await patronSocket(chat.sessionId, chat.token);
  const l = await librarianSocket(chat.sessionId, librarianCookie);
  await sendMessage(p, "p1", `I am ${patron.name}, reach me at ${patron.email} please.`);
  await sendMessage(l, "l1", `Thanks ${patron.name.split(" ")[0]}! The census is at https://www.census.gov/.`);
  expect((await endChat(chat.sessionId, librarianCookie, { resolution: "answered", descriptiveCodes: ["genealogy"] })).status).toBe(200);
  expect(await deliverMail(env, transcriptMailKey(chat.sessionId))).toMatch(/sent/);
  return chat.sessionId;
}

const sessionRow = (id: string) => env.DB.prepare("SELECT * FROM chat_sessions WHERE id = ?").bind(id).first<Record<string, unknown>>();
const questionRow = (id: string) => env.DB.prepare("SELECT * FROM questions WHERE session_id = ?").bind(id).first<Record<string, unknown>>();
const mailRow = (id: string) => env.DB.prepare("SELECT * FROM mail_outbox WHERE event_key = ?").bind(transcriptMailKey(id)).first<Record<string, unknown>>();

async function runScrub(at: number) {
  const controller = createScheduledController({ scheduledTime: new Date(at), cron: "17 3 * * *" });
  await worker.scheduled(controller, env);
}

describe("the daily privacy scrub", () => {
  it("removes exactly the identifying data of chats older than each library's retention, keeps the rest, and records counts", async () => {
    const fields = [{ id: "card", label: "Library card", kind: "text", required: false }];
    const short = await createLibrary({ name: "Short Memory Library" });
    const long = await createLibrary({ name: "Long Memory Library" });
    const shortAdmin = await signedIn(short.id, "library_admin");
    const longAdmin = await signedIn(long.id, "library_admin");
    expect((await admin(`/libraries/${long.id}/settings`, longAdmin.cookie, { method: "PATCH", json: { retentionDays: 60 } })).status).toBe(200);

    const setUp = async (libraryId: string, queueId: string) => {
      const formId = await createForm(libraryId, { fields });
      const l = await createLibrarian(libraryId, "Reference Desk");
      const cookie = await signIn(l);
      await monitorQueue(queueId, cookie);
      return { formId, cookie };
    };
    const s = await setUp(short.id, short.queueId);
    const lg = await setUp(long.id, long.queueId);
    const old = await endedChat(s.cookie, s.formId, { name: "Ada Lovelace", email: "ada@patron.test", card: "2100012345" });
    const young = await endedChat(s.cookie, s.formId, { name: "Grace Hopper", email: "grace@patron.test", card: "2100067890" });
    const keptLonger = await endedChat(lg.cookie, lg.formId, { name: "Alan Turing", email: "alan@patron.test", card: "2100011111" });
    // Still being served, and old: a live chat is never scrubbed.
    const live = await startChat(s.formId, { name: "Live Patron", email: "live@patron.test" });
    expect((await accept(live.sessionId, s.cookie)).status).toBe(200);

    // Time: the scrub runs 31 days from now. "young" was created 2 days later than the others.
    const now = Date.now();
    const at = now + 31 * DAY;
    await env.DB.prepare("UPDATE chat_sessions SET created_at = ? WHERE id = ?").bind(now + 2 * DAY, young).run();
    const before = {
      young: { s: await sessionRow(young), q: await questionRow(young), m: await mailRow(young) },
      keptLonger: { s: await sessionRow(keptLonger), q: await questionRow(keptLonger), m: await mailRow(keptLonger) },
      live: await sessionRow(live.sessionId),
      old: { s: await sessionRow(old), q: await questionRow(old), m: await mailRow(old) },
    };
    expect(before.old.s!.patron_ip).toMatch(/\.0$/);
    expect(String(before.old.m!.raw_message)).toContain("Subject:");

    await runScrub(at);

    // The old chat: identity and everything anyone typed gone…
    const s1 = (await sessionRow(old))!;
    expect(s1).toMatchObject({ patron_name: null, patron_email: null, patron_details: "{}", patron_ip: null, user_agent: null, referrer: null, question: REMOVED_TEXT, scrubbed_at: at });
    const transcript = JSON.parse(String(s1.transcript)) as { author: { role: string; name: string }; body: string }[];
    const all = JSON.stringify(transcript) + String(s1.question);
    for (const secret of ["Ada", "Lovelace", "ada@patron.test", "2100012345", "user=42"]) expect(all).not.toContain(secret);
    expect(transcript.filter((m) => m.author.role === "patron").every((m) => m.author.name === "Patron")).toBe(true);
    expect(transcript.filter((m) => m.author.role !== "system").every((m) => m.body === REMOVED_TEXT)).toBe(true);
    // …while the shape of the conversation, librarian, codes, times and statistics stay.
    expect(transcript).toHaveLength((JSON.parse(String(before.old.s!.transcript)) as unknown[]).length);
    expect(transcript.some((m) => m.author.name === "Reference Desk" && m.author.role === "librarian")).toBe(true);
    expect(transcript.some((m) => m.author.role === "system" && m.body === "Reference Desk has joined the chat.")).toBe(true);
    const kept = ["id", "library_id", "form_id", "queue_id", "status", "librarian_id", "librarian_name", "answering_library_id", "resolution_code", "descriptive_codes", "rating", "created_at", "accepted_at", "ended_at", "transcript_opt_out"];
    for (const k of kept) expect(s1[k], k).toEqual(before.old.s![k]);
    const q1 = (await questionRow(old))!;
    expect(q1).toEqual({ ...before.old.q, patron_name: null, patron_email: null, question: REMOVED_TEXT });
    const m1 = (await mailRow(old))!;
    expect(m1).toEqual({ ...before.old.m, to_address: "[e-mail removed]", subject: REMOVED_TEXT, text_body: "", html_body: "", raw_message: null });

    // The chat's Durable Object kept its own copy of the conversation: past retention it is erased
    // entirely (the question keeps the scrubbed transcript in D1).
    expect((await call(`/api/chats/${old}/transcript`, { cookie: s.cookie })).status).toBe(404);
    expect(await runInDurableObject(sessionStub(old), (_obj, state) => state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'").toArray())).toEqual([]);
    expect(JSON.stringify(await transcriptOf(young, s.cookie))).toContain("Grace Hopper");

    // Everything younger than its library's period, or still live, is untouched.
    expect({ s: await sessionRow(young), q: await questionRow(young), m: await mailRow(young) }).toEqual(before.young);
    expect({ s: await sessionRow(keptLonger), q: await questionRow(keptLonger), m: await mailRow(keptLonger) }).toEqual(before.keptLonger);
    expect(await sessionRow(live.sessionId)).toEqual(before.live);

    // The run is recorded with counts only, per library, and each library's administrators see theirs.
    const run = await env.DB.prepare("SELECT * FROM scrub_runs ORDER BY id DESC LIMIT 1").first<Record<string, unknown>>();
    expect(run).toMatchObject({ scheduled_at: at, sessions_scrubbed: 1, questions_scrubbed: 1, mails_scrubbed: 1, error: null });
    expect(run!.finished_at).not.toBeNull();
    const shortView = await json<{ retentionDays: number; runs: Record<string, unknown>[] }>(await admin(`/libraries/${short.id}/privacy`, shortAdmin.cookie));
    expect(shortView.retentionDays).toBe(DEFAULT_RETENTION_DAYS);
    expect(shortView.runs[0]).toMatchObject({ scheduledAt: at, ok: true, sessionsScrubbed: 1, questionsScrubbed: 1, mailsScrubbed: 1, cutoff: at - DEFAULT_RETENTION_DAYS * DAY });
    const longView = await json<{ runs: Record<string, unknown>[] }>(await admin(`/libraries/${long.id}/privacy`, longAdmin.cookie));
    expect(longView.runs[0]).toMatchObject({ scheduledAt: at, sessionsScrubbed: 0, questionsScrubbed: 0, mailsScrubbed: 0 });

    // Running again the same day changes nothing more.
    const scrubbed = await sessionRow(old);
    await runScrub(at + 60_000);
    expect(await sessionRow(old)).toEqual(scrubbed);
    expect(await env.DB.prepare("SELECT sessions_scrubbed, questions_scrubbed, mails_scrubbed FROM scrub_runs ORDER BY id DESC LIMIT 1").first()).toEqual({ sessions_scrubbed: 0, questions_scrubbed: 0, mails_scrubbed: 0 });

    // Once the longer period has passed too, that library's chat goes the same way.
    await runScrub(now + 61 * DAY);
    expect(await sessionRow(keptLonger)).toMatchObject({ patron_name: null, patron_email: null, scrubbed_at: now + 61 * DAY });
  });
});
