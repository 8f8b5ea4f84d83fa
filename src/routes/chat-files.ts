/**
 * Files in a chat, mounted beside `chatRoutes`:
 *
 * - POST /api/chats/:id/files — the patron (chat token) or, with
 *   `?as=librarian`, a librarian in the chat sends an image or a PDF. The body
 *   is the file's bytes, read with a hard limit while it arrives; the type is
 *   recognised from the bytes; the file goes to R2, then the chat decides
 *   whether it takes it — when it refuses, the stored copy is deleted again,
 *   so nothing is left behind either way.
 * - GET /api/chats/:id/files/:fileId/link — a signed link for the patron's
 *   chat window (an <img> cannot send the token).
 * - POST /api/chats/:id/files-allowed — the librarian who owns the chat turns
 *   files off or back on for it.
 *
 * The download itself (`fileDownloadRoutes`) is mounted before the app's
 * header middleware: it sets its own headers, never the pages' policy.
 */
import { Hono, type Context } from "hono";
import { z } from "zod";
import { loadLibrarian, requireLibrarian } from "../auth/middleware";
import { assertCanReadSession } from "../db/tenancy";
import { contentDisposition, safeFileName } from "../files/file-name";
import { ACCEPTED_TYPES, FILE_TEXTS } from "../files/file-texts";
import { fileLinkPage, opensAsPage } from "../files/link-pages";
import { CHAT_LINK_MS, checkFileLink, signedFilePath } from "../files/links";
import { sniffFileType } from "../files/sniff";
import { chatFileExists, deleteChatFile, getChatFile, putChatFile } from "../files/store";
import type { AppEnv } from "../http/app-env";
import { ApiError, badRequest, forbidden, refusalError, unauthorized } from "../http/errors";
import { assertSameOrigin } from "../http/origins";
import { parseBody, readBodyBytes, validate } from "../http/validate";
import { chatSession } from "../objects";
import type { FileSender } from "../objects/contracts";
import { cleanName } from "../shared/display-text";
import { FILE_TYPES, isImageType } from "../shared/file-types";
import { FILE_LIMITS } from "../shared/limits";
import type { SessionView } from "../shared/protocol";
import { bearerToken, corsForSessionLibrary, describeSession } from "./chats";
import { anyoneOrSignedIn, PATRON, SERVING_LIBRARIAN } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, BAD_QUERY, BAD_TOKEN, EMBED_REFUSED, NOT_SIGNED_IN, NO_BEARER, OTHER_SITE, SESSION_OTHER_LIBRARY, SESSION_UNKNOWN, refusal } from "./openapi/refusals";
import { PARAMS } from "./openapi/shapes";

export const chatFileRoutes = new Hono<AppEnv>();
export const fileDownloadRoutes = new Hono<AppEnv>();

/** How long alt text may be, in characters. */
const ALT_CHARS = 300;

const uploadQuerySchema = z.object({
  /** The sender's own id for this file: a retry with the same id is stored once. */
  clientId: z.string().min(1).max(100),
  /** The file's name as chosen (shown cleaned, always ending in its type's extension). */
  name: z.string().max(1000),
  /** What an image shows, for screen readers; empty or absent: its name stands in. */
  alt: z.string().max(ALT_CHARS * 4).optional(),
  as: z.literal("librarian").optional(),
});

export const filesAllowedSchema = z.object({ allowed: z.boolean() });

const FILE_PARAMS = { ...PARAMS.sessionId, fileId: { description: "The file's id (`message.file.id` of its `file` message)." } };

const megabytes = FILE_LIMITS.fileBytes / (1024 * 1024);

/** A file id as we make them (a UUID); anything else is not found. */
const isFileId = (id: string) => /^[0-9a-f-]{36}$/.test(id);

/** Who is sending: the patron with their token, or a librarian of the chat from our own pages. */
async function sender(c: Context<AppEnv>, view: SessionView, asLibrarian: boolean): Promise<FileSender> {
  if (asLibrarian) {
    const librarian = requireLibrarian(c);
    assertSameOrigin(c);
    assertCanReadSession(librarian, view);
    return { role: "librarian", librarianId: librarian.id };
  }
  const token = bearerToken(c);
  await corsForSessionLibrary(c, view.libraryId);
  if (!(await chatSession(c.env, view.id).patronTokenValid(token))) throw unauthorized(FILE_TEXTS.badToken);
  return { role: "patron" };
}

/** Refusals the chat's view already answers, before the bytes are read. */
function refuseEarly(view: SessionView, from: FileSender): void {
  if (view.status === "ended" || view.status === "unavailable") throw new ApiError(409, "session_ended", FILE_TEXTS.chatOver);
  if (from.role === "librarian" && view.librarian?.id !== from.librarianId && !view.consultants?.some((l) => l.id === from.librarianId)) throw forbidden(FILE_TEXTS.notInChat);
  if (view.filesAllowed === false) throw forbidden(FILE_TEXTS.filesOff);
}

