/**
 * Scripts at three levels, with their tenancy: a library's (its librarians
 * read, its administrators write), a cooperative's (member libraries' librarians
 * read, the group's administrators write) and a librarian's own (nobody else
 * even learns of it). The monitor's list holds exactly what its librarian may
 * use; putting a script into a chat fills its placeholders from that chat and
 * counts the use; CSV goes out and comes back; bad input changes nothing.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SCRIPT_CSV_COLUMNS, type ScriptView } from "../../src/shared/scripts";
import { accept, activeChat, call, closeSocket, countRows, createGroup, createLibrarian, createLibrary, monitorQueue, signIn, startChat, uniqueId } from "./helpers";

type ErrorBody = { error: { code: string; message: string; field?: string } };

const post = (cookie: string, path: string, json: unknown) => call(path, { method: "POST", cookie, json });
const add = (cookie: string, json: Record<string, unknown>) => post(cookie, "/api/canned-messages", json);
const addOk = async (cookie: string, json: Record<string, unknown>) => {
  const res = await add(cookie, json);
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { cannedMessage: ScriptView }).cannedMessage;
};
const list = async (cookie: string, query = "") => {
  const res = await call(`/api/canned-messages${query}`, { cookie });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { cannedMessages: ScriptView[] }).cannedMessages;
};
const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;

/** Two libraries in a cooperative and a third outside it, with their people signed in. */
async function cooperative() {
  const home = await createLibrary({ name: "Home Library" });
  const partner = await createLibrary({ name: "Partner Library" });
  const outside = await createLibrary({ name: "Outside Library" });
  const groupId = uniqueId("coop");
  await createGroup(groupId, "Script Cooperative", [home.id, partner.id]);
  const people = {
    homeLibrarian: await createLibrarian(home.id, "Hannah"),
    homeColleague: await createLibrarian(home.id, "Hugo"),
    homeAdmin: await createLibrarian(home.id, "Helga", "library_admin"),
    partnerLibrarian: await createLibrarian(partner.id, "Pia"),
    groupAdmin: await createLibrarian(partner.id, "Gus", "group_admin"),
    outsideAdmin: await createLibrarian(outside.id, "Olga", "group_admin"),
  };
  const cookies = Object.fromEntries(await Promise.all(Object.entries(people).map(async ([k, l]) => [k, await signIn(l)] as const))) as Record<keyof typeof people, string>;
  return { home, partner, outside, groupId, people, cookies };
}

