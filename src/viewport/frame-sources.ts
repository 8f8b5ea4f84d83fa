/**
 * The CSP frame-src our pages get (a callback for Hono's secureHeaders): the
 * patron's chat page may frame any web page — its viewport shows the pages a
 * librarian pushes, each in a sandboxed iframe — and no other page of ours
 * frames anything but our own.
 */
import type { Context } from "hono";

export function viewportFrameSources(c: Context): string {
  return c.req.path.startsWith("/chat/") ? "https: http:" : "";
}
