/**
 * Descriptive codes: a library administrator renames, hides, reorders and
 * adds codes of their own library only; chats and questions may only be given
 * active codes of the question's library (at most MAX_DESCRIPTIVE_CODES), old
 * sessions keep a hidden code and show it as inactive. Every bad change is
 * refused with its field named and changes nothing.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEFAULT_DESCRIPTIVE_CODES, MAX_DESCRIPTIVE_CODES } from "../../src/shared/codes";
import type { CodesAdminResponse, QuestionDetail, QuestionListResponse } from "../../src/shared/questions-api";
import { accept, call, createLibrary, createLibrarian, endChat, signIn, staffedLibrary, startChat } from "./helpers";
import { api, asRef, eventCount, fileQuestion, getQuestion, homeLibrary, questionRow, type ErrorBody } from "./question-fixtures";

const codesOf = async (libraryId: string) =>
  (await env.DB.prepare("SELECT code, label, active, position FROM descriptive_codes WHERE library_id = ? ORDER BY position, id").bind(libraryId).all<Record<string, unknown>>()).results;

const admin = (path: string, cookie: string, method: string, json?: unknown) => api<CodesAdminResponse & ErrorBody & { added?: { code: string } }>(`/api/descriptive-codes${path}`, cookie, { method, json });

describe("administering the list", () => {
  it("lists the library's own copy of the defaults, in order", async () => {
    const home = await homeLibrary();
    const res = await admin("", home.cookie, "GET");
    expect(res.status).toBe(200);
    expect(res.body.codes.map((c) => c.code)).toEqual(DEFAULT_DESCRIPTIVE_CODES.map((c) => c.code));
    expect(DEFAULT_DESCRIPTIVE_CODES.length).toBeGreaterThan(50);
  });

  it("lets an administrator rename, hide and show a code; others and other libraries are untouched", async () => {
    const home = await homeLibrary();
    const other = await createLibrary();
    const otherBefore = await codesOf(other.id);

    const renamed = await admin("/genealogy", home.adminCookie, "PATCH", { label: "Family history" });
    expect(renamed.status).toBe(200);
    expect(renamed.body.codes.find((c) => c.code === "genealogy")).toMatchObject({ label: "Family history", active: true });
    const hidden = await admin("/genealogy", home.adminCookie, "PATCH", { active: false });
    expect(hidden.body.codes.find((c) => c.code === "genealogy")).toMatchObject({ label: "Family history", active: false });
    expect(await codesOf(other.id)).toEqual(otherBefore);
    const shown = await admin("/genealogy", home.adminCookie, "PATCH", { active: true });
    expect(shown.body.codes.find((c) => c.code === "genealogy")?.active).toBe(true);
  });

  it("adds a code at the end, with an identifier made from its label", async () => {
    const home = await homeLibrary();
    const added = await admin("", home.adminCookie, "POST", { label: "Seed library (garden seeds)" });
    expect(added.status).toBe(201);
    expect(added.body.added).toMatchObject({ code: "seed_library_garden_seeds", label: "Seed library (garden seeds)", active: true });
    expect(added.body.codes.at(-1)?.code).toBe("seed_library_garden_seeds");
    const explicit = await admin("", home.adminCookie, "POST", { label: "Makerspace", code: "makerspace" });
    expect(explicit.body.added?.code).toBe("makerspace");
  });

  it("reorders the whole list", async () => {
    const home = await homeLibrary();
    const order = (await admin("", home.cookie, "GET")).body.codes.map((c) => c.code).reverse();
    const res = await admin("/order", home.adminCookie, "PUT", { codes: order });
    expect(res.status).toBe(200);
    expect(res.body.codes.map((c) => c.code)).toEqual(order);
    // The end-of-chat dialog offers them in the new order.
    expect((await codesOf(home.library.id)).map((c) => c.code)).toEqual(order);
  });

  it("refuses bad changes with the field named, changing nothing", async () => {
    const home = await homeLibrary();
    const before = await codesOf(home.library.id);
    const all = before.map((c) => String(c.code));
    const bad: [string, string, unknown, number, string | undefined][] = [
      ["", "POST", { label: "" }, 400, "label"],
      ["", "POST", { label: "x".repeat(200) }, 400, "label"],
      ["", "POST", { label: "genealogy again", code: "genealogy" }, 409, "code"],
      ["", "POST", { label: "Genealogy" }, 409, "label"],
      ["", "POST", { label: "Fine", code: "Not Valid!" }, 400, "code"],
      ["/genealogy", "PATCH", {}, 400, undefined],
      ["/genealogy", "PATCH", { label: "Ready reference" }, 409, "label"],
      ["/genealogy", "PATCH", { active: "no" }, 400, "active"],
      ["/no_such_code", "PATCH", { label: "Whatever" }, 404, undefined],
      ["/order", "PUT", { codes: all.slice(1) }, 400, "codes"],
      ["/order", "PUT", { codes: [...all, "unknown_code"] }, 400, `codes.${all.length}`],
      ["/order", "PUT", { codes: [all[0], ...all] }, 400, "codes"],
    ];
    for (const [path, method, json, status, field] of bad) {
      const res = await admin(path, home.adminCookie, method, json);
      expect(res.status, `${method} ${path} ${JSON.stringify(json).slice(0, 60)}`).toBe(status);
      if (field) expect(res.body.error.field, `${method} ${path}`).toBe(field);
    }
    expect(await codesOf(home.library.id)).toEqual(before);
  });

  it("is for library administrators only: a librarian may read the list but not change it", async () => {
    const home = await homeLibrary();
    const before = await codesOf(home.library.id);
    expect((await admin("", home.cookie, "POST", { label: "Sneaky" })).status).toBe(403);
    expect((await admin("/genealogy", home.cookie, "PATCH", { active: false })).status).toBe(403);
    expect((await admin("/order", home.cookie, "PUT", { codes: ["genealogy"] })).status).toBe(403);
    expect(await codesOf(home.library.id)).toEqual(before);
    const groupAdmin = await createLibrarian(home.library.id, "Group Admin", "group_admin");
    expect((await admin("/genealogy", await signIn(groupAdmin), "PATCH", { label: "Roots" })).status).toBe(200);
    expect((await call("/api/descriptive-codes", { method: "POST", json: { label: "Anon" } })).status).toBe(401);
  });
});

describe("codes are chosen from the library's active list", () => {
  it("hiding a code takes it out of the end-of-chat choices and refuses it there; old sessions keep it, shown as inactive", async () => {
    const { library, formId, cookies, librarians } = await staffedLibrary(1);
    const adminCookie = await signIn(await createLibrarian(library.id, "Admin", "library_admin"));
    const old = await fileQuestion(library.id, { descriptiveCodes: ["genealogy"], librarian: asRef(librarians[0]!), resolution: "answered" });
    expect((await admin("/genealogy", adminCookie, "PATCH", { active: false })).status).toBe(200);

    const chat = await startChat(formId);
    await accept(chat.sessionId, cookies[0]);
    const offered = await api<{ codes: { code: string }[] }>(`/api/chats/${chat.sessionId}/codes`, cookies[0]);
    expect(offered.body.codes.map((c) => c.code)).not.toContain("genealogy");
    const refused = await endChat(chat.sessionId, cookies[0], { resolution: "answered", descriptiveCodes: ["genealogy"] });
    expect(refused.status).toBe(400);

    const detail = await getQuestion(old.questionId, cookies[0]!);
    expect(detail.body.session?.descriptiveCodes).toEqual([{ code: "genealogy", label: "Genealogy", active: false }]);
    expect(detail.body.codeChoices.map((c) => c.code)).not.toContain("genealogy");
  });
});

describe("changing a question's codes afterwards", () => {
  const put = (questionId: string, cookie: string, json: unknown) => api<QuestionDetail & ErrorBody>(`/api/questions/${questionId}/codes`, cookie, { method: "PUT", json });

  it("changes the resolution and up to four descriptive codes, records it, and applies the code's hidden and statistics rule", async () => {
    const home = await homeLibrary();
    const { questionId, sessionId } = await fileQuestion(home.library.id, { resolution: "answered", librarian: asRef(home.librarian), descriptiveCodes: ["genealogy"] });
    const codes = ["genealogy", "local_history", "maps_gis", "directions"];
    expect(codes).toHaveLength(MAX_DESCRIPTIVE_CODES);
    const res = await put(questionId, home.cookie, { resolution: "practice", descriptiveCodes: codes });
    expect(res.status).toBe(200);
    expect(res.body.session).toMatchObject({ resolution: "practice", descriptiveCodes: codes.map((code) => expect.objectContaining({ code, active: true })) });
    expect(res.body.question).toMatchObject({ status: "answered", excludeFromStats: true, hidden: false });
    expect(res.body.events.at(-1)).toMatchObject({ action: "codes", actor: { id: home.librarian.id } });
    expect(res.body.events.at(-1)!.summary).toContain("from “Answered” (Genealogy) to “Practice” (Genealogy, Local history, Maps and GIS, Directions)");
    const session = await env.DB.prepare("SELECT resolution_code, descriptive_codes FROM chat_sessions WHERE id = ?").bind(sessionId).first<Record<string, string>>();
    expect(session).toEqual({ resolution_code: "practice", descriptive_codes: JSON.stringify(codes) });

    // Recoded as spam, it is hidden from the lists (its status stays what it was).
    const spam = await put(questionId, home.cookie, { resolution: "spam", descriptiveCodes: [] });
    expect(spam.body.question).toMatchObject({ hidden: true, status: "answered" });
    const listed = await api<QuestionListResponse>("/api/questions?list=all", home.cookie);
    expect(listed.body.questions.map((q) => q.id)).not.toContain(questionId);
  });

  it("keeps a code the library has since hidden, but will not add one", async () => {
    const home = await homeLibrary();
    const { questionId } = await fileQuestion(home.library.id, { resolution: "answered", descriptiveCodes: ["genealogy"] });
    await admin("/genealogy", home.adminCookie, "PATCH", { active: false });
    const kept = await put(questionId, home.cookie, { resolution: "answered", descriptiveCodes: ["genealogy", "directions"] });
    expect(kept.status).toBe(200);
    expect(kept.body.session?.descriptiveCodes).toEqual([expect.objectContaining({ code: "genealogy", active: false }), expect.objectContaining({ code: "directions", active: true })]);
  });

  it("refuses a fifth code, a hidden one, another library's own code, an unknown one, a repeat and a bad resolution — changing nothing", async () => {
    const home = await homeLibrary();
    const other = await homeLibrary();
    expect((await admin("", other.adminCookie, "POST", { label: "Only at the other library", code: "other_only" })).status).toBe(201);
    await admin("/maps_gis", home.adminCookie, "PATCH", { active: false });
    const { questionId, sessionId } = await fileQuestion(home.library.id, { resolution: "answered", descriptiveCodes: ["genealogy"] });
    const before = await questionRow(questionId);
    const sessionBefore = await env.DB.prepare("SELECT * FROM chat_sessions WHERE id = ?").bind(sessionId).first();
    const events = await eventCount(questionId);

    const bad: [unknown, string, string][] = [
      [{ resolution: "answered", descriptiveCodes: ["genealogy", "local_history", "directions", "renewals", "ebook_access"] }, "descriptiveCodes", `at most ${MAX_DESCRIPTIVE_CODES}`],
      [{ resolution: "answered", descriptiveCodes: ["genealogy", "maps_gis"] }, "descriptiveCodes.1", "hidden"],
      [{ resolution: "answered", descriptiveCodes: ["other_only"] }, "descriptiveCodes.0", "not a descriptive code"],
      [{ resolution: "answered", descriptiveCodes: ["no_such_code"] }, "descriptiveCodes.0", "not a descriptive code"],
      [{ resolution: "answered", descriptiveCodes: ["genealogy", "genealogy"] }, "descriptiveCodes", "once"],
      [{ resolution: "solved", descriptiveCodes: [] }, "resolution", "resolution"],
    ];
    for (const [json, field, says] of bad) {
      const res = await put(questionId, home.cookie, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.error).toMatchObject({ code: "validation_failed", field });
      expect(res.body.error.message).toContain(says);
    }
    expect(await questionRow(questionId)).toEqual(before);
    expect(await env.DB.prepare("SELECT * FROM chat_sessions WHERE id = ?").bind(sessionId).first()).toEqual(sessionBefore);
    expect(await eventCount(questionId)).toBe(events);
  });
});