describe("scripts at three levels", () => {
  it("gives each librarian exactly the scripts they may use: their own first, then their library's, then their cooperatives'", async () => {
    const t = await cooperative();
    const library = await addOk(t.cookies.homeAdmin, { title: "Greeting", body: "Hello {{patronName}}!", category: "Greetings" });
    const group = await addOk(t.cookies.groupAdmin, { scope: "group", groupId: t.groupId, title: "Cooperative hello", body: "You are talking to a cooperative librarian." });
    const mine = await addOk(t.cookies.homeLibrarian, { scope: "personal", title: "My sign-off", body: "Take care!" });
    expect(library).toMatchObject({ scope: "library", category: "Greetings", useCount: 0 });
    expect(group).toMatchObject({ scope: "group", groupId: t.groupId, groupName: "Script Cooperative" });

    expect((await list(t.cookies.homeLibrarian)).map((s) => s.id)).toEqual([mine.id, library.id, group.id]);
    // A colleague of the same library: the library's and the group's, never another's personal ones.
    expect((await list(t.cookies.homeColleague)).map((s) => s.id)).toEqual([library.id, group.id]);
    // A partner library's librarian: the cooperative's only.
    expect((await list(t.cookies.partnerLibrarian)).map((s) => s.id)).toEqual([group.id]);
    // A library outside the cooperative: nothing of these.
    expect(await list(t.cookies.outsideAdmin)).toEqual([]);

    // One list at a time, for the admin pages.
    expect((await list(t.cookies.homeAdmin, `?scope=group&groupId=${t.groupId}`)).map((s) => s.id)).toEqual([group.id]);
    expect((await list(t.cookies.homeColleague, "?scope=personal")).map((s) => s.id)).toEqual([]);
    const outsider = await call(`/api/canned-messages?scope=group&groupId=${t.groupId}`, { cookie: t.cookies.outsideAdmin });
    expect(outsider.status).toBe(403);
    expect((await call(`/api/canned-messages?scope=library&libraryId=${t.home.id}`, { cookie: t.cookies.outsideAdmin })).status).toBe(403);
  });

  it("lets only each list's own people change it; others of it get 403, strangers 404, and nothing changes", async () => {
    const t = await cooperative();
    const library = await addOk(t.cookies.homeAdmin, { title: "Greeting", body: "Hello!" });
    const group = await addOk(t.cookies.groupAdmin, { scope: "group", groupId: t.groupId, title: "Coop", body: "Coop text" });
    const mine = await addOk(t.cookies.homeLibrarian, { scope: "personal", title: "Mine", body: "Mine text" });

    // Adding: a librarian to the library's list, a library administrator to the cooperative's, an outsider's group admin to it.
    expect((await add(t.cookies.homeLibrarian, { title: "x", body: "y" })).status).toBe(403);
    expect((await add(t.cookies.homeAdmin, { scope: "group", groupId: t.groupId, title: "x", body: "y" })).status).toBe(403);
    expect((await add(t.cookies.outsideAdmin, { scope: "group", groupId: t.groupId, title: "x", body: "y" })).status).toBe(403);

    const patch = (cookie: string, id: number) => call(`/api/canned-messages/${id}`, { method: "PATCH", cookie, json: { title: "Changed" } });
    const remove = (cookie: string, id: number) => call(`/api/canned-messages/${id}`, { method: "DELETE", cookie });
    // May read, may not write: 403.
    for (const res of [await patch(t.cookies.homeLibrarian, library.id), await patch(t.cookies.partnerLibrarian, group.id), await remove(t.cookies.homeAdmin, group.id)]) {
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe("forbidden");
    }
    // May not even read: "not found", whoever asks — a colleague about a personal script, an outsider about a group's.
    for (const res of [await patch(t.cookies.homeColleague, mine.id), await remove(t.cookies.homeAdmin, mine.id), await patch(t.cookies.outsideAdmin, group.id), await patch(t.cookies.partnerLibrarian, library.id)]) {
      expect(res.status).toBe(404);
    }
    expect(await countRows("SELECT 1 FROM canned_messages WHERE title = 'Changed'")).toBe(0);
    expect(await countRows("SELECT 1 FROM canned_messages WHERE id IN (?, ?, ?)", library.id, group.id, mine.id)).toBe(3);

    // Each list's own people may.
    expect((await patch(t.cookies.groupAdmin, group.id)).status).toBe(200);
    expect((await patch(t.cookies.homeLibrarian, mine.id)).status).toBe(200);
    expect((await remove(t.cookies.homeAdmin, library.id)).status).toBe(200);
    expect(await countRows("SELECT 1 FROM canned_messages WHERE title = 'Changed'")).toBe(2);
  });

  it("stores each level's owner in its own column, in plain rows statistics can read", async () => {
    const t = await cooperative();
    await addOk(t.cookies.homeAdmin, { title: "L", body: "l" });
    await addOk(t.cookies.groupAdmin, { scope: "group", groupId: t.groupId, title: "G", body: "g" });
    await addOk(t.cookies.homeLibrarian, { scope: "personal", title: "P", body: "p" });
    const rows = await env.DB.prepare("SELECT scope, library_id, group_id, owner_id, use_count FROM canned_messages WHERE title IN ('L', 'G', 'P') ORDER BY title").all();
    expect(rows.results).toEqual([
      { scope: "group", library_id: null, group_id: t.groupId, owner_id: null, use_count: 0 },
      { scope: "library", library_id: t.home.id, group_id: null, owner_id: null, use_count: 0 },
      { scope: "personal", library_id: t.home.id, group_id: null, owner_id: t.people.homeLibrarian.id, use_count: 0 },
    ]);
  });

  it("refuses bad input with its field and stores nothing", async () => {
    const t = await cooperative();
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "Unknown", body: "Hello {{patronname}}" }, "body"],
      [{ title: "Cat", body: "x", category: "c".repeat(61) }, "category"],
      [{ scope: "group", title: "No group", body: "x" }, "groupId"],
      [{ scope: "personal", groupId: t.groupId, title: "Personal with group", body: "x" }, "groupId"],
      [{ scope: "team", title: "Bad scope", body: "x" }, "scope"],
    ];
    for (const [json, field] of cases) {
      const res = await add(t.cookies.groupAdmin, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(await errorOf(res)).toMatchObject({ code: "validation_failed", field });
    }
    expect((await call("/api/canned-messages?scope=group", { cookie: t.cookies.groupAdmin })).status).toBe(400);
    expect(await countRows("SELECT 1 FROM canned_messages WHERE library_id = ? OR group_id = ?", t.partner.id, t.groupId)).toBe(0);
  });
});

