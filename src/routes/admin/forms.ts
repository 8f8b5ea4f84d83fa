/**
 * /api/admin — chat request forms: a library's (or a group's) forms, one form's
 * settings, its logo, and what to copy (hosted URL and Qwidget embed).
 */
import { asc, eq, or } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { auditStatement, changedFields } from "../../admin/audit";
import { authorize, can, requireActor, type Actor } from "../../admin/authorize";
import { logoUrl, sha256Hex, sniffImageType, toBase64 } from "../../admin/logo";
import { loadForm, loadGroup, loadLibrary, publicOrigin } from "../../admin/lookups";
import { database, type Database } from "../../db/client";
import { formLogos, forms, groupMembers, groups, libraries } from "../../db/schema";
import type { AppEnv } from "../../http/app-env";
import { ApiError, badRequest, forbidden } from "../../http/errors";
import { parseBody, readBodyBytes } from "../../http/validate";
import { groupQueueId, libraryQueueId } from "../../queues/queue-ids";
import { newFormSchema, formSettingsSchema } from "../../shared/admin-api";
import { LOGO_RULES } from "../../shared/admin-limits";
import { hostedFormUrl, qwidgetSnippet } from "../../shared/embed";
import { parseFormFields } from "../../shared/forms";
import { formLayout } from "../../shared/form-layout";
import { offeredLanguages, parseFormTranslations } from "../../shared/form-translations";
import { ADMIN_OF_FORM, ADMIN_OF_GROUP, ADMIN_OF_LIBRARY } from "../openapi/callers";
import { documented } from "../openapi/describe";
import { GROUPS } from "../openapi/groups";
import { BAD_BODY, FORM_UNKNOWN, GROUP_UNKNOWN, LIBRARY_UNKNOWN, NOT_ADMIN_OF_GROUP, NOT_ADMIN_OF_LIBRARY, NOT_FORM_ADMIN, NOT_SIGNED_IN, OTHER_SITE, refusal } from "../openapi/refusals";
import { FORM_ROW, PARAMS } from "../openapi/shapes";

export const formRoutes = new Hono<AppEnv>();

type FormRow = typeof forms.$inferSelect;

/** The queues a form filing into `libraryId` may feed: the library's own and those of its groups. */
async function queuesFor(db: Database, libraryId: string) {
  const library = await loadLibrary(db, libraryId);
  const memberOf = await db
    .select({ id: groups.id, name: groups.name })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.libraryId, libraryId))
    .orderBy(asc(groupMembers.position))
    .all();
  return [{ id: libraryQueueId(libraryId), name: `${library.name} (library queue)` }, ...memberOf.map((g) => ({ id: groupQueueId(g.id), name: `${g.name} (cooperative queue)` }))];
}

function formView(c: Context<AppEnv>, f: FormRow) {
  const origin = publicOrigin(c);
  return {
    id: f.id,
    libraryId: f.libraryId,
    groupId: f.groupId,
    queueId: f.queueId,
    title: f.title,
    intro: f.intro,
    fields: formLayout(parseFormFields(f.fields)),
    languages: offeredLanguages(f.languages, f.defaultLanguage),
    defaultLanguage: f.defaultLanguage,
    translations: parseFormTranslations(f.translations),
    chatMethod: f.chatMethod,
    brandColor: f.brandColor,
    logoUrl: f.logoUrl,
    enabled: f.enabled,
    createdAt: f.createdAt,
    formUrl: hostedFormUrl(origin, f.id),
    embedCode: qwidgetSnippet(origin, f.id),
  };
}

/** May the actor edit this form: as its library's administrator, or its group's. */
async function authorizeForm(c: Context<AppEnv>, form: FormRow): Promise<Actor> {
  const actor = await requireActor(c);
  const viaLibrary = form.libraryId !== null && can(actor, "library.forms.write", { library: form.libraryId });
  const viaGroup = form.groupId !== null && can(actor, "group.forms.write", { group: form.groupId });
  if (!viaLibrary && !viaGroup) throw forbidden("Only this form's library or group administrators can do that.");
  return actor;
}

function newFormId(prefix: string): string {
  return `${prefix.slice(0, 40)}-${crypto.randomUUID().slice(0, 8)}`;
}

