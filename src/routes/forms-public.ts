/**
 * A form's public face beyond the hosted page: its data as JSON (what the
 * Qwidget and any embedding page read: wording, fields, colours, logo, chat
 * method, whether it is on, whether anyone is online) and its logo image.
 * Readable from any site, never with credentials, and no cookies.
 *
 * Mounted ahead of the app's header middleware (src/index.ts): these two are
 * meant to be loaded by other sites, which a same-origin resource policy would
 * forbid, so they set their own headers.
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { fromBase64 } from "../admin/logo";
import { publicOrigin } from "../admin/lookups";
import { database } from "../db/client";
import { formLogos, forms, libraries } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { notFound } from "../http/errors";
import { requestQueue } from "../objects";
import { hostedFormUrl } from "../shared/embed";
import { formLayout } from "../shared/form-layout";
import { parseFormFields } from "../shared/forms";
import { alternativesOf } from "../patrons/forms";
import { anyone } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { refusal } from "./openapi/refusals";
import { PARAMS } from "./openapi/shapes";

export const publicFormRoutes = new Hono<AppEnv>();

publicFormRoutes.get("/api/forms/:formId", documented({
  group: GROUPS.embedding,
  summary: "A form's public data",
  description: "A form's public data: what an embedding page needs to show it its own way.",
  who: anyone("Anyone, from any site (`Access-Control-Allow-Origin: *`; no cookies read)."),
  params: PARAMS.formId,
  answers: {
    200: "`{form: {id, title, libraryName, enabled, formUrl, …}}` with `Cache-Control: no-store`. An enabled form adds `intro, fields, chatMethod, brandColor, logoUrl, staffed, alternatives` (`staffed`: someone is monitoring the form's own queue); a turned-off one, or one whose library is archived (`enabled: false`), adds `message` and `alternatives` instead.",
  },
  refusals: [refusal(404, "not_found", "No such form.")],
}), async (c) => {
  c.header("Access-Control-Allow-Origin", "*");
  c.header("X-Content-Type-Options", "nosniff");
  const found = await database(c.env.DB)
    .select({ form: forms, library: libraries })
    .from(forms)
    .innerJoin(libraries, eq(libraries.id, forms.libraryId))
    .where(eq(forms.id, c.req.param("formId")))
    .get();
  if (!found) throw notFound("Chat form");
  const { form, library } = found;
  const origin = publicOrigin(c);
  const archived = library.archivedAt !== null;
  const base = { id: form.id, title: form.title, libraryName: library.name, enabled: form.enabled && !archived, formUrl: hostedFormUrl(origin, form.id) };
  c.header("Cache-Control", "no-store");
  if (!base.enabled) {
    const message = archived ? `${library.name} no longer takes chat requests here.` : `${library.name} is not taking chats through this form any more.`;
    return c.json({ form: { ...base, message, alternatives: alternativesOf(library) } });
  }
  const snapshot = await requestQueue(c.env, form.queueId).snapshot();
  return c.json({
    form: {
      ...base,
      intro: form.intro,
      fields: formLayout(parseFormFields(form.fields)),
      chatMethod: form.chatMethod,
      brandColor: form.brandColor ?? library.brandColor,
      logoUrl: form.logoUrl ? `${origin}${form.logoUrl}` : null,
      staffed: snapshot.staffed,
      alternatives: alternativesOf(library),
    },
  });
});

publicFormRoutes.get("/f/:formId/logo", documented({
  group: GROUPS.embedding,
  summary: "A form's logo",
  description: "A form's logo, as uploaded (the `logoUrl` of the form data).",
  who: anyone("Anyone, from any site (`Cross-Origin-Resource-Policy: cross-origin`)."),
  kind: "image",
  params: PARAMS.formId,
  answers: {
    200: "The image, its `Content-Type` the one recognised from its bytes at upload, `Cache-Control: public, max-age=300`, an `ETag`, a sandboxing `Content-Security-Policy`.",
  },
  refusals: [refusal(404, "not_found", "The form has no logo (or does not exist).")],
}), async (c) => {
  const row = await database(c.env.DB).select().from(formLogos).where(eq(formLogos.formId, c.req.param("formId"))).get();
  if (!row) throw notFound("Logo");
  return new Response(fromBase64(row.dataBase64), {
    headers: {
      // The type we recognised from the bytes at upload, never one a client declared.
      "Content-Type": row.contentType,
      "Content-Length": String(row.byteSize),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cross-Origin-Resource-Policy": "cross-origin",
      "Cache-Control": "public, max-age=300",
      ETag: `"${row.digest.slice(0, 32)}"`,
    },
  });
});
