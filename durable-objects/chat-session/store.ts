/**
 * A chat session's own storage (the object's SQLite): its state, the message
 * log, internal notes, and bookkeeping that must survive hibernation. Every
 * write here is synchronous, so a write made before an await is durable
 * before any reply leaves (the output gate holds replies until it is).
 */
import type { InternalNote } from "../../src/objects/contracts";
import type { AuthorRole, ChatMessage, PushedPage, SharedFile } from "../../src/shared/protocol";
import type { SystemLine } from "../../src/shared/system-lines";
import { hasColumn, hasStorage, type StorageMigration } from "../shared/storage-schema";
import type { SessionState } from "./session-state";

/** The storage schema, in order; never edit a step once released, add one. */
export const SESSION_STORAGE_MIGRATIONS: readonly StorageMigration[] = [
  (sql) =>
    sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY,
        author_key TEXT NOT NULL,
        client_id TEXT,
        role TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        at INTEGER NOT NULL,
        while_waiting INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX IF NOT EXISTS messages_client ON messages (author_key, client_id) WHERE client_id IS NOT NULL;
      CREATE TABLE IF NOT EXISTS internal_notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL
      );
    `),
  // Pushed pages carry their details beside the message text.
  (sql) => {
    if (!hasColumn(sql, "messages", "meta")) sql.exec("ALTER TABLE messages ADD COLUMN meta TEXT");
  },
];

/** A message to add to the log. */
export interface NewMessage {
  /** Who wrote it, for de-duplication: "patron", "librarian:<id>" or "system". */
  authorKey: string;
  role: AuthorRole;
  name: string;
  kind: ChatMessage["kind"];
  body: string;
  clientId: string | null;
  whileWaiting: boolean;
  push?: PushedPage;
  /** A system line's key and parameters (each reader's language shows it). */
  line?: SystemLine;
  /** A file sent into the chat (what it is; its bytes are in R2). */
  file?: SharedFile;
}

interface MessageRow extends Record<string, SqlStorageValue> {
  seq: number;
  author_key: string;
  client_id: string | null;
  role: string;
  name: string;
  kind: string;
  body: string;
  at: number;
  while_waiting: number;
  meta: string | null;
}

/** How many of the patron's waiting-time lines a queue shows as a preview. */
const PREVIEW_LINES = 5;

export class SessionStore {
  private cachedState: SessionState | null | undefined;
  private cachedLastSeq: number | undefined;
  private cachedBytes: number | undefined;

  constructor(private readonly sql: SqlStorage) {}

  /** The state, or null for a session never started (whose storage does not exist yet). */
  get state(): SessionState | null {
    if (this.cachedState === undefined) {
      if (!hasStorage(this.sql)) return null;
      const value = this.meta("state");
      this.cachedState = value ? (JSON.parse(value) as SessionState) : null;
    }
    return this.cachedState;
  }

  /** Forgets what it cached, after the object's storage was deleted. */
  forget(): void {
    this.cachedState = undefined;
    this.cachedLastSeq = undefined;
    this.cachedBytes = undefined;
  }

  /** How big the log is: its messages and the UTF-8 bytes of their text. */
  get size(): LogSize {
    if (this.cachedBytes === undefined) {
      this.cachedBytes = this.sql.exec<{ b: number | null }>("SELECT SUM(length(CAST(body AS BLOB))) AS b FROM messages").one().b ?? 0;
    }
    return { messages: this.lastSeq, bytes: this.cachedBytes };
  }

  save(state: SessionState): void {
    this.setMeta("state", JSON.stringify(state));
    this.cachedState = state;
  }

  /** A small stored value other than the state (e.g. a pending D1 mirror). */
  meta(key: string): string | null {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value ?? null;
  }

  setMeta(key: string, value: string | null): void {
    if (value === null) this.sql.exec("DELETE FROM meta WHERE key = ?", key);
    else this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
  }

  get lastSeq(): number {
    if (this.cachedLastSeq === undefined) {
      this.cachedLastSeq = this.sql.exec<{ m: number | null }>("SELECT MAX(seq) AS m FROM messages").one().m ?? 0;
    }
    return this.cachedLastSeq;
  }

  /** The files this chat holds: how many, how many the patron sent, and their bytes. */
  fileTotals(): { files: number; patronFiles: number; bytes: number } {
    const row = this.sql
      .exec<{ files: number; patron: number | null; bytes: number | null }>(
        "SELECT COUNT(*) AS files, SUM(role = 'patron') AS patron, SUM(json_extract(meta, '$.file.bytes')) AS bytes FROM messages WHERE kind = 'file'",
      )
      .one();
    return { files: row.files, patronFiles: row.patron ?? 0, bytes: row.bytes ?? 0 };
  }

  /** When the newest message was written (0: none yet). */
  get lastMessageAt(): number {
    const seq = this.lastSeq;
    return seq === 0 ? 0 : this.sql.exec<{ at: number }>("SELECT at FROM messages WHERE seq = ?", seq).one().at;
  }

  /** The stored message with this author's client id, if any (a retry is acknowledged with it). */
  findSent(authorKey: string, clientId: string): ChatMessage | null {
    const row = this.sql.exec<MessageRow>("SELECT * FROM messages WHERE author_key = ? AND client_id = ?", authorKey, clientId).toArray()[0];
    return row ? rowToMessage(row) : null;
  }

  /** Stores a message with the next sequence number, or returns the stored one for a repeated client id. */
  append(input: NewMessage, now: number): { message: ChatMessage; duplicate: boolean } {
    if (input.clientId !== null) {
      const existing = this.findSent(input.authorKey, input.clientId);
      if (existing) return { message: existing, duplicate: true };
    }
    const seq = this.lastSeq + 1;
    const previousAt = seq > 1 ? this.sql.exec<{ at: number }>("SELECT at FROM messages WHERE seq = ?", seq - 1).one().at : 0;
    // Keep timestamps monotonic so displayed order never disagrees with sequence order.
    const at = Math.max(now, previousAt);
    this.sql.exec(
      "INSERT INTO messages (seq, author_key, client_id, role, name, kind, body, at, while_waiting, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      seq,
      input.authorKey,
      input.clientId,
      input.role,
      input.name,
      input.kind,
      input.body,
      at,
      input.whileWaiting ? 1 : 0,
      input.push || input.line || input.file
        ? JSON.stringify({ ...(input.push ? { push: input.push } : {}), ...(input.line ? { line: input.line } : {}), ...(input.file ? { file: input.file } : {}) })
        : null,
    );
    this.cachedLastSeq = seq;
    if (this.cachedBytes !== undefined) this.cachedBytes += utf8Bytes(input.body);
    const message: ChatMessage = {
      seq,
      clientId: input.clientId,
      author: { role: input.role, name: input.name },
      kind: input.kind,
      body: input.body,
      at,
      whileWaiting: input.whileWaiting,
      ...(input.push ? { push: input.push } : {}),
      ...(input.line ? { line: input.line } : {}),
      ...(input.file ? { file: input.file } : {}),
    };
    return { message, duplicate: false };
  }

  /** Every message after `seq`, in order. */
  messagesAfter(seq: number): ChatMessage[] {
    return this.sql.exec<MessageRow>("SELECT * FROM messages WHERE seq > ? ORDER BY seq", seq).toArray().map(rowToMessage);
  }

  /** The patron's newest lines written while waiting (not the question itself), oldest first. */
  waitingPreview(): string[] {
    return this.sql
      .exec<{ body: string }>("SELECT body FROM messages WHERE role = 'patron' AND while_waiting = 1 AND seq > 1 ORDER BY seq DESC LIMIT ?", PREVIEW_LINES)
      .toArray()
      .map((m) => m.body)
      .reverse();
  }

  addNote(at: number, author: { id: string; name: string }, kind: InternalNote["kind"], body: string): void {
    this.sql.exec("INSERT INTO internal_notes (at, author_id, author_name, kind, body) VALUES (?, ?, ?, ?, ?)", at, author.id, author.name, kind, body);
  }

  /** Internal notes, oldest first. */
  notes(): InternalNote[] {
    return this.sql
      .exec<{ id: number; at: number; author_id: string; author_name: string; body: string }>("SELECT id, at, author_id, author_name, body FROM internal_notes ORDER BY id")
      .toArray()
      .map((r) => ({ id: r.id, at: r.at, author: { id: r.author_id, name: r.author_name }, kind: "transfer", body: r.body }));
  }
}

/** The size of a message log (SESSION_CAPS bounds it). */
export interface LogSize {
  messages: number;
  bytes: number;
}

export const utf8Bytes = (text: string): number => new TextEncoder().encode(text).byteLength;

function rowToMessage(r: MessageRow): ChatMessage {
  const meta = r.meta ? (JSON.parse(r.meta) as { push?: PushedPage; line?: SystemLine; file?: SharedFile }) : null;
  return {
    seq: r.seq,
    clientId: r.client_id,
    author: { role: r.role as AuthorRole, name: r.name },
    kind: r.kind as ChatMessage["kind"],
    body: r.body,
    at: r.at,
    whileWaiting: r.while_waiting === 1,
    ...(meta?.push ? { push: meta.push } : {}),
    ...(meta?.line ? { line: meta.line } : {}),
    ...(meta?.file ? { file: meta.file } : {}),
  };
}
