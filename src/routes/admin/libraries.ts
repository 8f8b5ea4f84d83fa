/**
 * /api/admin/libraries — the libraries an actor administers, a library's
 * settings, its audit log and its privacy record (retention, IP mode, scrubs).
 */
import { asc, desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { auditCursor, auditStatement, changedFields, readAudit } from "../../admin/audit";
import { authorize, requireActor } from "../../admin/authorize";
import { loadLibrary } from "../../admin/lookups";
import { database } from "../../db/client";
import { libraries, scrubChanges, scrubRuns } from "../../db/schema";
import type { AppEnv } from "../../http/app-env";
import { badRequest } from "../../http/errors";
import { parseBody } from "../../http/validate";
import { TRANSCRIPT_PLACEHOLDERS } from "../../mail/transcript-mail";
import { librarySettingsSchema } from "../../shared/admin-api";
import { ADMIN_OF_LIBRARY, LIBRARIAN } from "../openapi/callers";
import { documented } from "../openapi/describe";
import { GROUPS } from "../openapi/groups";
import { BAD_BODY, LIBRARY_UNKNOWN, NOT_ADMIN_OF_LIBRARY, NOT_SIGNED_IN, OTHER_SITE, refusal } from "../openapi/refusals";
import { AUDIT_PAGE, AUDIT_QUERY, PARAMS } from "../openapi/shapes";

export const libraryRoutes = new Hono<AppEnv>();

type LibraryRow = typeof libraries.$inferSelect;

/** The settings an administrator edits, as the API shows them. */
function settingsView(l: LibraryRow) {
  return {
    id: l.id,
    name: l.name,
    contactEmail: l.contactEmail,
    phone: l.phone,
    websiteUrl: l.websiteUrl,
    timeZone: l.timeZone,
    hoursText: l.hoursText,
    hoursByWeekday: l.hoursByWeekday,
    unavailableMessage: l.unavailableMessage,
    fallbackLinks: l.fallbackLinks,
    brandColor: l.brandColor,
    rolloverSeconds: l.rolloverSeconds,
    waitLimitSeconds: l.waitLimitSeconds,
    idleEndMinutes: l.idleEndMinutes,
    retentionDays: l.retentionDays,
    ipMode: l.ipMode,
    filesAllowed: l.filesAllowed,
    mailSenderName: l.mailSenderName,
    transcriptTemplate: l.transcriptTemplate,
    allowedOrigins: l.allowedOrigins,
  };
}

libraryRoutes.get("/libraries", documented({
  group: GROUPS.libraryAdmin,
  summary: "The libraries I administer",
  description: "The libraries the actor administers: none for a `librarian`, their own for a `library_admin` or `group_admin`, all for a `service_admin`.",
  who: LIBRARIAN,
  answers: { 200: "`{libraries: [{id, name}]}`." },
  refusals: [NOT_SIGNED_IN],
}), async (c) => {
  const actor = await requireActor(c);
  const db = database(c.env.DB);
  const query = db.select({ id: libraries.id, name: libraries.name }).from(libraries);
  const rows =
    actor.role === "service_admin"
      ? await query.orderBy(asc(libraries.name)).all()
      : actor.role === "librarian"
        ? []
        : await query.where(eq(libraries.id, actor.libraryId)).all();
  return c.json({ libraries: rows });
});

libraryRoutes.get("/libraries/:libraryId/settings", documented({
  group: GROUPS.libraryAdmin,
  summary: "A library's settings",
  description: "The library's settings, and the placeholders its transcript template may use.",
  who: ADMIN_OF_LIBRARY,
  params: PARAMS.libraryId,
  answers: {
    200: "`{settings: {id, name, contactEmail, phone, websiteUrl, timeZone, hoursText, hoursByWeekday, unavailableMessage, fallbackLinks, brandColor, rolloverSeconds, waitLimitSeconds, idleEndMinutes, retentionDays, ipMode, filesAllowed, mailSenderName, transcriptTemplate, allowedOrigins}, placeholders}`.",
  },
  refusals: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, LIBRARY_UNKNOWN],
}), async (c) => {
  const libraryId = c.req.param("libraryId");
  await authorize(c, "library.read", { library: libraryId });
  const library = await loadLibrary(database(c.env.DB), libraryId);
  return c.json({ settings: settingsView(library), placeholders: TRANSCRIPT_PLACEHOLDERS });
});

