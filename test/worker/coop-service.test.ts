/**
 * Cooperative service end to end: a partner librarian answers another
 * library's patron after roll-over; the question is filed at the patron's home
 * library; the home library leaves quality feedback that the answering
 * librarian (and nobody else outside the home library) sees. Then isolation:
 * of another library a cooperative librarian sees only its policy page and the
 * sessions they serve — checked on every cooperative route.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { groupQueueId } from "../../src/queues/queue-ids";
import type { QueueServerMessage } from "../../src/shared/protocol";
import {
  accept,
  call,
  countRows,
  createForm,
  createGroup,
  createLibrarian,
  createLibrary,
  endChat,
  librarianSocket,
  monitorQueue,
  patronSocket,
  sendMessage,
  signIn,
  startChat,
  uniqueId,
} from "./helpers";

async function cooperativeChat() {
  const home = await createLibrary({ name: "Home Town Library" });
  const partner = await createLibrary({ name: "Partner City Library" });
  const outsider = await createLibrary({ name: "Outsider Library" });
  const groupId = uniqueId("coop");
  await createGroup(groupId, "Service Cooperative", [home.id, partner.id]);
  const formId = await createForm(home.id);
  const answering = await createLibrarian(partner.id, "Partner Paula");
  const answeringCookie = await signIn(answering);
  const monitor = await monitorQueue(groupQueueId(groupId), answeringCookie);
  const chat = await startChat(formId, { name: "Homer", email: "homer@patron.test", question: "Can I renew my books from home?" });
  await monitor.next((f: QueueServerMessage) => f.type === "request.added" && f.request.sessionId === chat.sessionId);
  return {
    home,
    partner,
    outsider,
    groupId,
    formId,
    chat,
    answering,
    answeringCookie,
    homeCookie: await signIn(await createLibrarian(home.id, "Home Harriet")),
    homeAdminCookie: await signIn(await createLibrarian(home.id, "Home Admin", "library_admin")),
    otherPartnerCookie: await signIn(await createLibrarian(partner.id, "Partner Pete")),
    outsiderCookie: await signIn(await createLibrarian(outsider.id, "Outsider Olga", "library_admin")),
  };
}

async function answerAndEnd(t: Awaited<ReturnType<typeof cooperativeChat>>) {
  expect((await accept(t.chat.sessionId, t.answeringCookie)).status).toBe(200);
  const patron = await patronSocket(t.chat.sessionId, t.chat.token);
  const librarian = await librarianSocket(t.chat.sessionId, t.answeringCookie);
  await sendMessage(librarian, "l1", "Yes: log in to your account on the catalog.");
  await sendMessage(patron, "p1", "Thanks!");
  expect((await endChat(t.chat.sessionId, t.answeringCookie, { resolution: "answered" })).status).toBe(200);
}

const feedback = (cookie: string, body: unknown) => call("/api/feedback", { method: "POST", cookie, json: body });

describe("a partner answers a home library's patron", () => {
  it("files the question at the home library, assigned to the partner librarian", async () => {
    const t = await cooperativeChat();
    await answerAndEnd(t);
    expect(await env.DB.prepare("SELECT library_id, assigned_to, status FROM questions WHERE session_id = ?").bind(t.chat.sessionId).first()).toEqual({
      library_id: t.home.id,
      assigned_to: t.answering.id,
      status: "answered",
    });
    expect(await countRows("SELECT 1 FROM questions WHERE library_id = ?", t.partner.id)).toBe(0);
    expect(await env.DB.prepare("SELECT library_id, answering_library_id FROM chat_sessions WHERE id = ?").bind(t.chat.sessionId).first()).toEqual({
      library_id: t.home.id,
      answering_library_id: t.partner.id,
    });
  });

  it("lets the home library leave feedback that the answering librarian sees", async () => {
    const t = await cooperativeChat();
    // Not before the chat has ended.
    expect((await accept(t.chat.sessionId, t.answeringCookie)).status).toBe(200);
    const early = await feedback(t.homeCookie, { sessionId: t.chat.sessionId, rating: "good" });
    expect(early.status).toBe(409);
    expect((await endChat(t.chat.sessionId, t.answeringCookie, { resolution: "answered" })).status).toBe(200);

    // The feedback page offers the chat for rating.
    expect(await (await call("/feedback", { cookie: t.homeCookie })).text()).toContain("Can I renew my books from home?");

    const res = await feedback(t.homeCookie, { sessionId: t.chat.sessionId, rating: "excellent", comment: "Clear and friendly — thank you!" });
    expect(res.status, await res.clone().text()).toBe(201);
    const mine = (await (await call("/api/feedback?about=me", { cookie: t.answeringCookie })).json()) as { feedback: { sessionId: string; rating: string; comment: string; homeLibraryName: string }[] };
    expect(mine.feedback).toMatchObject([{ sessionId: t.chat.sessionId, rating: "excellent", comment: "Clear and friendly — thank you!", homeLibraryName: "Home Town Library" }]);
    expect(await (await call("/feedback", { cookie: t.answeringCookie })).text()).toContain("Clear and friendly — thank you!");
    // Nobody else at the partner library sees it as theirs; the home library sees what it gave.
    expect(((await (await call("/api/feedback?about=me", { cookie: t.otherPartnerCookie })).json()) as { feedback: unknown[] }).feedback).toEqual([]);
    expect(((await (await call("/api/feedback?about=partners", { cookie: t.homeAdminCookie })).json()) as { feedback: unknown[] }).feedback).toHaveLength(1);
    expect(((await (await call("/api/feedback?about=partners", { cookie: t.otherPartnerCookie })).json()) as { feedback: unknown[] }).feedback).toEqual([]);
  });

  it("refuses feedback from other libraries, twice, on the home library's own chats, and with bad input — changing nothing", async () => {
    const t = await cooperativeChat();
    await answerAndEnd(t);
    const count = () => countRows("SELECT 1 FROM coop_feedback");
    const before = await count();
    for (const cookie of [t.answeringCookie, t.otherPartnerCookie, t.outsiderCookie]) {
      expect((await feedback(cookie, { sessionId: t.chat.sessionId, rating: "poor" })).status).toBe(403);
    }
    const badRating = await feedback(t.homeCookie, { sessionId: t.chat.sessionId, rating: "meh" });
    expect(badRating.status).toBe(400);
    expect(((await badRating.json()) as { error: { field: string } }).error.field).toBe("rating");
    expect((await feedback(t.homeCookie, { sessionId: crypto.randomUUID(), rating: "good" })).status).toBe(404);
    expect(await count()).toBe(before);

    expect((await feedback(t.homeCookie, { sessionId: t.chat.sessionId, rating: "good" })).status).toBe(201);
    expect((await feedback(t.homeAdminCookie, { sessionId: t.chat.sessionId, rating: "poor" })).status).toBe(409);

    // A chat the home library answered itself is not for cooperative feedback.
    const ownLibrarian = await signIn(await createLibrarian(t.home.id, "Home Hank"));
    const own = await monitorQueue(t.home.queueId, ownLibrarian);
    const second = await startChat(t.formId);
    await own.next((f) => f.type === "request.added" && f.request.sessionId === second.sessionId);
    expect((await accept(second.sessionId, ownLibrarian)).status).toBe(200);
    expect((await endChat(second.sessionId, ownLibrarian, { resolution: "answered" })).status).toBe(200);
    expect((await feedback(t.homeCookie, { sessionId: second.sessionId, rating: "good" })).status).toBe(409);
    expect(await count()).toBe(before + 1);
  });
});

describe("isolation between libraries", () => {
  it("a cooperative librarian reads the sessions they serve and partners' policy pages, nothing else of another library", async () => {
    const t = await cooperativeChat();
    expect((await accept(t.chat.sessionId, t.answeringCookie)).status).toBe(200);
    const s = t.chat.sessionId;
    const g = t.groupId;
    const h = t.home.id;
    await call(`/api/policies/${h}`, { method: "PUT", cookie: t.homeAdminCookie, json: { sections: { serves: "<p>Home Town residents.</p>" } } });

    // [method, path, body, expected status for: serving partner, other partner, outsider]
    const routes: [string, string, unknown, number, number, number][] = [
      ["GET", `/api/chats/${s}`, undefined, 200, 403, 403],
      ["GET", `/api/chats/${s}/transcript`, undefined, 200, 403, 403],
      ["GET", `/api/chats/${s}/codes`, undefined, 200, 403, 403],
      ["GET", `/api/policies/${h}`, undefined, 200, 200, 403],
      ["PUT", `/api/policies/${h}`, { sections: {} }, 403, 403, 403],
      ["GET", `/policies/${h}`, undefined, 200, 200, 403],
      ["GET", `/policies/${h}/edit`, undefined, 403, 403, 403],
      ["GET", `/api/groups/${g}`, undefined, 200, 200, 403],
      ["GET", `/groups/${g}`, undefined, 200, 200, 403],
      ["GET", `/api/groups/${g}/schedule`, undefined, 200, 200, 403],
      ["GET", `/api/groups/${g}/coverage/now`, undefined, 200, 200, 403],
      ["GET", `/api/groups/${g}/page`, undefined, 200, 200, 403],
      ["PUT", `/api/groups/${g}/page`, { body: "<p>x</p>" }, 403, 403, 403],
      ["PUT", `/api/groups/${g}/schedule`, { shifts: [] }, 403, 403, 403],
      ["GET", `/api/groups/${g}/contribution`, undefined, 403, 403, 403],
      ["GET", `/api/groups/${g}/invitations`, undefined, 403, 403, 403],
      ["POST", `/api/groups/${g}/invitations`, { libraryId: t.outsider.id }, 403, 403, 403],
      ["GET", `/admin/groups/${g}/cooperation`, undefined, 403, 403, 403],
      ["GET", `/api/libraries/${h}/routing`, undefined, 403, 403, 403],
      ["PUT", `/api/libraries/${h}/routing`, { rolloverSeconds: 30, overflowMode: "off" }, 403, 403, 403],
      ["GET", `/api/libraries/${h}/invitations`, undefined, 403, 403, 403],
    ];
    const viewers = [t.answeringCookie, t.otherPartnerCookie, t.outsiderCookie];
    for (const [method, path, body, ...expected] of routes) {
      const got: number[] = [];
      for (const cookie of viewers) got.push((await call(path, { method, cookie, ...(body === undefined ? {} : { json: body }) })).status);
      expect(got, `${method} ${path}`).toEqual(expected);
    }
    // Signed out, every cooperative API says 401 and every page sends to sign-in.
    for (const path of [`/api/policies/${h}`, `/api/policies/search?q=home`, `/api/groups/${g}`, `/api/coverage/now`, `/api/feedback`, `/api/libraries/${h}/routing`]) {
      expect((await call(path)).status, path).toBe(401);
    }
    for (const path of [`/policies`, `/policies/${h}`, `/groups/${g}`, `/admin/groups/${g}/cooperation`, `/admin/cooperation`, `/feedback`]) {
      expect((await call(path, { redirect: "manual" })).status, path).toBe(303);
    }
    // Nothing about the home library's other patrons leaks into what partners can read.
    const other = await startChat(t.formId, { name: "Marge", question: "A private question about my account" });
    for (const cookie of [t.answeringCookie, t.otherPartnerCookie]) {
      for (const path of [`/api/chats/${other.sessionId}`, `/api/chats/${other.sessionId}/transcript`]) expect((await call(path, { cookie })).status).toBe(403);
      for (const path of ["/feedback", "/api/feedback?about=partners", "/api/feedback?about=me", `/policies/${h}`, `/groups/${g}`, "/policies?q=private"]) {
        expect(await (await call(path, { cookie })).text(), path).not.toContain("A private question about my account");
      }
    }
  });
});
