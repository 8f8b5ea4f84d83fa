/**
 * Request bodies are size-checked while they are read, not after: a body sent
 * without a Content-Length (chunked) is read with a running byte count and
 * refused (413) as soon as it passes the limit — JSON, form posts and logo
 * uploads alike — so an oversized body is never buffered whole. Bodies within the
 * limit, chunked or not, still work.
 */
import { describe, expect, it } from "vitest";
import { LOGO_RULES } from "../../src/shared/admin-limits";
import { DRAIN_FACTOR } from "../../src/http/validate";
import { LIMITS } from "../../src/shared/limits";
import { ORIGIN, createLibrary, worker } from "./helpers";
import { admin, json, signedIn } from "./admin-helpers";

const CHUNK = 4 * 1024;

/**
 * A body with no Content-Length of `total` bytes, counting what the server
 * pulled. Oversized ones are far over the limit (not endless, so a server that
 * buffers them whole fails the count instead of hanging the test).
 */
function chunkedBody(fill: (offset: number) => Uint8Array, total: number) {
  const pulled = { bytes: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= total) return controller.close();
      const chunk = fill(pulled.bytes).slice(0, Math.min(CHUNK, total - pulled.bytes));
      pulled.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },

  });
  return { stream, pulled };
}

const filler = (text: string) => () => new TextEncoder().encode(text.repeat(Math.ceil(CHUNK / text.length)).slice(0, CHUNK));

function post(path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string>): Promise<Response> {
  const request = new Request(`${ORIGIN}${path}`, { method: "POST", body, headers: { Origin: ORIGIN, ...headers } });
  expect(request.headers.get("content-length")).toBeNull();
  return worker().fetch(request);
}

describe("a body without a Content-Length", () => {
  it("is refused with 413 once a JSON body passes LIMITS.bodyBytes, without reading the rest", async () => {
    const { stream, pulled } = chunkedBody(filler(" "), 50 * LIMITS.bodyBytes);
    const res = await post("/api/auth/sign-in", stream, { "Content-Type": "application/json" });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "too_large" } });
    // At most the limit and what is read and dropped after it (so the client hears the 413), plus what the runtime had buffered ahead.
    expect(pulled.bytes).toBeLessThan(LIMITS.bodyBytes * DRAIN_FACTOR + 8 * CHUNK);
  });

  it("is refused with 413 for a form post (the sign-in page's)", async () => {
    const { stream, pulled } = chunkedBody(filler("email=a%40b.test&"), 50 * LIMITS.bodyBytes);
    const res = await post("/login", stream, { "Content-Type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(413);
    expect(pulled.bytes).toBeLessThan(LIMITS.bodyBytes * DRAIN_FACTOR + 8 * CHUNK);
  });

  it("is read whole when it stays within the limit", async () => {
    const text = JSON.stringify({ email: "nobody@library.test", password: "x".repeat(150) });
    const { stream } = chunkedBody(() => new TextEncoder().encode(text), text.length);
    const res = await post("/api/auth/sign-in", stream, { "Content-Type": "application/json", "cf-connecting-ip": "198.51.100.7" });
    expect(res.status).toBe(401);
  });
});

describe("a logo upload without a Content-Length", () => {
  it(`is refused with 413 (field logo) once it passes LOGO_RULES.maxBytes, and a small one is stored`, async () => {
    const library = await createLibrary();
    const boss = await signedIn(library.id, "library_admin");
    const created = await admin(`/libraries/${library.id}/forms`, boss.cookie, {
      method: "POST",
      json: { title: "Ask", fields: [{ id: "question", label: "Question", kind: "textarea", required: true }], queueId: `lib:${library.id}`, chatMethod: "chat", enabled: true },
    });
    const { form } = await json<{ form: { id: string } }>(created);
    const upload = (body: ReadableStream<Uint8Array>) => post(`/api/admin/forms/${form.id}/logo`, body, { "Content-Type": "image/png", Cookie: boss.cookie });

    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const { stream, pulled } = chunkedBody((offset) => (offset === 0 ? Uint8Array.from([...png, ...new Uint8Array(CHUNK - png.length)]) : new Uint8Array(CHUNK)), 20 * LOGO_RULES.maxBytes);
    const res = await upload(stream);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "too_large", field: "logo" } });
    expect(pulled.bytes).toBeLessThan(LOGO_RULES.maxBytes * DRAIN_FACTOR + 8 * CHUNK);

    const small = chunkedBody((offset) => (offset === 0 ? Uint8Array.from([...png, ...new Uint8Array(CHUNK - png.length)]) : new Uint8Array(CHUNK)), 3 * CHUNK);
    const stored = await upload(small.stream);
    expect(stored.status, await stored.clone().text()).toBe(200);
    expect(await json(stored)).toMatchObject({ form: { logoUrl: expect.stringContaining(`/f/${form.id}/logo`) } });
  });
});
