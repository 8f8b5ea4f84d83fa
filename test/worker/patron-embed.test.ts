/**
 * What the Qwidget asks of the server: the status a loader fetches on every
 * page view (availability, the form, the library's colours and fallback), and
 * the rule that only sites the library allows may embed its chat — at the
 * status, when a chat starts, on the patron's socket and on leaving a question.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { EmbedStatus } from "../../src/shared/api";
import { EMAIL_HELP } from "../../src/shared/forms";
import { call, closeSocket, countRows, createForm, createLibrary, startChat, staffedLibrary, upgrade } from "./helpers";

const ALLOWED = "https://www.riverside.test";
const status = (query: string, origin?: string) => call(`/api/embed/status?${query}`, { headers: origin ? { Origin: origin } : {} });

async function riverside() {
  const library = await createLibrary({
    name: "Riverside Public Library",
    brandColor: "#7a1f1f",
    allowedOrigins: [ALLOWED],
    unavailableMessage: "Our librarians are away.",
    phone: "+1 555 0100",
    waitLimitSeconds: 240,
  });
  const formId = await createForm(library.id, { fields: [{ id: "affiliation", label: "Affiliation", kind: "select", required: true, options: ["Student", "Staff"] }] });
  await env.DB.prepare("UPDATE forms SET title = 'Ask Riverside', intro = 'We answer fast.' WHERE id = ?").bind(formId).run();
  return { library, formId };
}

describe("GET /api/embed/status", () => {
  it("describes the form, the library and its fallback, and says chat is unavailable when nobody monitors", async () => {
    const { formId } = await riverside();
    const res = await status(`form=${formId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect((await res.json()) as EmbedStatus).toEqual({
      form: {
        id: formId,
        title: "Ask Riverside",
        intro: "We answer fast.",
        fields: [
          { id: "name", label: "Your name", kind: "text", required: false },
          { id: "email", label: "Your e-mail", kind: "email", required: false, help: EMAIL_HELP },
          { id: "affiliation", label: "Affiliation", kind: "select", required: true, options: ["Student", "Staff"] },
        ],
      },
      language: { tag: "en", dir: "ltr", offered: [{ tag: "en", name: "English" }] },
      launcher: { label: "Ask a librarian", online: "Chat with a librarian", onlineNote: "Online now", offline: "Ask a librarian", offlineNote: "Chat offline" },
      library: { name: "Riverside Public Library", brandColor: "#7a1f1f", brandText: "#ffffff" },
      available: false,
      waitLimitSeconds: 240,
      alternatives: { message: "Our librarians are away.", email: "ask@library.test", phone: "+1 555 0100", hours: null, links: [] },
      chatMethod: "chat",
    } satisfies EmbedStatus);
  });

  it("says chat is available while a librarian monitors the form's queue, and not once they stop", async () => {
    const { formId, monitors } = await staffedLibrary(1);
    expect(((await (await status(`form=${formId}`)).json()) as EmbedStatus).available).toBe(true);
    await closeSocket(monitors[0]!, 1000);
    expect(((await (await status(`form=${formId}`)).json()) as EmbedStatus).available).toBe(false);
  });

  it("finds a library's own chat form from the library's id", async () => {
    const { library, formId } = await riverside();
    // A turned-off form does not count.
    await env.DB.prepare("INSERT INTO forms (id, library_id, queue_id, title, enabled, created_at) VALUES (?, ?, ?, 'Old form', 0, 0)").bind(`old-${formId}`, library.id, library.queueId).run();
    const res = await status(`library=${library.id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as EmbedStatus).form.id).toBe(formId);
  });

  it("refuses bad, missing and turned-off forms with clear errors", async () => {
    const library = await createLibrary({ name: "Quiet Library" });
    const off = await createForm(library.id, { enabled: false });
    const cases: [string, number, string, string][] = [
      ["", 400, "validation_failed", "form"],
      ["form=a&library=b", 400, "validation_failed", "form"],
      ["form=../etc", 400, "validation_failed", "form"],
      ["form=no-such-form", 404, "not_found", "form"],
      [`library=${library.id}`, 404, "not_found", "library"],
      [`form=${off}`, 410, "not_found", "form"],
    ];
    for (const [query, code, errorCode, field] of cases) {
      const res = await status(query);
      expect(res.status, query).toBe(code);
      const body = (await res.json()) as { error: { code: string; field: string; message: string } };
      expect(body.error, query).toMatchObject({ code: errorCode, field });
      expect(body.error.message.length, query).toBeGreaterThan(5);
    }
  });

  it("answers only sites the library allows, and lets a refused site read why", async () => {
    const { formId } = await riverside();
    const allowed = await status(`form=${formId}`, ALLOWED);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(ALLOWED);

    const refused = await status(`form=${formId}`, "https://copycat.test");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBe("https://copycat.test");
    expect(await refused.json()).toEqual({ error: { code: "forbidden", message: "This library has not allowed https://copycat.test to embed its chat.", field: "origin" } });
    // Our own pages may always ask.
    expect((await status(`form=${formId}`, "https://refdesk.test")).status).toBe(200);
  });
});

describe("embedding origins for a chat in progress", () => {
  it("lets the patron's socket connect only from the library's own sites", async () => {
    const { formId } = await riverside();
    const chat = await startChat(formId, { fields: { affiliation: "Student" } });
    const refused = await upgrade(`/api/chats/${chat.sessionId}/socket`, { headers: { Origin: "https://copycat.test" } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { field: string } }).error.field).toBe("origin");
    const allowed = await upgrade(`/api/chats/${chat.sessionId}/socket`, { headers: { Origin: ALLOWED } });
    expect(allowed.status).toBe(101);
    allowed.webSocket!.accept();
    allowed.webSocket!.close(1000);
  });

  it("refuses leaving a question from another site and changes nothing", async () => {
    const { formId } = await riverside();
    const chat = await startChat(formId, { fields: { affiliation: "Staff" } });
    expect(chat.status).toBe("unavailable");
    const leave = (origin: string) =>
      call(`/api/chats/${chat.sessionId}/leave-question`, { method: "POST", headers: { Authorization: `Bearer ${chat.token}`, Origin: origin }, json: { email: "pat@patron.test" } });
    const refused = await leave("https://copycat.test");
    expect(refused.status).toBe(403);
    expect(await countRows("SELECT 1 FROM questions WHERE session_id = ?", chat.sessionId)).toBe(0);
    const allowed = await leave(ALLOWED);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(await countRows("SELECT 1 FROM questions WHERE session_id = ?", chat.sessionId)).toBe(1);
  });
});
