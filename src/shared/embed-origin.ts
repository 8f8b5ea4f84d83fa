/** Embedding origins: a site allowed to carry a library's Qwidget is a scheme, a host and an optional port — nothing more. */

/** The canonical origin for `input`, or why it is not one. */
export function parseEmbedOrigin(input: string): { ok: true; origin: string } | { ok: false; message: string } {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `"${text}" is not an origin: write it like https://www.library.org` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: `"${text}" is not an origin: it must start with https:// or http://` };
  if (url.username || url.password) return { ok: false, message: `"${text}" is not an origin: leave out user names and passwords` };
  // "https://x.org" and "https://x.org/" are the same origin; anything after the host is not.
  const rest = text.slice(text.indexOf("//") + 2).replace(/^[^/?#]*/, "");
  if (rest !== "" && rest !== "/") return { ok: false, message: `"${text}" is not an origin: give scheme, host and optional port only, without a path` };
  return { ok: true, origin: url.origin };
}
