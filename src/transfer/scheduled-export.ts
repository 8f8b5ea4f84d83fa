/**
 * The optional nightly export of every library's and group's archive to R2
 * (the ARCHIVES bucket), when ARCHIVE_EXPORTS is "on": a copy of each
 * library's data that does not depend on D1, restorable into any Refdesk
 * installation by importing it (docs/operations.md, "Backups").
 *
 * Each owner has one object, `library/<id>.zip` or `group/<id>.zip`, replaced
 * by every export: an archive holds only what the library had that night, so
 * the bucket never keeps a patron's data much past the library's retention
 * period. Owners not exported for longest go first, at most EXPORTS_PER_RUN a
 * night (each costs D1 reads and R2 writes against the run's subrequest limit);
 * every export is recorded in `archive_exports` for the service health page.
 */
import { and, asc, eq, isNotNull, max } from "drizzle-orm";
import { database } from "../db/client";
import { archiveExports, groups, libraries } from "../db/schema";
import { errorSummary, logEvent, recordError } from "../ops/log";
import { writeArchive, type ArchiveOwner } from "./export";
import { ARCHIVE_CONTENT_TYPE } from "./format";

export const EXPORTS_PER_RUN = 50;
/** An owner exported more recently than this is not exported again in the same night's run. */
const FRESH_MS = 20 * 60 * 60 * 1000;
/** R2 multipart parts (all but the last) must be at least 5 MiB. */
const PART_BYTES = 5 * 1024 * 1024;

export const archiveObjectKey = (owner: Pick<ArchiveOwner, "kind" | "id">) => `${owner.kind}/${owner.id}.zip`;

/** Streams an owner's archive into R2 as a multipart upload; returns its size. */
export async function exportToBucket(env: Pick<Env, "DB" | "ARCHIVES">, owner: ArchiveOwner, now = Date.now()): Promise<number> {
  const key = archiveObjectKey(owner);
  const upload = await env.ARCHIVES.createMultipartUpload(key, { httpMetadata: { contentType: ARCHIVE_CONTENT_TYPE }, customMetadata: { exportedAt: String(now), name: owner.name } });
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writing = writeArchive(env.DB, owner, writable.getWriter(), now);
  try {
    const parts: R2UploadedPart[] = [];
    let buffered: Uint8Array[] = [];
    let size = 0;
    let total = 0;
    const sendPart = async () => {
      const part = new Uint8Array(size);
      let at = 0;
      for (const b of buffered) {
        part.set(b, at);
        at += b.length;
      }
      parts.push(await upload.uploadPart(parts.length + 1, part));
      buffered = [];
      size = 0;
    };
    const reader = readable.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered.push(value);
      size += value.length;
      total += value.length;
      if (size >= PART_BYTES) await sendPart();
    }
    await writing;
    if (size > 0 || parts.length === 0) await sendPart();
    await upload.complete(parts);
    return total;
  } catch (error) {
    await upload.abort().catch(() => undefined);
    await writing.catch(() => undefined);
    throw error;
  }
}

/** Tonight's export run: the owners exported longest ago (or never) first. */
export async function runScheduledExports(env: Pick<Env, "DB" | "ARCHIVES" | "ARCHIVE_EXPORTS">, now = Date.now()): Promise<{ exported: number; failed: number }> {
  if (env.ARCHIVE_EXPORTS !== "on") return { exported: 0, failed: 0 };
  const db = database(env.DB);
  const lastOf = (kind: "library" | "group") =>
    db
      .select({ ownerId: archiveExports.ownerId, at: max(archiveExports.startedAt) })
      .from(archiveExports)
      .where(and(eq(archiveExports.kind, kind), isNotNull(archiveExports.finishedAt)))
      .groupBy(archiveExports.ownerId)
      .all();
  const [libs, grps, libLast, grpLast] = await Promise.all([
    db.select({ id: libraries.id, name: libraries.name }).from(libraries).orderBy(asc(libraries.id)).all(),
    db.select({ id: groups.id, name: groups.name }).from(groups).orderBy(asc(groups.id)).all(),
    lastOf("library"),
    lastOf("group"),
  ]);
  const last = new Map([...libLast.map((r) => [`library:${r.ownerId}`, r.at ?? 0] as const), ...grpLast.map((r) => [`group:${r.ownerId}`, r.at ?? 0] as const)]);
  const due = [...libs.map((l) => ({ kind: "library" as const, ...l })), ...grps.map((g) => ({ kind: "group" as const, ...g }))]
    .map((owner) => ({ owner, at: last.get(`${owner.kind}:${owner.id}`) ?? 0 }))
    .filter((o) => now - o.at >= FRESH_MS)
    .sort((a, b) => a.at - b.at)
    .slice(0, EXPORTS_PER_RUN);
  let exported = 0;
  let failed = 0;
  for (const { owner } of due) {
    const row = await db.insert(archiveExports).values({ kind: owner.kind, ownerId: owner.id, startedAt: now }).returning({ id: archiveExports.id }).get();
    try {
      const bytes = await exportToBucket(env, owner, now);
      await db.update(archiveExports).set({ objectKey: archiveObjectKey(owner), bytes, finishedAt: Date.now() }).where(eq(archiveExports.id, row.id));
      exported += 1;
    } catch (error) {
      failed += 1;
      await db.update(archiveExports).set({ error: errorSummary(error) }).where(eq(archiveExports.id, row.id));
      await recordError(env.DB, "archive_export_failed", { kind: owner.kind, ownerId: owner.id, error: errorSummary(error) });
    }
  }
  logEvent("info", "archive_exports", { exported, failed, due: due.length });
  return { exported, failed };
}
