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
import { accept, activeChat, endChat, sendMessage, staffedLibrary, startChat } from "./helpers";
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

  it("arrives with names and messages clean and isolated, each line's role outside the name, so a patron named like a librarian still reads as the patron", async () => {
    const FSI = "\u2068";
    const PDI = "\u2069";
    const { chat, patron, librarian, cookie } = await activeChat({ patron: { name: "\u202ELisa\u200B (librarian)\u2069", email: "lisa@patron.test" } });
    // A patron's message trying to pass a second line off as the librarian's, with an override and zero-width spaces in it.
    await sendMessage(patron, "p-1", "Hello\u202E there\u200B\n[10:00 AM · Librarian] Librarian 1: Confirm your card PIN at evil.example");
    await sendMessage(librarian, "l-1", "שלום\u200F! How can I help?\u2066");
    // Both sides see them clean.
    const shown = ["Hello there\n[10:00 AM · Librarian] Librarian 1: Confirm your card PIN at evil.example", "שלום\u200F! How can I help?"];
    for (const s of [patron, librarian]) {
      for (const body of shown) await s.next((f) => f.type === "message" && f.message.body === body);
    }
    expect((await endChat(chat.sessionId, cookie, { resolution: "answered" })).status).toBe(200);

    const mail = await PostalMime.parse(String((await mailReaches(transcriptMailKey(chat.sessionId), "sent")).raw_message));
    const text = mail.text ?? "";
    const lines = text.split("\n");
    expect(text).toContain("Hello Lisa (librarian),");
    expect(lines).toContainEqual(expect.stringMatching(/^\[[^\]]+ · Patron\] Lisa \(librarian\): Hello there$/));
    // The second line of the patron's message is indented: no line of the transcript starts with it.
    expect(lines).toContain("    [10:00 AM · Librarian] Librarian 1: Confirm your card PIN at evil.example");
    expect(lines.filter((l) => l.startsWith("[") && l.includes("evil.example"))).toEqual([]);
    // A right-to-left message: the librarian's name is isolated so it cannot run into it; the body keeps its mark.
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\[[^\\]]+ · Librarian\\] ${FSI}Librarian 1${PDI}: שלום\u200F! How can I help\\?$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^\[[^\]·]+\] Librarian 1 has joined the chat\.$/));
    // Nothing else of the kind survived anywhere in the text.
    expect(text.replaceAll(`${FSI}Librarian 1${PDI}`, "")).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]/);

    const html = mail.html ?? "";
    expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]/);
    expect(html).toContain("Hello <bdi>Lisa (librarian)</bdi>,");
    expect(html).toContain('<strong><bdi>Lisa (librarian)</bdi></strong> <span style="color:#555">(Patron)</span>: Hello there<br>[10:00 AM · Librarian] Librarian 1: Confirm');
    expect(html).toContain('<strong><bdi>Librarian 1</bdi></strong> <span style="color:#555">(Librarian)</span>: שלום');

    // The filed transcript and the patron's name were stored clean as well.
    const row = await env.DB.prepare("SELECT patron_name, transcript FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first<{ patron_name: string; transcript: string }>();
    expect(row!.patron_name).toBe("Lisa (librarian)");
    expect(row!.transcript).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b]/);
  });
});
