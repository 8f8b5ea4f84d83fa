/**
 * Policy pages in D1: saving (sanitised, with the search index rebuilt in the
 * same batch), loading, and full-text search across the pages a librarian may
 * read. Group pages too.
 */
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Librarian } from "../auth/librarian";
import { database } from "../db/client";
import { errorText } from "../db/errors";
import { groupPages, libraries, policyPages } from "../db/schema";
import { isPartnerOf } from "../db/tenancy";
import { ApiError, badRequest } from "../http/errors";
import type { policyPageSchema } from "../shared/coop-api";
import { searchRows } from "./plain-text";
import { sanitizeRichText } from "./sanitize";
import { HIT_CLOSE, HIT_OPEN, reindexStatements, searchIndex } from "./search-index";
import { LINK_KIND_LABELS, POLICY_LIMITS, POLICY_SECTIONS, sectionAnchor } from "./sections";

export type PolicyPageContent = z.output<typeof policyPageSchema>;

export interface PolicyPage extends PolicyPageContent {
  libraryId: string;
  libraryName: string;
  timeZone: string;
  updatedAt: number | null;
}

/** Sanitises every section; unsafe HTML is refused with the section as the field, and nothing is saved. */
export function cleanPolicyPage(content: PolicyPageContent): PolicyPageContent {
  const sections: Record<string, string> = {};
  for (const s of POLICY_SECTIONS) {
    const raw = content.sections[s.id];
    if (raw === undefined) continue;
    sections[s.id] = cleanRichText(raw, `sections.${s.id}`, s.title);
  }
  return { ...content, sections };
}

/** Sanitised HTML, or a 400 naming what was unsafe. */
export function cleanRichText(raw: string, field: string, label: string): string {
  const { html, problems } = sanitizeRichText(raw);
  if (problems.length > 0) throw badRequest(`${label}: ${problems.join("; ")}. Nothing was saved.`, field);
  return html;
}

/** Saves a library's page (already validated by policyPageSchema): sanitised, indexed, in one batch. */
export async function savePolicyPage(d1: D1Database, libraryId: string, content: PolicyPageContent, librarianId: string, now = Date.now()): Promise<PolicyPageContent> {
  const db = database(d1);
  const page = cleanPolicyPage(content);
  const saved = { sections: page.sections, links: page.links, quickAnswers: page.quickAnswers, reportEmail: page.reportEmail, updatedAt: now, updatedBy: librarianId };
  await db.batch([
    db
      .insert(policyPages)
      .values({ libraryId, ...saved })
      .onConflictDoUpdate({ target: policyPages.libraryId, set: saved }),
    ...reindexStatements(db, libraryId, searchRows(page, POLICY_SECTIONS, LINK_KIND_LABELS)),
  ]);
  return page;
}

/** A library's page (empty sections when it has not written one yet); null if the library does not exist. Sections are sanitised again on the way out. */
export async function loadPolicyPage(d1: D1Database, libraryId: string): Promise<PolicyPage | null> {
  const row = await database(d1)
    .select({
      libraryId: libraries.id,
      libraryName: libraries.name,
      timeZone: libraries.timeZone,
      sections: policyPages.sections,
      links: policyPages.links,
      quickAnswers: policyPages.quickAnswers,
      reportEmail: policyPages.reportEmail,
      updatedAt: policyPages.updatedAt,
    })
    .from(libraries)
    .leftJoin(policyPages, eq(policyPages.libraryId, libraries.id))
    .where(eq(libraries.id, libraryId))
    .get();
  if (!row) return null;
  const stored = row.sections ?? {};
  const sections: Record<string, string> = {};
  for (const s of POLICY_SECTIONS) if (stored[s.id]) sections[s.id] = sanitizeRichText(stored[s.id]!).html;
  return {
    libraryId: row.libraryId,
    libraryName: row.libraryName,
    timeZone: row.timeZone,
    sections,
    links: (row.links ?? []) as PolicyPage["links"],
    quickAnswers: row.quickAnswers ?? [],
    reportEmail: row.reportEmail,
    updatedAt: row.updatedAt,
  };
}

/** The libraries whose policy pages the librarian may read (their own and its partners'; all for a service administrator), by name. */
export async function readablePolicyLibraries(d1: D1Database, librarian: Librarian): Promise<{ id: string; name: string }[]> {
  return database(d1)
    .select({ id: libraries.id, name: libraries.name })
    .from(libraries)
    .where(librarian.role === "service_admin" ? undefined : isPartnerOf(libraries.id, librarian.libraryId))
    .orderBy(asc(libraries.name))
    .all();
}

export interface PolicySearchHit {
  libraryId: string;
  libraryName: string;
  section: string;
  title: string;
  /** Plain text with the matched words between «…» markers removed. */
  snippet: string;
  /** The same snippet as safe HTML, matches in <mark>. */
  snippetHtml: string;
  url: string;
}

/** Words of a query as an FTS5 expression (each word, prefix-matched, all required), or null when there are none. */
export function ftsQuery(q: string): string | null {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
  return words.length ? words.map((w) => `"${w}"*`).join(" ") : null;
}

/** Searches every policy page the librarian may read (their own library's and its partners'; all for a service administrator). */
export async function searchPolicyPages(d1: D1Database, librarian: Librarian, q: string): Promise<PolicySearchHit[]> {
  if (q.length > POLICY_LIMITS.queryChars) throw badRequest(`Keep the search under ${POLICY_LIMITS.queryChars} characters`, "q");
  const match = ftsQuery(q);
  if (!match) throw badRequest("Type a word to search for", "q");
  try {
    const results = await searchIndex(database(d1), match, librarian.role === "service_admin" ? null : librarian.libraryId);
    return results.map((r) => ({
      libraryId: r.libraryId,
      libraryName: r.libraryName,
      section: r.section,
      title: r.title,
      snippet: r.snippet.replaceAll(HIT_OPEN, "").replaceAll(HIT_CLOSE, ""),
      snippetHtml: escapeHtml(r.snippet).replaceAll(HIT_OPEN, "<mark>").replaceAll(HIT_CLOSE, "</mark>"),
      url: `/policies/${r.libraryId}#${sectionAnchor(r.section.startsWith("quick-") ? "quick_answers" : r.section)}`,
    }));
  } catch (error) {
    // The query is built from words only, so a failure here is ours, not the librarian's.
    console.error(JSON.stringify({ event: "policy_search_failed", error: errorText(error) }));
    throw new ApiError(500, "internal", "Search failed. Please try again.");
  }
}

function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

// ---- group pages -----------------------------------------------------------------

export async function loadGroupPage(d1: D1Database, groupId: string): Promise<{ body: string; updatedAt: number | null }> {
  const row = await database(d1).select({ body: groupPages.body, updatedAt: groupPages.updatedAt }).from(groupPages).where(eq(groupPages.groupId, groupId)).get();
  return { body: row ? sanitizeRichText(row.body).html : "", updatedAt: row?.updatedAt ?? null };
}

export async function saveGroupPage(d1: D1Database, groupId: string, rawBody: string, librarianId: string, now = Date.now()): Promise<string> {
  const body = cleanRichText(rawBody, "body", "Group page");
  const saved = { body, updatedAt: now, updatedBy: librarianId };
  await database(d1)
    .insert(groupPages)
    .values({ groupId, ...saved })
    .onConflictDoUpdate({ target: groupPages.groupId, set: saved });
  return body;
}
