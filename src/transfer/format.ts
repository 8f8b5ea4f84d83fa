/**
 * The archive format: a ZIP holding `manifest.json`, one JSON file per section
 * (numbered files under the section's folder for the large ones), and CSV
 * views of the same rows for spreadsheets (csv/*.csv; never imported).
 *
 * The manifest names the format and its version, the owner, each section's
 * files and row count, and the SHA-256 of every JSON file. A later version
 * may add sections (statistics facts, say): an installation imports only the
 * versions it knows (READABLE_VERSIONS) and refuses a newer archive clearly,
 * rather than dropping what it does not understand.
 */
import { z } from "zod";
import { slugSchema } from "../shared/api";

export const ARCHIVE_FORMAT = "refdesk-archive";
/** The version this installation writes. */
export const ARCHIVE_VERSION = 1;
/** The versions this installation imports. */
export const READABLE_VERSIONS: readonly number[] = [1];
export const MANIFEST_FILE = "manifest.json";
export const ARCHIVE_CONTENT_TYPE = "application/zip";

/** A section's file: one JSON array of rows. */
export const sectionFile = (section: string, index: number | null) => (index === null ? `${section}.json` : `${section}/${String(index).padStart(4, "0")}.json`);

export const manifestSchema = z
  .object({
    format: z.literal(ARCHIVE_FORMAT),
    version: z.number().int(),
    kind: z.enum(["library", "group"]),
    id: slugSchema,
    name: z.string().max(500),
    exportedAt: z.number().int(),
    sections: z.record(z.string(), z.object({ files: z.array(z.string().max(200)).max(10_000), records: z.number().int().min(0) }).strict()),
    files: z.record(z.string(), z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(0) }).strict()),
    /** CSV views, for spreadsheets: not imported. */
    views: z.array(z.string().max(200)).max(100),
  })
  .strict();
export type Manifest = z.infer<typeof manifestSchema>;

/** SHA-256 of bytes, hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
