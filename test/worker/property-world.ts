/**
 * The world the generated requests run in (test/worker/input-properties-http
 * .test.ts): a library in a cooperative with a partner, a library outside it,
 * a librarian, a library administrator, a service administrator and an account
 * they may manage, chats waiting, active and ended (with their patrons'
 * tokens), a filed question and a canned message — so that a generated id can
 * be one that exists and a request gets past "not found" to its body. As an
 * HttpTarget (bench/hostile/properties/runner.ts): how to send, with which
 * credential, what is stored, and which values exist.
 */
import { groupQueueId } from "../../src/queues/queue-ids";
import type { HttpTarget } from "../../bench/hostile/properties/runner";
import { TIMER_SETTINGS, type Credential } from "../../bench/hostile/properties/request-cases";
import { accept, call, createForm, createGroup, createLibrarian, createLibrary, endChat, monitorQueue, ORIGIN, patronIp, queueStub, sessionStub, settle, signIn, startChat, uniqueId, upgrade, type TestLibrarian } from "./helpers";
import { d1Rows, merged, objectRows } from "./stored-rows";
import { env } from "cloudflare:test";

interface Chat {
  sessionId: string;
  token: string;
}

/** The administration pages a library has (src/routes/admin-pages.ts). */
const ADMIN_PAGES = ["librarians", "forms", "settings", "privacy", "audit"];

export async function propertyWorld() {
  const home = await createLibrary({ name: "Home Library", waitLimitSeconds: 3600, rolloverSeconds: 600 });
  const partner = await createLibrary({ name: "Partner Library" });
  const outsider = await createLibrary({ name: "Outside Library" });
  const groupId = uniqueId("grp");
  await createGroup(groupId, "Property Cooperative", [home.id, partner.id]);
  const formId = await createForm(home.id);
  const accounts: Record<"librarian" | "library-admin" | "service-admin", TestLibrarian> = {
    librarian: await createLibrarian(home.id, "Lisa"),
    "library-admin": await createLibrarian(home.id, "Marge", "library_admin"),
    "service-admin": await createLibrarian(home.id, "Sam", "service_admin"),
  };
  // An account the administrators may manage (disable, reset, change the role of); never one the requests are sent as.
  const managed = await createLibrarian(home.id, "Vic");
  const cookies = new Map<string, string>();
  for (const [credential, account] of Object.entries(accounts)) cookies.set(credential, await signIn(account));
  // Someone monitors, so a new chat waits for a librarian.
  await monitorQueue(home.queueId, cookies.get("service-admin")!);

  const chat = async (): Promise<Chat> => {
    const started = await startChat(formId, { name: "Ada", email: "ada@patron.test" });
    if (started.status !== "waiting") throw new Error(`fixture chat did not wait: ${JSON.stringify(started)}`);
    return { sessionId: started.sessionId, token: started.token };
  };
  const waiting = await chat();
  const served = await chat();
  const servedByLibrarian = await chat();
  const ended = await chat();
  for (const [c, by] of [
    [served, "service-admin"],
    [servedByLibrarian, "librarian"],
    [ended, "library-admin"],
  ] as const) {
    const res = await accept(c.sessionId, cookies.get(by));
    if (res.status !== 200) throw new Error(`fixture accept failed: ${res.status} ${await res.text()}`);
  }
  const end = await endChat(ended.sessionId, cookies.get("library-admin"), { resolution: "answered", descriptiveCodes: ["ready_reference"] });
  if (end.status !== 200) throw new Error(`fixture end failed: ${end.status} ${await end.text()}`);
  const chats = [waiting, served, servedByLibrarian, ended];
  const questionId = `q-${ended.sessionId}`;
  const canned = await env.DB.prepare("INSERT INTO canned_messages (library_id, title, body, position) VALUES (?, 'Hours', 'We are open 9 to 5.', 0) RETURNING id").bind(home.id).first<{ id: number }>();

  const byName: Record<string, readonly unknown[]> = {
    libraryId: [home.id, partner.id, outsider.id],
    library: [home.id],
    librarianId: [managed.id],
    librarian: [accounts.librarian.id],
    assigneeId: [accounts.librarian.id, managed.id],
    groupId: [groupId],
    formId: [formId],
    form: [formId],
    queueId: [home.queueId, groupQueueId(groupId)],
    code: ["ready_reference", "research_help"],
    descriptiveCodes: ["ready_reference"],
    page: ADMIN_PAGES,
    email: [managed.email, "ada@patron.test"],
    timeZone: ["America/Chicago", "UTC"],
    resolution: ["answered"],
  };
  const fixtures = (path: string, name: string): readonly unknown[] => {
    if (name === "id") {
      if (path.startsWith("/api/chats") || path.startsWith("/chat/")) return chats.map((c) => c.sessionId);
      if (path.startsWith("/api/questions") || path.startsWith("/questions/")) return [questionId];
      if (path.startsWith("/api/canned-messages")) return [String(canned!.id)];
      return [];
    }
    if (name === "sessionId") return path.startsWith("/api/admin") ? [] : [ended.sessionId];
    // The chats here wait as long as a library may let them: no chat's own timer writes during a later request.
    if (name === "libraryId" && TIMER_SETTINGS.test(path)) return [partner.id, outsider.id];
    return byName[name] ?? [];
  };

  const chatIn = (url: string) => chats.find((c) => url.includes(c.sessionId));
  const credentialHeaders = (credential: Credential, url: string): Record<string, string> => {
    const headers: Record<string, string> = { "cf-connecting-ip": patronIp() };
    const cookie = cookies.get(credential);
    if (cookie) headers.Cookie = cookie;
    const own = chatIn(url) ?? waiting;
    if (credential === "patron") headers.Authorization = `Bearer ${own.token}`;
    if (credential === "other-patron") headers.Authorization = `Bearer ${chats.find((c) => c !== own)!.token}`;
    return headers;
  };

  /** A request that was taken may have signed its caller out: sign in again. */
  const renewCookies = async () => {
    for (const [credential, account] of Object.entries(accounts)) {
      const me = await call("/api/auth/me", { cookie: cookies.get(credential) });
      if (me.status !== 200) cookies.set(credential, await signIn(account));
    }
  };

  const target: HttpTarget = {
    send: ({ method, url, headers, body }) => call(url, { method, headers, body: method === "GET" || body === undefined ? undefined : typeof body === "string" ? body : new Uint8Array(body) }),
    upgrade: async (url, headers) => {
      const res = await upgrade(url, { headers: { Origin: ORIGIN, ...headers } });
      if (res.webSocket) {
        res.webSocket.accept();
        res.webSocket.close(1000, "property test");
      }
      return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: res.status === 101 ? "" : await res.text() };
    },
    credentialHeaders,
    snapshot: async () =>
      merged(
        await d1Rows(),
        ...(await Promise.all(chats.map((c) => objectRows("ChatSession", c.sessionId, sessionStub(c.sessionId))))),
        await objectRows("RequestQueue", home.queueId, queueStub(home.queueId)),
      ),
    afterAccepted: async (request) => {
      if (request.method !== "GET") await renewCookies();
      await settle(10);
    },
    fixtures,
  };
  return { target, home, groupId, formId, chats };
}
