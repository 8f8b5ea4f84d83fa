/**
 * Files in a chat: who may send one, and within what limits (FILE_LIMITS).
 * The Worker checks the bytes and stores the file in R2; the chat decides
 * whether it may be added, and keeps only what the file is. The library may
 * turn files off for all its chats, and the librarian who owns a chat for it.
 * The sentences here are for API clients and librarians: a patron's window
 * words each refusal from its code and field in the patron's language
 * (src/client/shared/file-upload.ts), so a code and field name one reason.
 */
import type { FileSender, Refusal } from "../../../src/objects/contracts";
import { FILE_LIMITS } from "../../../src/shared/limits";
import type { SharedFile } from "../../../src/shared/protocol";
import { isInChat, isOver, type SessionState } from "../session-state";
import { decide, refuse, type Verdict } from "./decision";

/** How many files a chat holds, how many the patron sent, and their bytes. */
export interface FileTotals {
  files: number;
  patronFiles: number;
  bytes: number;
}

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** Whether files may be sent in this chat at all. */
export const filesAllowed = (s: SessionState): boolean => s.filesAllowed !== false && !s.filesRefused;

/** Why this file may not be added now (null: it may). */
export function fileRefusal(s: SessionState, from: FileSender, file: SharedFile, totals: FileTotals): Refusal | null {
  if (isOver(s)) return refuse("session_ended", "This chat has ended.");
  if (from.role === "librarian" && !isInChat(s, from.librarianId)) return refuse("forbidden", "Only a librarian in this chat can send it files.");
  const open = from.role === "patron" ? s.status === "waiting" || s.status === "active" : s.status === "active";
  if (!open) return refuse("not_active", "This chat is not open for files now.");
  if (!filesAllowed(s)) return refuse("forbidden", "Files are turned off for this chat.");
  if (file.bytes > FILE_LIMITS.fileBytes) return refuse("too_large", `A file may be at most ${megabytes(FILE_LIMITS.fileBytes)}.`, { field: "file" });
  if (totals.files >= FILE_LIMITS.perChat) return refuse("too_large", `A chat may hold at most ${FILE_LIMITS.perChat} files.`);
  if (from.role === "patron" && totals.patronFiles >= FILE_LIMITS.perPatron) return refuse("too_large", `You may send at most ${FILE_LIMITS.perPatron} files in a chat.`);
  if (totals.bytes + file.bytes > FILE_LIMITS.chatBytes) return refuse("too_large", `The files of a chat may come to at most ${megabytes(FILE_LIMITS.chatBytes)}.`);
  return null;
}

/** The librarian who owns the chat turns files off (or back on) for it; both sides are told. */
export function setFilesAllowed(s: SessionState, librarianId: string, allowed: boolean): Verdict {
  if (s.librarian?.id !== librarianId) return refuse("forbidden", "Only the librarian who owns this chat can turn files off or on.");
  if (s.filesAllowed === false) return refuse("forbidden", "The library has turned files off for its chats.");
  if (!s.filesRefused === allowed) return decide(s);
  return decide({ ...s, filesRefused: !allowed }, [{ kind: "line", line: { key: allowed ? "filesOn" : "filesOff", params: { name: s.librarian.name } } }, { kind: "status" }]);
}
