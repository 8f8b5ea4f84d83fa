/**
 * The form builder's API: creating and editing a chat request form shows in
 * the hosted form (/f/:id) and in the form's public data (what the Qwidget
 * reads); the question field cannot be dropped; colours, logos and queues are
 * checked; a disabled form keeps its link and says so.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LOGO_RULES } from "../../src/shared/admin-limits";
import { call, countRows, createGroup, createLibrary, startChat, uniqueId } from "./helpers";
import { admin, auditCount, expectError, json, signedIn } from "./admin-helpers";

const FIELDS = [
  { id: "question", label: "What would you like to know?", kind: "textarea", required: true, help: "One question per chat works best." },
  { id: "name", label: "Your name", kind: "text", required: true },
  { id: "school", label: "Your school", kind: "select", required: true, options: ["North High", "South High"] },
];

function formBody(overrides: Record<string, unknown> = {}) {
  return { title: "Homework help", intro: "Ask a teen librarian.", fields: FIELDS, queueId: "", chatMethod: "viewport", brandColor: "#7a1f1f", enabled: true, ...overrides };
}

type FormView = { id: string; title: string; fields: { id: string; label: string; required: boolean }[]; formUrl: string; embedCode: string; logoUrl: string | null; enabled: boolean };

async function newForm(libraryId: string, cookie: string, overrides: Record<string, unknown> = {}) {
  const res = await admin(`/libraries/${libraryId}/forms`, cookie, { method: "POST", json: formBody({ queueId: `lib:${libraryId}`, ...overrides }) });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json<{ form: FormView }>(res)).form;
}

/** A small but real PNG (1×1, transparent). */
const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="), (ch) => ch.charCodeAt(0));

