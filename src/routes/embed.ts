/**
 * The Qwidget's server side: the loader and the widget bundle, served to any
 * site with CORS and a cache policy; and the status a loader asks for on each
 * page view — whether chat is available, and the library's fallback — which
 * only sites the library allows may read.
 */
import { Hono, type Context } from "hono";
import { database } from "../db/client";
import type { AppEnv } from "../http/app-env";
import { ApiError } from "../http/errors";
import { corsForEmbed } from "../http/origins";
import { LOADER_CACHE, VERSIONED_CACHE } from "../http/script-cache";
import { validate } from "../http/validate";
import { embedStatus, libraryChatForm, loadForm } from "../patrons/forms";
import { languageFor } from "../patrons/form-language";
import { acceptedLanguages } from "../i18n/languages";
import { embedQuerySchema } from "../shared/api";
import { anyone } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { EMBED_REFUSED, refusal } from "./openapi/refusals";

export const embedRoutes = new Hono<AppEnv>();

embedRoutes.get("/status", documented({
  group: GROUPS.embedding,
  summary: "Whether chat is available (the Qwidget's status)",
  description:
    "Whether chat is available for this form now (a queue that would take the request has a librarian monitoring it), with the form's fields, the library's name and colours, and its fallback. `library=` picks the library's own chat form (its oldest enabled form feeding the library's queue). The language: `lang=` when the form offers it, else the first of `langs=` (the browser's languages) — or of `Accept-Language` — the form offers, else the form's default.",
  who: anyone("Anyone. From another site only when the library allows it; the loader asks on every page view."),
  query: embedQuerySchema,
  answers: {
    200: "`{form: {id, title, intro, fields}, language: {tag, dir, offered: [{tag, name}]}, launcher: {label, online, onlineNote, offline, offlineNote}, library: {name, brandColor, brandText}, available, waitLimitSeconds, alternatives}` (the form's texts, the launcher's and the alternatives' in that language; a select field's `optionLabels`, when the form words its options in that language, are what to show for each of its `options`, which stay the answers to send) with `Cache-Control: no-store`. For an archived library also `hidden: true` (and `available: false`): the widget shows only to a patron whose chat is still open.",
  },
  refusals: [
    refusal(400, "validation_failed", "Neither or both of `form` and `library`, or not a valid id.", "`form` or `library`"),
    refusal(404, "not_found", "No such form.", "form"),
    refusal(404, "not_found", "The library has no enabled chat form of its own.", "library"),
    EMBED_REFUSED,
    refusal(410, "not_found", "The form is turned off.", "form"),
  ],
}), async (c) => {
  const query = validate(embedQuerySchema, c.req.query());
  const db = database(c.env.DB);
  const found = query.form ? await loadForm(db, query.form) : await libraryChatForm(db, query.library!);
  if (!found) {
    throw query.form
      ? new ApiError(404, "not_found", "This chat form does not exist.", "form")
      : new ApiError(404, "not_found", "This library has no chat form.", "library");
  }
  await corsForEmbed(c, found.library.allowedOrigins);
  if (!found.form.enabled) throw new ApiError(410, "not_found", `${found.library.name} has turned this chat form off.`, "form");
  // Availability changes from minute to minute: never reuse an old answer.
  c.header("Cache-Control", "no-store");
  const preferred = query.langs ? query.langs.split(",") : acceptedLanguages(c.req.header("accept-language"));
  return c.json(await embedStatus(c.env, found, languageFor(found.form, query.lang, preferred)));
});

/**
 * The built scripts. Mounted ahead of the security-header middleware: these
 * two responses are meant for other sites' pages (a classic <script> and a
 * module import), so they carry CORS and a cross-origin resource policy
 * instead of our pages' same-origin ones.
 */
export const qwidgetScriptRoutes = new Hono<AppEnv>();

