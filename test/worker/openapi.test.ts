import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { renderError } from "../../src/http/errors";
import { parseBody } from "../../src/http/validate";
import { ANYONE } from "../../src/routes/openapi/callers";
import { documented } from "../../src/routes/openapi/describe";
import { GROUPS } from "../../src/routes/openapi/groups";
import { endChatSchema, startChatSchema } from "../../src/shared/api";
import { scheduleSchema } from "../../src/shared/coop-api";
import { POLICY_LIMITS } from "../../src/policies/sections";
import { questionListQuerySchema } from "../../src/shared/questions-api";
import { call } from "./helpers";
import { servedDocument } from "./openapi-document";

/** JSON Schema of what a client sends, as a client would derive it from the zod schema itself. */
const clientSchema = (schema: z.ZodType) => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return json;
};

describe("GET /api/openapi.json", () => {
  it("answers an OpenAPI 3.1 document", async () => {
    const res = await call("/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const doc = await res.json<{ openapi: string; info: { title: string }; components: { securitySchemes: Record<string, unknown> } }>();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBe("Refdesk");
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["librarianCookie", "patronToken"]);
  });

  it("carries each route's request schemas: its JSON body, its query and its path parameters", async () => {
    const doc = await servedDocument();
    const body = (path: string, method: string) => doc.paths[path]?.[method]?.requestBody?.content?.["application/json"]?.schema;
    expect(body("/api/chats", "post")).toEqual(clientSchema(startChatSchema));
    expect(body("/api/chats/{id}/end", "post")).toEqual(clientSchema(endChatSchema));
    expect(body("/api/groups/{groupId}/schedule", "put")).toEqual(clientSchema(scheduleSchema));
    expect(doc.paths["/api/groups/{groupId}/schedule"]?.put?.requestBody?.description).toContain(`At most ${POLICY_LIMITS.bodyBytes} bytes`);

    const list = doc.paths["/api/questions"]?.get?.parameters ?? [];
    expect(list.filter((p) => p.in === "query").map((p) => p.name)).toEqual(Object.keys(questionListQuerySchema.shape));
    expect(list.find((p) => p.name === "size")?.schema).toMatchObject({ type: "integer", maximum: 100 });

    const end = doc.paths["/api/chats/{id}/end"]?.post?.parameters ?? [];
    expect(end).toContainEqual(expect.objectContaining({ in: "path", name: "id", required: true }));
  });

  it("says who may call a route and how it refuses, with the error body every refusal has", async () => {
    const doc = await servedDocument();
    const op = doc.paths["/api/admin/libraries/{libraryId}/settings"]?.patch as unknown as {
      security: Record<string, string[]>[];
      responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
    };
    expect(op.security).toEqual([{ librarianCookie: ["library_admin", "group_admin", "service_admin"] }]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "403", "404", "413", "415"]));
    expect(op.responses["403"]?.content?.["application/json"]?.schema?.$ref).toBe("#/components/schemas/Error");
    expect(doc.paths["/api/chats/{id}/socket"]?.get?.responses?.["101"]).toBeDefined();
    expect(doc.paths["/login"]?.get?.responses?.["200"]?.content).toHaveProperty("text/html");
  });
});

describe("a route's declared body", () => {
  const declared = z.object({ title: z.string().min(1) });
  const other = z.object({ title: z.string() });
  const testApp = new Hono();
  testApp.onError(renderError);
  const doc = { group: GROUPS.reference, summary: "Test", description: "Test.", who: ANYONE, answers: { 200: "Ok." }, refusals: [] };
  testApp.post("/declared", documented({ ...doc, body: declared }), async (c) => c.json(await parseBody(c, declared)));
  testApp.post("/other", documented({ ...doc, body: declared }), async (c) => c.json(await parseBody(c, other)));
  testApp.post("/undeclared", documented(doc), async (c) => c.json(await parseBody(c, declared)));
  const post = (path: string, body: unknown) => testApp.request(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  it("is what the route validates with, refusals as before", async () => {
    expect(await (await post("/declared", { title: "Hours" })).json()).toEqual({ title: "Hours" });
    const refused = await post("/declared", { title: "" });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: "validation_failed", field: "title" } });
  });

  it("cannot differ from the schema the handler validates with: such a route fails instead of publishing a protocol it does not keep", async () => {
    expect((await post("/other", { title: "Hours" })).status).toBe(500);
    expect((await post("/undeclared", { title: "Hours" })).status).toBe(500);
  });
});
