/**
 * Patron details in the monitor: who asked, from which page and browser, on
 * which form, the library's policy page link, and the patron's earlier
 * sessions — the same e-mail at the same library only, and only sessions the
 * asking librarian may read (tenancy).
 */
import { describe, expect, it } from "vitest";
import { groupQueueId } from "../../src/queues/queue-ids";
import { summariseUserAgent } from "../../src/shared/user-agent";
import {
  accept,
  call,
  createForm,
  createGroup,
  createLibrarian,
  createLibrary,
  endChat,
  monitorQueue,
  patronIp,
  signIn,
  staffedLibrary,
  uniqueId,
} from "./helpers";

interface Details {
  patron: { name: string | null; email: string | null; answers: { id: string; label: string; value: string }[] };
  library: { id: string; name: string; policiesUrl: string };
  form: { id: string; title: string } | null;
  referrer: string | null;
  browser: string;
  createdAt: number;
  earlierSessions: { id: string; question: string; createdAt: number }[];
}

const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

/** Starts a chat with the browser details a real patron's request carries. */
async function ask(formId: string, json: Record<string, unknown>): Promise<string> {
  const res = await call("/api/chats", {
    method: "POST",
    headers: { "cf-connecting-ip": patronIp(), "user-agent": FIREFOX_WINDOWS },
    json: { formId, question: `Question ${uniqueId("q")}`, ...json },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { sessionId: string }).sessionId;
}

async function details(sessionId: string, cookie: string): Promise<Details> {
  const res = await call(`/api/chats/${sessionId}/details`, { cookie });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Details;
}

describe("patron details", () => {
  it("shows who asked, from where, and their earlier sessions with this library only", async () => {
    const { library, cookies } = await staffedLibrary(1);
    const formId = await createForm(library.id, { fields: [{ id: "patron-type", label: "I am a…", kind: "select", required: false, options: ["Adult", "Teen"] }] });
    const email = `${uniqueId("p")}@patron.test`;
    const earlierOne = await ask(formId, { email, name: "Ada" });
    const earlierTwo = await ask(formId, { email, name: "Ada" });
    const someoneElse = await ask(formId, { email: `${uniqueId("x")}@patron.test` });
    const other = await staffedLibrary(1);
    const elsewhere = await ask(other.formId, { email });
    const current = await ask(formId, { email, name: "Ada", pageUrl: "https://library.test/research/census", fields: { "patron-type": "Adult" } });

    const d = await details(current, cookies[0]!);
    expect(d.patron).toEqual({ name: "Ada", email, answers: [{ id: "patron-type", label: "I am a…", value: "Adult" }] });
    expect(d.library).toEqual({ id: library.id, name: library.name, policiesUrl: `/policies/${library.id}` });
    expect(d.form).toEqual({ id: formId, title: "Ask us" });
    expect(d.referrer).toBe("https://library.test/research/census");
    expect(d.browser).toBe("Firefox 128 on Windows");
    const earlierIds = d.earlierSessions.map((s) => s.id);
    expect(earlierIds.sort()).toEqual([earlierOne, earlierTwo].sort());
    expect(earlierIds).not.toContain(someoneElse);
    expect(earlierIds).not.toContain(elsewhere);
    expect(earlierIds).not.toContain(current);
    // Newest first.
    expect(d.earlierSessions[0]!.createdAt).toBeGreaterThanOrEqual(d.earlierSessions[1]!.createdAt);
  });

  it("lists no earlier sessions for an anonymous patron", async () => {
    const { formId, cookies } = await staffedLibrary(1);
    await ask(formId, {});
    const current = await ask(formId, { name: "Anon" });
    const d = await details(current, cookies[0]!);
    expect(d.patron.email).toBeNull();
    expect(d.earlierSessions).toEqual([]);
  });

  it("shows a cooperative partner only the earlier sessions they served themselves", async () => {
    const home = await createLibrary({ name: "Home Library" });
    const partnerLibrary = await createLibrary({ name: "Partner Library" });
    const groupId = uniqueId("grp");
    await createGroup(groupId, "Cooperative", [home.id, partnerLibrary.id]);
    const formId = await createForm(home.id, { queueId: groupQueueId(groupId) });
    const partner = await createLibrarian(partnerLibrary.id, "Partner");
    const partnerCookie = await signIn(partner);
    const homeCookie = await signIn(await createLibrarian(home.id, "Home"));
    await monitorQueue(groupQueueId(groupId), partnerCookie);
    const email = `${uniqueId("p")}@patron.test`;

    // One earlier chat the partner served, one the home library's own staff served.
    const servedByPartner = await ask(formId, { email });
    expect((await accept(servedByPartner, partnerCookie)).status).toBe(200);
    expect((await endChat(servedByPartner, partnerCookie, { resolution: "answered" })).status).toBe(200);
    const servedAtHome = await ask(formId, { email });
    expect((await accept(servedAtHome, homeCookie)).status).toBe(200);
    expect((await endChat(servedAtHome, homeCookie, { resolution: "answered" })).status).toBe(200);

    const current = await ask(formId, { email });
    expect((await accept(current, partnerCookie)).status).toBe(200);
    expect((await details(current, partnerCookie)).earlierSessions.map((s) => s.id)).toEqual([servedByPartner]);
    expect((await details(current, homeCookie)).earlierSessions.map((s) => s.id).sort()).toEqual([servedByPartner, servedAtHome].sort());
  });

  it("refuses outsiders and unknown sessions", async () => {
    const { formId } = await staffedLibrary(1);
    const current = await ask(formId, { email: "a@patron.test" });
    const stranger = await signIn(await createLibrarian((await createLibrary()).id, "Stranger"));
    const refused = await call(`/api/chats/${current}/details`, { cookie: stranger });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(await refused.json())).not.toContain("a@patron.test");
    expect((await call(`/api/chats/${crypto.randomUUID()}/details`, { cookie: stranger })).status).toBe(404);
    expect((await call(`/api/chats/${current}/details`)).status).toBe(401);
    expect((await call(`/api/chats/${current}/notes`, { cookie: stranger })).status).toBe(403);
  });
});

describe("summariseUserAgent", () => {
  it.each([
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome 126 on Windows"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87", "Edge 126 on Windows"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari 17 on macOS"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari 17 on iPhone"],
    ["Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", "Samsung Internet 25 on Android"],
    ["Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox 128 on Linux"],
    ["Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome 126 on ChromeOS"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0", "Opera 111 on Windows"],
    ["curl/8.5.0", "Unknown browser"],
    [null, "Unknown browser"],
  ])("%s → %s", (ua, expected) => {
    expect(summariseUserAgent(ua)).toBe(expected);
  });
});
