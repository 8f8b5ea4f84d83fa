/**
 * Requests generated from the app's own OpenAPI document (GET
 * /api/openapi.json, built from every route's `documented({...})`): for each
 * route, its path parameters, query and body drawn from the schemas it
 * declares — fixture values that exist, values at and past each edge, and
 * bodies of the wrong shape or encoding — sent with each credential the route
 * could see. Nothing here lists routes: a route added to the app is in the
 * document, so it is in the cases.
 */
import fc from "fast-check";
import { EDGE_TEXTS } from "./edge-values";
import { RAW_JSON_TEXTS, conforming, edgeOf, formEncoded, probing, type Fixtures, type JsonSchema } from "./schema-values";

/** Who sends a request: nobody, a signed-in librarian, a library's or the service's administrator, the chat's patron or another chat's patron. */
export type Credential = "none" | "librarian" | "library-admin" | "service-admin" | "patron" | "other-patron";

/** The slice of an OpenAPI 3.1 document the cases are drawn from. */
export interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        security?: Record<string, string[]>[];
        parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
        responses?: Record<string, unknown>;
        "x-kind"?: string;
        "x-refusals"?: { status: number }[];
      }
    >
  >;
}

export interface Operation {
  method: string;
  /** As the document writes it: /api/chats/{id}. */
  path: string;
  /** json, page, websocket, script or image. */
  kind: string;
  params: { in: "path" | "query"; name: string; required: boolean; schema: JsonSchema }[];
  /** The declared body: its media types and schema (JSON Schema of what a client sends). */
  body?: { types: string[]; schema: JsonSchema };
  credentials: Credential[];
  /** Statuses the route documents, answers and refusals. */
  statuses: number[];
  /** 5xx statuses the route documents as an answer (a script before the front ends are built), not as a refusal. */
  documented5xx: number[];
}

/** Every route of the document, with what it declares. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]): Operation => {
      const security = op.security ?? [];
      const patron = security.some((s) => "patronToken" in s);
      const librarian = security.some((s) => "librarianCookie" in s);
      // The credential that gets furthest comes up most: past it, the route reads its parameters and body.
      const credentials: Credential[] = patron
        ? ["patron", "patron", "patron", "other-patron", "none", "librarian"]
        : librarian
          ? ["service-admin", "service-admin", "service-admin", "library-admin", "librarian", "none"]
          : ["none", "none", "none", "librarian", "library-admin", "service-admin"];
      const content = op.requestBody?.content ?? {};
      const types = Object.keys(content);
      const statuses = Object.keys(op.responses ?? {}).map(Number);
      const refusedWith = new Set((op["x-refusals"] ?? []).map((r) => r.status));
      return {
        method: method.toUpperCase(),
        path,
        kind: op["x-kind"] ?? "json",
        params: (op.parameters ?? [])
          .filter((p) => p.in === "path" || p.in === "query")
          .map((p) => ({ in: p.in as "path" | "query", name: p.name, required: p.required ?? false, schema: p.schema ?? { type: "string" } })),
        body: types.length > 0 ? { types, schema: content[types[0]!]?.schema ?? {} } : undefined,
        credentials,
        statuses,
        documented5xx: statuses.filter((s) => s >= 500 && !refusedWith.has(s)),
      };
    }),
  );
}

/**
 * Routes that change a library's timers (its wait limit, its roll-over time).
 * A target sends them only at libraries without chats: a chat whose timer ran
 * out during a later request would change what that request is judged by.
 */
export const TIMER_SETTINGS = /^\/api\/(admin\/libraries\/\{libraryId\}\/settings|libraries\/\{libraryId\}\/routing)$/;

/** One generated request. */
export interface RequestCase {
  method: string;
  /** Path (parameters filled in and encoded) and query. */
  url: string;
  credential: Credential;
  /** Asked as a WebSocket upgrade. */
  upgrade: boolean;
  contentType?: string;
  body?: string | Uint8Array;
}

/** Lone surrogates as U+FFFD: what a client's UTF-8 encoder sends for them (encodeURIComponent would throw). */
export function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

const asText = (v: unknown): string => (typeof v === "string" ? v : v === undefined ? "" : (JSON.stringify(v) ?? String(v)));

/** Percent-encodings a client could send raw in a path segment. */
const RAW_SEGMENTS = ["%ZZ", "%", "%C0%AF", "%E0%A4%A", "%00", "..%2F..%2Fetc", "%2e%2e", "%F0%9F%98", "%u0041", "a%20b", ".", ".."];

function pathValue(schema: JsonSchema, name: string, fixtures: Fixtures): fc.Arbitrary<string> {
  const known = fixtures(name);
  return fc.oneof(
    // Mostly an id that exists: past "not found", the route reads its query and body.
    { arbitrary: known.length > 0 ? fc.constantFrom(...known).map((v) => encodeURIComponent(asText(v))) : conforming(schema, name, fixtures).map((v) => encodeURIComponent(wellFormed(asText(v)))), weight: 8 },
    { arbitrary: edgeOf(schema, name, fixtures).map((v) => encodeURIComponent(wellFormed(asText(v)))), weight: 2 },
    { arbitrary: fc.constantFrom(...RAW_SEGMENTS), weight: 1 },
  );
}

/**
 * A query as a client would send it: each parameter present or not, as the
 * schema accepts it, with one or two of them pushed to an edge (so that the
 * one under test is not hidden behind another refused first).
 */