chatFileRoutes.post("/:id/files", documented({
  group: GROUPS.chatFiles,
  summary: "Send a file in a chat",
  description:
    `Sends an image or a PDF into the chat: the body is the file's bytes (any \`Content-Type\`; send \`application/octet-stream\`), at most ${megabytes} MB, read with the limit kept while it arrives. ` +
    `The type is recognised from the first bytes — ${ACCEPTED_TYPES} — never from the name or the declared type. ` +
    `The chat then decides whether it takes the file: at most ${FILE_LIMITS.perChat} files per chat, ${FILE_LIMITS.perPatron} from the patron, ${FILE_LIMITS.chatBytes / (1024 * 1024)} MB in all; not when the library or the librarian turned files off. ` +
    "Both sides get it as a `file` message (`message.file`: `{id, name, type, bytes, alt}`); a refused file is not kept. A repeated `clientId` is stored once.",
  who: anyoneOrSignedIn("The patron (`Authorization: Bearer <token>`; cross-origin only from the library's allowed sites), or with `?as=librarian` a signed-in librarian in the chat (serving or consulting), from Refdesk's own pages."),
  params: PARAMS.sessionId,
  query: uploadQuerySchema,
  rawBody: { types: ["application/octet-stream"], description: `The file's bytes: a ${ACCEPTED_TYPES}, at most ${megabytes} MB.` },
  answers: { 201: "`{message, duplicate: false}`: the `file` message as both sides got it.", 200: "`{message, duplicate: true}` for a repeated `clientId`." },
  refusals: [
    BAD_QUERY,
    SESSION_UNKNOWN,
    NO_BEARER,
    EMBED_REFUSED,
    BAD_TOKEN,
    NOT_SIGNED_IN,
    OTHER_SITE,
    SESSION_OTHER_LIBRARY,
    refusal(409, "session_ended", "The chat has ended."),
    refusal(403, "forbidden", "The librarian is not in the chat, or files are turned off for it (by the library, or by the librarian for this chat)."),
    refusal(413, "too_large", `The file is over ${megabytes} MB.`, "file"),
    refusal(400, "validation_failed", "The body is empty.", "file"),
    refusal(415, "validation_failed", `The bytes are not a ${ACCEPTED_TYPES}.`, "file"),
    refusal(409, "not_active", "The chat is not open for files now (a librarian sends only while it is active)."),
    refusal(413, "too_large", "The chat already holds as many files, or as many of the patron's files, or as many bytes, as it may."),
  ],
}), async (c) => {
  const query = validate(uploadQuerySchema, c.req.query());
  const found = await describeSession(c.env, c.req.param("id"));
  const from = await sender(c, found.view, query.as === "librarian");
  refuseEarly(found.view, from);

  const bytes = await readBodyBytes(c, FILE_LIMITS.fileBytes, () => new ApiError(413, "too_large", FILE_TEXTS.tooLarge, "file"));
  if (bytes.length === 0) throw badRequest(FILE_TEXTS.empty, "file");
  const type = sniffFileType(bytes);
  if (!type) throw new ApiError(415, "validation_failed", FILE_TEXTS.wrongType, "file");

  const sessionId = found.view.id;
  const fileId = crypto.randomUUID();
  const name = safeFileName(query.name, type);
  const alt = cleanName(query.alt ?? "").slice(0, ALT_CHARS) || null;
  await putChatFile(c.env, sessionId, fileId, bytes, type, name);
  const result = await chatSession(c.env, sessionId)
    .attachFile({ from, clientId: query.clientId, file: { id: fileId, name, type, bytes: bytes.length, alt } })
    .catch(async (error: unknown) => {
      await deleteChatFile(c.env, sessionId, fileId);
      throw error;
    });
  // Refused, or a retry of a file the chat already has: this copy is not needed.
  if (!result.ok || result.duplicate) await deleteChatFile(c.env, sessionId, fileId);
  if (!result.ok) throw refusalError(result);
  return c.json({ message: result.message, duplicate: result.duplicate }, result.duplicate ? 200 : 201);
});

chatFileRoutes.get("/:id/files/:fileId/link", documented({
  group: GROUPS.chatFiles,
  summary: "A link to a chat's file, for the patron",
  description: "A signed link to one file of the chat, which works for a day without the token (an image element cannot send it). Librarians open files at the plain address with their sign-in.",
  who: PATRON,
  params: FILE_PARAMS,
  answers: { 200: "`{url, expiresAt}`: `url` is a path with `expires` and `sig`." },
  refusals: [NO_BEARER, SESSION_UNKNOWN, EMBED_REFUSED, BAD_TOKEN, refusal(404, "not_found", "No such file in this chat.")],
}), async (c) => {
  const token = bearerToken(c);
  const found = await describeSession(c.env, c.req.param("id"));
  await corsForSessionLibrary(c, found.view.libraryId);
  if (!(await chatSession(c.env, found.view.id).patronTokenValid(token))) throw unauthorized(FILE_TEXTS.badToken);
  const fileId = c.req.param("fileId");
  if (!isFileId(fileId) || !(await chatFileExists(c.env, found.view.id, fileId))) throw new ApiError(404, "not_found", FILE_TEXTS.fileGone);
  const expiresAt = Date.now() + CHAT_LINK_MS;
  return c.json({ url: await signedFilePath(c.env, found.view.id, fileId, expiresAt), expiresAt });
});