/** A chunk the widget imports when it needs it: scripts/build.mjs names it `<name>-<content hash>.js`. */
const CHUNK_NAME = /^[a-z]+-[0-9a-f]{10}\.js$/;

async function serveBuilt(c: Context<AppEnv>, file: string, cacheControl: string): Promise<Response> {
  const conditional = new Headers();
  const etag = c.req.header("if-none-match");
  if (etag) conditional.set("If-None-Match", etag);
  const asset = await c.env.ASSETS.fetch(new Request(new URL(`/build/${file}`, c.req.url), { headers: conditional }));
  const headers = new Headers({
    "Content-Type": "text/javascript; charset=utf-8",
    "Cache-Control": cacheControl,
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "X-Content-Type-Options": "nosniff",
  });
  const assetTag = asset.headers.get("ETag");
  if (assetTag) headers.set("ETag", assetTag);
  if (asset.status === 304) return new Response(null, { status: 304, headers });
  if (!asset.ok) {
    headers.set("Cache-Control", "no-store");
    return new Response(`console.warn("Refdesk: ${file} is not built (run npm run build).");`, { status: 503, headers });
  }
  return new Response(asset.body, { status: 200, headers });
}

qwidgetScriptRoutes.get("/qwidget.js", documented({
  group: GROUPS.embedding,
  summary: "The Qwidget loader",
  description:
    "The Qwidget loader, a few hundred bytes: reads `data-refdesk-form` or `data-refdesk-library` from its own tag, asks the status below, and loads the widget only when the patron opens it or has a chat to resume.",
  who: anyone("Any site (a classic `<script async>`)."),
  kind: "script",
  answers: {
    200: `JavaScript, \`Cache-Control: ${LOADER_CACHE}\`, CORS \`*\`, \`Cross-Origin-Resource-Policy: cross-origin\`, an \`ETag\`.`,
    304: "For a matching `If-None-Match`.",
    503: "A script that only warns in the console (`no-store`), when the front ends are not built.",
  },
  refusals: [],
}), (c) => serveBuilt(c, "qwidget.js", LOADER_CACHE));
qwidgetScriptRoutes.get("/qwidget/app.js", documented({
  group: GROUPS.embedding,
  summary: "The Qwidget",
  description: "The whole widget.",
  who: anyone("The loader (a module import), from any site."),
  kind: "script",
  query: { v: "The bundle's content hash. With it the answer is cached for good; without it, like the loader." },
  answers: {
    200: `JavaScript, \`Cache-Control: ${VERSIONED_CACHE}\` when versioned (else as the loader), CORS \`*\`.`,
    304: "As for the loader.",
    503: "As for the loader.",
  },
  refusals: [],
}), (c) => serveBuilt(c, "qwidget/app.js", c.req.query("v") ? VERSIONED_CACHE : LOADER_CACHE));
// The widget's chunks (the viewport pane, the co-browse recorder): content-hashed names, so cached for good.
qwidgetScriptRoutes.get("/qwidget/:chunk", documented({
  group: GROUPS.embedding,
  summary: "A part of the Qwidget loaded when used",
  description:
    "A part of the widget loaded only when it is used — the chat extras (co-browse check, consent prompt, rating), the viewport pane, the co-browse recorder — named by content hash (`<name>-<hash>.js`). Any other name falls through to 404.",
  who: anyone("The widget (a module import), from any site."),
  kind: "script",
  params: { chunk: { description: "`<name>-<content hash>.js`, as the widget names it." } },
  answers: { 200: `JavaScript, \`Cache-Control: ${VERSIONED_CACHE}\`, CORS \`*\`.`, 304: "As for the loader.", 503: "As for the loader." },
  refusals: [refusal(404, "not_found", "Not a chunk's name.")],
}), (c, next) => {
  const chunk = c.req.param("chunk");
  return CHUNK_NAME.test(chunk) ? serveBuilt(c, `qwidget/${chunk}`, VERSIONED_CACHE) : next();
});
