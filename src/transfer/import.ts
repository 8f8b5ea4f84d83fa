/**
 * Importing an archive (src/transfer/format.ts) into this installation: a
 * library, or a group whose member libraries are here already.
 *
 * Everything is checked before anything is written — the ZIP, its size, the
 * manifest's format and version, every file against its SHA-256, every row
 * against its section's schema, the references between sections, the rich
 * text, and that no id or address in it is taken here — so a refused archive
 * changes nothing. Should a write still fail half-way, what was written is
 * removed again (src/transfer/remove.ts).
 *
 * What an archive cannot carry is said in the result: accounts come without
 * passwords (each needs a password reset), and an archive never makes anyone
 * a service administrator here (such accounts come in as library administrators).
 */
import { count, eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { unzipSync } from "fflate";
import type { Actor } from "../admin/authorize";
import { auditStatement } from "../admin/audit";
import { database, type Database } from "../db/client";
import { chatSessions, coopFeedback, forms, groupInvitations, groups, librarians, libraries, mailOutbox, questions } from "../db/schema";
import { ApiError } from "../http/errors";
import { recordError, errorSummary } from "../ops/log";
import { searchRows } from "../policies/plain-text";
import { sanitizeRichText } from "../policies/sanitize";
import { reindexStatements } from "../policies/search-index";
import { LINK_KIND_LABELS, POLICY_SECTIONS } from "../policies/sections";
import { ARCHIVE_LIMITS } from "../shared/limits";
import type { ImportResult } from "../shared/service-views";
import { ARCHIVE_FORMAT, MANIFEST_FILE, manifestSchema, READABLE_VERSIONS, sha256Hex, type Manifest } from "./format";
import { removeArchiveOwner } from "./remove";
import { rowSchema, SECTIONS, type ArchiveKind, type Row, type Section } from "./sections";

const malformed = (message: string, field = "archive") => new ApiError(400, "validation_failed", message, field);
const conflict = (message: string) => new ApiError(409, "duplicate", message, "archive");

/** The ZIP's entries, read one at a time (the archive is held once; one file is unpacked at a time). */
class ArchiveReader {
  readonly sizes = new Map<string, number>();

  constructor(private readonly bytes: Uint8Array) {
    if (bytes.length > ARCHIVE_LIMITS.archiveBytes) throw tooLarge(`An archive may be at most ${ARCHIVE_LIMITS.archiveBytes / 1024 / 1024} MB.`);
    try {
      // Listing only: the filter sees each entry and unpacks none.
      unzipSync(bytes, {
        filter: (f) => {
          if (this.sizes.has(f.name)) throw malformed(`The archive holds ${f.name} twice.`);
          this.sizes.set(f.name, f.originalSize);
          return false;
        },
      });
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw malformed("This is not a ZIP archive (or it is damaged). Upload the .zip file a Refdesk export wrote.");
    }
    if (this.sizes.size > ARCHIVE_LIMITS.files) throw tooLarge(`An archive may hold at most ${ARCHIVE_LIMITS.files} files.`);
    for (const [name, size] of this.sizes) {
      if (size > ARCHIVE_LIMITS.fileBytes) throw tooLarge(`${name} unpacks to ${size} bytes; a file may be at most ${ARCHIVE_LIMITS.fileBytes} bytes.`);
    }
  }

  read(name: string): Uint8Array {
    if (!this.sizes.has(name)) throw malformed(`The archive has no ${name}.`);
    let data: Uint8Array | undefined;
    try {
      data = unzipSync(this.bytes, { filter: (f) => f.name === name })[name];
    } catch {
      throw malformed(`${name} in the archive is damaged.`);
    }
    if (!data || data.length !== this.sizes.get(name)) throw malformed(`${name} in the archive is damaged.`);
    return data;
  }
}

const tooLarge = (message: string) => new ApiError(413, "too_large", message, "archive");

function parseJson(data: Uint8Array, name: string): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data));
  } catch {
    throw malformed(`${name} is not valid JSON.`);
  }
}

