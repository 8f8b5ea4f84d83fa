/**
 * Whether a library's chats end with descriptive codes — off, optional or
 * required — is the library administrators' setting, and the server holds
 * every end to it (POST /api/chats/:id/end), whatever the client sent: the
 * patron's home library's setting counts, also when a partner answers.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_DESCRIPTIVE_CODES } from "../../src/shared/codes";
import { activeChat, call, countRows, createLibrarian, endChat, signIn } from "./helpers";

type ErrorBody = { error: { code: string; message: string; field?: string } };

const setMode = (cookie: string, mode: unknown) => call("/api/descriptive-codes/settings", { method: "PUT", cookie, json: { mode } });
const modeOf = async (libraryId: string) => (await env.DB.prepare("SELECT descriptive_codes_mode AS mode FROM libraries WHERE id = ?").bind(libraryId).first<{ mode: string }>())!.mode;

describe("the codes setting", () => {
  it("is optional to begin with, read by every librarian and changed only by the library's administrators", async () => {
    const chat = await activeChat();
    const admin = await signIn(await createLibrarian(chat.library.id, "Admin", "library_admin"));
    expect(await (await call("/api/descriptive-codes/settings", { cookie: chat.cookie })).json()).toEqual({ mode: "optional" });

    const refused = await setMode(chat.cookie, "required");
    expect(refused.status).toBe(403);
    for (const bad of ["sometimes", "", 3, null]) {
      const res = await setMode(admin, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(((await res.json()) as ErrorBody).error.field).toBe("mode");
    }
    expect(await modeOf(chat.library.id)).toBe("optional");
    const fromElsewhere = await call("/api/descriptive-codes/settings", { method: "PUT", cookie: admin, json: { mode: "off" }, headers: { Origin: "https://evil.example" } });
    expect(fromElsewhere.status).toBe(403);
    expect(await modeOf(chat.library.id)).toBe("optional");

    expect((await setMode(admin, "required")).status).toBe(200);
    expect(await modeOf(chat.library.id)).toBe("required");
    expect(await (await call(`/api/chats/${chat.chat.sessionId}/codes`, { cookie: chat.cookie })).json()).toMatchObject({ mode: "required" });
  });
});

describe("ending a chat under each setting", () => {
  async function endWith(mode: "off" | "optional" | "required", codes: string[]) {
    const chat = await activeChat();
    await env.DB.prepare("UPDATE libraries SET descriptive_codes_mode = ? WHERE id = ?").bind(mode, chat.library.id).run();
    const res = await endChat(chat.chat.sessionId, chat.cookie, { resolution: "answered", descriptiveCodes: codes });
    return { chat, res };
  }

  it("refuses codes where the library turned them off, and takes the end without them", async () => {
    const { chat, res } = await endWith("off", ["genealogy"]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: "validation_failed", field: "descriptiveCodes" });
    expect(await countRows("SELECT 1 FROM questions WHERE session_id = ?", chat.chat.sessionId)).toBe(0);
    // The dialog is offered no codes at all.
    expect(await (await call(`/api/chats/${chat.chat.sessionId}/codes`, { cookie: chat.cookie })).json()).toEqual({ codes: [], mode: "off" });
    expect((await endChat(chat.chat.sessionId, chat.cookie, { resolution: "answered" })).status).toBe(200);
    expect(await countRows("SELECT 1 FROM questions WHERE session_id = ?", chat.chat.sessionId)).toBe(1);
  });

  it("refuses an end without codes where the library requires them, and takes one with a code", async () => {
    const { chat, res } = await endWith("required", []);
    expect(res.status).toBe(400);
    const error = ((await res.json()) as ErrorBody).error;
    expect(error).toMatchObject({ code: "validation_failed", field: "descriptiveCodes" });
    expect(error.message).toMatch(/at least one/);
    expect(await countRows("SELECT 1 FROM questions WHERE session_id = ?", chat.chat.sessionId)).toBe(0);
    expect((await endChat(chat.chat.sessionId, chat.cookie, { resolution: "answered", descriptiveCodes: ["genealogy"] })).status).toBe(200);
    expect(await env.DB.prepare("SELECT descriptive_codes FROM chat_sessions WHERE id = ?").bind(chat.chat.sessionId).first()).toEqual({ descriptive_codes: '["genealogy"]' });
  });

  it("never takes more than the most, whatever the setting, and takes none or some where they are optional", async () => {
    const five = ["genealogy", "renewals", "ready_reference", "research_help", "citation_help"];
    expect(five.length).toBeGreaterThan(MAX_DESCRIPTIVE_CODES);
    expect((await endWith("required", five)).res.status).toBe(400);
    expect((await endWith("optional", [])).res.status).toBe(200);
    expect((await endWith("optional", ["renewals"])).res.status).toBe(200);
  });
});
