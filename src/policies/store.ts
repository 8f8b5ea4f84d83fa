/**
 * Policy pages in D1: saving (sanitised, with the search index rebuilt in the
 * same batch), loading, and full-text search across the pages a librarian may
 * read. Group pages too.
 */
import { z } from "zod";
import { ApiError, badRequest } from "../http/errors";
import { PARTNER_LIBRARIES_SQL } from "../db/tenancy";
import type { Librarian } from "../auth/librarian";
import type { policyPageSchema } from "../shared/coop-api";
import { searchRows } from "./plain-text";
import { sanitizeRichText } from "./sanitize";
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

/** The statements that (re)index a library's page for search. */
function indexStatements(d1: D1Database, libraryId: string, page: PolicyPageContent): D1PreparedStatement[] {
  return [
    d1.prepare("DELETE FROM policy_search WHERE library_id = ?").bind(libraryId),
    ...searchRows(page, POLICY_SECTIONS, LINK_KIND_LABELS).map((r) =>
      d1.prepare("INSERT INTO policy_search (library_id, section, title, body) VALUES (?, ?, ?, ?)").bind(libraryId, r.section, r.title, r.body),
    ),
  ];
}

/** Saves a library's page (already validated by policyPageSchema): sanitised, indexed, in one batch. */
export async function savePolicyPage(d1: D1Database, libraryId: string, content: PolicyPageContent, librarianId: string, now = Date.now()): Promise<PolicyPageContent> {
  const page = cleanPolicyPage(content);
  await d1.batch([
    d1
      .prepare(
        `INSERT INTO policy_pages (library_id, sections, links, quick_answers, report_email, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(library_id) DO UPDATE SET sections = excluded.sections, links = excluded.links, quick_answers = excluded.quick_answers,
           report_email = excluded.report_email, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .bind(libraryId, JSON.stringify(page.sections), JSON.stringify(page.links), JSON.stringify(page.quickAnswers), page.reportEmail, now, librarianId),
    ...indexStatements(d1, libraryId, page),
  ]);
  return page;
}

interface PageRow {
  id: string;
  name: string;
  time_zone: string;
  sections: string | null;
  links: string | null;
  quick_answers: string | null;
  report_email: string | null;
  updated_at: number | null;
}

/** A library's page (empty sections when it has not written one yet); null if the library does not exist. Sections are sanitised again on the way out. */
export async function loadPolicyPage(d1: D1Database, libraryId: string): Promise<PolicyPage | null> {
  const row = await d1
    .prepare(
      `SELECT l.id, l.name, l.time_zone, p.sections, p.links, p.quick_answers, p.report_email, p.updated_at
       FROM libraries l LEFT JOIN policy_pages p ON p.library_id = l.id WHERE l.id = ?`,
    )
    .bind(libraryId)
    .first<PageRow>();
  if (!row) return null;
  const stored = JSON.parse(row.sections ?? "{}") as Record<string, string>;
  const sections: Record<string, string> = {};
  for (const s of POLICY_SECTIONS) if (stored[s.id]) sections[s.id] = sanitizeRichText(stored[s.id]!).html;
  return {
    libraryId: row.id,
    libraryName: row.name,
    timeZone: row.time_zone,
    sections,
    links: JSON.parse(row.links ?? "[]") as PolicyPage["links"],
    quickAnswers: JSON.parse(row.quick_answers ?? "[]") as PolicyPage["quickAnswers"],
    reportEmail: row.report_email,
    updatedAt: row.updated_at,
  };
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

// Private-use characters: never in librarians' text, and passed through D1 untouched (control characters are not).
const HIT_OPEN = "\uE000";
const HIT_CLOSE = "\uE001";

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
  const scope = librarian.role === "service_admin" ? "" : `AND s.library_id IN (${PARTNER_LIBRARIES_SQL})`;
  const binds = librarian.role === "service_admin" ? [match] : [match, librarian.libraryId, librarian.libraryId];
  try {
    const { results } = await d1
      .prepare(
        `SELECT s.library_id, l.name AS library_name, s.section, s.title, snippet(policy_search, -1, '${HIT_OPEN}', '${HIT_CLOSE}', '…', 16) AS snippet
         FROM policy_search s JOIN libraries l ON l.id = s.library_id
         WHERE policy_search MATCH ? ${scope} ORDER BY rank LIMIT 50`,
      )
      .bind(...binds)
      .all<{ library_id: string; library_name: string; section: string; title: string; snippet: string }>();
    return results.map((r) => ({
      libraryId: r.library_id,
      libraryName: r.library_name,
      section: r.section,
      title: r.title,
      snippet: r.snippet.replaceAll(HIT_OPEN, "").replaceAll(HIT_CLOSE, ""),
      snippetHtml: escapeHtml(r.snippet).replaceAll(HIT_OPEN, "<mark>").replaceAll(HIT_CLOSE, "</mark>"),
      url: `/policies/${r.library_id}#${sectionAnchor(r.section.startsWith("quick-") ? "quick_answers" : r.section)}`,
    }));
  } catch (error) {
    // The query is built from words only, so a failure here is ours, not the librarian's.
    console.error(JSON.stringify({ event: "policy_search_failed", error: String(error) }));
    throw new ApiError(500, "internal", "Search failed. Please try again.");
  }
}

function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

// ---- group pages -----------------------------------------------------------------

export async function loadGroupPage(d1: D1Database, groupId: string): Promise<{ body: string; updatedAt: number | null }> {
  const row = await d1.prepare("SELECT body, updated_at FROM group_pages WHERE group_id = ?").bind(groupId).first<{ body: string; updated_at: number }>();
  return { body: row ? sanitizeRichText(row.body).html : "", updatedAt: row?.updated_at ?? null };
}

export async function saveGroupPage(d1: D1Database, groupId: string, rawBody: string, librarianId: string, now = Date.now()): Promise<string> {
  const body = cleanRichText(rawBody, "body", "Group page");
  await d1
    .prepare(
      `INSERT INTO group_pages (group_id, body, updated_at, updated_by) VALUES (?, ?, ?, ?)
       ON CONFLICT(group_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
    .bind(groupId, body, now, librarianId)
    .run();
  return body;
}
