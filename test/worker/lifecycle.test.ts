import { env } from "cloudflare:test";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { deliverMail } from "../../src/mail/outbox";
import { transcriptMailKey } from "../../src/questions/file-session";
import type { QueueServerMessage, SessionServerMessage } from "../../src/shared/protocol";
import { call, librarianSocket, patronSocket, staffedLibrary, startChat } from "./helpers";

type MessageFrame = Extract<SessionServerMessage, { type: "message" }>;
const isMessage = (body: string) => (f: SessionServerMessage) => f.type === "message" && f.message.body === body;

describe("a whole chat, from question to filed transcript", () => {
  it("connects a patron and a librarian, keeps waiting messages, ends with codes, files and mails the transcript", async () => {
    const { library, formId, cookies, monitors, librarians } = await staffedLibrary(1);
    const [monitor] = monitors;

    const started = await startChat(formId, { name: "Ada <b>Patron</b>", email: "ada@patron.test" });
    expect(started.res.status).toBe(201);
    expect(started.status).toBe("waiting");

    // Every monitoring librarian sees the request live.
    const added = (await monitor!.next((f) => f.type === "request.added")) as Extract<QueueServerMessage, { type: "request.added" }>;
    expect(added.request.sessionId).toBe(started.sessionId);
    expect(added.request.question).toBe("Where can I find census records?");

    // The patron adds detail while waiting; the queue shows it as a preview.
    const patron = await patronSocket(started.sessionId, started.token);
    patron.send({ type: "send", clientId: "p-1", body: "Specifically 1880, Ohio." });
    const ack = await patron.next((f) => f.type === "ack");
    expect(ack).toMatchObject({ type: "ack", clientId: "p-1", seq: 2, duplicate: false });
    const updated = (await monitor!.next((f) => f.type === "request.updated")) as Extract<QueueServerMessage, { type: "request.updated" }>;
    expect(updated.request.preview).toEqual(["Specifically 1880, Ohio."]);

    // Accept: the librarian is connected and the queue row disappears.
    const accept = await call(`/api/chats/${started.sessionId}/accept`, { method: "POST", cookie: cookies[0] });
    expect(accept.status, await accept.clone().text()).toBe(200);
    const removed = await monitor!.next((f) => f.type === "request.removed");
    expect(removed).toMatchObject({ reason: "accepted", by: { id: librarians[0]!.id } });
    const joined = await patron.next(isMessage("Librarian 1 has joined the chat."));
    expect(joined.type).toBe("message");

    // The librarian sees everything the patron wrote while waiting.
    const librarian = await librarianSocket(started.sessionId, cookies[0]!);
    const seen = librarian.frames.filter((f): f is MessageFrame => f.type === "message").map((f) => f.message.body);
    expect(seen.slice(0, 2)).toEqual(["Where can I find census records?", "Specifically 1880, Ohio."]);

    // They chat in real time, both directions, with typing indicators.
    librarian.send({ type: "typing", active: true });
    expect(await patron.next((f) => f.type === "typing")).toMatchObject({ role: "librarian", active: true });
    librarian.send({ type: "send", clientId: "l-1", body: "Try https://www.census.gov/ — it has the 1880 schedules." });
    await patron.next(isMessage("Try https://www.census.gov/ — it has the 1880 schedules."));
    patron.send({ type: "send", clientId: "p-2", body: "Thank you!" });
    await librarian.next(isMessage("Thank you!"));

    // End with a resolution code and descriptive codes.
    const end = await call(`/api/chats/${started.sessionId}/end`, {
      method: "POST",
      cookie: cookies[0],
      json: { resolution: "answered", descriptiveCodes: ["genealogy", "government_info"], note: "Pointed to census.gov" },
    });
    expect(end.status, await end.clone().text()).toBe(200);
    expect(await end.json()).toEqual({ ended: true, filed: true });
    expect((await patron.closed).code).toBe(4000);

    // The transcript is in D1, and filed as an answered question assigned to the librarian.
    const row = await env.DB.prepare("SELECT * FROM chat_sessions WHERE id = ?").bind(started.sessionId).first<Record<string, string>>();
    expect(row).toMatchObject({ status: "ended", resolution_code: "answered", librarian_id: librarians[0]!.id });
    expect(JSON.parse(row!.descriptive_codes!)).toEqual(["genealogy", "government_info"]);
    const transcript = JSON.parse(row!.transcript!) as { seq: number; body: string }[];
    expect(transcript.map((m) => m.seq)).toEqual(transcript.map((_, i) => i + 1));
    expect(transcript.map((m) => m.body)).toContain("Thank you!");
    const question = await env.DB.prepare("SELECT * FROM questions WHERE session_id = ?").bind(started.sessionId).first<Record<string, unknown>>();
    expect(question).toMatchObject({ library_id: library.id, status: "answered", assigned_to: librarians[0]!.id, source: "chat" });

    // Exactly one transcript mail: deliver it through the real binding and parse what was sent.
    expect(await deliverMail(env, transcriptMailKey(started.sessionId))).toBe("sent");
    expect(await deliverMail(env, transcriptMailKey(started.sessionId))).toBe("already_sent");
    const mails = await env.DB.prepare("SELECT * FROM mail_outbox WHERE question_id = ?").bind(question!.id).all<Record<string, string>>();
    expect(mails.results).toHaveLength(1);
    const parsed = await PostalMime.parse(mails.results[0]!.raw_message!);
    expect(parsed.to?.[0]?.address).toBe("ada@patron.test");
    expect(parsed.replyTo?.[0]?.address).toBe("ask@library.test");
    expect(parsed.subject).toContain("Your chat with Test Library");
    expect(parsed.text).toContain("Specifically 1880, Ohio.");
    expect(parsed.text).toContain("Thank you!");
    // The patron's name is escaped in HTML, never markup.
    expect(parsed.html).toContain("Ada &lt;b&gt;Patron&lt;/b&gt;");
    expect(parsed.html).not.toContain("<b>Patron</b>");
    expect(parsed.headers.find((h) => h.key === "auto-submitted")?.value).toBe("auto-generated");
  });
});
