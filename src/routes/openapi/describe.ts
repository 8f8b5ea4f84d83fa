/**
 * How a route documents itself: `documented({...})` goes in the route's own
 * registration, before its handler —
 *
 *   chatRoutes.post("/:id/end", documented({ group, summary, who, body: endChatSchema, … }), async (c) => { … });
 *
 * and says in product words what the route does, who may call it, the zod
 * schemas it validates its path, query and body with (the very constants its
 * handler passes to `parseBody`/`validate`), what it answers and how it refuses.
 * GET /api/openapi.json (src/routes/openapi/document.ts) gathers every route's
 * declaration into an OpenAPI 3.1 document, and docs/protocol.md is rendered
 * from that document.
 *
 * Why hono-openapi and not @hono/zod-openapi: our resources are plain Hono
 * sub-apps mounted with app.route(), and hono-openapi documents them where they
 * stand — a marked middleware in the existing registration, found again by
 * walking `app.routes` — where @hono/zod-openapi would turn every sub-app into
 * an OpenAPIHono and every registration into `createRoute` + `app.openapi`.
 * Its validator middleware is not used: our routes check in a documented order
 * (who is asking, then the body, then whether the thing exists), accept the
 * same fields form-encoded for pages without JavaScript, and limit body sizes —
 * all in src/http/validate.ts. So the handler keeps validating, and this
 * middleware records the declared body so `parseBody` refuses to validate with
 * any other schema: the documentation cannot drift from the check.
 *
 * The operation is built the first time the document is asked for, never at
 * start-up: a Worker isolate that never serves the document pays nothing.
 * Schemas become JSON Schema with zod's own `z.toJSONSchema` (what
 * hono-openapi's resolver does for zod 4 through standard schema), called here
 * directly so that query parameters and bodies share one conversion, as a client
 * sends them (`io: "input"`).
 */
import type { MiddlewareHandler } from "hono";
import { uniqueSymbol, type describeRoute } from "hono-openapi";
import { z } from "zod";
import { declareBody } from "../../http/validate";
import { LIMITS } from "../../shared/limits";
import type { ErrorCode } from "../../shared/protocol";

/** One way a route refuses: status, error code, the `field` it names (if any), and when. */
export interface Refusal {
  status: number;
  code: ErrorCode;
  /** The field the error names: a path (`descriptiveCodes.N`) or, with spaces, a description of which. */
  field?: string;
  when: string;
}

/** Credentials, as the OpenAPI document's security schemes name them. */
export type Credential = "librarianCookie" | "patronToken";

/** Who may call a route: the rule in words, and the credentials it rides on (roles, when it needs some). */
export interface Caller {
  rule: string;
  /** Alternatives, any one of which will do; `{}` means "no credential"; empty means anyone. */
  security: Partial<Record<Credential, string[]>>[];
}

/** A resource: an OpenAPI tag, a section of docs/protocol.md. */
export interface RouteGroup {
  name: string;
  description: string;
}

/** What a route answers: JSON (the API), an HTML page (or a redirect), a WebSocket, a script, an image, a ZIP archive, a CSV download, a chat's file. */
export type RouteKind = "json" | "page" | "websocket" | "script" | "image" | "archive" | "csv" | "file";

export interface RouteDoc {
  group: RouteGroup;
  /** A few words: what a client calls this. */
  summary: string;
  /** What it does, in product words. */
  description: string;
  who: Caller;
  kind?: RouteKind;
  /** Path parameters: meaning, and the schema the route checks it with (a plain string when none). */
  params?: Record<string, { description: string; schema?: z.ZodType }>;
  /** The query: the zod object the route validates it with, or parameters it reads by hand (name → meaning). */
  query?: z.ZodObject | Record<string, string>;
  /** The body schema the handler passes to `parseBody` (JSON, or the same fields form-encoded). */
  body?: z.ZodType;
  /** When the route raises the body limit above LIMITS.bodyBytes (the `maxBytes` it passes to `parseBody`). */
  bodyBytes?: number;
  /** A body that is not JSON (an image upload), or the form fields a page posts: its media types and what to send. */
  rawBody?: { types: string[]; description: string; schema?: z.ZodType };
  /** Success answers (and, for scripts, their 304/503): status → what comes back. */
  answers: Record<number, string>;
  /** Refusals, in the order the route checks them. */
  refusals: Refusal[];
}

/** The operation object hono-openapi merges into the document (the extensions are ours: see docs/protocol.md). */
type Operation = Parameters<typeof describeRoute>[0];

/**
 * The route's documentation as a middleware: hono-openapi finds it by its
 * marker when it walks the app's routes; on a request it only records the
 * declared body for `parseBody`.
 */