chatFileRoutes.post("/:id/files-allowed", documented({
  group: GROUPS.chatFiles,
  summary: "Turn files off or on for a chat",
  description: "The librarian who owns the chat refuses files for it (`allowed: false`), or takes them again. Both sides see a line saying so, and the session's `filesAllowed` changes. Where the library turned files off, they cannot be turned on here.",
  who: SERVING_LIBRARIAN,
  params: PARAMS.sessionId,
  body: filesAllowedSchema,
  answers: { 200: "`{session}` with `filesAllowed` as it now is." },
  refusals: [NOT_SIGNED_IN, OTHER_SITE, BAD_BODY, SESSION_UNKNOWN, refusal(403, "forbidden", "Not the librarian who owns the chat, or the library turned files off.")],
}), async (c) => {
  const librarian = requireLibrarian(c);
  assertSameOrigin(c);
  const body = await parseBody(c, filesAllowedSchema);
  const found = await describeSession(c.env, c.req.param("id"));
  const result = await chatSession(c.env, found.view.id).setFilesAllowed(librarian.id, body.allowed);
  if (!result.ok) throw refusalError(result);
  return c.json({ session: result.session });
});

// ---- the download -------------------------------------------------------------

fileDownloadRoutes.use("/api/chats/:id/files/:fileId", loadLibrarian);

fileDownloadRoutes.get("/api/chats/:id/files/:fileId", documented({
  group: GROUPS.chatFiles,
  summary: "A chat's file",
  description:
    "The file itself, with the type recognised from its bytes at upload. Images open inline, PDFs as a download (`Content-Disposition`); `X-Content-Type-Options: nosniff` and `Content-Security-Policy: default-src 'none'; sandbox` keep anything in it from running. " +
    "By a signed link (`expires` and `sig`, from a transcript mail or the patron's link route) until it expires; else by a signed-in librarian who may read the chat — of its library, or serving or consulting in it. " +
    "A browser opening a signed link (`Accept: text/html`, as from the mail) that has expired, that Refdesk did not make, or whose file is gone gets a short page saying so, with the same status, in the chat's language (the browser's for a link Refdesk did not make).",
  who: anyoneOrSignedIn("Whoever holds a signed link that has not expired; or a signed-in librarian of the chat's library, or serving or consulting in it."),
  kind: "file",
  params: FILE_PARAMS,
  query: { expires: "A signed link's expiry (milliseconds since the epoch).", sig: "A signed link's signature." },
  answers: { 200: "The file's bytes." },
  refusals: [
    refusal(403, "forbidden", "A signed link that was changed or not made by Refdesk, or one that has expired."),
    NOT_SIGNED_IN,
    SESSION_UNKNOWN,
    SESSION_OTHER_LIBRARY,
    refusal(404, "not_found", "No such file in this chat (also once the library's retention deleted it)."),
  ],
}), async (c) => {
  const sessionId = c.req.param("id");
  const fileId = c.req.param("fileId");
  const { expires, sig } = c.req.query();
  let byLink = false;
  if (expires !== undefined || sig !== undefined) {
    const check = await checkFileLink(c.env, sessionId, fileId, expires ?? "", sig ?? "", Date.now());
    if (check !== "valid") {
      if (opensAsPage(c)) return fileLinkPage(c, sessionId, check);
      throw forbidden(check === "expired" ? FILE_TEXTS.linkExpired : FILE_TEXTS.linkForged);
    }
    byLink = true;
  } else {
    const librarian = c.get("librarian");
    if (!librarian) throw unauthorized(FILE_TEXTS.notSignedIn);
    const found = await describeSession(c.env, sessionId);
    assertCanReadSession(librarian, found.view);
  }
  const file = isFileId(fileId) ? await getChatFile(c.env, sessionId, fileId) : null;
  if (!file || !(file.type in FILE_TYPES)) {
    if (byLink && opensAsPage(c)) return fileLinkPage(c, sessionId, "gone");
    throw new ApiError(404, "not_found", FILE_TEXTS.fileGone);
  }
  return new Response(file.body, {
    headers: {
      // The type recognised from the bytes at upload, never one a client declared.
      "Content-Type": file.type,
      "Content-Length": String(file.bytes),
      "Content-Disposition": contentDisposition(isImageType(file.type) ? "inline" : "attachment", file.name),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      // A signed link is for any page (the Qwidget shows images on the library's site); a sign-in only for ours.
      "Cross-Origin-Resource-Policy": byLink ? "cross-origin" : "same-origin",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "private, max-age=300",
    },
  });
});
