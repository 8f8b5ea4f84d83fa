/**
 * The objects' own storage schemas are versioned: a new object starts at the
 * newest version, and an object created by older code (which recorded no
 * version and lacked later columns) is brought up to date, keeping its data.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SESSION_STORAGE_MIGRATIONS } from "../../durable-objects/chat-session/store";
import { QUEUE_STORAGE_MIGRATIONS } from "../../durable-objects/request-queue/queue-store";
import { hasColumn, migrateStorage } from "../../durable-objects/shared/storage-schema";
import { queueStub, sessionStub, staffedLibrary, startChat } from "./helpers";

const version = (sql: SqlStorage) => sql.exec<{ version: number }>("SELECT version FROM storage_schema").one().version;

describe("object storage schemas", () => {
  it("start new objects at the newest version", async () => {
    const { formId, library } = await staffedLibrary();
    const chat = await startChat(formId);
    expect(await runInDurableObject(sessionStub(chat.sessionId), (_obj, state) => version(state.storage.sql))).toBe(SESSION_STORAGE_MIGRATIONS.length);
    expect(await runInDurableObject(queueStub(library.queueId), (_obj, state) => version(state.storage.sql))).toBe(QUEUE_STORAGE_MIGRATIONS.length);
  });

  it("bring an object stored by older code up to date without losing its messages, and do nothing the second time", async () => {
    const { formId } = await staffedLibrary();
    const chat = await startChat(formId);
    const after = await runInDurableObject(sessionStub(chat.sessionId), (_obj, state) => {
      const sql = state.storage.sql;
      // As the first release left it: no version recorded, messages without their `meta` column.
      sql.exec("DROP TABLE storage_schema");
      sql.exec("ALTER TABLE messages DROP COLUMN meta");
      const before = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages").one().n;
      const first = migrateStorage(sql, SESSION_STORAGE_MIGRATIONS);
      const second = migrateStorage(sql, SESSION_STORAGE_MIGRATIONS);
      return { before, first, second, meta: hasColumn(sql, "messages", "meta"), messages: sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages").one().n, version: version(sql) };
    });
    expect(after).toEqual({ before: 1, first: SESSION_STORAGE_MIGRATIONS.length, second: SESSION_STORAGE_MIGRATIONS.length, meta: true, messages: 1, version: SESSION_STORAGE_MIGRATIONS.length });
  });
});