function queryOf(params: Operation["params"], fixtures: Fixtures): fc.Arbitrary<string> {
  if (params.length === 0) return fc.constantFrom("", "", "", "?%ZZ=1", "?__proto__=1&&=");
  const present = fc.tuple(
    ...params.map((p) => {
      const value = conforming(p.schema, p.name, fixtures).map(asText);
      return p.required ? value : fc.option(value, { nil: undefined, freq: 2 });
    }),
  );
  const edge = fc.constantFrom(...params.keys()).chain((i) => edgeOf(params[i]!.schema, params[i]!.name, fixtures).map((v) => [i, asText(v)] as const));
  const tails = fc.oneof({ arbitrary: fc.constant(""), weight: 8 }, { arbitrary: fc.constantFrom("&%ZZ=1", "&__proto__=1", "&=", "&&&", `&${params[0]!.name}=${encodeURIComponent(EDGE_TEXTS[7]!)}`), weight: 1 });
  return fc.tuple(present, fc.array(edge, { minLength: 0, maxLength: 2 }), tails).map(([values, edges, tail]) => {
    const all: (string | undefined)[] = [...values];
    for (const [i, v] of edges) all[i] = v;
    const q = new URLSearchParams();
    params.forEach((p, i) => {
      if (all[i] !== undefined) q.append(p.name, all[i]!);
    });
    const text = (q.toString() + tail).replace(/^&/, "");
    return text ? `?${text}` : "";
  });
}

/** Body fields no declaration names, for routes that read form fields by hand: every name the document's bodies use. */
export function bodyFieldNames(operations: readonly Operation[]): string[] {
  const names = new Set<string>();
  const walk = (s: JsonSchema | undefined) => {
    if (!s) return;
    for (const [k, p] of Object.entries(s.properties ?? {})) {
      names.add(k);
      walk(p);
    }
    walk(s.items);
    for (const a of s.anyOf ?? s.oneOf ?? []) walk(a);
  };
  for (const op of operations) walk(op.body?.schema);
  return [...names].sort();
}

type Body = { contentType?: string; body?: string | Uint8Array };

function jsonBody(schema: JsonSchema, fixtures: Fixtures): fc.Arbitrary<Body> {
  const value = probing(schema, fixtures);
  return fc.oneof(
    { arbitrary: value.map((v): Body => ({ contentType: "application/json", body: JSON.stringify(v) ?? "" })), weight: 12 },
    { arbitrary: value.map((v): Body => ({ contentType: "application/x-www-form-urlencoded", body: formEncoded(v) })), weight: 2 },
    { arbitrary: fc.constantFrom(...RAW_JSON_TEXTS).map((t): Body => ({ contentType: "application/json", body: t })), weight: 1 },
    { arbitrary: value.map((v): Body => ({ contentType: "text/plain", body: JSON.stringify(v) ?? "" })), weight: 1 },
    { arbitrary: fc.constant<Body>({}), weight: 1 },
  );
}

function bodyOf(op: Operation, fixtures: Fixtures, looseFields: readonly string[]): fc.Arbitrary<Body> {
  const declared = op.body;
  if (declared?.types.includes("application/json")) return jsonBody(declared.schema, fixtures);
  if (declared?.types.includes("application/x-www-form-urlencoded")) {
    return probing(declared.schema, fixtures).map((v): Body => ({ contentType: "application/x-www-form-urlencoded", body: formEncoded(v) }));
  }
  if (declared) {
    // Raw bytes (an image upload): empty, a few bytes, a real signature with junk after it, or far too many.
    const signatures = [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0xff, 0xd8, 0xff], [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50], [0x3c, 0x73, 0x76, 0x67]];
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.constantFrom(...signatures), fc.uint8Array({ maxLength: 64 })).map(([sig, rest]) => Uint8Array.from([...sig, ...rest])),
      fc.constant(new Uint8Array(300 * 1024)),
    );
    return fc.tuple(fc.constantFrom(...declared.types, "image/svg+xml", "application/octet-stream", ""), bytes).map(([contentType, body]): Body => ({ contentType: contentType || undefined, body }));
  }
  if (op.method === "GET") return fc.constant<Body>({});
  // A route that reads a form by hand (a page's post): fields by every name the document knows.
  const loose: JsonSchema = { type: "object", properties: Object.fromEntries(looseFields.map((n) => [n, { type: "string" }])) };
  return fc.oneof(
    { arbitrary: fc.constant<Body>({}), weight: 1 },
    { arbitrary: fc.dictionary(fc.constantFrom(...looseFields), edgeOf({ type: "string" }, "", fixtures), { maxKeys: 4 }).map((v): Body => ({ contentType: "application/x-www-form-urlencoded", body: formEncoded(v) })), weight: 3 },
    { arbitrary: jsonBody(loose, fixtures), weight: 1 },
  );
}

/**
 * Requests for one route: parameters, query, body and credential drawn
 * together. `fixtures(name)` gives values that exist for a parameter or
 * field of this route; `looseFields` are field names for routes that declare
 * no body schema (bodyFieldNames of the whole document).
 */
export function requestCases(op: Operation, fixtures: Fixtures, looseFields: readonly string[]): fc.Arbitrary<RequestCase> {
  const pathParams = op.params.filter((p) => p.in === "path");
  const queryParams = op.params.filter((p) => p.in === "query");
  const path = fc.tuple(...pathParams.map((p) => pathValue(p.schema, p.name, fixtures))).map((values) => {
    let i = 0;
    return op.path.replace(/\{(\w+)\}/g, () => values[i++] ?? "");
  });
  const query = queryOf(queryParams, fixtures);
  return fc
    .record({
      path,
      query,
      credential: fc.constantFrom(...op.credentials),
      upgrade: op.kind === "websocket" ? fc.boolean() : fc.constant(false),
      body: bodyOf(op, fixtures, looseFields),
    })
    .map(({ path: p, query: q, credential, upgrade, body }) => ({ method: op.method, url: p + q, credential, upgrade, ...body }));
}
