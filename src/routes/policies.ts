/**
 * /api/policies — policy pages as JSON: search across the pages a librarian
 * may read, read one, and (a library's administrators) replace one.
 */
import { Hono } from "hono";
import { requireLibrarian } from "../auth/middleware";
import { assertCanReadPolicyPage, assertLibraryAdmin } from "../db/tenancy";
import type { AppEnv } from "../http/app-env";
import { notFound } from "../http/errors";
import { parseBody } from "../http/validate";
import { loadPolicyPage, savePolicyPage, searchPolicyPages } from "../policies/store";
import { POLICY_LIMITS } from "../policies/sections";
import { policyPageSchema } from "../shared/coop-api";
import { slugSchema } from "../shared/api";

export const policyRoutes = new Hono<AppEnv>();

policyRoutes.get("/search", async (c) => {
  const librarian = requireLibrarian(c);
  const q = c.req.query("q") ?? "";
  return c.json({ q, results: await searchPolicyPages(c.env.DB, librarian, q) });
});

function libraryIdParam(value: string): string {
  if (!slugSchema.safeParse(value).success) throw notFound("Library");
  return value;
}

policyRoutes.get("/:libraryId", async (c) => {
  const librarian = requireLibrarian(c);
  const libraryId = libraryIdParam(c.req.param("libraryId"));
  await assertCanReadPolicyPage(c.env.DB, librarian, libraryId);
  const found = await loadPolicyPage(c.env.DB, libraryId);
  if (!found) throw notFound("Library");
  return c.json({ page: found });
});

policyRoutes.put("/:libraryId", async (c) => {
  const librarian = requireLibrarian(c);
  const libraryId = libraryIdParam(c.req.param("libraryId"));
  assertLibraryAdmin(librarian, libraryId, "this policy page");
  const body = await parseBody(c, policyPageSchema, POLICY_LIMITS.bodyBytes);
  if (!(await loadPolicyPage(c.env.DB, libraryId))) throw notFound("Library");
  await savePolicyPage(c.env.DB, libraryId, body, librarian.id);
  return c.json({ page: await loadPolicyPage(c.env.DB, libraryId) });
});
