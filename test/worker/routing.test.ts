/**
 * Where a transcript goes when a session ends: each resolution code files the
 * question at the patron's home library exactly as src/questions/routing.ts
 * says, and queues the transcript mail only when the rule, the patron's
 * address and their opt-out allow. Ending twice files once.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fileEndedSession, questionIdFor, transcriptMailKey, type EndedSession } from "../../src/questions/file-session";
import { ROUTING, unansweredResolution } from "../../src/questions/routing";
import { groupQueueId } from "../../src/queues/queue-ids";
import { DEFAULT_DESCRIPTIVE_CODES, RESOLUTION_CODE_VALUES, type ResolutionCode } from "../../src/shared/codes";
import {
  accept,
  activeChat,
  countRows,
  createForm,
  createGroup,
  createLibrarian,
  createLibrary,
  endChat,
  eventually,
  monitorQueue,
  patronSocket,
  sessionView,
  signIn,
  staffedLibrary,
  startChat,
  uniqueId,
} from "./helpers";

interface QuestionRow {
  id: string;
  library_id: string;
  session_id: string;
  source: string;
  status: string;
  assigned_to: string | null;
  hidden: number;
  exclude_from_stats: number;
  patron_email: string | null;
}

const questionOf = (sessionId: string) => env.DB.prepare("SELECT * FROM questions WHERE session_id = ?").bind(sessionId).first<QuestionRow>();
const mailRowsOf = (sessionId: string) => countRows("SELECT 1 FROM mail_outbox WHERE event_key = ?", transcriptMailKey(sessionId));
const filedEventsOf = (sessionId: string) => countRows("SELECT 1 FROM question_events WHERE question_id = ? AND action = 'filed'", questionIdFor(sessionId));

function expectFiledPerRule(q: QuestionRow | null, code: ResolutionCode, librarianId: string | null): void {
  const rule = ROUTING[code];
  expect(q, `no question filed for ${code}`).not.toBeNull();
  expect({ status: q!.status, assigned_to: q!.assigned_to, hidden: q!.hidden === 1, exclude_from_stats: q!.exclude_from_stats === 1 }).toEqual({
    status: rule.status,
    assigned_to: rule.assignToLibrarian ? librarianId : null,
    hidden: rule.hidden,
    exclude_from_stats: rule.excludeFromStats,
  });
}

describe("each resolution code", () => {
  it.each(RESOLUTION_CODE_VALUES)("files '%s' per its rule and mails the transcript only if the rule says so", async (code) => {
    const { chat, library, cookie, serving } = await activeChat({ patron: { name: "Pat", email: "pat@patron.test" } });
    const res = await endChat(chat.sessionId, cookie, { resolution: code, descriptiveCodes: [DEFAULT_DESCRIPTIVE_CODES[0]!.code] });
    expect(res.status, await res.clone().text()).toBe(200);

    const q = await questionOf(chat.sessionId);
    expectFiledPerRule(q, code, serving.id);
    expect(q).toMatchObject({ library_id: library.id, source: "chat", patron_email: "pat@patron.test" });
    expect(await filedEventsOf(chat.sessionId)).toBe(1);
    expect(await mailRowsOf(chat.sessionId)).toBe(ROUTING[code].mailTranscript ? 1 : 0);
    const session = await env.DB.prepare("SELECT resolution_code, status FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first();
    expect(session).toEqual({ resolution_code: code, status: "ended" });
  });

  it.each(RESOLUTION_CODE_VALUES.filter((c) => ROUTING[c].mailTranscript))("queues no mail for '%s' when the patron gave no address", async (code) => {
    const { chat, cookie, serving } = await activeChat();
    expect((await endChat(chat.sessionId, cookie, { resolution: code })).status).toBe(200);
    expectFiledPerRule(await questionOf(chat.sessionId), code, serving.id);
    expect(await mailRowsOf(chat.sessionId)).toBe(0);
  });

  it.each(RESOLUTION_CODE_VALUES.filter((c) => ROUTING[c].mailTranscript))("queues no mail for '%s' when the patron opted out (noTranscript)", async (code) => {
    const { chat, cookie, serving } = await activeChat({ patron: { email: "private@patron.test", noTranscript: true } });
    expect((await endChat(chat.sessionId, cookie, { resolution: code })).status).toBe(200);
    expectFiledPerRule(await questionOf(chat.sessionId), code, serving.id);
    expect(await mailRowsOf(chat.sessionId)).toBe(0);
  });
});

describe("ending twice", () => {
  it("changes nothing: one question, one 'filed' event, one mail", async () => {
    const { chat, cookie } = await activeChat({ patron: { email: "twice@patron.test" } });
    const body = { resolution: "answered" as const, descriptiveCodes: [DEFAULT_DESCRIPTIVE_CODES[1]!.code], note: "Sent the link" };
    expect(await (await endChat(chat.sessionId, cookie, body)).json()).toEqual({ ended: true, filed: true });
    const question = await questionOf(chat.sessionId);
    const session = await env.DB.prepare("SELECT * FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first();

    const again = await Promise.all([endChat(chat.sessionId, cookie, body), endChat(chat.sessionId, cookie, body)]);
    for (const res of again) expect(await res.json()).toEqual({ ended: true, filed: true });

    expect(await countRows("SELECT 1 FROM questions WHERE session_id = ?", chat.sessionId)).toBe(1);
    expect(await filedEventsOf(chat.sessionId)).toBe(1);
    expect(await mailRowsOf(chat.sessionId)).toBe(1);
    expect(await questionOf(chat.sessionId)).toEqual(question);
    expect(await env.DB.prepare("SELECT * FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first()).toEqual(session);
  });
});

describe("filing the same ended session again", () => {
  it("changes nothing, as when the chat's object retries a filing it cannot confirm", async () => {
    const library = await createLibrary();
    const librarian = await createLibrarian(library.id, "Rita");
    const sessionId = crypto.randomUUID();
    const createdAt = Date.now() - 120_000;
    await env.DB.prepare("INSERT INTO chat_sessions (id, library_id, queue_id, status, question, patron_email, created_at) VALUES (?, ?, ?, 'active', ?, ?, ?)")
      .bind(sessionId, library.id, library.queueId, "Old maps of the harbour?", "maps@patron.test", createdAt)
      .run();
    const ended: EndedSession = {
      sessionId,
      libraryId: library.id,
      question: "Old maps of the harbour?",
      patronName: "Mo",
      patronEmail: "maps@patron.test",
      transcriptOptOut: false,
      librarian: { id: librarian.id, name: librarian.name, libraryId: library.id },
      resolution: "answered",
      descriptiveCodes: [DEFAULT_DESCRIPTIVE_CODES[0]!.code],
      note: "Sent the map room's hours",
      source: "chat",
      messages: [],
      createdAt,
      acceptedAt: createdAt + 5_000,
      endedAt: createdAt + 60_000,
    };
    const rowsOf = async () => ({
      session: await env.DB.prepare("SELECT * FROM chat_sessions WHERE id = ?").bind(sessionId).first(),
      questions: (await env.DB.prepare("SELECT * FROM questions WHERE session_id = ?").bind(sessionId).all()).results,
      events: (await env.DB.prepare("SELECT * FROM question_events WHERE question_id = ?").bind(questionIdFor(sessionId)).all()).results,
      mails: (await env.DB.prepare("SELECT * FROM mail_outbox WHERE question_id = ?").bind(questionIdFor(sessionId)).all()).results,
    });

    expect(await fileEndedSession(env, ended)).toEqual({ questionId: questionIdFor(sessionId), mailQueued: true });
    const first = await rowsOf();
    expect([first.questions.length, first.events.length, first.mails.length]).toEqual([1, 1, 1]);

    await Promise.all([fileEndedSession(env, ended), fileEndedSession(env, { ...ended, endedAt: ended.endedAt + 1_000 })]);
    const again = await rowsOf();
    expect({ ...again, session: null }).toEqual({ ...first, session: null });
    // The session row is rewritten with what the object knows (the retry's own end time), nothing else.
    expect(again.session).toEqual({ ...first.session, ended_at: again.session!.ended_at });
  });
});

describe("a patron who leaves", () => {
  it.each([
    { label: "with an e-mail address", email: "waiting@patron.test", expected: "followup_by_library" },
    { label: "without an e-mail address", email: null, expected: "lost_call" },
  ] as const)("while waiting, $label, is filed as $expected", async ({ email, expected }) => {
    const { library, formId, monitors, cookies } = await staffedLibrary(1);
    const chat = await startChat(formId, email ? { email } : {});
    expect(chat.status).toBe("waiting");
    await monitors[0]!.next((f) => f.type === "request.added" && f.request.sessionId === chat.sessionId);
    const socket = await patronSocket(chat.sessionId, chat.token);

    socket.send({ type: "leave" });

    expect((await socket.closed).code).toBe(4000);
    const removed = await monitors[0]!.next((f) => f.type === "request.removed" && f.sessionId === chat.sessionId);
    expect(removed).toMatchObject({ reason: "left", by: null });
    expect(unansweredResolution(email)).toBe(expected);
    // Nobody waits on the filing (the patron has gone): it lands shortly after.
    const q = await eventually(async () => (await questionOf(chat.sessionId)) ?? undefined, 5000, "the question to be filed");
    expectFiledPerRule(q, expected, null);
    expect(q).toMatchObject({ library_id: library.id, source: "chat" });
    expect(await countRows("SELECT 1 FROM chat_sessions WHERE id = ? AND status = 'ended' AND resolution_code = ?", chat.sessionId, expected)).toBe(1);
    expect(await sessionView(chat.sessionId, cookies[0]!)).toMatchObject({ status: "ended", librarian: null });
    // Nobody can take it any more.
    expect((await accept(chat.sessionId, cookies[0])).status).toBe(409);
  });

  it("mid-chat is not filed until the librarian ends the chat with codes", async () => {
    const { chat, patron, librarian, cookie, serving } = await activeChat({ patron: { email: "gone@patron.test" } });
    patron.send({ type: "leave" });
    await librarian.next((f) => f.type === "status" && f.session.status === "patron_left");
    expect(await questionOf(chat.sessionId)).toBeNull();

    expect((await endChat(chat.sessionId, cookie, { resolution: "followup_by_me" })).status).toBe(200);
    expectFiledPerRule(await questionOf(chat.sessionId), "followup_by_me", serving.id);
  });
});

describe("cooperative service", () => {
  it("files a partner's 'Followup By Me' at the patron's home library, pending and assigned to that partner", async () => {
    const home = await createLibrary({ name: "Home Library" });
    const partner = await createLibrary({ name: "Partner Library" });
    const groupId = uniqueId("coop");
    await createGroup(groupId, "24/7 Cooperative", [home.id, partner.id]);
    // The home library's after-hours form feeds the cooperative queue.
    const formId = await createForm(home.id, { queueId: groupQueueId(groupId) });
    const partnerLibrarian = await createLibrarian(partner.id, "Partner Pat");
    const partnerCookie = await signIn(partnerLibrarian);
    const monitor = await monitorQueue(groupQueueId(groupId), partnerCookie);

    const chat = await startChat(formId, { email: "home@patron.test" });
    expect(chat.status).toBe("waiting");
    await monitor.next((f) => f.type === "request.added" && f.request.sessionId === chat.sessionId);
    expect((await accept(chat.sessionId, partnerCookie)).status).toBe(200);
    expect((await endChat(chat.sessionId, partnerCookie, { resolution: "followup_by_me" })).status).toBe(200);

    const q = await questionOf(chat.sessionId);
    expectFiledPerRule(q, "followup_by_me", partnerLibrarian.id);
    expect(q).toMatchObject({ library_id: home.id, status: "pending" });
    expect(await countRows("SELECT 1 FROM questions WHERE library_id = ?", partner.id)).toBe(0);
    expect(
      await env.DB.prepare("SELECT library_id, answering_library_id FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first(),
    ).toEqual({ library_id: home.id, answering_library_id: partner.id });
  });
});