describe("building a form", () => {
  it("creates a form whose hosted page and public data show exactly what was built, with the URL and embed code to copy", async () => {
    const library = await createLibrary({ name: "Oak Park Library" });
    const boss = await signedIn(library.id, "library_admin");
    const form = await newForm(library.id, boss.cookie);
    expect(form.formUrl).toBe(`https://refdesk.test/f/${form.id}`);
    expect(form.embedCode).toBe(`<script src="https://refdesk.test/qwidget.js" data-refdesk-form="${form.id}" async></script>`);

    const page = await (await call(`/f/${form.id}`)).text();
    expect(page).toContain("<h1>Homework help</h1>");
    expect(page).toContain("What would you like to know?");
    expect(page).toContain("One question per chat works best.");
    expect(page).toContain('name="field:school"');
    expect(page).toContain("<option>South High</option>");
    expect(page).toContain("--brand:#7a1f1f");
    // The form lists no e-mail field, so the hosted page asks for none.
    expect(page).not.toContain('name="email"');

    const data = await json<{ form: Record<string, unknown> }>(await call(`/api/forms/${form.id}`));
    expect(data.form).toMatchObject({ id: form.id, title: "Homework help", chatMethod: "viewport", brandColor: "#7a1f1f", enabled: true, libraryName: "Oak Park Library" });
    expect((data.form.fields as { id: string }[]).map((f) => f.id)).toEqual(["question", "name", "school"]);

    // A patron must answer the required fields the builder set.
    const missing = await startChat(form.id, { name: "Kim" });
    expect(missing.res.status).toBe(400);
    expect(missing.error).toMatchObject({ field: "fields.school" });
    const ok = await startChat(form.id, { name: "Kim", fields: { school: "North High" } });
    expect(ok.res.status).toBe(201);
  });

  it("edits are reflected at once in the hosted form and the public data, and recorded before/after", async () => {
    const library = await createLibrary();
    const boss = await signedIn(library.id, "library_admin");
    const form = await newForm(library.id, boss.cookie);
    const fields = [{ id: "question", label: "Your question, please", kind: "textarea", required: true }, { id: "email", label: "E-mail for the transcript", kind: "email", required: false }];
    const res = await admin(`/forms/${form.id}`, boss.cookie, { method: "PUT", json: formBody({ queueId: `lib:${library.id}`, title: "Ask Oak Park", fields, chatMethod: "chat", brandColor: null }) });
    expect(res.status, await res.clone().text()).toBe(200);
    const page = await (await call(`/f/${form.id}`)).text();
    expect(page).toContain("<h1>Ask Oak Park</h1>");
    expect(page).toContain("Your question, please");
    expect(page).toContain("E-mail for the transcript");
    expect(page).not.toContain("Your school");
    const data = await json<{ form: { title: string; chatMethod: string; brandColor: string; fields: { id: string }[] } }>(await call(`/api/forms/${form.id}`));
    expect(data.form).toMatchObject({ title: "Ask Oak Park", chatMethod: "chat", brandColor: "#1d4ed8" });
    expect(data.form.fields.map((f) => f.id)).toEqual(["question", "email"]);
    const log = await json<{ entries: { action: string; before: Record<string, unknown>; after: Record<string, unknown> }[] }>(await admin(`/libraries/${library.id}/audit`, boss.cookie));
    expect(log.entries[0]).toMatchObject({ action: "form.updated", before: { title: "Homework help", chatMethod: "viewport" }, after: { title: "Ask Oak Park", chatMethod: "chat" } });
    expect(Object.keys(log.entries[0]!.after).sort()).toEqual(["brandColor", "chatMethod", "fields", "title"]);
  });

  it("refuses a field list without the question, a bad colour, an unknown queue and broken fields, changing nothing", async () => {
    const library = await createLibrary();
    const other = await createLibrary();
    const boss = await signedIn(library.id, "library_admin");
    const form = await newForm(library.id, boss.cookie);
    const before = { audit: await auditCount(library.id), forms: await countRows("SELECT 1 FROM forms WHERE library_id = ?", library.id) };
    const put = (overrides: Record<string, unknown>) => admin(`/forms/${form.id}`, boss.cookie, { method: "PUT", json: formBody({ queueId: `lib:${library.id}`, ...overrides }) });

    const dropped = await expectError(await put({ fields: FIELDS.filter((f) => f.id !== "question") }), 400, "fields");
    expect(dropped.message).toContain("question field cannot be removed");
    await expectError(await put({ fields: [{ ...FIELDS[0], required: false }] }), 400, "fields.0.required");
    await expectError(await put({ fields: [FIELDS[0], { id: "school", label: "School", kind: "select", required: false }] }), 400, "fields.1.options");
    await expectError(await put({ fields: [FIELDS[0], FIELDS[1], FIELDS[1]] }), 400, "fields.2.id");
    await expectError(await put({ fields: [FIELDS[0], { id: "Bad Id", label: "x", kind: "text", required: false }] }), 400, "fields.1.id");
    await expectError(await put({ brandColor: "red" }), 400, "brandColor");
    const pale = await expectError(await put({ brandColor: "#fafafa" }), 400, "brandColor");
    expect(pale.message).toContain("Too light");
    await expectError(await put({ queueId: `lib:${other.id}` }), 400, "queueId");
    await expectError(await put({ chatMethod: "video" }), 400, "chatMethod");
    await expectError(await put({ title: "" }), 400, "title");
    await expectError(await admin(`/libraries/${library.id}/forms`, boss.cookie, { method: "POST", json: formBody({ queueId: `lib:${library.id}`, fields: [] }) }), 400, "fields");

    expect(await auditCount(library.id)).toBe(before.audit);
    expect(await countRows("SELECT 1 FROM forms WHERE library_id = ?", library.id)).toBe(before.forms);
    const row = await env.DB.prepare("SELECT title, brand_color FROM forms WHERE id = ?").bind(form.id).first();
    expect(row).toEqual({ title: "Homework help", brand_color: "#7a1f1f" });
  });

  it("feeds a cooperative queue the library belongs to", async () => {
    const library = await createLibrary();
    const groupId = uniqueId("grp");
    await createGroup(groupId, "Valley Cooperative", [library.id]);
    const boss = await signedIn(library.id, "library_admin");
    const listed = await json<{ queues: { id: string }[] }>(await admin(`/libraries/${library.id}/forms`, boss.cookie));
    expect(listed.queues.map((q) => q.id)).toEqual([`lib:${library.id}`, `group:${groupId}`]);
    const form = await newForm(library.id, boss.cookie, { queueId: `group:${groupId}` });
    const row = await env.DB.prepare("SELECT queue_id FROM forms WHERE id = ?").bind(form.id).first<{ queue_id: string }>();
    expect(row!.queue_id).toBe(`group:${groupId}`);
  });

  it("a disabled form keeps its link, tells patrons, and refuses new chats", async () => {
    const library = await createLibrary({ contactEmail: "desk@oak.test" });
    const boss = await signedIn(library.id, "library_admin");
    const form = await newForm(library.id, boss.cookie);
    expect((await admin(`/forms/${form.id}`, boss.cookie, { method: "PUT", json: formBody({ queueId: `lib:${library.id}`, enabled: false }) })).status).toBe(200);
    const page = await call(`/f/${form.id}`);
    expect(page.status).toBe(410);
    const text = await page.text();
    expect(text).toContain("is not taking chats through this form any more");
    expect(text).toContain("desk@oak.test");
    expect(await json(await call(`/api/forms/${form.id}`))).toMatchObject({ form: { enabled: false, alternatives: { email: "desk@oak.test" } } });
    expect((await startChat(form.id, { name: "Kim", fields: { school: "North High" } })).res.status).toBe(410);
  });
});

