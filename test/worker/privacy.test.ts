/**
 * Patron privacy: a chat needs no personal data; the patron side sets no
 * cookies; IP addresses are truncated or not kept, per library; the daily
 * scrub removes exactly the identifying data of chats older than each
 * retention period (test/worker/privacy-scrub.test.ts).
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, createForm, createLibrary, startChat, upgrade } from "./helpers";
import { admin, signedIn } from "./admin-helpers";


describe("starting a chat", () => {
  it("needs no personal data at all", async () => {
    const library = await createLibrary();
    const formId = await createForm(library.id);
    const chat = await startChat(formId, {});
    expect(chat.res.status).toBe(201);
    const row = await env.DB.prepare("SELECT patron_name, patron_email, patron_details FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first();
    expect(row).toEqual({ patron_name: null, patron_email: null, patron_details: "{}" });
  });

  it("sets no cookie anywhere on the patron side", async () => {
    const library = await createLibrary();
    const formId = await createForm(library.id);
    const json1 = await call("/api/chats", { method: "POST", headers: { "cf-connecting-ip": "10.77.0.1" }, json: { formId, question: "JSON ask" } });
    const started = (await json1.clone().json()) as { sessionId: string; token: string };
    const htmlPost = await call("/api/chats", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "cf-connecting-ip": "10.77.0.2" },
      body: new URLSearchParams({ formId, question: "Form ask" }).toString(),
      redirect: "manual",
    });
    expect(htmlPost.status).toBe(303);
    const responses = {
      "home page": await call("/"),
      "hosted form": await call(`/f/${formId}`),
      "form data": await call(`/api/forms/${formId}`),
      "logo (none)": await call(`/f/${formId}/logo`),
      "start chat (JSON)": json1,
      "start chat (form post)": htmlPost,
      "chat page": await call(`/chat/${started.sessionId}`),
      "leave question": await call(`/api/chats/${started.sessionId}/leave-question`, { method: "POST", headers: { Authorization: `Bearer ${started.token}` }, json: { email: "x@patron.test" } }),
      "chat socket": await upgrade(`/api/chats/${started.sessionId}/socket`),
      "missing form": await call("/f/no-such-form"),
    };
    for (const [what, res] of Object.entries(responses)) {
      expect(res.status, what).toBeLessThan(500);
      expect(res.headers.get("set-cookie"), what).toBeNull();
    }
  });
});

describe("IP addresses", () => {
  it("keeps only a truncated address in 'truncated' mode and none in 'none' mode", async () => {
    const truncated = await createLibrary();
    const none = await createLibrary();
    const boss = await signedIn(none.id, "library_admin");
    expect((await admin(`/libraries/${none.id}/settings`, boss.cookie, { method: "PATCH", json: { ipMode: "none" } })).status).toBe(200);
    const ask = async (libraryId: string, ip: string) => {
      const formId = await createForm(libraryId);
      const res = await call("/api/chats", { method: "POST", headers: { "cf-connecting-ip": ip }, json: { formId, question: "IP?" } });
      const { sessionId } = (await res.json()) as { sessionId: string };
      return (await env.DB.prepare("SELECT patron_ip FROM chat_sessions WHERE id = ?").bind(sessionId).first<{ patron_ip: string | null }>())!.patron_ip;
    };
    expect(await ask(truncated.id, "203.0.113.77")).toBe("203.0.113.0");
    expect(await ask(truncated.id, "2001:db8:abcd:12:1:2:3:4")).toBe("2001:db8:abcd::");
    expect(await ask(none.id, "203.0.113.78")).toBeNull();
    expect(await ask(none.id, "2001:db8:abcd:12:1:2:3:5")).toBeNull();
  });
});