export function documented(doc: RouteDoc): MiddlewareHandler {
  const declared = doc.body ? { schema: doc.body, maxBytes: doc.bodyBytes ?? LIMITS.bodyBytes } : null;
  const middleware: MiddlewareHandler = async (c, next) => {
    declareBody(c, declared);
    await next();
  };
  let operation: Operation | undefined;
  return Object.assign(middleware, {
    [uniqueSymbol]: {
      get spec(): Operation {
        return (operation ??= operationOf(doc));
      },
    },
  });
}

/** A schema as JSON Schema (draft 2020-12, OpenAPI 3.1's dialect) of what a client sends. */
export function inputJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return json;
}

const ERROR_SCHEMA_REF = { $ref: "#/components/schemas/Error" };

const SUCCESS_MEDIA: Record<RouteKind, string | null> = {
  json: "application/json",
  page: "text/html",
  websocket: null,
  script: "text/javascript",
  image: "image/*",
  archive: "application/zip",
  csv: "text/csv",
  file: "application/octet-stream",
};

function parametersOf(doc: RouteDoc): Record<string, unknown>[] {
  const path = Object.entries(doc.params ?? {}).map(([name, p]) => ({
    in: "path",
    name,
    required: true,
    description: p.description,
    schema: p.schema ? inputJsonSchema(p.schema) : { type: "string" },
  }));
  const query = doc.query;
  if (!query) return path;
  if (query instanceof z.ZodObject) {
    const json = inputJsonSchema(query) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    const fromSchema = Object.entries(json.properties ?? {}).map(([name, schema]) => {
      const { description, ...rest } = schema;
      return { in: "query", name, required: json.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
    });
    return [...path, ...fromSchema];
  }
  return [...path, ...Object.entries(query).map(([name, description]) => ({ in: "query", name, required: false, description, schema: { type: "string" } }))];
}

function requestBodyOf(doc: RouteDoc): Record<string, unknown> | undefined {
  if (doc.body) {
    const limit = doc.bodyBytes ?? LIMITS.bodyBytes;
    const schema = inputJsonSchema(doc.body);
    return {
      required: true,
      // One media type keeps the document lean; the form-encoded twin is said in words.
      description: `JSON (\`application/json\`), or the same fields form-encoded (\`application/x-www-form-urlencoded\`). At most ${limit} bytes.`,
      content: { "application/json": { schema } },
    };
  }
  if (doc.rawBody) {
    const schema = doc.rawBody.schema ? inputJsonSchema(doc.rawBody.schema) : {};
    return { required: true, description: doc.rawBody.description, content: Object.fromEntries(doc.rawBody.types.map((t) => [t, { schema }])) };
  }
  return undefined;
}

function responsesOf(doc: RouteDoc): Record<string, unknown> {
  const kind = doc.kind ?? "json";
  const responses: Record<string, { description: string; content?: Record<string, unknown> }> = {};
  for (const [status, description] of Object.entries(doc.answers)) {
    const media = Number(status) === 101 || Number(status) === 303 || Number(status) === 304 ? null : SUCCESS_MEDIA[kind];
    responses[status] = { description, ...(media ? { content: { [media]: {} } } : {}) };
  }
  // Every route with a body refuses a body it cannot read the same way (docs/protocol.md, "Errors").
  const refusals: Refusal[] = doc.body
    ? [
        ...doc.refusals,
        { status: 400, code: "bad_json", when: "The body is not valid JSON." },
        { status: 413, code: "too_large", when: `The body is over ${doc.bodyBytes ?? LIMITS.bodyBytes} bytes.` },
        { status: 415, code: "validation_failed", when: "The body is neither JSON nor form-encoded." },
      ]
    : doc.refusals;
  for (const r of refusals) {
    const line = `\`${r.code}\`${r.field ? ` (field ${r.field})` : ""}: ${r.when}`;
    const existing = responses[r.status];
    if (existing) existing.description += `\n${line}`;
    else responses[r.status] = { description: line, content: { "application/json": { schema: ERROR_SCHEMA_REF } } };
  }
  return responses;
}

/** The OpenAPI operation for one route. */
function operationOf(doc: RouteDoc): Operation {
  const requestBody = requestBodyOf(doc);
  const operation = {
    tags: [doc.group.name],
    summary: doc.summary,
    description: doc.description,
    security: doc.who.security,
    parameters: parametersOf(doc),
    ...(requestBody ? { requestBody } : {}),
    responses: responsesOf(doc),
    "x-who": doc.who.rule,
    "x-kind": doc.kind ?? "json",
    "x-refusals": doc.refusals,
  };
  // The extensions and JSON Schema objects are valid OpenAPI 3.1 the library's types do not spell out.
  return operation as unknown as Operation;
}
