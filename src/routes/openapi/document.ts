/**
 * GET /api/openapi.json — the protocol as an OpenAPI 3.1 document, gathered by
 * hono-openapi from the documentation every route declares on itself
 * (src/routes/openapi/describe.ts). docs/protocol.md is rendered from this
 * document (scripts/protocol-docs.ts), and the hostile-input bench reads its
 * routes and schemas from it. hono-openapi uses no Node API: the document is
 * built in workerd, as the worker tests and `npm run docs` ask for it.
 */
import { Hono } from "hono";
import { generateSpecs } from "hono-openapi";
import { z } from "zod";
import { SESSION_COOKIE } from "../../auth/session-cookie";
import type { AppEnv } from "../../http/app-env";
import { ERROR_CODES } from "../../shared/protocol";
import { ANYONE } from "./callers";
import { documented, inputJsonSchema } from "./describe";
import { GROUP_ORDER, GROUPS } from "./groups";

export type OpenApiDocument = Awaited<ReturnType<typeof generateSpecs>>;

/** Every refusal's body (src/http/errors.ts). */
const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string().describe("Says what is wrong, for people."),
    field: z.string().optional().describe("The input at fault: a field path (`fields.2.label`) or a parameter's name."),
  }),
});

/** The whole app's document: every route that carries documentation, in the order the app registers them. */
export function openApiDocument(app: Hono<AppEnv>): Promise<OpenApiDocument> {
  return generateSpecs(app, {
    documentation: {
      info: {
        title: "Refdesk",
        version: "1",
        description: "Cooperative, real-time Ask a Librarian chat for libraries. docs/protocol.md tells the same protocol with its WebSocket frames.",
      },
      tags: GROUP_ORDER.map((g) => ({ name: g.name, description: g.description })),
      components: {
        securitySchemes: {
          librarianCookie: {
            type: "apiKey",
            in: "cookie",
            name: SESSION_COOKIE,
            description: "A librarian's sign-in (`POST /api/auth/sign-in`). Where a route needs a role, the requirement lists the roles that may call it.",
          },
          patronToken: { type: "http", scheme: "bearer", description: "A patron's chat token, as `POST /api/chats` answered it." },
        },
        schemas: { Error: inputJsonSchema(errorBodySchema) },
      },
    },
    // Scripts (/qwidget.js) and this document are routes like any other.
    excludeStaticFile: false,
    // Refusals are declared route by route (their real bodies), never the library's generic one.
    defaultValidationErrorResponse: false,
  });
}

/** The route serving the document of `app`, built once per isolate on first request. */
export function openApiRoutes(app: Hono<AppEnv>): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  let document: Promise<OpenApiDocument> | undefined;
  routes.get(
    "/",
    documented({
      group: GROUPS.reference,
      summary: "The protocol as OpenAPI",
      description: "This protocol as an OpenAPI 3.1 document: every route with who may call it, its path, query and body schemas (JSON Schema 2020-12), its answers and its refusals. WebSocket frames are in docs/protocol.md.",
      who: ANYONE,
      answers: { 200: "The OpenAPI 3.1 document." },
      refusals: [],
    }),
    async (c) => {
      document ??= openApiDocument(app).catch((error: unknown) => {
        document = undefined;
        throw error;
      });
      return c.json(await document);
    },
  );
  return routes;
}
