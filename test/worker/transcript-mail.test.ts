/**
 * The transcript mail at the end of a chat: sent only when the patron gave an
 * address and did not opt out (and the resolution code mails transcripts), in
 * the library's own wording and under its own sender name.
 */
import { env } from "cloudflare:test";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { transcriptMailKey } from "../../src/questions/file-session";
import { ROUTING } from "../../src/questions/routing";
import { RESOLUTION_CODES, type ResolutionCode } from "../../src/shared/codes";
import { accept, endChat, staffedLibrary, startChat } from "./helpers";
import { mailReaches } from "./question-fixtures";

async function endedChat(patron: Record<string, unknown>, resolution: ResolutionCode = "answered", library: { template?: string; sender?: string } = {}) {
  const staffed = await staffedLibrary(1);
  await env.DB.prepare("UPDATE libraries SET name = ?, transcript_template = ?, mail_sender_name = ? WHERE id = ?")
    .bind("Springfield Public Library", library.template ?? null, library.sender ?? null, staffed.library.id)
    .run();
  const chat = await startChat(staffed.formId, { question: "Do you have Ohio census records?", ...patron });
  expect((await accept(chat.sessionId, staffed.cookies[0])).status).toBe(200);
  expect((await endChat(chat.sessionId, staffed.cookies[0], { resolution })).status).toBe(200);
  return chat.sessionId;
}

const outboxRow = (sessionId: string) => env.DB.prepare("SELECT * FROM mail_outbox WHERE event_key = ?").bind(transcriptMailKey(sessionId)).first<Record<string, string>>();
const filed = async (sessionId: string) => (await env.DB.prepare("SELECT COUNT(*) AS n FROM questions WHERE session_id = ?").bind(sessionId).first<{ n: number }>())!.n;

describe("the transcript mail", () => {
  it("uses the library's template, filling every placeholder and leaving unknown ones as written, under its sender name", async () => {
    const template = "Dear {{patronName}}, {{librarianName}} of {{libraryName}} chatted with you on {{date}} about: {{question}} {{unknown}}";
    const sessionId = await endedChat({ name: "Ada", email: "ada@patron.test" }, "answered", { template, sender: "Springfield Answers" });
    const row = await mailReaches(transcriptMailKey(sessionId), "sent");
    const mail = await PostalMime.parse(String(row.raw_message));
    expect(mail.from).toMatchObject({ address: env.MAIL_FROM, name: "Springfield Answers" });
    expect(mail.to?.[0]?.address).toBe("ada@patron.test");
    const date = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", dateStyle: "long" }).format(Date.now());
    expect(mail.text).toContain(`Dear Ada, Librarian 1 of Springfield Public Library chatted with you on ${date} about: Do you have Ohio census records? {{unknown}}`);
    expect(mail.text).toContain("Librarian 1 has joined the chat.");
  });

  it("falls back to the default wording and the library's name as sender", async () => {
    const sessionId = await endedChat({ email: "anon@patron.test" });
    const mail = await PostalMime.parse(String((await mailReaches(transcriptMailKey(sessionId), "sent")).raw_message));
    expect(mail.from?.name).toBe("Springfield Public Library");
    expect(mail.text).toContain("Hello there,");
    expect(mail.text).toContain("Thank you for chatting with Springfield Public Library.");
  });

  it("is not sent when the patron opted out, though the question is filed", async () => {
    const sessionId = await endedChat({ name: "Ada", email: "ada@patron.test", noTranscript: true });
    expect(await filed(sessionId)).toBe(1);
    expect(await outboxRow(sessionId)).toBeNull();
  });

  it("is not sent when the patron gave no address", async () => {
    const sessionId = await endedChat({ name: "Ada" });
    expect(await filed(sessionId)).toBe(1);
    expect(await outboxRow(sessionId)).toBeNull();
  });

  // Practice sessions are not real patrons, and spam gets no reply.
  const MAILED: Record<ResolutionCode, boolean> = { answered: true, followup_by_me: true, followup_by_library: true, lost_call: true, practice: false, spam: false };

  it.each(RESOLUTION_CODES.map((r) => r.code))("after a chat ended as %s: as the routing table says", async (code) => {
    expect(ROUTING[code].mailTranscript).toBe(MAILED[code]);
    const sessionId = await endedChat({ email: "ada@patron.test" }, code);
    expect(!!(await outboxRow(sessionId))).toBe(MAILED[code]);
  });
});
