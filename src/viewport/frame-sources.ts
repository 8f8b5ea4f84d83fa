/**
 * Per-page additions to our Content-Security-Policy (callbacks for Hono's
 * secureHeaders):
 *
 * - The patron's chat page may frame any web page: its viewport shows the
 *   pages a librarian pushes, each in a sandboxed iframe. No other page of
 *   ours frames anything but our own.
 * - The chat monitor's co-browse view rebuilds a library's page (without its
 *   scripts) in a frame that inherits the monitor's policy: that page's
 *   images, stylesheets and fonts come from its own site.
 */
import type { Context } from "hono";

const WEB = "https: http:";

export function viewportFrameSources(c: Context): string {
  return c.req.path.startsWith("/chat/") ? WEB : "";
}

export function cobrowseViewSources(c: Context): string {
  return c.req.path === "/monitor" ? WEB : "";
}