/** The manifest, checked: a Refdesk archive, of a version this installation reads, well formed. */
function readManifest(archive: ArchiveReader): Manifest {
  const raw = parseJson(archive.read(MANIFEST_FILE), MANIFEST_FILE) as Record<string, unknown> | null;
  if (!raw || typeof raw !== "object" || raw.format !== ARCHIVE_FORMAT) throw malformed("This is not a Refdesk archive: its manifest.json does not say so.");
  if (typeof raw.version !== "number" || !READABLE_VERSIONS.includes(raw.version)) {
    throw malformed(
      `This archive is in format version ${String(raw.version)}; this installation reads version ${READABLE_VERSIONS.join(", ")}. Import it into an up-to-date Refdesk.`,
      "version",
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw malformed(`manifest.json: ${issue.path.join(".") || "the manifest"}: ${issue.message}`);
  }
  return parsed.data;
}

/** Every file the manifest lists is there, matches its digest, and nothing else is. */
function checkFileList(archive: ArchiveReader, manifest: Manifest, sections: readonly Section[]): void {
  const expected = sections.map((s) => s.name).sort();
  const given = Object.keys(manifest.sections).sort();
  if (JSON.stringify(expected) !== JSON.stringify(given)) {
    throw malformed(`The archive's sections (${given.join(", ")}) are not those of a ${manifest.kind} archive (${expected.join(", ")}).`);
  }
  const listed = new Set([MANIFEST_FILE, ...Object.keys(manifest.files), ...manifest.views]);
  for (const name of archive.sizes.keys()) if (!listed.has(name)) throw malformed(`The archive holds ${name}, which its manifest does not list.`);
  for (const section of sections) {
    for (const file of manifest.sections[section.name]!.files) if (!manifest.files[file]) throw malformed(`${file} has no digest in the manifest.`);
  }
}

/** What the rows refer to, gathered while checking them, for the checks across sections and against this installation. */
interface Gathered {
  rows: Map<string, number>;
  keys: Map<string, Set<string>>;
  /** Values of columns that must not be taken here already: "table.column" → values. */
  unique: Map<string, { table: SQLiteTable; column: string; values: string[] }>;
  /** Libraries a group's rows name (they must exist here). */
  libraryRefs: Set<string>;
  notes: string[];
}

function add(map: Map<string, Set<string>>, key: string, value: string) {
  (map.get(key) ?? map.set(key, new Set()).get(key)!).add(value);
}

/** Columns whose values must be free in this installation, per section. */
const UNIQUE_COLUMNS: Record<string, { table: SQLiteTable; keys: string[] }> = {
  librarians: { table: librarians, keys: ["id", "email"] },
  forms: { table: forms, keys: ["id"] },
  sessions: { table: chatSessions, keys: ["id"] },
  questions: { table: questions, keys: ["id", "sessionId"] },
  mails: { table: mailOutbox, keys: ["eventKey"] },
  feedback: { table: coopFeedback, keys: ["id", "sessionId"] },
  invitations: { table: groupInvitations, keys: ["id"] },
};

/** The rows of one section's files, each checked; calls `each` with every row. */
async function sectionRows(archive: ArchiveReader, manifest: Manifest, section: Section, each: (row: Row, where: string) => void | Promise<void>): Promise<number> {
  const schema = rowSchema(section);
  let n = 0;
  for (const file of manifest.sections[section.name]!.files) {
    const data = archive.read(file);
    if ((await sha256Hex(data)) !== manifest.files[file]!.sha256) throw malformed(`${file} does not match its digest in the manifest: the archive was changed or damaged.`);
    const rows = parseJson(data, file);
    if (!Array.isArray(rows)) throw malformed(`${file} is not a list of rows.`);
    for (const [i, raw] of rows.entries()) {
      const where = `${file}, row ${i + 1}`;
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw malformed(`${where}: ${issue.path.join(".") || "the row"}: ${issue.message}`);
      }
      if (section.ownerColumn && parsed.data[section.ownerColumn] !== manifest.id) throw malformed(`${where} belongs to ${String(parsed.data[section.ownerColumn])}, not to ${manifest.id}.`);
      await each(parsed.data, where);
      n += 1;
    }
  }
  if (n !== manifest.sections[section.name]!.records) throw malformed(`${section.name}: the manifest counts ${manifest.sections[section.name]!.records} rows, the files hold ${n}.`);
  return n;
}

