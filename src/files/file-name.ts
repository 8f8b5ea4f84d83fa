/**
 * A file's name as the chat shows it and as a download saves it: one clean
 * line (src/shared/display-text.ts), no folders, no characters that file
 * systems or headers choke on, and always ending in the extension of the type
 * its bytes are — so a PDF sent as "report.html" saves as "report.html.pdf"
 * and never opens as a page.
 */
import { cleanName } from "../shared/display-text";
import { FILE_TYPES, type FileType } from "../shared/file-types";

/** How long a shown file name may be, in characters (the extension included). */
export const FILE_NAME_CHARS = 120;

export function safeFileName(raw: string, type: FileType): string {
  const { extension } = FILE_TYPES[type];
  const base = cleanName(raw.split(/[\\/]/).pop() ?? "")
    // Control characters, and what Windows refuses in a name.
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, "")
    .replace(/^[.\s]+/, "")
    .trim();
  const stem = base === "" ? "file" : base;
  const hasExtension = stem.toLowerCase().endsWith(`.${extension}`) || (extension === "jpg" && /\.jpe?g$/i.test(stem));
  const suffix = hasExtension ? "" : `.${extension}`;
  const room = FILE_NAME_CHARS - suffix.length;
  const chars = Array.from(stem);
  if (chars.length <= room) return stem + suffix;
  // Too long: keep the start and the extension it must end with.
  const kept = hasExtension ? chars.slice(0, room - extension.length - 1).join("") + `.${extension}` : chars.slice(0, room).join("");
  return kept + suffix;
}

/** Content-Disposition for a download: an ASCII fallback name and the exact one (RFC 6266, RFC 5987). */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
