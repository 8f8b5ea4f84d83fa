/**
 * Files in chats through the Worker, the real chat object and the real R2
 * bucket: the type from the bytes, the limits (and nothing left in R2 when a
 * file is refused), who may fetch a file, the download's headers, signed links
 * (expiry, forgery), the library's setting and the librarian's per-chat
 * switch, the transcript mail's links, and the files gone with retention.
 */
import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { signedFilePath } from "../../src/files/links";
import { transcriptMailKey } from "../../src/questions/file-session";
import { groupQueueId } from "../../src/queues/queue-ids";
import { FILE_LIMITS } from "../../src/shared/limits";
import type { ChatMessage, QueueServerMessage, SessionServerMessage } from "../../src/shared/protocol";
import {
  accept,
  activeChat,
  call,
  closeSocket,
  createForm,
  createGroup,
  createLibrarian,
  createLibrary,
  endChat,
  monitorQueue,
  ORIGIN,
  sessionView,
  signIn,
  startChat,
  uniqueId,
  type SessionSocket,
} from "./helpers";
import { mailReaches } from "./question-fixtures";

// ---- files, by their bytes ---------------------------------------------------

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
const GIF = new TextEncoder().encode("GIF89a\x01\x00\x01\x00");
const WEBP = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 8, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20]);
const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n");
const HTML = new TextEncoder().encode("<!doctype html><script>alert(1)</script>");
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
/** HTML that mentions a PDF header further in: still HTML. */
const HTML_WITH_PDF = new TextEncoder().encode("<html>%PDF-1.4</html>");

let sent = 0;
interface Upload {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  alt?: string;
  clientId?: string;
  contentType?: string;
}

function upload(sessionId: string, f: Upload, auth: { token?: string; cookie?: string }): Promise<Response> {
  const query = new URLSearchParams({ clientId: f.clientId ?? `file-${++sent}`, name: f.name, ...(f.alt ? { alt: f.alt } : {}), ...(auth.cookie ? { as: "librarian" } : {}) });
  return call(`/api/chats/${sessionId}/files?${query}`, {
    method: "POST",
    cookie: auth.cookie,
    headers: { "Content-Type": f.contentType ?? "application/octet-stream", ...(auth.token ? { Authorization: `Bearer ${auth.token}` } : {}) },
    body: f.bytes,
  });
}

async function sentFile(res: Response): Promise<ChatMessage> {
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return (JSON.parse(text) as { message: ChatMessage }).message;
}

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string; field?: string }> {
  const body = (await res.json()) as { error: { code: string; message: string; field?: string } };
  return { status: res.status, ...body.error };
}

/** Every key the bucket holds for this chat. */
async function storedKeys(sessionId: string): Promise<string[]> {
  return (await env.FILES.list({ prefix: `chats/${sessionId}/` })).objects.map((o) => o.key);
}

async function patronLink(sessionId: string, fileId: string, token: string): Promise<string> {
  const res = await call(`/api/chats/${sessionId}/files/${fileId}/link`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { url: string }).url;
}

const fileFrame = (s: SessionSocket, fileId: string) =>
  s.next((f: SessionServerMessage) => f.type === "message" && f.message.kind === "file" && f.message.file?.id === fileId);

