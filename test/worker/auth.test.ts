/**
 * Librarian sign-in and the auth gate: the session cookie (`__Host-` prefixed),
 * one answer for every refused sign-in, sign-out, disabled accounts, and
 * refusal of requests from other sites. The sign-in throttle has its own file
 * (sign-in-throttle.test.ts).
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/auth/session-cookie";
import {
  ORIGIN,
  accept,
  call,
  createLibrarian,
  createLibrary,
  monitorQueue,
  sessionView,
  signIn,
  staffedLibrary,
  startChat,
  upgrade,
  type TestLibrarian,
} from "./helpers";

const FOREIGN = "https://evil.example";

const signInWith = (email: string, password: string) => call("/api/auth/sign-in", { method: "POST", json: { email, password } });
const me = (cookie?: string) => call("/api/auth/me", { cookie });
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

async function librarian(): Promise<TestLibrarian> {
  const library = await createLibrary();
  return createLibrarian(library.id, "Rosa");
}

describe("signing in", () => {
  it("sets an HttpOnly, SameSite=Lax, __Host- session cookie (Secure, Path=/, no Domain) that works", async () => {
    const l = await librarian();
    const res = await signInWith(l.email, l.password);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { librarian: { id: string } }).librarian.id).toBe(l.id);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? "";
    expect(SESSION_COOKIE.startsWith("__Host-")).toBe(true);
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{40,};`));
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Secure/i);
    expect(setCookie).toMatch(/;\s*Path=\/(;|$)/i);
    expect(setCookie).not.toMatch(/Domain=/i);

    const cookie = setCookie.split(";")[0]!;
    expect((await me(cookie)).status).toBe(200);
    // Only a digest of the token is stored.
    const stored = await env.DB.prepare("SELECT token_hash FROM auth_sessions WHERE librarian_id = ?").bind(l.id).all<{ token_hash: string }>();
    expect(stored.results).toHaveLength(1);
    expect(cookie).not.toContain(stored.results[0]!.token_hash);
    // The same token under the old, unprefixed name (which a sibling subdomain could set) is not read over https.
    expect((await me(cookie.replace(/^__Host-/, ""))).status).toBe(401);
  });

  it("refuses a wrong password, and an unknown address the same way, with 401 and no cookie", async () => {
    const l = await librarian();
    const wrong = await signInWith(l.email, `${l.password}!`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const wrongBody = (await wrong.json()) as { error: { code: string; message: string } };
    expect(wrongBody.error.code).toBe("unauthorized");

    const unknown = await signInWith("nobody@library.test", "whatever");
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(wrongBody.error.message);
  });

  it("refuses a disabled librarian with that same answer, and ends the sessions they already had", async () => {
    const l = await librarian();
    const cookie = await signIn(l);
    const wrongMessage = ((await (await signInWith(l.email, "not-it")).json()) as { error: { message: string } }).error.message;
    await env.DB.prepare("UPDATE librarians SET disabled_at = ? WHERE id = ?").bind(Date.now(), l.id).run();

    const res = await signInWith(l.email, l.password);
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(wrongMessage);
    expect((await me(cookie)).status).toBe(401);
    expect((await call("/api/queues", { cookie })).status).toBe(401);
  });
});

describe("signing out", () => {
  it("revokes the session: the cookie no longer works", async () => {
    const l = await librarian();
    const cookie = await signIn(l);
    const other = await signIn(l);
    expect((await me(cookie)).status).toBe(200);

    const out = await call("/api/auth/sign-out", { method: "POST", cookie });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));

    expect((await me(cookie)).status).toBe(401);
    expect((await call("/api/queues", { cookie })).status).toBe(401);
    expect((await upgrade(`/api/queues/lib:${l.libraryId}/socket`, { cookie })).status).toBe(401);
    // Signing out of one browser leaves the others signed in.
    expect((await me(other)).status).toBe(200);
  });
});

describe("the auth gate", () => {
  it("answers 401 to unsigned requests for librarian APIs", async () => {
    const { library } = await staffedLibrary(1);
    const anonymous = await call("/api/queues");
    expect(anonymous.status).toBe(401);
    expect(await errorCode(anonymous)).toBe("unauthorized");
    expect((await call("/api/queues", { cookie: `${SESSION_COOKIE}=forged-token` })).status).toBe(401);
    expect((await upgrade(`/api/queues/${library.queueId}/socket`)).status).toBe(401);
  });

  it("refuses a cross-origin POST with a form content type (403) and changes nothing", async () => {
    const { formId, cookies, monitors } = await staffedLibrary(1);
    const chat = await startChat(formId);
    await monitors[0]!.next((f) => f.type === "request.added" && f.request.sessionId === chat.sessionId);

    for (const contentType of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"]) {
      const forged = await call(`/api/chats/${chat.sessionId}/accept`, {
        method: "POST",
        cookie: cookies[0],
        headers: { Origin: FOREIGN, "Content-Type": contentType, "Sec-Fetch-Site": "cross-site" },
        body: "x=1",
      });
      expect(forged.status).toBe(403);
      expect(await errorCode(forged)).toBe("forbidden");
    }
    const signOut = await call("/api/auth/sign-out", { method: "POST", cookie: cookies[0], headers: { Origin: FOREIGN, "Content-Type": "application/x-www-form-urlencoded" }, body: "" });
    expect(signOut.status).toBe(403);

    expect(await sessionView(chat.sessionId, cookies[0]!)).toMatchObject({ status: "waiting", librarian: null });
    expect((await me(cookies[0])).status).toBe(200);
    // From our own origin the same accept goes through.
    expect((await accept(chat.sessionId, cookies[0])).status).toBe(200);
  });

  it("does not let the cookie act for a JSON change from another origin, even a sibling subdomain", async () => {
    const { formId, cookies, monitors } = await staffedLibrary(1);
    const chat = await startChat(formId);
    await monitors[0]!.next((f) => f.type === "request.added" && f.request.sessionId === chat.sessionId);

    const sibling = ORIGIN.replace("://", "://other.");
    const attempts: Record<string, string>[] = [{ Origin: FOREIGN }, { Origin: sibling }, { Origin: sibling, "Sec-Fetch-Site": "same-site" }];
    for (const headers of attempts) {
      const forged = await call(`/api/chats/${chat.sessionId}/accept`, { method: "POST", cookie: cookies[0], headers, json: {} });
      expect(forged.status).toBe(403);
      expect(await errorCode(forged)).toBe("forbidden");
    }
    expect(await sessionView(chat.sessionId, cookies[0]!)).toMatchObject({ status: "waiting", librarian: null });
    // Reading from our own pages and acting from our own origin still work.
    expect((await me(cookies[0])).status).toBe(200);
    expect((await accept(chat.sessionId, cookies[0])).status).toBe(200);
  });

  it("refuses a WebSocket upgrade from a foreign Origin, for queues and chats", async () => {
    const { library, cookies, formId } = await staffedLibrary(1);
    const cookie = cookies[0]!;
    const queuePath = `/api/queues/${library.queueId}/socket`;

    const foreign = await upgrade(queuePath, { cookie, headers: { Origin: FOREIGN } });
    expect(foreign.status).toBe(403);
    expect(foreign.webSocket).toBeNull();
    expect(await errorCode(foreign)).toBe("forbidden");
    const own = await upgrade(queuePath, { cookie, headers: { Origin: ORIGIN } });
    expect(own.status).toBe(101);
    own.webSocket?.accept();
    own.webSocket?.close(1000);

    const chat = await startChat(formId);
    expect((await accept(chat.sessionId, cookie)).status).toBe(200);
    const chatSocket = await upgrade(`/api/chats/${chat.sessionId}/socket?as=librarian`, { cookie, headers: { Origin: FOREIGN } });
    expect(chatSocket.status).toBe(403);
    expect(chatSocket.webSocket).toBeNull();
  });

  it("lets a librarian monitor only the queues they staff", async () => {
    const { cookies } = await staffedLibrary(1);
    const other = await createLibrary({ name: "Other" });
    const res = await upgrade(`/api/queues/lib:${other.id}/socket`, { cookie: cookies[0] });
    expect(res.status).toBe(403);
    await expect(monitorQueue(`lib:${other.id}`, cookies[0]!)).rejects.toThrow(/403/);
  });
});
