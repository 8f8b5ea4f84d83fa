/**
 * A library's data is its own: its administrators download everything it
 * owns as one archive, and another installation (a second, empty D1 here)
 * imports it — exported again there, every file compares equal. A group's
 * archive likewise. Import refuses, clearly and changing nothing, what is not
 * a Refdesk archive, is damaged, too large, of an unknown version, breaks a
 * section's schema or clashes with what is there. Exports hold only what the
 * library still has. The nightly export to R2 is restored from, here against
 * local state, as docs/operations.md tells an operator to.
 */
import { applyD1Migrations, env } from "cloudflare:test";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/admin/authorize";
import { database } from "../../src/db/client";
import { runPrivacyScrub } from "../../src/privacy/scrub";
import { savePolicyPage } from "../../src/policies/store";
import { ARCHIVE_LIMITS } from "../../src/shared/limits";
import { writeArchive, type ArchiveOwner } from "../../src/transfer/export";
import { importArchive } from "../../src/transfer/import";
import { removeArchiveOwner } from "../../src/transfer/remove";
import { archiveObjectKey, runScheduledExports } from "../../src/transfer/scheduled-export";
import type { Manifest } from "../../src/transfer/format";
import { call, countRows, createForm, createGroup, createLibrary } from "./helpers";
import { admin, expectError, json, signedIn, type SignedIn } from "./admin-helpers";
import { fileQuestion } from "./question-fixtures";

type Files = Record<string, Uint8Array>;

const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="), (ch) => ch.charCodeAt(0));

let lib: { id: string; name: string };
let partner: { id: string; name: string };
let groupId: string;
let libAdmin: SignedIn;
let groupAdmin: SignedIn;
let svc: SignedIn;
let emptyActor: Actor;

/** Every table's row count: what "changes nothing" is checked against. */
async function snapshot(d1: D1Database = env.DB): Promise<Record<string, number>> {
  const tables = await d1.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' AND name NOT LIKE 'policy_search_%'").all<{ name: string }>();
  const out: Record<string, number> = {};
  for (const { name } of tables.results) out[name] = (await d1.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).first<{ n: number }>())!.n;
  return out;
}

async function archiveOf(d1: D1Database, owner: ArchiveOwner): Promise<Uint8Array<ArrayBuffer>> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const [bytes] = await Promise.all([new Response(readable).bytes() as Promise<Uint8Array<ArrayBuffer>>, writeArchive(d1, owner, writable.getWriter())]);
  return bytes;
}

const filesOf = (bytes: Uint8Array): Files => unzipSync(bytes);
const jsonOf = (files: Files, name: string) => JSON.parse(strFromU8(files[name]!)) as unknown;
const manifestOf = (files: Files) => jsonOf(files, "manifest.json") as Manifest;

