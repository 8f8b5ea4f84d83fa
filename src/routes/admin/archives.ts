/**
 * A library's or a group's data, out and in: its administrators download the
 * archive (src/transfer), and a service administrator of another installation
 * imports it. Downloads are audited: they carry every record the library has.
 */
import { Hono, type Context } from "hono";
import { auditStatement } from "../../admin/audit";
import { authorize, type Actor } from "../../admin/authorize";
import { loadGroup, loadLibrary } from "../../admin/lookups";
import { database } from "../../db/client";
import type { AppEnv } from "../../http/app-env";
import { ApiError } from "../../http/errors";
import { errorSummary, recordError } from "../../ops/log";
import { ARCHIVE_LIMITS } from "../../shared/limits";
import { archiveFileName, archiveStream, type ArchiveOwner } from "../../transfer/export";
import { ARCHIVE_CONTENT_TYPE } from "../../transfer/format";
import { importArchive } from "../../transfer/import";
import { ADMIN_OF_GROUP, ADMIN_OF_LIBRARY, signedIn } from "../openapi/callers";
import { documented } from "../openapi/describe";
import { GROUPS } from "../openapi/groups";
import { GROUP_UNKNOWN, LIBRARY_UNKNOWN, NOT_ADMIN_OF_GROUP, NOT_ADMIN_OF_LIBRARY, NOT_SIGNED_IN, OTHER_SITE, refusal } from "../openapi/refusals";
import { PARAMS } from "../openapi/shapes";

export const archiveRoutes = new Hono<AppEnv>();

const ARCHIVE_ANSWER =
  "The archive, `Content-Type: application/zip`, as an attachment: `manifest.json` (format, version, sections, each JSON file's SHA-256), one JSON file per section (large ones split into numbered files), and CSV views under `csv/`. Format: docs/operations.md.";

/** Audits the download, then streams the archive; a failure half-way is recorded and breaks the download. */
async function download(c: Context<AppEnv>, actor: Actor, owner: ArchiveOwner) {
  const db = database(c.env.DB);
  const now = Date.now();
  await auditStatement(
    db,
    actor,
    { libraryId: owner.kind === "library" ? owner.id : null, groupId: owner.kind === "group" ? owner.id : null, action: owner.kind === "library" ? "library.exported" : "group.exported", targetType: owner.kind, targetId: owner.id, before: null, after: null },
    now,
  );
  const stream = archiveStream(c.env.DB, owner, (error) => recordError(c.env.DB, "export_failed", { kind: owner.kind, ownerId: owner.id, error: errorSummary(error) }), now);
  return new Response(stream, {
    headers: {
      "Content-Type": ARCHIVE_CONTENT_TYPE,
      "Content-Disposition": `attachment; filename="${archiveFileName(owner, now)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

archiveRoutes.get("/libraries/:libraryId/export", documented({
  group: GROUPS.archives,
  summary: "Download a library's archive",
  description:
    "Everything the library owns: settings, accounts (never passwords), forms and logos, descriptive codes, scripts, policy page, filed chats with transcripts, questions with their history, the mail sent about them, cooperative feedback it wrote, its audit log. Only what it still has: whatever the privacy scrub removed is not in it. Chats still open and mail still waiting come in a later export.",
  who: ADMIN_OF_LIBRARY,
  kind: "archive",
  params: PARAMS.libraryId,
  answers: { 200: ARCHIVE_ANSWER },
  refusals: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, LIBRARY_UNKNOWN],
}), async (c) => {
  const libraryId = c.req.param("libraryId");
  const actor = await authorize(c, "library.read", { library: libraryId });
  const library = await loadLibrary(database(c.env.DB), libraryId);
  return download(c, actor, { kind: "library", id: library.id, name: library.name });
});

archiveRoutes.get("/groups/:groupId/export", documented({
  group: GROUPS.archives,
  summary: "Download a group's archive",
  description: "The group's own things: the group, its page, its members (which libraries, in which order), its forms and logos, its coverage schedule, its invitations, its audit log.",
  who: ADMIN_OF_GROUP,
  kind: "archive",
  params: PARAMS.groupId,
  answers: { 200: ARCHIVE_ANSWER },
  refusals: [NOT_SIGNED_IN, NOT_ADMIN_OF_GROUP, GROUP_UNKNOWN],
}), async (c) => {
  const groupId = c.req.param("groupId");
  const actor = await authorize(c, "group.read", { group: groupId });
  const group = await loadGroup(database(c.env.DB), groupId);
  return download(c, actor, { kind: "group", id: group.id, name: group.name });
});

/** The request body, refused (413) as soon as it is larger than `max` bytes. */
async function readLimited(c: Context<AppEnv>, max: number): Promise<Uint8Array> {
  const tooLarge = () => new ApiError(413, "too_large", `An archive may be at most ${max / 1024 / 1024} MB.`, "archive");
  if (Number(c.req.header("content-length") ?? "0") > max) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) throw new ApiError(400, "validation_failed", "Send the archive (the .zip file) as the request body.", "archive");
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return bytes;
}

archiveRoutes.post("/service/import", documented({
  group: GROUPS.archives,
  summary: "Import an archive",
  description:
    "Imports a library's or a group's archive written by a Refdesk export (this installation or another). Everything is checked before anything is written; a refused archive changes nothing. A library comes with its accounts, none with a password: each needs a password reset (a fresh invitation) to sign in, and an archive never makes anyone a service administrator here. A group's member libraries must be imported first.",
  who: signedIn("A `service_admin`.", ["service_admin"]),
  rawBody: { types: [ARCHIVE_CONTENT_TYPE], description: `The archive as the body (at most ${ARCHIVE_LIMITS.archiveBytes} bytes; each file in it at most ${ARCHIVE_LIMITS.fileBytes} bytes unpacked).` },
  answers: { 201: "`{imported: {kind, id, name, counts, accountsWithoutPassword, notes}}`: rows created per section, and what changed on the way in." },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    refusal(403, "forbidden", "Not a service administrator."),
    refusal(400, "validation_failed", "Not a ZIP, not a Refdesk archive, damaged (a file does not match its digest), or a row breaks its section's schema or refers to what the archive lacks; the message says where.", "archive"),
    refusal(400, "validation_failed", "The archive's format version is one this installation does not read.", "version"),
    refusal(409, "duplicate", "The library or group, or an id or address in the archive, exists here already; or a group's libraries are missing.", "archive"),
    refusal(413, "too_large", "The archive, or a file in it, is over the limit.", "archive"),
  ],
}), async (c) => {
  const actor = await authorize(c, "service.manage", { service: true });
  const bytes = await readLimited(c, ARCHIVE_LIMITS.archiveBytes);
  const imported = await importArchive(c.env, bytes, actor);
  return c.json({ imported }, 201);
});