libraryRoutes.patch("/libraries/:libraryId/settings", documented({
  group: GROUPS.libraryAdmin,
  summary: "Change a library's settings",
  description: "Changes any of the settings (at least one). `allowedOrigins` are the sites allowed to embed the library's chat (origins, normalised, duplicates dropped).",
  who: ADMIN_OF_LIBRARY,
  params: PARAMS.libraryId,
  body: librarySettingsSchema,
  answers: { 200: "`{settings, changed}`: all settings as they now are, and the names of those that changed." },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    NOT_ADMIN_OF_LIBRARY,
    BAD_BODY,
    LIBRARY_UNKNOWN,
    refusal(400, "validation_failed", "The roll-over time is not shorter than the wait limit.", "`rolloverSeconds` or `waitLimitSeconds` (whichever was sent)"),
    refusal(400, "validation_failed", `The transcript template uses a placeholder other than ${TRANSCRIPT_PLACEHOLDERS.map((p) => `\`{{${p}}}\``).join(", ")}.`, "transcriptTemplate"),
  ],
}), async (c) => {
  const libraryId = c.req.param("libraryId");
  const actor = await authorize(c, "library.settings.write", { library: libraryId });
  const body = await parseBody(c, librarySettingsSchema);
  const db = database(c.env.DB);
  const library = await loadLibrary(db, libraryId);
  const before = settingsView(library);
  const after = { ...before, ...body };
  // Roll-over to the cooperative must come before the patron is told nobody is coming.
  if (after.rolloverSeconds >= after.waitLimitSeconds) {
    const field = "rolloverSeconds" in body ? "rolloverSeconds" : "waitLimitSeconds";
    throw badRequest(`${field}: the roll-over time (${after.rolloverSeconds} s) must be shorter than the wait limit (${after.waitLimitSeconds} s)`, field);
  }
  if (body.transcriptTemplate) {
    const unknown = [...body.transcriptTemplate.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).find((k) => !(TRANSCRIPT_PLACEHOLDERS as readonly string[]).includes(k));
    if (unknown) throw badRequest(`transcriptTemplate: {{${unknown}}} is not a placeholder; use ${TRANSCRIPT_PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}`, "transcriptTemplate");
  }
  const diff = changedFields(before, body);
  if (Object.keys(diff.after).length > 0) {
    const now = Date.now();
    await db.batch([
      db.update(libraries).set(diff.after).where(eq(libraries.id, libraryId)),
      auditStatement(db, actor, { libraryId, action: "library.settings_updated", targetType: "library", targetId: libraryId, ...diff }, now),
    ]);
  }
  return c.json({ settings: after, changed: Object.keys(diff.after) });
});

libraryRoutes.get("/libraries/:libraryId/audit", documented({
  group: GROUPS.libraryAdmin,
  summary: "A library's audit log",
  description: "The library's audit log.",
  who: ADMIN_OF_LIBRARY,
  params: PARAMS.libraryId,
  query: AUDIT_QUERY,
  answers: { 200: `${AUDIT_PAGE}.` },
  refusals: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY],
}), async (c) => {
  const libraryId = c.req.param("libraryId");
  await authorize(c, "library.read", { library: libraryId });
  const before = auditCursor(c.req.query("before"));
  return c.json(await readAudit(database(c.env.DB), { libraryId }, before));
});

/** How many past scrub runs the privacy page lists. */
export const SCRUB_HISTORY = 10;

libraryRoutes.get("/libraries/:libraryId/privacy", documented({
  group: GROUPS.libraryAdmin,
  summary: "A library's privacy record",
  description: `The library's privacy record: retention, IP mode, and the last ${SCRUB_HISTORY} scrub runs with what each removed in this library.`,
  who: ADMIN_OF_LIBRARY,
  params: PARAMS.libraryId,
  answers: { 200: "`{retentionDays, ipMode, runs: [{id, scheduledAt, startedAt, finishedAt, ok, sessionsScrubbed, questionsScrubbed, mailsScrubbed, cutoff}]}`." },
  refusals: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, LIBRARY_UNKNOWN],
}), async (c) => {
  const libraryId = c.req.param("libraryId");
  await authorize(c, "library.read", { library: libraryId });
  const db = database(c.env.DB);
  const library = await loadLibrary(db, libraryId);
  const runs = await db.select().from(scrubRuns).orderBy(desc(scrubRuns.id)).limit(SCRUB_HISTORY).all();
  const changes = await db.select().from(scrubChanges).where(eq(scrubChanges.libraryId, libraryId)).orderBy(desc(scrubChanges.runId)).limit(SCRUB_HISTORY * 5).all();
  const byRun = new Map(changes.map((ch) => [ch.runId, ch]));
  return c.json({
    retentionDays: library.retentionDays,
    ipMode: library.ipMode,
    runs: runs.map((r) => {
      const ch = byRun.get(r.id);
      return {
        id: r.id,
        scheduledAt: r.scheduledAt,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        ok: r.error === null,
        // Counts for this library only: other libraries' figures are theirs.
        sessionsScrubbed: ch?.sessionsScrubbed ?? 0,
        questionsScrubbed: ch?.questionsScrubbed ?? 0,
        mailsScrubbed: ch?.mailsScrubbed ?? 0,
        cutoff: ch?.cutoff ?? null,
      };
    }),
  });
});