/** Re-packs an archive after `change`, with the manifest's digests made to match again unless told otherwise. */
async function repack(bytes: Uint8Array, change: (files: Files, manifest: Manifest) => void, { fixDigests = true } = {}): Promise<Uint8Array<ArrayBuffer>> {
  const files = filesOf(bytes);
  const manifest = manifestOf(files);
  change(files, manifest);
  if (fixDigests) {
    for (const name of Object.keys(manifest.files)) {
      if (!files[name]) continue;
      const hash = await crypto.subtle.digest("SHA-256", files[name]! as Uint8Array<ArrayBuffer>);
      manifest.files[name] = { sha256: [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join(""), bytes: files[name]!.length };
    }
  }
  files["manifest.json"] = strToU8(JSON.stringify(manifest));
  return zipSync(files) as Uint8Array<ArrayBuffer>;
}

const importHere = (body: BodyInit, cookie = svc.cookie) => admin("/service/import", cookie, { method: "POST", body, headers: { "Content-Type": "application/zip" } });

/** The JSON files of two archives, compared: everything but the export time, and the import's own audit entry. */
function expectSameData(original: Files, again: Files) {
  const a = manifestOf(original);
  const b = manifestOf(again);
  expect({ ...b, exportedAt: 0, files: {}, sections: { ...b.sections, auditLog: null } }).toEqual({ ...a, exportedAt: 0, files: {}, sections: { ...a.sections, auditLog: null } });
  for (const name of Object.keys(a.files)) {
    if (name.startsWith("auditLog/")) continue;
    expect(jsonOf(again, name), name).toEqual(jsonOf(original, name));
    expect(b.files[name], name).toEqual(a.files[name]);
  }
  const audit = (files: Files, m: Manifest) => m.sections.auditLog!.files.flatMap((f) => jsonOf(files, f) as Record<string, unknown>[]);
  const before = audit(original, a);
  const after = audit(again, b);
  // The importing installation added one entry: who imported it, when.
  expect(after.slice(0, -1)).toEqual(before);
  expect(after.at(-1)).toMatchObject({ action: `${a.kind}.imported`, actorId: emptyActor.id });
}

beforeAll(async () => {
  await applyD1Migrations(env.EMPTY_DB, env.TEST_MIGRATIONS);
  lib = await createLibrary({ name: "Archive Library", contactEmail: "ask@archive.test", fallbackLinks: [{ label: "FAQ", url: "https://archive.test/faq" }] });
  partner = await createLibrary({ name: "Partner Library" });
  groupId = "archive-coop";
  await createGroup(groupId, "Archive Cooperative", [lib.id, partner.id]);
  libAdmin = await signedIn(lib.id, "library_admin", "Libby Admin");
  groupAdmin = await signedIn(partner.id, "group_admin", "Gus Group");
  svc = await signedIn(partner.id, "service_admin", "Sam Service");
  await signedIn(lib.id, "librarian", "Lena Librarian");

  // Settings, a form with a logo, codes renamed and hidden, scripts, a policy page: all through the admin API or the stores.
  expect((await admin(`/libraries/${lib.id}/settings`, libAdmin.cookie, { method: "PATCH", json: { hoursText: "Mon–Fri 9–5", retentionDays: 45 } })).status).toBe(200);
  const formId = await createForm(lib.id, { fields: [{ id: "card", label: "Card number", kind: "text", required: false }] });
  expect((await admin(`/forms/${formId}/logo`, libAdmin.cookie, { method: "POST", body: PNG, headers: { "Content-Type": "image/png" } })).status).toBe(200);
  await env.DB.prepare("UPDATE descriptive_codes SET label = 'Local history (ours)', active = 0 WHERE library_id = ? AND position = 3").bind(lib.id).run();
  await env.DB.prepare("INSERT INTO canned_messages (library_id, title, body, position) VALUES (?, 'Greeting', 'Hello! How can I help?', 0), (?, 'Closing', 'Anything else?', 1)").bind(lib.id, lib.id).run();
  await savePolicyPage(env.DB, lib.id, { sections: { serves: "<p>Everyone in <strong>Archive</strong> county.</p>" }, links: [{ kind: "catalog", label: "Catalog", url: "https://archive.test/catalog" }], quickAnswers: [{ title: "Card", text: "Free for residents." }], reportEmail: "policy@archive.test" }, libAdmin.id);

  // Filed chats and an e-mailed question, with follow-up history and mails.
  const answered = await fileQuestion(lib.id, { resolution: "answered", patronName: "Pat Patron", patronEmail: "pat@patron.test", lines: [{ role: "patron", body: "Do you have the 1890 census?" }, { role: "librarian", body: "Yes, on microfilm." }] });
  const followup = await fileQuestion(lib.id, { resolution: "followup_by_library", patronName: "Quinn", patronEmail: "quinn@patron.test" });
  await fileQuestion(lib.id, { source: "email", resolution: "followup_by_library", patronName: null, patronEmail: "anon@patron.test" });
  const librarianCookie = libAdmin.cookie;
  expect((await call(`/api/questions/${followup.questionId}/notes`, { method: "POST", cookie: librarianCookie, json: { body: "Ask the genealogy desk." } })).status).toBeLessThan(300);
  expect((await call(`/api/questions/${followup.questionId}/answer`, { method: "POST", cookie: librarianCookie, json: { body: "Here is what we found." } })).status).toBeLessThan(300);
  await env.DB.prepare("UPDATE mail_outbox SET status = 'sent', sent_at = ? WHERE library_id = ?").bind(Date.now(), lib.id).run();
  await env.DB.prepare("INSERT INTO coop_feedback (id, session_id, library_id, answering_library_id, answering_librarian_id, author_id, rating, comment) VALUES ('fb-1', ?, ?, ?, 'someone', ?, 'good', 'Thanks')")
    .bind(answered.sessionId, lib.id, partner.id, libAdmin.id)
    .run();
  // The patron's answers to the form's survey.
  await env.DB.prepare(
    "INSERT INTO survey_answers (session_id, question_id, library_id, form_id, question, kind, answer_number, answer_text, created_at) VALUES (?, 'q1', ?, NULL, 'How helpful was this?', 'scale', 5, NULL, 1), (?, 'q2', ?, NULL, 'Anything else?', 'text', NULL, 'Very quick, thank you', 1)",
  )
    .bind(answered.sessionId, lib.id, answered.sessionId, lib.id)
    .run();

  // The group's own things: a group form, a page, a schedule.
  await env.DB.prepare("INSERT INTO forms (id, library_id, group_id, queue_id, title) VALUES ('archive-coop-form', ?, ?, ?, 'Ask the cooperative')").bind(lib.id, groupId, `group:${groupId}`).run();
  await env.DB.prepare("INSERT INTO group_pages (group_id, body, updated_at) VALUES (?, '<p>Be kind.</p>', ?)").bind(groupId, Date.now()).run();
  await env.DB.prepare("INSERT INTO canned_messages (scope, group_id, title, body, position) VALUES ('group', ?, 'Cooperative hello', 'Hello from the cooperative', 0)").bind(groupId).run();
  await env.DB.prepare("INSERT INTO coverage_shifts (group_id, library_id, time_zone, weekday, start_minute, end_minute) VALUES (?, ?, 'UTC', 1, 540, 1020)").bind(groupId, partner.id).run();

  // Whoever imports on the other installation.
  await env.EMPTY_DB.batch([
    env.EMPTY_DB.prepare("INSERT INTO libraries (id, name) VALUES ('elsewhere-home', 'Elsewhere')"),
    env.EMPTY_DB.prepare("INSERT INTO librarians (id, library_id, email, display_name, role) VALUES ('elsewhere-admin', 'elsewhere-home', 'ops@elsewhere.test', 'Elsewhere Ops', 'service_admin')"),
  ]);
  emptyActor = { id: "elsewhere-admin", libraryId: "elsewhere-home", libraryName: "Elsewhere", displayName: "Elsewhere Ops", email: "ops@elsewhere.test", role: "service_admin", groupIds: [] };
});

describe("a library's archive, out and in", () => {
  it("downloads as a ZIP of JSON sections and CSV views, audited, for the library's administrators only", async () => {
    const res = await admin(`/libraries/${lib.id}/export`, libAdmin.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`attachment; filename="refdesk-library-${lib.id}-\\d{4}-\\d{2}-\\d{2}\\.zip"`));
    const files = filesOf(new Uint8Array(await res.arrayBuffer()));
    const m = manifestOf(files);
    expect(m).toMatchObject({ format: "refdesk-archive", version: 1, kind: "library", id: lib.id, name: lib.name });
    expect(Object.keys(m.sections)).toEqual(["library", "librarians", "forms", "formLogos", "descriptiveCodes", "scripts", "policyPage", "sessions", "questions", "questionHistory", "statisticsFacts", "statisticsCodes", "surveyAnswers", "mails", "feedback", "auditLog"]);
    // Statistics facts for every filed chat (never a name or a text), and the survey's answers.
    expect(m.sections.statisticsFacts!.records).toBe(3);
    expect(m.sections.surveyAnswers!.records).toBe(2);
    expect(m.sections.questions!.records).toBe(3);
    expect(m.sections.sessions!.records).toBe(3);
    expect(m.sections.scripts!.records).toBe(2);
    expect(m.sections.questionHistory!.records).toBeGreaterThanOrEqual(5);
    expect(m.views).toEqual(expect.arrayContaining(["csv/questions.csv", "csv/transcripts.csv", "csv/question-history.csv", "csv/librarians.csv"]));
    expect(strFromU8(files["csv/transcripts.csv"]!)).toContain("Do you have the 1890 census?");
    // Never a password, never an account's sign-in link.
    const everything = Object.values(files).map((f) => strFromU8(f)).join("\n");
    expect(everything).not.toContain("pbkdf2");
    expect(everything).not.toContain("/account/set-password/");
    expect(await countRows("SELECT 1 FROM audit_log WHERE library_id = ? AND action = 'library.exported' AND actor_id = ?", lib.id, libAdmin.id)).toBe(1);

    expect((await admin(`/libraries/${lib.id}/export`, groupAdmin.cookie)).status).toBe(403);
    expect((await admin(`/libraries/${lib.id}/export`, undefined)).status).toBe(401);
  });

  it("imports into an empty installation, where it exports again the same, file for file", async () => {
    const original = await archiveOf(env.DB, { kind: "library", ...lib });
    const result = await importArchive({ DB: env.EMPTY_DB }, original, emptyActor);
    expect(result).toMatchObject({ kind: "library", id: lib.id, accountsWithoutPassword: 2, notes: [] });
    expect(result.counts).toMatchObject({ questions: 3, sessions: 3, scripts: 2, formLogos: 1, policyPage: 1, feedback: 1, statisticsFacts: 3, surveyAnswers: 2 });
    const again = await archiveOf(env.EMPTY_DB, { kind: "library", ...lib });
    expectSameData(filesOf(original), filesOf(again));
    // The policy page is searchable there too.
    expect(await env.EMPTY_DB.prepare("SELECT COUNT(*) AS n FROM policy_search WHERE library_id = ?").bind(lib.id).first()).toEqual({ n: expect.any(Number) });
    expect((await env.EMPTY_DB.prepare("SELECT COUNT(*) AS n FROM policy_search WHERE library_id = ? AND policy_search MATCH 'county'").bind(lib.id).first<{ n: number }>())!.n).toBe(1);
  });

  it("brings the group's own things after its libraries, and exports them again the same", async () => {
    const res = await admin(`/groups/${groupId}/export`, groupAdmin.cookie);
    expect(res.status).toBe(200);
    const original = new Uint8Array(await res.arrayBuffer());
    const m = manifestOf(filesOf(original));
    expect(Object.keys(m.sections)).toEqual(["group", "groupPage", "members", "forms", "formLogos", "scripts", "coverageShifts", "invitations", "auditLog"]);
    expect(m.sections.scripts!.records).toBe(1);
    expect(m.sections.members!.records).toBe(2);
    // Partner Library is not there yet: refused, nothing written.
    const before = await snapshot(env.EMPTY_DB);
    await expect(importArchive({ DB: env.EMPTY_DB }, original, emptyActor)).rejects.toMatchObject({ status: 409, message: expect.stringContaining(partner.id) });
    expect(await snapshot(env.EMPTY_DB)).toEqual(before);
    await importArchive({ DB: env.EMPTY_DB }, await archiveOf(env.DB, { kind: "library", ...partner }), emptyActor);
    await importArchive({ DB: env.EMPTY_DB }, original, emptyActor);
    expectSameData(filesOf(original), filesOf(await archiveOf(env.EMPTY_DB, { kind: "group", id: groupId, name: "Archive Cooperative" })));
    expect((await admin(`/groups/${groupId}/export`, libAdmin.cookie)).status).toBe(403);
  });

  it("never makes anyone a service administrator of the importing installation", async () => {
    const other = await createLibrary({ name: "Service Home" });
    await signedIn(other.id, "service_admin", "Root Person");
    const result = await importArchive({ DB: env.EMPTY_DB }, await archiveOf(env.DB, { kind: "library", ...other }), emptyActor);
    expect(result.notes).toEqual(["Root Person was a service administrator there; here they are a library administrator."]);
    expect((await env.EMPTY_DB.prepare("SELECT role FROM librarians WHERE library_id = ?").bind(other.id).first<{ role: string }>())!.role).toBe("library_admin");
  });
});