describe("the type comes from the bytes", () => {
  it("takes PNG, JPEG, GIF, WebP and PDF whatever they are called or declared, and names them for what they are", async () => {
    const { chat, patron, librarian } = await activeChat();
    const cases = [
      { bytes: PNG, name: "screenshot.txt", contentType: "text/plain", type: "image/png", shown: "screenshot.txt.png" },
      { bytes: JPEG, name: "photo.jpeg", type: "image/jpeg", shown: "photo.jpeg" },
      { bytes: GIF, name: "anim", type: "image/gif", shown: "anim.gif" },
      { bytes: WEBP, name: "pic.png", contentType: "image/png", type: "image/webp", shown: "pic.png.webp" },
      { bytes: PDF, name: "../../etc/report.html", contentType: "text/html", type: "application/pdf", shown: "report.html.pdf" },
    ];
    for (const c of cases) {
      const message = await sentFile(await upload(chat.sessionId, { bytes: c.bytes, name: c.name, contentType: c.contentType }, { token: chat.token }));
      expect(message).toMatchObject({ kind: "file", author: { role: "patron" }, file: { type: c.type, name: c.shown, bytes: c.bytes.length, alt: null } });
      // Both sides get it as it happens.
      await fileFrame(patron, message.file!.id);
      await fileFrame(librarian, message.file!.id);
    }
    expect(await storedKeys(chat.sessionId)).toHaveLength(cases.length);
  });

  it("refuses HTML, SVG and anything else named as an image, saying what may be sent, and keeps nothing", async () => {
    const { chat } = await activeChat();
    for (const f of [
      { bytes: HTML, name: "cat.png", contentType: "image/png" },
      { bytes: SVG, name: "logo.svg", contentType: "image/svg+xml" },
      { bytes: HTML_WITH_PDF, name: "paper.pdf", contentType: "application/pdf" },
      { bytes: new TextEncoder().encode("just text"), name: "notes.txt" },
    ]) {
      expect(await errorOf(await upload(chat.sessionId, f, { token: chat.token }))).toEqual({
        status: 415,
        code: "validation_failed",
        field: "file",
        message: "This kind of file cannot be sent. Send a PNG, JPEG, WebP or GIF image, or a PDF (at most 10 MB).",
      });
    }
    expect(await errorOf(await upload(chat.sessionId, { bytes: new Uint8Array(0), name: "empty.png" }, { token: chat.token }))).toMatchObject({ status: 400, field: "file" });
    expect(await storedKeys(chat.sessionId)).toEqual([]);
  });
});

describe("limits", () => {
  it("refuses a body over 10 MB as it is read — declared or not — naming the limit, and keeps nothing", async () => {
    const { chat } = await activeChat();
    const big = new Uint8Array(FILE_LIMITS.fileBytes + 1);
    big.set(PNG);
    const declared = await upload(chat.sessionId, { bytes: big, name: "huge.png" }, { token: chat.token });
    expect(await errorOf(declared)).toEqual({ status: 413, code: "too_large", field: "file", message: "This file is too large: a file may be at most 10 MB." });
    // Streamed without a length: counted while it arrives.
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < big.length; at += 1024 * 1024) controller.enqueue(big.slice(at, at + 1024 * 1024));
        controller.close();
      },
    });
    const res = await call(`/api/chats/${chat.sessionId}/files?clientId=s&name=huge.png`, { method: "POST", headers: { Authorization: `Bearer ${chat.token}`, "Content-Type": "application/octet-stream" }, body: streamed, duplex: "half" } as RequestInit);
    expect(await errorOf(res)).toMatchObject({ status: 413, code: "too_large", field: "file" });
    // Exactly the limit is taken.
    const atLimit = big.slice(0, FILE_LIMITS.fileBytes);
    expect((await sentFile(await upload(chat.sessionId, { bytes: atLimit, name: "big.png" }, { token: chat.token }))).file?.bytes).toBe(FILE_LIMITS.fileBytes);
    expect(await storedKeys(chat.sessionId)).toHaveLength(1);
  });

  it("stops the patron at the per-patron count: the chat refuses, and the stored copy is deleted again", async () => {
    const { chat, cookie } = await activeChat();
    for (let i = 0; i < FILE_LIMITS.perPatron; i++) await sentFile(await upload(chat.sessionId, { bytes: PNG, name: `p${i}.png` }, { token: chat.token }));
    const refused = await errorOf(await upload(chat.sessionId, { bytes: PNG, name: "one-more.png" }, { token: chat.token }));
    expect(refused).toMatchObject({ status: 413, code: "too_large", message: `You may send at most ${FILE_LIMITS.perPatron} files in a chat.` });
    expect(await storedKeys(chat.sessionId)).toHaveLength(FILE_LIMITS.perPatron);
    // The librarian may still send (the per-chat count is higher).
    await sentFile(await upload(chat.sessionId, { bytes: PDF, name: "guide.pdf" }, { cookie }));
    expect(await storedKeys(chat.sessionId)).toHaveLength(FILE_LIMITS.perPatron + 1);
  });

  it("stores a retried file once", async () => {
    const { chat } = await activeChat();
    const first = await sentFile(await upload(chat.sessionId, { bytes: PNG, name: "a.png", clientId: "same" }, { token: chat.token }));
    const again = await upload(chat.sessionId, { bytes: PNG, name: "a.png", clientId: "same" }, { token: chat.token });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { message: ChatMessage; duplicate: boolean })).toMatchObject({ duplicate: true, message: { seq: first.seq } });
    expect(await storedKeys(chat.sessionId)).toEqual([`chats/${chat.sessionId}/${first.file!.id}`]);
  });
});

