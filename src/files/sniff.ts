/**
 * What a file really is, from its first bytes. A name or a Content-Type is
 * whatever the sender says; these signatures are what browsers and viewers
 * act on, so they decide. A PDF must start with its header (viewers accept it
 * a little later too, but nothing we accept needs that leeway, and an HTML
 * page with "%PDF-" somewhere inside stays refused).
 */
import { sniffImageType } from "../admin/logo";
import type { FileType } from "../shared/file-types";

const PDF_HEADER = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

/** The accepted type `bytes` are, or null when they are none of them. */
export function sniffFileType(bytes: Uint8Array): FileType | null {
  const image = sniffImageType(bytes);
  if (image) return image;
  if (PDF_HEADER.every((b, i) => bytes[i] === b)) return "application/pdf";
  return null;
}