describe("logos", () => {
  it("stores an uploaded image and serves it at a stable address, shown on the hosted form", async () => {
    const library = await createLibrary();
    const boss = await signedIn(library.id, "library_admin");
    const form = await newForm(library.id, boss.cookie);
    const res = await admin(`/forms/${form.id}/logo`, boss.cookie, { method: "POST", body: PNG, headers: { "Content-Type": "image/png" } });
    expect(res.status, await res.clone().text()).toBe(200);
    const { form: updated } = await json<{ form: FormView }>(res);
    expect(updated.logoUrl).toMatch(new RegExp(`^/f/${form.id}/logo\\?v=[0-9a-f]{16}$`));
    const image = await call(updated.logoUrl!);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(image.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG);
    expect(await (await call(`/f/${form.id}`)).text()).toContain(`src="${updated.logoUrl}"`);
    expect(await json(await call(`/api/forms/${form.id}`))).toMatchObject({ form: { logoUrl: `https://refdesk.test${updated.logoUrl}` } });

    const removed = await admin(`/forms/${form.id}/logo`, boss.cookie, { method: "DELETE" });
    expect(await json(removed)).toMatchObject({ form: { logoUrl: null } });
    expect((await call(`/f/${form.id}/logo`)).status).toBe(404);
  });

  it("refuses a file that is not an image (whatever it claims) and one that is too large, changing nothing", async () => {
    const library = await createLibrary();
    const boss = await signedIn(library.id, "library_admin");
    const form = await newForm(library.id, boss.cookie);
    const before = await auditCount(library.id);
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    await expectError(await admin(`/forms/${form.id}/logo`, boss.cookie, { method: "POST", body: svg, headers: { "Content-Type": "image/png" } }), 415, "logo");
    const huge = new Uint8Array(LOGO_RULES.maxBytes + 1);
    huge.set(PNG);
    await expectError(await admin(`/forms/${form.id}/logo`, boss.cookie, { method: "POST", body: huge, headers: { "Content-Type": "image/png" } }), 413, "logo");
    await expectError(await admin(`/forms/${form.id}/logo`, boss.cookie, { method: "POST", body: new Uint8Array(0), headers: { "Content-Type": "image/png" } }), 400, "logo");
    expect(await auditCount(library.id)).toBe(before);
    expect(await countRows("SELECT 1 FROM form_logos WHERE form_id = ?", form.id)).toBe(0);
    expect((await env.DB.prepare("SELECT logo_url FROM forms WHERE id = ?").bind(form.id).first<{ logo_url: string | null }>())!.logo_url).toBeNull();
  });
});

describe("group forms", () => {
  it("a group administrator makes a form for the cooperative that files into a member library", async () => {
    const home = await createLibrary();
    const member = await createLibrary();
    const outsider = await createLibrary();
    const groupId = uniqueId("grp");
    await createGroup(groupId, "Hill Country Cooperative", [home.id, member.id]);
    const coordinator = await signedIn(home.id, "group_admin");
    const post = (body: Record<string, unknown>) => admin(`/groups/${groupId}/forms`, coordinator.cookie, { method: "POST", json: formBody({ queueId: `group:${groupId}`, ...body }) });
    await expectError(await post({}), 400, "libraryId");
    await expectError(await post({ libraryId: outsider.id }), 400, "libraryId");
    const res = await post({ libraryId: member.id });
    expect(res.status, await res.clone().text()).toBe(201);
    const { form } = await json<{ form: FormView & { groupId: string; libraryId: string } }>(res);
    expect(form).toMatchObject({ groupId, libraryId: member.id });
    const listed = await json<{ forms: { id: string }[] }>(await admin(`/groups/${groupId}/forms`, coordinator.cookie));
    expect(listed.forms.map((f) => f.id)).toContain(form.id);
    // The member library's own administrator may edit it too; the group's log and the library's both have it.
    const memberAdmin = await signedIn(member.id, "library_admin");
    expect((await admin(`/forms/${form.id}`, memberAdmin.cookie)).status).toBe(200);
    const groupLog = await json<{ entries: { action: string; targetId: string }[] }>(await admin(`/groups/${groupId}/audit`, coordinator.cookie));
    expect(groupLog.entries[0]).toMatchObject({ action: "form.created", targetId: form.id });
    const memberLog = await json<{ entries: { action: string; targetId: string }[] }>(await admin(`/libraries/${member.id}/audit`, memberAdmin.cookie));
    expect(memberLog.entries[0]).toMatchObject({ action: "form.created", targetId: form.id });
  });
});