describe("a script in a chat", () => {
  it("fills in the patron's name, their library, the librarian and the library's hours today, and counts the use", async () => {
    const chat = await activeChat({ patron: { name: "Ada" } });
    const week = ["Mon 9–5", "Tue 9–5", "Wed 9–8", "Thu 9–8", "Fri 9–5", "Sat 10–4", "Sun closed"];
    await env.DB.prepare("UPDATE libraries SET hours_by_weekday = ?, time_zone = 'Pacific/Auckland' WHERE id = ?").bind(JSON.stringify(week), chat.library.id).run();
    const admin = await signIn(await createLibrarian(chat.library.id, "Admin", "library_admin"));
    const script = await addOk(admin, { title: "Hello", body: "Hi {{patronName}}, {{librarianName}} at {{libraryName}} here. Today we are open {{hoursToday}}. See https://library.test/hours" });

    const use = await post(chat.cookie, `/api/canned-messages/${script.id}/use`, { sessionId: chat.chat.sessionId });
    expect(use.status, await use.clone().text()).toBe(200);
    // Today in the library's own zone, worked out here independently of the server.
    const weekday = new Intl.DateTimeFormat("en-US", { timeZone: "Pacific/Auckland", weekday: "short" }).format(Date.now());
    const today = week[["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(weekday)];
    expect(((await use.json()) as { text: string }).text).toBe(`Hi Ada, Librarian 1 at Test Library here. Today we are open ${today}. See https://library.test/hours`);
    await post(chat.cookie, `/api/canned-messages/${script.id}/use`, { sessionId: chat.chat.sessionId });
    expect((await list(chat.cookie)).find((s) => s.id === script.id)?.useCount).toBe(2);
    expect(await env.DB.prepare("SELECT use_count FROM canned_messages WHERE id = ?").bind(script.id).first()).toEqual({ use_count: 2 });
  });

  it("says 'there' for a patron without a name and the written hours without a weekly list", async () => {
    const chat = await activeChat();
    await env.DB.prepare("UPDATE libraries SET hours_text = 'Mon–Fri 9–5' WHERE id = ?").bind(chat.library.id).run();
    const mine = await addOk(chat.cookie, { scope: "personal", title: "Hours", body: "Hello {{patronName}}: {{hoursToday}}" });
    const use = await post(chat.cookie, `/api/canned-messages/${mine.id}/use`, { sessionId: chat.chat.sessionId });
    expect(((await use.json()) as { text: string }).text).toBe("Hello there: Mon–Fri 9–5");
  });

  it("refuses a script the librarian may not read and a chat of another library, and counts nothing", async () => {
    const chat = await activeChat();
    const other = await activeChat();
    const theirs = await addOk(other.cookie, { scope: "personal", title: "Theirs", body: "x" });
    const mine = await addOk(chat.cookie, { scope: "personal", title: "Mine", body: "y" });
    expect((await post(chat.cookie, `/api/canned-messages/${theirs.id}/use`, { sessionId: chat.chat.sessionId })).status).toBe(404);
    expect((await post(chat.cookie, `/api/canned-messages/${mine.id}/use`, { sessionId: other.chat.sessionId })).status).toBe(403);
    expect((await post(chat.cookie, `/api/canned-messages/${mine.id}/use`, { sessionId: "not a chat" })).status).toBe(400);
    expect(await countRows("SELECT 1 FROM canned_messages WHERE id IN (?, ?) AND use_count > 0", theirs.id, mine.id)).toBe(0);
  });

  it("lets a partner librarian serving a cooperative chat use the cooperative's scripts on it", async () => {
    const t = await cooperative();
    const group = await addOk(t.cookies.groupAdmin, { scope: "group", groupId: t.groupId, title: "Coop", body: "Hello from {{libraryName}}'s cooperative, {{patronName}}." });
    const formId = uniqueId("form");
    await env.DB.prepare("INSERT INTO forms (id, library_id, queue_id, title) VALUES (?, ?, ?, 'Ask')").bind(formId, t.home.id, `group:${t.groupId}`).run();
    const monitor = await monitorQueue(`group:${t.groupId}`, t.cookies.partnerLibrarian);
    const chat = await startChat(formId, { name: "Bea" });
    expect((await accept(chat.sessionId, t.cookies.partnerLibrarian)).status).toBe(200);
    const use = await post(t.cookies.partnerLibrarian, `/api/canned-messages/${group.id}/use`, { sessionId: chat.sessionId });
    expect(((await use.json()) as { text: string }).text).toBe("Hello from Home Library's cooperative, Bea.");
    await closeSocket(monitor);
  });
});

describe("CSV export and import", () => {
  it("round-trips commas, quotes, line breaks and cells a spreadsheet would run as formulas", async () => {
    const t = await cooperative();
    const tricky = [
      { category: "Links, and more", title: 'The "catalog"', body: "Line one\nLine two, with a comma\nhttps://library.test/catalog" },
      { category: "", title: "=SUM(A1:A2)", body: "@mention +plus -minus" },
    ];
    for (const s of tricky) await addOk(t.cookies.homeAdmin, s);
    const exported = await call("/api/canned-messages/export?scope=library", { cookie: t.cookies.homeAdmin });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toContain("text/csv");
    expect(exported.headers.get("content-disposition")).toContain("attachment");
    const csv = await exported.text();
    expect(csv.split("\r\n")[0]).toBe(SCRIPT_CSV_COLUMNS.join(","));
    // A formula-looking cell is written with a leading apostrophe, so no spreadsheet runs it.
    expect(csv).toContain(`"'=SUM(A1:A2)"`);

    const res = await post(t.cookies.homeLibrarian, "/api/canned-messages/import", { scope: "personal", csv });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as { imported: number; cannedMessages: ScriptView[] };
    expect(body.imported).toBe(2);
    expect(body.cannedMessages.map(({ category, title, body: text }) => ({ category, title, body: text }))).toEqual(tricky);
  });

  it("imports all rows or none, naming the first bad row; refuses those who may not write the list", async () => {
    const t = await cooperative();
    await addOk(t.cookies.homeAdmin, { title: "Kept", body: "kept" });
    const bad = `title,body,category\r\nFine,Fine text,A\r\nBroken,"Hello {{nobody}}",B\r\n`;
    const res = await post(t.cookies.homeAdmin, "/api/canned-messages/import", { scope: "library", csv: bad });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error).toMatchObject({ code: "validation_failed", field: "csv" });
    expect(error.message).toMatch(/^Row 3, body: .*Nothing was imported\.$/);
    for (const csv of ["", "title\r\nOnly a title\r\n", "category,title,body\r\n", 'category,title,body\r\nA,"never closed,x\r\n']) {
      expect((await post(t.cookies.homeAdmin, "/api/canned-messages/import", { scope: "library", csv })).status, JSON.stringify(csv)).toBe(400);
    }
    expect((await post(t.cookies.homeLibrarian, "/api/canned-messages/import", { scope: "library", csv: "title,body\r\nA,B\r\n" })).status).toBe(403);
    expect((await list(t.cookies.homeAdmin, "?scope=library")).map((s) => s.title)).toEqual(["Kept"]);
  });
});
