/**
 * The HTML shell every server-rendered page shares. `html` from hono/html
 * escapes every interpolated value; `raw` is used only for markup we build.
 */
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageOptions {
  title: string;
  body: Html;
  /** Extra stylesheets and scripts (paths on this site). */
  styles?: string[];
  scripts?: string[];
  /** Data for the page's script, embedded as inert JSON. */
  bootstrap?: unknown;
  bodyClass?: string;
  /** The page's language and direction (patron pages: the patron's; staff pages: English). */
  lang?: string;
  dir?: "ltr" | "rtl";
}

/** JSON safe to embed in a <script type="application/json"> element. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value ?? null)
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

export function page(o: PageOptions): Html {
  return html`<!doctype html>
<html lang="${o.lang ?? "en"}"${o.dir === "rtl" ? raw(' dir="rtl"') : ""}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/styles/base.css">
${(o.styles ?? []).map((s) => html`<link rel="stylesheet" href="${s}">`)}
</head>
<body class="${o.bodyClass ?? ""}">
${o.body}
${o.bootstrap !== undefined ? html`<script type="application/json" id="bootstrap">${raw(embedJson(o.bootstrap))}</script>` : ""}
${(o.scripts ?? []).map((s) => html`<script type="module" src="${s}"></script>`)}
</body>
</html>`;
}