async function createForm(c: Context<AppEnv>, db: Database, actor: Actor, owner: { libraryId: string; groupId: string | null }, body: ReturnType<typeof newFormSchema.parse>) {
  const queues = await queuesFor(db, owner.libraryId);
  if (!queues.some((q) => q.id === body.queueId)) throw badRequest("Choose one of the queues this library can feed", "queueId");
  const now = Date.now();
  const row: FormRow = {
    id: newFormId(owner.groupId ?? owner.libraryId),
    libraryId: owner.libraryId,
    groupId: owner.groupId,
    queueId: body.queueId,
    title: body.title,
    intro: body.intro,
    fields: body.fields,
    chatMethod: body.chatMethod,
    brandColor: body.brandColor,
    logoUrl: null,
    enabled: body.enabled,
    createdAt: now,
    survey: null,
    languages: body.languages ?? ["en"],
    defaultLanguage: body.defaultLanguage ?? body.languages?.[0] ?? "en",
    translations: body.translations ?? {},
  };
  await db.batch([
    db.insert(forms).values(row),
    auditStatement(db, actor, { libraryId: owner.libraryId, groupId: owner.groupId, action: "form.created", targetType: "form", targetId: row.id, before: null, after: auditableForm(row) }, now),
  ]);
  return c.json({ form: formView(c, row), queues }, 201);
}

/** The form's languages after a change: each setting left out keeps what the form had; the default must stay among those offered. */
function languageSettings(form: FormRow, body: { languages?: string[]; defaultLanguage?: string; translations?: unknown }) {
  const languages = body.languages ?? offeredLanguages(form.languages, form.defaultLanguage);
  const defaultLanguage = body.defaultLanguage ?? (languages.includes(form.defaultLanguage) ? form.defaultLanguage : languages[0]!);
  if (!languages.includes(defaultLanguage)) throw badRequest("The default language must be one of the languages offered", "defaultLanguage");
  return { languages, defaultLanguage, translations: body.translations ?? form.translations };
}

/** What the audit log keeps of a form. */
function auditableForm(f: FormRow) {
  return { title: f.title, intro: f.intro, fields: f.fields, queueId: f.queueId, chatMethod: f.chatMethod, brandColor: f.brandColor, enabled: f.enabled, logoUrl: f.logoUrl, languages: f.languages, defaultLanguage: f.defaultLanguage, translations: f.translations };
}

// ---- a library's forms ------------------------------------------------------------

formRoutes.get("/libraries/:libraryId/forms", documented({
  group: GROUPS.formAdmin,
  summary: "A library's forms",
  description: "The library's forms, oldest first, and the queues a form of the library may feed (its own and its groups').",
  who: ADMIN_OF_LIBRARY,
  params: PARAMS.libraryId,
  answers: { 200: `\`{forms, queues: [{id, name}]}\`: each ${FORM_ROW}.` },
  refusals: [NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, LIBRARY_UNKNOWN],
}), async (c) => {
  const libraryId = c.req.param("libraryId");
  await authorize(c, "library.read", { library: libraryId });
  const db = database(c.env.DB);
  const queues = await queuesFor(db, libraryId);
  const rows = await db.select().from(forms).where(eq(forms.libraryId, libraryId)).orderBy(asc(forms.createdAt)).all();
  return c.json({ forms: rows.map((f) => formView(c, f)), queues });
});

formRoutes.post("/libraries/:libraryId/forms", documented({
  group: GROUPS.formAdmin,
  summary: "Create a library form",
  description: "Creates a form for the library (`libraryId` in the body is ignored here).",
  who: ADMIN_OF_LIBRARY,
  params: PARAMS.libraryId,
  body: newFormSchema,
  answers: { 201: `\`{form, queues}\`: ${FORM_ROW}.` },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, NOT_ADMIN_OF_LIBRARY, BAD_BODY, LIBRARY_UNKNOWN, refusal(400, "validation_failed", "The queue is not one this library can feed.", "queueId")],
}), async (c) => {
  const libraryId = c.req.param("libraryId");
  const actor = await authorize(c, "library.forms.write", { library: libraryId });
  const body = await parseBody(c, newFormSchema);
  return createForm(c, database(c.env.DB), actor, { libraryId, groupId: null }, body);
});

// ---- a group's forms --------------------------------------------------------------

formRoutes.get("/groups/:groupId/forms", documented({
  group: GROUPS.formAdmin,
  summary: "A group's forms",
  description: "The group's forms: those it owns and those feeding its queue.",
  who: ADMIN_OF_GROUP,
  params: PARAMS.groupId,
  answers: { 200: `\`{forms}\`: each ${FORM_ROW}.` },
  refusals: [NOT_SIGNED_IN, NOT_ADMIN_OF_GROUP, GROUP_UNKNOWN],
}), async (c) => {
  const groupId = c.req.param("groupId");
  await authorize(c, "group.read", { group: groupId });
  const db = database(c.env.DB);
  await loadGroup(db, groupId);
  const rows = await db
    .select({ form: forms })
    .from(forms)
    .where(or(eq(forms.groupId, groupId), eq(forms.queueId, groupQueueId(groupId))))
    .orderBy(asc(forms.createdAt))
    .all();
  return c.json({ forms: rows.map((r) => formView(c, r.form)) });
});