/** Rich text must come in as it would be saved here: already clean. */
function assertCleanHtml(html: string, where: string) {
  if (sanitizeRichText(html).problems.length > 0) throw malformed(`${where}: holds HTML Refdesk does not allow.`);
}

/** Checks every row of every section; nothing is written. */
async function checkRows(archive: ArchiveReader, manifest: Manifest, sections: readonly Section[]): Promise<Gathered> {
  const g: Gathered = { rows: new Map(), keys: new Map(), unique: new Map(), libraryRefs: new Set(), notes: [] };
  for (const section of sections) {
    const uniques = UNIQUE_COLUMNS[section.name];
    const n = await sectionRows(archive, manifest, section, (row, where) => {
      for (const key of uniques?.keys ?? []) {
        const value = row[key];
        if (typeof value !== "string") continue;
        const id = `${section.name}.${key}`;
        const entry = g.unique.get(id) ?? g.unique.set(id, { table: uniques!.table, column: key, values: [] }).get(id)!;
        entry.values.push(value);
      }
      switch (section.name) {
        case "forms": {
          // A form feeds its own owner's queue: an archive cannot feed another library's or group's.
          const own = `${manifest.kind === "library" ? "lib" : "group"}:${manifest.id}`;
          if (row.queueId !== own) throw malformed(`${where}: feeds the queue ${String(row.queueId)}; a form of ${manifest.id} feeds ${own}.`);
          add(g.keys, "forms", row.id as string);
          if (manifest.kind === "group") g.libraryRefs.add(row.libraryId as string);
          break;
        }
        case "formLogos":
          if (!g.keys.get("forms")?.has(row.formId as string)) throw malformed(`${where}: a logo of form ${String(row.formId)}, which is not in the archive.`);
          break;
        case "questions":
          add(g.keys, "questions", row.id as string);
          break;
        case "questionHistory":
        case "mails":
          if (!g.keys.get("questions")?.has(row.questionId as string)) throw malformed(`${where}: about question ${String(row.questionId)}, which is not in the archive.`);
          break;
        case "policyPage":
          for (const [id, html] of Object.entries(row.sections as Record<string, string>)) assertCleanHtml(html, `${where}, section ${id}`);
          break;
        case "groupPage":
          assertCleanHtml(row.body as string, where);
          break;
        case "members":
        case "coverageShifts":
        case "invitations":
          g.libraryRefs.add(row.libraryId as string);
          break;
      }
    });
    g.rows.set(section.name, n);
  }
  const ownerSection = manifest.kind === "library" ? "library" : "group";
  if (g.rows.get(ownerSection) !== 1) throw malformed(`A ${manifest.kind} archive holds exactly one ${ownerSection} row.`);
  for (const [id, entry] of g.unique) {
    if (new Set(entry.values).size !== entry.values.length) throw malformed(`${id}: the archive holds the same value twice.`);
  }
  return g;
}

