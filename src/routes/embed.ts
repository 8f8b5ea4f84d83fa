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
import { embedQuerySchema } from "../shared/api";

export const embedRoutes = new Hono<AppEnv>();

embedRoutes.get("/status", async (c) => {
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
  return c.json(await embedStatus(c.env, found));
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

qwidgetScriptRoutes.get("/qwidget.js", (c) => serveBuilt(c, "qwidget.js", LOADER_CACHE));
qwidgetScriptRoutes.get("/qwidget/app.js", (c) => serveBuilt(c, "qwidget/app.js", c.req.query("v") ? VERSIONED_CACHE : LOADER_CACHE));
// The widget's chunks (the viewport pane, the co-browse recorder): content-hashed names, so cached for good.
qwidgetScriptRoutes.get("/qwidget/:chunk", (c, next) => {
  const chunk = c.req.param("chunk");
  return CHUNK_NAME.test(chunk) ? serveBuilt(c, `qwidget/${chunk}`, VERSIONED_CACHE) : next();
});
