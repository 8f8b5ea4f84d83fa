/**
 * Exporting a library's or a group's archive (src/transfer/format.ts): every
 * section's rows read a page at a time and written into a ZIP as it streams
 * out, so neither the rows nor the archive are ever held whole. Whatever the
 * privacy scrub has already removed is gone from the archive too: an export
 * holds only what the library still has.
 */
import { Zip, ZipDeflate } from "fflate";
import { database, type Database } from "../db/client";
import { ARCHIVE_LIMITS } from "../shared/limits";
import { csvLine, csvValue } from "./csv";
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, MANIFEST_FILE, sectionFile, sha256Hex, type Manifest } from "./format";
import { exportedColumns, exportRow, SECTIONS, type ArchiveKind, type Row, type Section } from "./sections";

export interface ArchiveOwner {
  kind: ArchiveKind;
  id: string;
  name: string;
}

const PAGE_ROWS = 200;
const encoder = new TextEncoder();

/** Every row of the owner in a section, in key order, a page at a time. */
async function* rowsOf(db: Database, section: Section, ownerId: string): AsyncGenerator<Row> {
  let after: string | number | null = null;
  for (;;) {
    const rows = await section.page(db, ownerId, after, PAGE_ROWS);
    for (const row of rows) yield row;
    if (rows.length < PAGE_ROWS) return;
    after = rows[rows.length - 1]![section.key] as string | number;
  }
}

/** fflate's streaming ZIP into a stream writer, waiting for the reader after each piece (backpressure). */
class ZipWriter {
  private readonly zip: Zip;
  private pending: Promise<void>[] = [];
  private failure: Error | null = null;

  constructor(writer: WritableStreamDefaultWriter<Uint8Array>) {
    this.zip = new Zip((error, chunk, final) => {
      if (error) this.failure = error;
      else {
        this.pending.push(writer.write(chunk));
        if (final) this.pending.push(writer.close());
      }
    });
  }

  private async drain(): Promise<void> {
    if (this.failure) throw this.failure;
    await Promise.all(this.pending.splice(0));
  }

  async file(name: string, data: Uint8Array): Promise<void> {
    const entry = new ZipDeflate(name, { level: 6 });
    this.zip.add(entry);
    entry.push(data, true);
    await this.drain();
  }

  /** A file written a piece at a time (a CSV view). */
  open(name: string) {
    const entry = new ZipDeflate(name, { level: 6 });
    this.zip.add(entry);
    return {
      write: async (text: string) => {
        entry.push(encoder.encode(text));
        await this.drain();
      },
      end: async () => {
        entry.push(new Uint8Array(0), true);
        await this.drain();
      },
    };
  }

  async end(): Promise<void> {
    this.zip.end();
    await this.drain();
  }
}

/** A section's rows as JSON files of at most ARCHIVE_LIMITS.chunkBytes (a large section in numbered files). */
async function writeSection(db: Database, zip: ZipWriter, manifest: Manifest, section: Section, ownerId: string): Promise<void> {
  const info = { files: [] as string[], records: 0 };
  let batch: string[] = [];
  let bytes = 0;
  const flush = async () => {
    const name = sectionFile(section.name, section.chunked ? info.files.length + 1 : null);
    const data = encoder.encode(batch.length > 0 ? `[\n${batch.join(",\n")}\n]\n` : "[]\n");
    manifest.files[name] = { sha256: await sha256Hex(data), bytes: data.length };
    info.files.push(name);
    await zip.file(name, data);
    batch = [];
    bytes = 0;
  };
  for await (const row of rowsOf(db, section, ownerId)) {
    const json = JSON.stringify(exportRow(section, row));
    if (section.chunked && batch.length > 0 && bytes + json.length > ARCHIVE_LIMITS.chunkBytes) await flush();
    batch.push(json);
    bytes += json.length + 2;
    info.records += 1;
  }
  if (batch.length > 0 || info.files.length === 0) await flush();
  manifest.sections[section.name] = info;
}

const csvName = (section: string) => `csv/${section.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.csv`;

/** The same rows as a CSV view: one column per exported column, JSON columns as JSON text. */
async function writeCsvView(db: Database, zip: ZipWriter, manifest: Manifest, section: Section, ownerId: string): Promise<void> {
  const name = csvName(section.name);
  const columns = exportedColumns(section).map(([key]) => key);
  const out = zip.open(name);
  await out.write(csvLine(columns));
  for await (const row of rowsOf(db, section, ownerId)) await out.write(csvLine(columns.map((c) => csvValue(row[c]))));
  await out.end();
  manifest.views.push(name);
}

/** Every message of every transcript, one per line: the conversation as a spreadsheet reads it. */
async function writeTranscriptsView(db: Database, zip: ZipWriter, manifest: Manifest, sessions: Section, libraryId: string): Promise<void> {
  const name = "csv/transcripts.csv";
  const out = zip.open(name);
  await out.write(csvLine(["sessionId", "seq", "at", "authorRole", "authorName", "kind", "body"]));
  for await (const row of rowsOf(db, sessions, libraryId)) {
    const messages = Array.isArray(row.transcript) ? (row.transcript as Record<string, unknown>[]) : [];
    for (const m of messages) {
      const author = (m.author ?? {}) as { role?: string; name?: string };
      const at = typeof m.at === "number" ? new Date(m.at).toISOString() : null;
      await out.write(csvLine([row.id as string, csvValue(m.seq), at, author.role, author.name, csvValue(m.kind), csvValue(m.body)]));
    }
  }
  await out.end();
  manifest.views.push(name);
}

/** Writes the owner's whole archive into `writer` and closes it. */
export async function writeArchive(d1: D1Database, owner: ArchiveOwner, writer: WritableStreamDefaultWriter<Uint8Array>, now = Date.now()): Promise<void> {
  const db = database(d1);
  const zip = new ZipWriter(writer);
  const manifest: Manifest = { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, kind: owner.kind, id: owner.id, name: owner.name, exportedAt: now, sections: {}, files: {}, views: [] };
  const sections = SECTIONS[owner.kind];
  for (const section of sections) await writeSection(db, zip, manifest, section, owner.id);
  for (const section of sections) await writeCsvView(db, zip, manifest, section, owner.id);
  const sessions = sections.find((s) => s.name === "sessions");
  if (sessions) await writeTranscriptsView(db, zip, manifest, sessions, owner.id);
  await zip.file(MANIFEST_FILE, encoder.encode(`${JSON.stringify(manifest, null, 2)}\n`));
  await zip.end();
}

/**
 * The archive as a stream (an HTTP download). A failure half-way aborts the
 * stream, so the download fails visibly instead of ending in a short ZIP.
 */
export function archiveStream(d1: D1Database, owner: ArchiveOwner, onError: (error: unknown) => Promise<void>, now = Date.now()): ReadableStream<Uint8Array> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  writeArchive(d1, owner, writer, now).catch(async (error: unknown) => {
    await onError(error);
    await writer.abort(error).catch(() => undefined);
  });
  return readable;
}

/** The archive's file name for a download. */
export function archiveFileName(owner: ArchiveOwner, now: number): string {
  return `refdesk-${owner.kind}-${owner.id}-${new Date(now).toISOString().slice(0, 10)}.zip`;
}