/** Refuses (409) when the owner, or any id or address in the archive, is taken here, or a group's libraries are missing. */
async function checkAgainstInstallation(db: Database, manifest: Manifest, g: Gathered): Promise<void> {
  const ownerTable = manifest.kind === "library" ? libraries : groups;
  if (await db.select({ id: ownerTable.id }).from(ownerTable).where(eq(ownerTable.id, manifest.id)).get()) {
    throw conflict(`This installation has a ${manifest.kind} with the id "${manifest.id}" already. An archive is imported into an installation that does not have it yet.`);
  }
  for (const [id, entry] of g.unique) {
    const column = (entry.table as unknown as Record<string, Parameters<typeof eq>[0]>)[entry.column]!;
    // D1 binds at most 100 values in one statement.
    for (let i = 0; i < entry.values.length; i += 90) {
      const slice = entry.values.slice(i, i + 90);
      const [taken] = await db.select({ n: count() }).from(entry.table).where(inArray(column, slice)).all();
      if ((taken?.n ?? 0) > 0) throw conflict(`${id}: ${taken!.n} of the archive's values are taken in this installation already (the archive may have been imported before).`);
    }
  }
  if (g.libraryRefs.size > 0) {
    const wanted = [...g.libraryRefs];
    const found = new Set<string>();
    for (let i = 0; i < wanted.length; i += 90) {
      for (const r of await db.select({ id: libraries.id }).from(libraries).where(inArray(libraries.id, wanted.slice(i, i + 90))).all()) found.add(r.id);
    }
    const missing = wanted.filter((id) => !found.has(id));
    if (missing.length > 0) throw conflict(`The group's libraries ${missing.join(", ")} are not in this installation: import their archives first.`);
  }
}

/** A row as it is inserted here: autoincrement ids left to this installation, no service administrators. */
function insertable(section: Section, row: Row, notes: string[]): Row {
  if (section.name === "librarians" && row.role === "service_admin") {
    notes.push(`${String(row.displayName)} was a service administrator there; here they are a library administrator.`);
    return { ...row, role: "library_admin" };
  }
  return row;
}

const WRITE_BATCH = 50;

/** Writes every row, section by section, in batches. */
async function writeRows(db: Database, archive: ArchiveReader, manifest: Manifest, sections: readonly Section[], notes: string[]): Promise<void> {
  let pending: BatchItem<"sqlite">[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    await db.batch(pending as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    pending = [];
  };
  for (const section of sections) {
    await sectionRows(archive, manifest, section, async (row) => {
      pending.push(db.insert(section.table).values(insertable(section, row, notes)));
      if (section.name === "policyPage") {
        const page = row as { sections: Record<string, string>; links: { kind: string; label: string; url: string }[]; quickAnswers: { title: string; text: string }[] };
        pending.push(...reindexStatements(db, manifest.id, searchRows(page, POLICY_SECTIONS, LINK_KIND_LABELS)));
      }
      if (pending.length >= WRITE_BATCH) await flush();
    });
    // A section's rows are in before the next section's refer to them.
    await flush();
  }
}

/** Imports a library's or a group's archive; refuses with a clear error, changing nothing, when it cannot. */
export async function importArchive(env: Pick<Env, "DB">, bytes: Uint8Array, actor: Actor, now = Date.now()): Promise<ImportResult> {
  const archive = new ArchiveReader(bytes);
  const manifest = readManifest(archive);
  const kind: ArchiveKind = manifest.kind;
  const sections = SECTIONS[kind];
  checkFileList(archive, manifest, sections);
  const gathered = await checkRows(archive, manifest, sections);
  const db = database(env.DB);
  await checkAgainstInstallation(db, manifest, gathered);

  const notes: string[] = [];
  try {
    await writeRows(db, archive, manifest, sections, notes);
    await auditStatement(
      db,
      actor,
      {
        libraryId: kind === "library" ? manifest.id : null,
        groupId: kind === "group" ? manifest.id : null,
        action: kind === "library" ? "library.imported" : "group.imported",
        targetType: kind,
        targetId: manifest.id,
        before: null,
        after: { exportedAt: manifest.exportedAt, version: manifest.version, records: Object.fromEntries(gathered.rows) },
      },
      now,
    );
  } catch (error) {
    await recordError(env.DB, "import_failed", { kind, ownerId: manifest.id, error: errorSummary(error) });
    await removeArchiveOwner(db, kind, manifest.id);
    throw new ApiError(500, "internal", "The import failed while writing and was undone; nothing was kept. Try again; if it fails again, the service's health page shows the error.");
  }
  return {
    kind,
    id: manifest.id,
    name: manifest.name,
    counts: Object.fromEntries(gathered.rows),
    accountsWithoutPassword: kind === "library" ? (gathered.rows.get("librarians") ?? 0) : 0,
    notes,
  };
}