formRoutes.post("/groups/:groupId/forms", documented({
  group: GROUPS.formAdmin,
  summary: "Create a group form",
  description: "Creates a group form; `libraryId` names the member library whose questions it files.",
  who: ADMIN_OF_GROUP,
  params: PARAMS.groupId,
  body: newFormSchema,
  answers: { 201: `\`{form, queues}\`: ${FORM_ROW}.` },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    NOT_ADMIN_OF_GROUP,
    BAD_BODY,
    GROUP_UNKNOWN,
    refusal(400, "validation_failed", "`libraryId` is missing, or not a member of the group.", "libraryId"),
    refusal(400, "validation_failed", "The queue is not one that library can feed.", "queueId"),
  ],
}), async (c) => {
  const groupId = c.req.param("groupId");
  const actor = await authorize(c, "group.forms.write", { group: groupId });
  const body = await parseBody(c, newFormSchema);
  const db = database(c.env.DB);
  await loadGroup(db, groupId);
  if (!body.libraryId) throw badRequest("Choose the member library whose questions this form files", "libraryId");
  const member = await db.select().from(groupMembers).where(eq(groupMembers.groupId, groupId)).all();
  if (!member.some((m) => m.libraryId === body.libraryId)) throw badRequest("Choose a library that is a member of this group", "libraryId");
  return createForm(c, db, actor, { libraryId: body.libraryId, groupId }, body);
});

// ---- one form ---------------------------------------------------------------------

formRoutes.get("/forms/:formId", documented({
  group: GROUPS.formAdmin,
  summary: "One form",
  description: "One form, the queues it may feed, and its library's name, colour and allowed embedding sites.",
  who: ADMIN_OF_FORM,
  params: PARAMS.formId,
  answers: { 200: `\`{form, queues, library: {name, brandColor, allowedOrigins} | null}\`: ${FORM_ROW}.` },
  refusals: [FORM_UNKNOWN, NOT_SIGNED_IN, NOT_FORM_ADMIN],
}), async (c) => {
  const db = database(c.env.DB);
  const form = await loadForm(db, c.req.param("formId"));
  await authorizeForm(c, form);
  const library = form.libraryId ? await db.select({ name: libraries.name, brandColor: libraries.brandColor, allowedOrigins: libraries.allowedOrigins }).from(libraries).where(eq(libraries.id, form.libraryId)).get() : null;
  return c.json({ form: formView(c, form), queues: form.libraryId ? await queuesFor(db, form.libraryId) : [], library });
});

formRoutes.put("/forms/:formId", documented({
  group: GROUPS.formAdmin,
  summary: "Change a form",
  description: "Replaces the form's settings: title, intro, fields (in layout order), queue, chat method, colour, on or off, the languages offered with the default (the texts above are in it) and the texts in the other languages (`translations`: by language, `{title, intro, unavailableMessage, fields: {<id>: {label, help}}}`; a text left out shows in the default language).",
  who: ADMIN_OF_FORM,
  params: PARAMS.formId,
  body: formSettingsSchema,
  answers: { 200: `\`{form}\`: ${FORM_ROW}.` },
  refusals: [OTHER_SITE, FORM_UNKNOWN, NOT_SIGNED_IN, NOT_FORM_ADMIN, BAD_BODY, refusal(400, "validation_failed", "The queue is not one the form's library can feed.", "queueId")],
}), async (c) => {
  const db = database(c.env.DB);
  const form = await loadForm(db, c.req.param("formId"));
  const actor = await authorizeForm(c, form);
  const body = await parseBody(c, formSettingsSchema);
  if (form.libraryId) {
    const queues = await queuesFor(db, form.libraryId);
    if (!queues.some((q) => q.id === body.queueId)) throw badRequest("Choose one of the queues this library can feed", "queueId");
  }
  const next: FormRow = { ...form, title: body.title, intro: body.intro, fields: body.fields, queueId: body.queueId, chatMethod: body.chatMethod, brandColor: body.brandColor, enabled: body.enabled, ...languageSettings(form, body) };
  const diff = changedFields(auditableForm(form), auditableForm(next));
  if (Object.keys(diff.after).length > 0) {
    const now = Date.now();
    await db.batch([
      db
        .update(forms)
        .set({ title: next.title, intro: next.intro, fields: next.fields, queueId: next.queueId, chatMethod: next.chatMethod, brandColor: next.brandColor, enabled: next.enabled, languages: next.languages, defaultLanguage: next.defaultLanguage, translations: next.translations })
        .where(eq(forms.id, form.id)),
      auditStatement(db, actor, { libraryId: form.libraryId, groupId: form.groupId, action: "form.updated", targetType: "form", targetId: form.id, ...diff }, now),
    ]);
  }
  return c.json({ form: formView(c, next) });
});

