/**
 * Any legal chat files. A chat stops growing at SESSION_CAPS (messages and
 * bytes), with a clear refusal and a note to both sides; and the largest chat
 * the caps allow — written with the characters that grow most when escaped —
 * is filed, mailed through the real send_email binding, and fits D1's limits
 * (2,000,000 bytes per value and per row) with room to spare.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { deliverMail } from "../../src/mail/outbox";
import { transcriptMailKey } from "../../src/questions/file-session";
import { MESSAGE_RATE, SESSION_CAPS } from "../../src/shared/limits";
import { activeChat, endChat, sendMessage, sessionStub, type SessionSocket } from "./helpers";

const D1_VALUE_BYTES = 2_000_000;
/** Characters that grow most when escaped: quotes in JSON, angle brackets and line breaks in HTML; accents for multi-byte UTF-8. */
const WORST = '<"é\n&';

describe("the largest chat the caps allow", () => {
  it("refuses what does not fit, tells both sides once, and still files and mails the whole chat within D1's limits", async () => {
    const { chat, patron, librarian, cookie } = await activeChat({ patron: { email: "caps@patron.test", name: "Ada" } });
    const advance = (ms: number) => runInDurableObject(sessionStub(chat.sessionId), (obj) => obj.clock.advance(ms));
    // Fill the log to its byte cap with as many messages as fit, alternating authors, within each author's rate.
    const perMessage = Math.ceil(SESSION_CAPS.textBytes / (SESSION_CAPS.messages - 10));
    const body = WORST.repeat(Math.ceil(perMessage / 6)).slice(0, Math.max(1, Math.floor(perMessage / 1.2)));
    let sent = 0;
    let refused: unknown = null;
    for (let i = 0; refused === null && i < SESSION_CAPS.messages + 10; i++) {
      const from: SessionSocket = i % 2 ? librarian : patron;
      if (i % (2 * MESSAGE_RATE.burst) === 2 * MESSAGE_RATE.burst - 1) await advance(MESSAGE_RATE.refillMs);
      const before = from.frames.length;
      from.send({ type: "send", clientId: `c-${i}`, body });
      const answer = await from.nextFrom((f) => (f.type === "ack" && f.clientId === `c-${i}`) || (f.type === "error" && f.clientId === `c-${i}`), before);
      if (answer.type === "error") refused = answer;
      else sent++;
    }
    expect(refused).toMatchObject({ type: "error", code: "too_large", clientId: expect.any(String) });
    expect(sent).toBeGreaterThan(SESSION_CAPS.messages / 2);
    // Both sides see the note once.
    const note = (s: SessionSocket) => s.next((f) => f.type === "message" && f.message.body.startsWith("This chat has reached its length limit"));
    await Promise.all([note(patron), note(librarian)]);
    const more = await sendMessage(patron, "after-full", "hello?").catch(() => null);
    expect(more).toBeNull();

    // Stored: within the caps (system lines may use their headroom).
    const size = await runInDurableObject(sessionStub(chat.sessionId), (_obj, state) =>
      state.storage.sql.exec<{ n: number; b: number }>("SELECT COUNT(*) AS n, SUM(length(CAST(body AS BLOB))) AS b FROM messages").one(),
    );
    expect(size.n).toBeLessThanOrEqual(SESSION_CAPS.messages + SESSION_CAPS.systemMessages);
    expect(size.b).toBeLessThanOrEqual(SESSION_CAPS.textBytes + SESSION_CAPS.systemBytes);
    expect(size.b).toBeGreaterThan(SESSION_CAPS.textBytes * 0.9);

    // Filed and mailed, every stored value and row well within D1's limits.
    const ended = await endChat(chat.sessionId, cookie, { resolution: "answered", descriptiveCodes: [] });
    expect(await ended.json()).toEqual({ ended: true, filed: true });
    expect(await deliverMail(env, transcriptMailKey(chat.sessionId))).toBe("sent");
    const transcript = await env.DB.prepare("SELECT length(CAST(transcript AS BLOB)) AS bytes, json_array_length(transcript) AS messages FROM chat_sessions WHERE id = ?")
      .bind(chat.sessionId)
      .first<{ bytes: number; messages: number }>();
    // Everything stored, and the "ended the chat" line after it.
    expect(transcript!.messages).toBe(size.n + 1);
    expect(transcript!.bytes).toBeLessThan(D1_VALUE_BYTES / 2);
    const mail = await env.DB.prepare(
      "SELECT status, length(CAST(text_body AS BLOB)) + length(CAST(html_body AS BLOB)) + length(CAST(raw_message AS BLOB)) AS row_bytes, length(CAST(raw_message AS BLOB)) AS raw FROM mail_outbox WHERE event_key = ?",
    )
      .bind(transcriptMailKey(chat.sessionId))
      .first<{ status: string; row_bytes: number; raw: number }>();
    expect(mail!.status).toBe("sent");
    expect(mail!.raw).toBeGreaterThan(size.b);
    expect(mail!.row_bytes).toBeLessThan(D1_VALUE_BYTES * 0.75);
  });
});
