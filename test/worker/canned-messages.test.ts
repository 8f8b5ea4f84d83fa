/**
 * Canned messages ("scripts"): every librarian reads their own library's list;
 * only that library's administrators change it; other libraries' entries are
 * invisible ("not found"); bad input is refused with its field and changes nothing.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/shared/limits";
import { call, countRows, createLibrarian, createLibrary, signIn } from "./helpers";

interface Canned {
  id: number;
  title: string;
  body: string;
  position: number;
}
type ErrorBody = { error: { code: string; message: string; field?: string } };

async function libraryWithStaff() {
  const library = await createLibrary();
  const [admin, librarian] = await Promise.all([createLibrarian(library.id, "Admin", "library_admin"), createLibrarian(library.id, "Librarian")]);
  return { library, admin: await signIn(admin), librarian: await signIn(librarian) };
}

const list = async (cookie: string) => ((await (await call("/api/canned-messages", { cookie })).json()) as { cannedMessages: Canned[] }).cannedMessages;
const create = (cookie: string | undefined, json: unknown) => call("/api/canned-messages", { method: "POST", cookie, json });
const patch = (cookie: string, id: number | string, json: unknown) => call(`/api/canned-messages/${id}`, { method: "PATCH", cookie, json });
const remove = (cookie: string, id: number | string) => call(`/api/canned-messages/${id}`, { method: "DELETE", cookie });

describe("canned messages", () => {
  it("lets an administrator keep the library's list and every librarian of it read it, in order", async () => {
    const { library, admin, librarian } = await libraryWithStaff();
    expect(await list(librarian)).toEqual([]);

    const first = await create(admin, { title: "Greeting", body: "Hello! How can I help you today?" });
    expect(first.status).toBe(201);
    const greeting = ((await first.json()) as { cannedMessage: Canned }).cannedMessage;
    expect(greeting).toMatchObject({ title: "Greeting", position: 0 });
    const closing = ((await (await create(admin, { title: "Closing", body: "Is there anything else?" })).json()) as { cannedMessage: Canned }).cannedMessage;
    expect(closing.position).toBe(1);
    const top = ((await (await create(admin, { title: "Busy", body: "One moment please.", position: 0 })).json()) as { cannedMessage: Canned }).cannedMessage;

    // Ordered by position, then by age.
    expect((await list(librarian)).map((m) => m.title)).toEqual(["Greeting", "Busy", "Closing"]);

    const edited = await patch(admin, closing.id, { body: "Anything else I can help with?", position: 0 });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { cannedMessage: Canned }).cannedMessage).toMatchObject({ title: "Closing", body: "Anything else I can help with?", position: 0 });

    expect((await remove(admin, top.id)).status).toBe(200);
    expect((await list(librarian)).map((m) => m.title)).toEqual(["Greeting", "Closing"]);
    expect(await countRows("SELECT 1 FROM canned_messages WHERE library_id = ?", library.id)).toBe(2);
    expect(greeting.id).toBeGreaterThan(0);
  });

  it("refuses librarians who are not administrators, and outsiders; changes nothing", async () => {
    const { library, admin, librarian } = await libraryWithStaff();
    const mine = ((await (await create(admin, { title: "Greeting", body: "Hello!" })).json()) as { cannedMessage: Canned }).cannedMessage;
    const other = await libraryWithStaff();

    // A librarian may read but not write.
    for (const res of [await create(librarian, { title: "Mine", body: "x" }), await patch(librarian, mine.id, { title: "Changed" }), await remove(librarian, mine.id)]) {
      expect(res.status).toBe(403);
      expect(((await res.json()) as ErrorBody).error.code).toBe("forbidden");
    }
    // Another library's administrator does not even learn that the entry exists.
    for (const res of [await patch(other.admin, mine.id, { title: "Changed" }), await remove(other.admin, mine.id)]) {
      expect(res.status).toBe(404);
      expect(((await res.json()) as ErrorBody).error.code).toBe("not_found");
    }
    // …and reads only their own library's list.
    expect(await list(other.librarian)).toEqual([]);
    // Without sign-in: 401.
    expect((await create(undefined, { title: "x", body: "y" })).status).toBe(401);
    expect((await call("/api/canned-messages")).status).toBe(401);

    expect(await list(librarian)).toEqual([mine]);
    expect(await countRows("SELECT 1 FROM canned_messages WHERE library_id = ?", library.id)).toBe(1);
  });

  it("answers bad input with the field at fault and stores nothing", async () => {
    const { library, admin } = await libraryWithStaff();
    const mine = ((await (await create(admin, { title: "Greeting", body: "Hello!" })).json()) as { cannedMessage: Canned }).cannedMessage;
    const bad: [unknown, string][] = [
      [{ body: "no title" }, "title"],
      [{ title: "  ", body: "blank title" }, "title"],
      [{ title: "No body" }, "body"],
      [{ title: "x".repeat(LIMITS.cannedTitleChars + 1), body: "long title" }, "title"],
      [{ title: "Long", body: "x".repeat(LIMITS.messageChars + 1) }, "body"],
      [{ title: "Ctl", body: "bell \u0007" }, "body"],
      [{ title: "Pos", body: "negative", position: -1 }, "position"],
    ];
    for (const [json, field] of bad) {
      const res = await create(admin, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: "validation_failed", field });
    }
    const emptyPatch = await patch(admin, mine.id, {});
    expect(emptyPatch.status).toBe(400);
    expect((await patch(admin, mine.id, { title: "" })).status).toBe(400);
    expect((await patch(admin, "not-a-number", { title: "x" })).status).toBe(404);
    expect((await remove(admin, 987654321)).status).toBe(404);
    const notJson = await call("/api/canned-messages", { method: "POST", cookie: admin, headers: { "Content-Type": "application/json" }, body: "{" });
    expect(notJson.status).toBe(400);

    expect(await list(admin)).toEqual([mine]);
    expect(await countRows("SELECT 1 FROM canned_messages WHERE library_id = ?", library.id)).toBe(1);
  });

  it("keeps at most LIMITS.cannedPerLibrary per library", async () => {
    const { library, admin } = await libraryWithStaff();
    await env.DB.batch(
      Array.from({ length: LIMITS.cannedPerLibrary }, (_, i) =>
        env.DB.prepare("INSERT INTO canned_messages (library_id, title, body, position) VALUES (?, ?, ?, ?)").bind(library.id, `T${i}`, `B${i}`, i),
      ),
    );
    const res = await create(admin, { title: "One too many", body: "x" });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.message).toContain(String(LIMITS.cannedPerLibrary));
    expect(await countRows("SELECT 1 FROM canned_messages WHERE library_id = ?", library.id)).toBe(LIMITS.cannedPerLibrary);
  });
});
