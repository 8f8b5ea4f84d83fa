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
import { COOP_LIBRARY_ADMIN, LIBRARIAN, signedIn } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, COOP_ID_MALFORMED, LIBRARY_UNKNOWN, NOT_COOP_LIBRARY_ADMIN, NOT_SIGNED_IN, refusal } from "./openapi/refusals";
import { PARAMS } from "./openapi/shapes";

export const policyRoutes = new Hono<AppEnv>();

const MALFORMED_LIBRARY = COOP_ID_MALFORMED("library");

policyRoutes.get("/search", documented({
  group: GROUPS.policies,
  summary: "Search policy pages",
  description: "Full-text search across the policy pages the librarian may read (every word, prefix-matched; at most 50 hits).",
  who: LIBRARIAN,
  query: { q: `The words to search for (at most ${POLICY_LIMITS.queryChars} characters).` },
  answers: {
    200: "`{q, results: [{libraryId, libraryName, section, title, snippet, snippetHtml, url}]}` (`snippetHtml` is safe HTML with the matches in `<mark>`).",
  },
  refusals: [NOT_SIGNED_IN, refusal(400, "validation_failed", "`q` is too long, or has no words.", "q"), refusal(500, "internal", "The search failed on the server's side.")],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const q = c.req.query("q") ?? "";
  return c.json({ q, results: await searchPolicyPages(c.env.DB, librarian, q) });
});

function libraryIdParam(value: string): string {
  if (!slugSchema.safeParse(value).success) throw notFound("Library");
  return value;
}

policyRoutes.get("/:libraryId", documented({
  group: GROUPS.policies,
  summary: "A library's policy page",
  description: "A library's policy page (empty sections when it has not written one).",
  who: signedIn("A signed-in librarian of this library or of a partner library, or a `service_admin`."),
  params: PARAMS.coopLibraryId,
  answers: {
    200: "`{page: {libraryId, libraryName, timeZone, sections, links, quickAnswers, reportEmail, updatedAt}}` (`sections`: section id → sanitised HTML).",
  },
  refusals: [NOT_SIGNED_IN, MALFORMED_LIBRARY, refusal(403, "forbidden", "The library is not this librarian's nor a partner's."), LIBRARY_UNKNOWN],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const libraryId = libraryIdParam(c.req.param("libraryId"));
  await assertCanReadPolicyPage(c.env.DB, librarian, libraryId);
  const found = await loadPolicyPage(c.env.DB, libraryId);
  if (!found) throw notFound("Library");
  return c.json({ page: found });
});

policyRoutes.put("/:libraryId", documented({
  group: GROUPS.policies,
  summary: "Replace a library's policy page",
  description: "Replaces the library's policy page. Rich text is sanitised; unsafe HTML is refused, not silently dropped.",
  who: COOP_LIBRARY_ADMIN,
  params: PARAMS.coopLibraryId,
  body: policyPageSchema,
  bodyBytes: POLICY_LIMITS.bodyBytes,
  answers: { 200: "`{page}` as `GET` answers it." },
  refusals: [
    NOT_SIGNED_IN,
    MALFORMED_LIBRARY,
    NOT_COOP_LIBRARY_ADMIN,
    BAD_BODY,
    LIBRARY_UNKNOWN,
    refusal(400, "validation_failed", "A section holds HTML the sanitiser refuses (scripts, event handlers…); nothing was saved.", "sections.<id>"),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const libraryId = libraryIdParam(c.req.param("libraryId"));
  assertLibraryAdmin(librarian, libraryId, "this policy page");
  const body = await parseBody(c, policyPageSchema, POLICY_LIMITS.bodyBytes);
  if (!(await loadPolicyPage(c.env.DB, libraryId))) throw notFound("Library");
  await savePolicyPage(c.env.DB, libraryId, body, librarian.id);
  return c.json({ page: await loadPolicyPage(c.env.DB, libraryId) });
});
