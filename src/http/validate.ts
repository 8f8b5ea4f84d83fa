/**
 * Request body parsing with zod: JSON or an HTML form post, size-limited,
 * answering the first problem with its field name. A route validates only the
 * body its documentation declares (src/routes/openapi/describe.ts).
 */
import type { Context } from "hono";
import type { z } from "zod";
import { LIMITS } from "../shared/limits";
import { ApiError, badRequest } from "./errors";

/**
 * The request body's bytes, at most `maxBytes` of them. A declared
 * Content-Length over the limit is refused before anything is read; a body
 * without one (chunked) is read chunk by chunk with a running count and
 * refused as soon as it passes the limit, so no more than the limit (and
 * the chunk that crossed it) is ever held in memory. What follows, up to a few
 * times the limit, is read and thrown away before the refusal goes out, so a
 * client still sending a modestly oversized body hears the 413 rather than a
 * connection cut mid-write; past that, the connection is cut.
 */
export async function readBodyBytes(c: Context, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array<ArrayBuffer>> {
  if (Number(c.req.header("content-length") ?? "0") > maxBytes) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await drain(reader, maxBytes * DRAIN_FACTOR - size);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** How much of an oversized body is read and dropped (as a multiple of the limit) before the connection is cut. */
export const DRAIN_FACTOR = 4;

/** Reads and drops up to `budget` more bytes, then cancels the rest. Nothing is kept. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<void> {
  let left = budget;
  while (left > 0) {
    const { done, value } = await reader.read().catch(() => ({ done: true as const, value: undefined }));
    if (done) return;
    left -= value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
}

/** Reads the body as JSON or as form fields (for pages that work without JavaScript). */
export async function readBody(c: Context, maxBytes: number = LIMITS.bodyBytes): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  // Decoded by hand: workerd warns when .text() reads a form body, which is text all the same.
  const text = new TextDecoder().decode(await readBodyBytes(c, maxBytes, () => new ApiError(413, "too_large", `Request bodies are limited to ${maxBytes} bytes.`)));
  if (type.startsWith("application/x-www-form-urlencoded")) {
    const form = new URLSearchParams(text);
    const out: Record<string, string | string[]> = {};
    for (const key of new Set(form.keys())) {
      const all = form.getAll(key);
      out[key] = all.length > 1 || key.endsWith("[]") ? all : all[0]!;
    }
    return out;
  }
  if (!type.startsWith("application/json")) {
    throw new ApiError(415, "validation_failed", "Send JSON (Content-Type: application/json).");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "bad_json", "The request body is not valid JSON.");
  }
}

/**
 * Reads the fields of a form post (or the same fields sent as JSON), for a
 * route that picks its fields by hand: a body that is not a set of fields
 * (JSON null, a list, a single value) is refused.
 */
export async function readFields(c: Context, maxBytes?: number): Promise<Record<string, unknown>> {
  const body = await readBody(c, maxBytes);
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw badRequest("Send the form's fields.");
  return body as Record<string, unknown>;
}

/** Validates `value` against `schema`; the first issue becomes a 400 naming its field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join(".") || undefined;
  throw badRequest(field ? `${field}: ${issue.message}` : issue.message, field);
}

/** The body a route's documentation declares: its schema and size limit (null: the route takes none). */
export interface DeclaredBody {
  schema: z.ZodType;
  maxBytes: number;
}

// Keyed by the request's context: the documenting middleware and the handler share it.
const declaredBodies = new WeakMap<Context, DeclaredBody | null>();

/** Called by the route's documentation middleware, before its handler runs. */
export function declareBody(c: Context, body: DeclaredBody | null): void {
  declaredBodies.set(c, body);
}

/**
 * A route that validates its body with another schema (or limit) than the one
 * it documents is a programming error: it fails loudly, in every test that
 * reaches the route, instead of publishing a protocol the route does not keep.
 */
function assertDeclared(c: Context, schema: z.ZodType, maxBytes: number): void {
  if (!declaredBodies.has(c)) return;
  const declared = declaredBodies.get(c);
  if (declared?.schema !== schema || declared.maxBytes !== maxBytes) {
    throw new Error(`${c.req.method} ${c.req.path} validates a body its documentation does not declare (src/routes/openapi/describe.ts)`);
  }
}

/** Reads and validates a body; `maxBytes` lets a route with long content (policy pages) raise the limit. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S, maxBytes?: number): Promise<z.infer<S>> {
  assertDeclared(c, schema, maxBytes ?? LIMITS.bodyBytes);
  return validate(schema, await readBody(c, maxBytes));
}