describe("the librarian's side", () => {
  it("sends a PDF with alt text cleaned, to the patron; a librarian not in the chat is refused", async () => {
    const { chat, cookie, library, patron } = await activeChat();
    const message = await sentFile(await upload(chat.sessionId, { bytes: PDF, name: "Opening\u202Ehours.pdf", alt: " Our   hours " }, { cookie }));
    expect(message).toMatchObject({ author: { role: "librarian", name: "Librarian 1" }, file: { name: "Openinghours.pdf", type: "application/pdf", alt: "Our hours" } });
    await fileFrame(patron, message.file!.id);
    const colleague = await signIn(await createLibrarian(library.id, "Colleague"));
    expect(await errorOf(await upload(chat.sessionId, { bytes: PNG, name: "x.png" }, { cookie: colleague }))).toMatchObject({ status: 403, code: "forbidden" });
  });

  it("a librarian of another site, or without sign-in, cannot send", async () => {
    const { chat, cookie } = await activeChat();
    const foreign = await call(`/api/chats/${chat.sessionId}/files?clientId=x&name=x.png&as=librarian`, { method: "POST", cookie, headers: { Origin: "https://evil.test", "Content-Type": "application/octet-stream" }, body: PNG });
    expect(foreign.status).toBe(403);
    expect(await errorOf(await upload(chat.sessionId, { bytes: PNG, name: "x.png" }, {}))).toMatchObject({ status: 401 });
    expect(await storedKeys(chat.sessionId)).toEqual([]);
  });
});

