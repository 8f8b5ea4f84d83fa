/**
 * Files as pure rules: who may send one and when; the per-file, per-chat,
 * per-patron and total-bytes limits at their edges (counts come from the
 * chat's store, so a hundred files cost nothing here); the library's setting
 * and the owner's switch.
 */
import { describe, expect, it } from "vitest";
import { fileRefusal, setFilesAllowed, type FileTotals } from "../../../durable-objects/chat-session/rules/files";
import { FILE_LIMITS } from "../../../src/shared/limits";
import type { SharedFile } from "../../../src/shared/protocol";
import { active, decided, linesOf, lisa, marge, waiting } from "./fixtures";

const file = (bytes = 1000): SharedFile => ({ id: "f", name: "page.png", type: "image/png", bytes, alt: null });
const none: FileTotals = { files: 0, patronFiles: 0, bytes: 0 };
const patron = { role: "patron" } as const;
const asLibrarian = (id: string) => ({ role: "librarian", librarianId: id }) as const;

describe("files in a chat", () => {
  it("take the patron's while waiting or active, a librarian's only in the chat and while it is active", () => {
    expect(fileRefusal(waiting(), patron, file(), none)).toBeNull();
    expect(fileRefusal(active(lisa), patron, file(), none)).toBeNull();
    expect(fileRefusal(active(lisa), asLibrarian(lisa.id), file(), none)).toBeNull();
    expect(fileRefusal(active(lisa), asLibrarian(marge.id), file(), none)).toMatchObject({ code: "forbidden" });
    expect(fileRefusal(waiting(), asLibrarian(lisa.id), file(), none)).toMatchObject({ code: "forbidden" });
  });

  it("refuse a file over the per-file limit, naming it", () => {
    expect(fileRefusal(active(lisa), patron, file(FILE_LIMITS.fileBytes), none)).toBeNull();
    expect(fileRefusal(active(lisa), patron, file(FILE_LIMITS.fileBytes + 1), none)).toMatchObject({ code: "too_large", message: expect.stringContaining("10 MB") });
    // The file itself is at fault (a patron's window words it as such); the chat's limits below name no field.
    expect(fileRefusal(active(lisa), patron, file(FILE_LIMITS.fileBytes + 1), none)?.field).toBe("file");
  });

  it("stop at the per-chat count, for everyone", () => {
    const full: FileTotals = { files: FILE_LIMITS.perChat, patronFiles: 0, bytes: 0 };
    expect(fileRefusal(active(lisa), patron, file(), { ...full, files: FILE_LIMITS.perChat - 1 })).toBeNull();
    expect(fileRefusal(active(lisa), patron, file(), full)).toMatchObject({ code: "too_large", message: expect.stringContaining(String(FILE_LIMITS.perChat)) });
    expect(fileRefusal(active(lisa), patron, file(), full)?.field).toBeUndefined();
    expect(fileRefusal(active(lisa), asLibrarian(lisa.id), file(), full)).toMatchObject({ code: "too_large" });
  });

  it("stop the patron at the per-patron count while the librarian may still send", () => {
    const patronDone: FileTotals = { files: FILE_LIMITS.perPatron, patronFiles: FILE_LIMITS.perPatron, bytes: 0 };
    expect(fileRefusal(active(lisa), patron, file(), { ...patronDone, patronFiles: FILE_LIMITS.perPatron - 1 })).toBeNull();
    expect(fileRefusal(active(lisa), patron, file(), patronDone)).toMatchObject({ code: "too_large", message: expect.stringContaining(String(FILE_LIMITS.perPatron)) });
    expect(fileRefusal(active(lisa), asLibrarian(lisa.id), file(), patronDone)).toBeNull();
  });

  it("stop when the chat's files would pass the total bytes", () => {
    const nearly: FileTotals = { files: 5, patronFiles: 0, bytes: FILE_LIMITS.chatBytes - 1000 };
    expect(fileRefusal(active(lisa), patron, file(1000), nearly)).toBeNull();
    expect(fileRefusal(active(lisa), patron, file(1001), nearly)).toMatchObject({ code: "too_large", message: expect.stringContaining("50 MB") });
  });

  it("take none where the library turned files off, or the owner refused them for the chat, until the owner takes them again", () => {
    expect(fileRefusal(active(lisa, { filesAllowed: false }), patron, file(), none)).toMatchObject({ code: "forbidden" });
    expect(setFilesAllowed(active(lisa, { filesAllowed: false }), lisa.id, true)).toMatchObject({ ok: false, code: "forbidden" });
    expect(setFilesAllowed(active(lisa), marge.id, false)).toMatchObject({ ok: false, code: "forbidden" });
    const off = decided(setFilesAllowed(active(lisa), lisa.id, false));
    expect(linesOf(off)).toEqual(["Lisa turned off sending files in this chat."]);
    expect(fileRefusal(off.next, patron, file(), none)).toMatchObject({ code: "forbidden" });
    expect(fileRefusal(off.next, asLibrarian(lisa.id), file(), none)).toMatchObject({ code: "forbidden" });
    expect(decided(setFilesAllowed(off.next, lisa.id, false)).outputs).toEqual([]);
    const on = decided(setFilesAllowed(off.next, lisa.id, true));
    expect(linesOf(on)).toEqual(["Lisa turned sending files back on."]);
    expect(fileRefusal(on.next, patron, file(), none)).toBeNull();
  });
});