formRoutes.post("/forms/:formId/logo", documented({
  group: GROUPS.formAdmin,
  summary: "Upload a form's logo",
  description: "Uploads (or replaces) the form's logo.",
  who: ADMIN_OF_FORM,
  params: PARAMS.formId,
  rawBody: {
    types: ["image/png", "image/jpeg", "image/gif", "image/webp"],
    description: `The image's bytes as the raw body, sent with the image's \`Content-Type\` (e.g. \`image/png\`: the server trusts only the bytes, but a missing type trips the CSRF check): PNG, JPEG, GIF or WebP, at most ${LOGO_RULES.maxBytes / 1024} KB.`,
  },
  answers: { 200: `\`{form}\`: ${FORM_ROW} (\`logoUrl\` set).` },
  refusals: [
    OTHER_SITE,
    FORM_UNKNOWN,
    NOT_SIGNED_IN,
    NOT_FORM_ADMIN,
    refusal(413, "too_large", `Over ${LOGO_RULES.maxBytes / 1024} KB.`, "logo"),
    refusal(400, "validation_failed", "The body is empty.", "logo"),
    refusal(415, "validation_failed", "The bytes are not a PNG, JPEG, GIF or WebP image.", "logo"),
  ],
}), async (c) => {
  const db = database(c.env.DB);
  const form = await loadForm(db, c.req.param("formId"));
  const actor = await authorizeForm(c, form);
  const bytes = await readBodyBytes(c, LOGO_RULES.maxBytes, () => new ApiError(413, "too_large", `The logo is too large: at most ${LOGO_RULES.maxBytes / 1024} KB.`, "logo"));
  if (bytes.length === 0) throw badRequest("Choose an image file to upload.", "logo");
  const type = sniffImageType(bytes);
  if (!type) throw new ApiError(415, "validation_failed", "The logo must be a PNG, JPEG, GIF or WebP image.", "logo");
  const digest = await sha256Hex(bytes);
  const url = logoUrl(form.id, digest);
  const now = Date.now();
  await db.batch([
    db
      .insert(formLogos)
      .values({ formId: form.id, contentType: type, dataBase64: toBase64(bytes), byteSize: bytes.length, digest, updatedAt: now })
      .onConflictDoUpdate({ target: formLogos.formId, set: { contentType: type, dataBase64: toBase64(bytes), byteSize: bytes.length, digest, updatedAt: now } }),
    db.update(forms).set({ logoUrl: url }).where(eq(forms.id, form.id)),
    auditStatement(db, actor, { libraryId: form.libraryId, groupId: form.groupId, action: "form.logo_set", targetType: "form", targetId: form.id, before: { logoUrl: form.logoUrl }, after: { logoUrl: url, type, bytes: bytes.length } }, now),
  ]);
  return c.json({ form: formView(c, { ...form, logoUrl: url }) });
});

formRoutes.delete("/forms/:formId/logo", documented({
  group: GROUPS.formAdmin,
  summary: "Remove a form's logo",
  description: "Removes the form's logo (nothing changes when it has none).",
  who: ADMIN_OF_FORM,
  params: PARAMS.formId,
  answers: { 200: `\`{form}\`: ${FORM_ROW}.` },
  refusals: [OTHER_SITE, FORM_UNKNOWN, NOT_SIGNED_IN, NOT_FORM_ADMIN],
}), async (c) => {
  const db = database(c.env.DB);
  const form = await loadForm(db, c.req.param("formId"));
  const actor = await authorizeForm(c, form);
  if (!form.logoUrl) return c.json({ form: formView(c, form) });
  const now = Date.now();
  await db.batch([
    db.delete(formLogos).where(eq(formLogos.formId, form.id)),
    db.update(forms).set({ logoUrl: null }).where(eq(forms.id, form.id)),
    auditStatement(db, actor, { libraryId: form.libraryId, groupId: form.groupId, action: "form.logo_removed", targetType: "form", targetId: form.id, before: { logoUrl: form.logoUrl }, after: { logoUrl: null } }, now),
  ]);
  return c.json({ form: formView(c, { ...form, logoUrl: null }) });
});