describe("from the library's own site (the Qwidget)", () => {
  it("takes a patron's file from a site the library allows, refuses one from any other site and keeps nothing of it", async () => {
    const allowedSite = "https://www.riverside.test";
    const library = await createLibrary({ allowedOrigins: [allowedSite] });
    const cookie = await signIn(await createLibrarian(library.id, "Riverside Desk"));
    const monitor = await monitorQueue(library.queueId, cookie);
    const chat = await startChat(await createForm(library.id));
    const from = (origin: string) =>
      call(`/api/chats/${chat.sessionId}/files?clientId=${origin}&name=a.png`, { method: "POST", headers: { Origin: origin, Authorization: `Bearer ${chat.token}`, "Content-Type": "application/octet-stream" }, body: PNG });

    // The browser asks first: the token and the type are allowed headers.
    const preflight = await call(`/api/chats/${chat.sessionId}/files`, { method: "OPTIONS", headers: { Origin: allowedSite, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");

    expect((await from("https://copycat.test")).status).toBe(403);
    expect(await storedKeys(chat.sessionId)).toEqual([]);
    const allowed = await from(allowedSite);
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(allowedSite);
    const file = ((await allowed.json()) as { message: ChatMessage }).message.file!;
    const link = await call(`/api/chats/${chat.sessionId}/files/${file.id}/link`, { headers: { Origin: allowedSite, Authorization: `Bearer ${chat.token}` } });
    expect(link.headers.get("access-control-allow-origin")).toBe(allowedSite);
    await closeSocket(monitor);
  });
});

describe("who may fetch a file", () => {
  it("the chat's patron by its link; librarians of the library and the cooperative partner who served it; nobody else", async () => {
    const home = await createLibrary({ name: "Home" });
    const partner = await createLibrary({ name: "Partner" });
    const other = await createLibrary({ name: "Elsewhere" });
    const groupId = uniqueId("files-coop");
    await createGroup(groupId, "Files Cooperative", [home.id, partner.id]);
    const formId = await createForm(home.id);
    const partnerCookie = await signIn(await createLibrarian(partner.id, "Partner Desk"));
    const homeCookie = await signIn(await createLibrarian(home.id, "Home Desk"));
    const partnerColleague = await signIn(await createLibrarian(partner.id, "Partner Colleague"));
    const otherCookie = await signIn(await createLibrarian(other.id, "Stranger"));
    const monitor = await monitorQueue(groupQueueId(groupId), partnerCookie);
    const chat = await startChat(formId);
    await monitor.next((f: QueueServerMessage) => f.type === "request.added" && f.request.sessionId === chat.sessionId);
    expect((await accept(chat.sessionId, partnerCookie)).status).toBe(200);
    const file = (await sentFile(await upload(chat.sessionId, { bytes: PNG, name: "error.png" }, { token: chat.token }))).file!;
    const path = `/api/chats/${chat.sessionId}/files/${file.id}`;

    expect((await call(path, { cookie: homeCookie })).status).toBe(200);
    expect((await call(path, { cookie: partnerCookie })).status).toBe(200);
    expect(await errorOf(await call(path, { cookie: partnerColleague }))).toMatchObject({ status: 403, code: "forbidden" });
    expect(await errorOf(await call(path, { cookie: otherCookie }))).toMatchObject({ status: 403, code: "forbidden" });
    expect(await errorOf(await call(path))).toMatchObject({ status: 401, code: "unauthorized" });

    // The patron, by a signed link their token asks for; a patron of another chat gets none.
    const url = await patronLink(chat.sessionId, file.id, chat.token);
    expect((await call(url)).status).toBe(200);
    const stranger = await startChat(formId);
    const refused = await call(`${path}/link`, { headers: { Authorization: `Bearer ${stranger.token}` } });
    expect(await errorOf(refused)).toMatchObject({ status: 401, code: "unauthorized" });
    expect(await errorOf(await call(`${path}/link`))).toMatchObject({ status: 401 });
    // A file of another chat is not found through this chat.
    expect(await errorOf(await call(`/api/chats/${stranger.sessionId}/files/${file.id}/link`, { headers: { Authorization: `Bearer ${stranger.token}` } }))).toMatchObject({ status: 404 });
    expect(await errorOf(await call(`/api/chats/${stranger.sessionId}/files/${file.id}`, { cookie: homeCookie }))).toMatchObject({ status: 404 });
    await closeSocket(monitor);
  });

  it("serves with the sniffed type, inline for images and as an attachment for PDFs, no sniffing, in a sandbox", async () => {
    const { chat, cookie } = await activeChat();
    const image = (await sentFile(await upload(chat.sessionId, { bytes: PNG, name: "café \"menu\".txt", contentType: "text/html" }, { token: chat.token }))).file!;
    const pdf = (await sentFile(await upload(chat.sessionId, { bytes: PDF, name: "guide.html" }, { cookie }))).file!;

    const img = await call(`/api/chats/${chat.sessionId}/files/${image.id}`, { cookie });
    expect(img.status).toBe(200);
    expect(new Uint8Array(await img.arrayBuffer())).toEqual(PNG);
    expect(Object.fromEntries(["content-type", "content-disposition", "x-content-type-options", "content-security-policy", "cross-origin-resource-policy"].map((h) => [h, img.headers.get(h)]))).toEqual({
      "content-type": "image/png",
      // Quotes go from the name; the ASCII fallback replaces what is not ASCII, the exact name follows.
      "content-disposition": `inline; filename="caf_ menu.txt.png"; filename*=UTF-8''caf%C3%A9%20menu.txt.png`,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cross-origin-resource-policy": "same-origin",
    });
    const doc = await call(`/api/chats/${chat.sessionId}/files/${pdf.id}`, { cookie });
    expect(doc.headers.get("content-type")).toBe("application/pdf");
    expect(doc.headers.get("content-disposition")).toMatch(/^attachment; filename="guide\.html\.pdf"/);
    expect(doc.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(doc.headers.get("x-content-type-options")).toBe("nosniff");
    // By a signed link, other sites' pages may show it (the Qwidget lives on the library's site).
    const linked = await call(await patronLink(chat.sessionId, image.id, chat.token));
    expect(linked.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(linked.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
  });
});

describe("signed links", () => {
  it("refuse a link that expired, and one whose signature, file or expiry was changed", async () => {
    const { chat } = await activeChat();
    const file = (await sentFile(await upload(chat.sessionId, { bytes: PNG, name: "a.png" }, { token: chat.token }))).file!;
    const other = (await sentFile(await upload(chat.sessionId, { bytes: PNG, name: "b.png" }, { token: chat.token }))).file!;
    const url = new URL(await patronLink(chat.sessionId, file.id, chat.token), ORIGIN);
    expect((await call(url.pathname + url.search)).status).toBe(200);

    const expired = await signedFilePath(env, chat.sessionId, file.id, Date.now() - 1000);
    expect(await errorOf(await call(expired))).toEqual({ status: 403, code: "forbidden", message: "This file link has expired. Ask the library for the file again." });

    const sig = url.searchParams.get("sig")!;
    const flipped = `${sig.slice(0, -2)}${sig.at(-2) === "A" ? "B" : "A"}${sig.at(-1)}`;
    const forged = [
      `${url.pathname}?expires=${url.searchParams.get("expires")}&sig=${flipped}`,
      `${url.pathname}?expires=${Number(url.searchParams.get("expires")) + 86_400_000}&sig=${sig}`,
      `/api/chats/${chat.sessionId}/files/${other.id}${url.search}`,
      `${url.pathname}?expires=${url.searchParams.get("expires")}`,
      `${url.pathname}?sig=${sig}`,
    ];
    for (const path of forged) expect(await errorOf(await call(path)), path).toEqual({ status: 403, code: "forbidden", message: "This file link is not valid." });
  });
});

describe("turning files off", () => {
  it("a library that turns files off starts chats that take none", async () => {
    const library = await createLibrary();
    const admin = await signIn(await createLibrarian(library.id, "Admin", "library_admin"));
    const patch = await call(`/api/admin/libraries/${library.id}/settings`, { method: "PATCH", cookie: admin, json: { filesAllowed: false } });
    expect(patch.status).toBe(200);
    expect(((await patch.json()) as { settings: { filesAllowed: boolean } }).settings.filesAllowed).toBe(false);
    const monitor = await monitorQueue(library.queueId, admin);
    const chat = await startChat(await createForm(library.id));
    expect(chat.status).toBe("waiting");
    expect((await sessionView(chat.sessionId, admin)).filesAllowed).toBe(false);
    expect(await errorOf(await upload(chat.sessionId, { bytes: PNG, name: "a.png" }, { token: chat.token }))).toEqual({ status: 403, code: "forbidden", message: "Files are turned off for this chat." });
    expect(await storedKeys(chat.sessionId)).toEqual([]);
    await closeSocket(monitor);
  });

  it("the librarian who owns a chat refuses files for it, both sides are told, and takes them again", async () => {
    const { chat, cookie, patron, library } = await activeChat();
    const colleague = await signIn(await createLibrarian(library.id, "Colleague"));
    const toggle = (allowed: boolean, as = cookie) => call(`/api/chats/${chat.sessionId}/files-allowed`, { method: "POST", cookie: as, json: { allowed } });
    expect((await toggle(false, colleague)).status).toBe(403);
    const off = await toggle(false);
    expect(((await off.json()) as { session: { filesAllowed: boolean } }).session.filesAllowed).toBe(false);
    await patron.next((f) => f.type === "message" && f.message.kind === "system" && f.message.body === "Librarian 1 turned off sending files in this chat.");
    expect(await errorOf(await upload(chat.sessionId, { bytes: PNG, name: "a.png" }, { token: chat.token }))).toMatchObject({ status: 403, message: "Files are turned off for this chat." });
    expect(await errorOf(await upload(chat.sessionId, { bytes: PNG, name: "a.png" }, { cookie }))).toMatchObject({ status: 403 });
    expect((await toggle(true)).status).toBe(200);
    await sentFile(await upload(chat.sessionId, { bytes: PNG, name: "a.png" }, { token: chat.token }));
  });
});

describe("the transcript mail and retention", () => {
  it("mails a signed link to each file that works; past retention the files are deleted from R2 and their links fail", async () => {
    const { chat, cookie, patron, librarian } = await activeChat({ patron: { email: "ada@patron.test", name: "Ada" } });
    const file = (await sentFile(await upload(chat.sessionId, { bytes: PDF, name: "hours.pdf" }, { cookie }))).file!;
    expect((await endChat(chat.sessionId, cookie, { resolution: "answered", descriptiveCodes: [] })).status).toBe(200);
    const mail = await mailReaches(transcriptMailKey(chat.sessionId), "sent");
    const link = new RegExp(`hours\\.pdf \\(\\d+ KB\\): (${ORIGIN}/api/chats/${chat.sessionId}/files/${file.id}\\?expires=(\\d+)&sig=[\\w-]+)`).exec(String(mail.text_body));
    expect(link, String(mail.text_body)).not.toBeNull();
    // At most 30 days (the library's retention is 30 days too).
    expect(Number(link![2])).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
    const fetched = await call(link![1]!.slice(ORIGIN.length));
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get("content-type")).toBe("application/pdf");
    for (const s of [patron, librarian]) await closeSocket(s);

    await worker.scheduled(createScheduledController({ scheduledTime: new Date(Date.now() + 31 * 86_400_000), cron: "17 3 * * *" }), env);
    expect(await storedKeys(chat.sessionId)).toEqual([]);
    expect((await call(link![1]!.slice(ORIGIN.length))).status).toBe(404);
  });
});