describe("import refuses, clearly and changing nothing", () => {
  let good: Uint8Array<ArrayBuffer>;
  let fresh: { id: string; name: string };
  beforeAll(async () => {
    // An archive of a library this installation does not have (exported, then removed).
    fresh = await createLibrary({ name: "Moving Library" });
    await fileQuestion(fresh.id, { resolution: "answered" });
    good = await archiveOf(env.DB, { kind: "library", ...fresh });
    await removeArchiveOwner(database(env.DB), "library", fresh.id);
  });

  async function refused(body: BodyInit, status: number, field: string, message: RegExp) {
    const before = await snapshot();
    const error = await expectError(await importHere(body), status, field);
    expect(error.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  }

  it("what is not a ZIP", () => refused("just some text", 400, "archive", /not a ZIP archive/));
  it("a ZIP that is not a Refdesk archive", () => refused(zipSync({ "notes.txt": strToU8("hello") }), 400, "archive", /has no manifest\.json/));
  it("an archive of an unknown version", async () =>
    refused(await repack(good, (_, m) => ((m as { version: number }).version = 2)), 400, "version", /format version 2; this installation reads version 1/));
  it("a file changed after export", async () =>
    refused(await repack(good, (files) => (files["library.json"] = strToU8(strFromU8(files["library.json"]!).replace("Moving", "Moved"))), { fixDigests: false }), 400, "archive", /does not match its digest/));
  it("a row that breaks its section's schema", async () =>
    refused(
      await repack(good, (files) => {
        const rows = JSON.parse(strFromU8(files["questions/0001.json"]!)) as Record<string, unknown>[];
        rows[0]!.status = "lost";
        files["questions/0001.json"] = strToU8(JSON.stringify(rows));
      }),
      400,
      "archive",
      /questions\/0001\.json, row 1: status/,
    ));
  it("a row of another library", async () =>
    refused(
      await repack(good, (files) => {
        const rows = JSON.parse(strFromU8(files["questions/0001.json"]!)) as Record<string, unknown>[];
        rows[0]!.libraryId = lib.id;
        files["questions/0001.json"] = strToU8(JSON.stringify(rows));
      }),
      400,
      "archive",
      /belongs to .*, not to/,
    ));
  it("a form that feeds another library's queue", async () =>
    refused(
      await repack(good, (files, m) => {
        const rows = JSON.parse(strFromU8(files["forms.json"]!)) as Record<string, unknown>[];
        m.sections.forms!.records += 1;
        rows.push({ id: "sneaky-form", libraryId: fresh.id, groupId: null, queueId: `group:${groupId}`, title: "Sneaky", intro: null, fields: [], chatMethod: "chat", brandColor: null, logoUrl: null, enabled: true, survey: null, languages: ["en"], defaultLanguage: "en", translations: {}, createdAt: 1 });
        files["forms.json"] = strToU8(JSON.stringify(rows));
      }),
      400,
      "archive",
      /feeds the queue group:archive-coop/,
    ));
  it("unsafe HTML in a policy page", async () =>
    refused(
      await repack(good, (files, m) => {
        const now = Date.now();
        files["policyPage.json"] = strToU8(JSON.stringify([{ libraryId: fresh.id, sections: { serves: '<p onclick="x()">Hi</p><script>alert(1)</script>' }, links: [], quickAnswers: [], reportEmail: null, updatedAt: now, updatedBy: null }]));
        m.sections.policyPage!.records = 1;
      }),
      400,
      "archive",
      /HTML Refdesk does not allow/,
    ));
  it("a file the manifest does not list", async () => refused(await repack(good, (files) => (files["extra.json"] = strToU8("[]"))), 400, "archive", /does not list/));
  it("a file that unpacks too large", async () =>
    refused(await repack(good, (files, m) => ((files["huge.json"] = new Uint8Array(ARCHIVE_LIMITS.fileBytes + 1)), m.views.push("huge.json"))), 413, "archive", /at most/));
  it("an archive over the size limit", () => refused(new Uint8Array(ARCHIVE_LIMITS.archiveBytes + 1), 413, "archive", /at most/));
  it("a library this installation has already", async () => refused(await archiveOf(env.DB, { kind: "library", ...lib }), 409, "archive", /has a library with the id/));
  it("from anyone but a service administrator", async () => {
    const before = await snapshot();
    expect((await importHere(good, libAdmin.cookie)).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("and then imports the good archive", async () => {
    const res = await importHere(good);
    expect(res.status).toBe(201);
    expect((await json<{ imported: { id: string } }>(res)).imported.id).toBe(fresh.id);
    // Twice is refused.
    await expectError(await importHere(good), 409, "archive");
  });
});

describe("exports respect retention", () => {
  it("holds no patron's name or address once the scrub removed them", async () => {
    const gone = await createLibrary({ name: "Forgetful Library" });
    await fileQuestion(gone.id, { patronName: "Zelda Zed", patronEmail: "zelda@patron.test", lines: [{ role: "patron", body: "I am Zelda Zed, mail me at zelda@patron.test" }], createdAt: Date.now() - 40 * 86_400_000 });
    await env.DB.prepare("INSERT INTO mail_outbox (event_key, library_id, question_id, to_address, subject, text_body, html_body, status) VALUES ('waiting-mail', ?, NULL, 'zelda@patron.test', 'S', 'Zelda Zed', 'H', 'pending')").bind(gone.id).run();
    await runPrivacyScrub(env, Date.now());
    const files = filesOf(await archiveOf(env.DB, { kind: "library", ...gone }));
    const everything = Object.values(files).map((f) => strFromU8(f)).join("\n");
    expect(manifestOf(files).sections.sessions!.records).toBe(1);
    expect(everything).not.toContain("zelda@patron.test");
    expect(everything).not.toContain("Zelda Zed");
  });
});

describe("the nightly export to R2, and restoring from it", () => {
  it("writes each library's and group's archive when ARCHIVE_EXPORTS is on, and the library comes back from it", async () => {
    const solo = await createLibrary({ name: "Solo Library" });
    await signedIn(solo.id, "library_admin", "Solo Admin");
    for (let i = 0; i < 3; i += 1) await fileQuestion(solo.id, { resolution: "answered", patronName: `Patron ${i}` });
    expect(await runScheduledExports(env)).toEqual({ exported: 0, failed: 0 });
    const result = await runScheduledExports({ ...env, ARCHIVE_EXPORTS: "on" });
    expect(result.failed).toBe(0);
    expect(result.exported).toBeGreaterThanOrEqual(3);
    expect(await countRows("SELECT 1 FROM archive_exports WHERE kind = 'library' AND owner_id = ? AND finished_at IS NOT NULL", solo.id)).toBe(1);
    // Already fresh: not exported again tonight.
    expect((await runScheduledExports({ ...env, ARCHIVE_EXPORTS: "on" })).exported).toBe(0);

    const object = await env.ARCHIVES.get(archiveObjectKey({ kind: "library", id: solo.id }));
    expect(object?.httpMetadata?.contentType).toBe("application/zip");
    const backup = new Uint8Array(await object!.arrayBuffer());

    // The library is lost (say, removed by mistake) and restored from last night's archive.
    await removeArchiveOwner(database(env.DB), "library", solo.id);
    expect(await countRows("SELECT 1 FROM questions WHERE library_id = ?", solo.id)).toBe(0);
    const restored = await importHere(backup);
    expect(restored.status).toBe(201);
    expect(await countRows("SELECT 1 FROM questions WHERE library_id = ?", solo.id)).toBe(3);
    const after = filesOf(await archiveOf(env.DB, { kind: "library", ...solo }));
    const m = manifestOf(after);
    const original = filesOf(backup);
    for (const name of Object.keys(m.files).filter((n) => !n.startsWith("auditLog/"))) expect(jsonOf(after, name), name).toEqual(jsonOf(original, name));
  });
});
