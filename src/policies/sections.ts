/**
 * What a library's policy page holds, one place: the rich-text sections in
 * page order, the kinds of key link, and the limits. The editor, the page, the
 * API and the search index all read this list.
 */
export const POLICY_SECTIONS = [
  { id: "serves", title: "Who we serve", help: "Who may use the library and this chat service: residents, students, staff, visitors." },
  { id: "hours", title: "Hours", help: "Opening hours of the buildings and of the reference service; holidays." },
  { id: "borrowing", title: "Borrowing and renewals", help: "Loan periods, limits, renewals, holds, fines, lost cards." },
  { id: "remote_access", title: "Remote database access and proxy", help: "Who may use databases from home, how the proxy works, what to do when a login fails." },
  { id: "ill", title: "Interlibrary loan", help: "Who may request, how, costs, how long it takes." },
  { id: "contacts", title: "Contacts", help: "Departments, phone numbers, e-mail addresses; who handles what." },
  { id: "notes", title: "Notes: what to tell our patrons", help: "Anything a cooperative librarian should know or say: local quirks, current issues, referrals." },
] as const;

export type PolicySectionId = (typeof POLICY_SECTIONS)[number]["id"];
export const POLICY_SECTION_IDS = POLICY_SECTIONS.map((s) => s.id) as [PolicySectionId, ...PolicySectionId[]];

export const LINK_KINDS = ["catalog", "databases", "account", "other"] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
export const LINK_KIND_LABELS: Record<LinkKind, string> = { catalog: "Catalog", databases: "Databases", account: "Patron account", other: "Other" };

export const POLICY_LIMITS = {
  /** Characters of HTML in one section. */
  sectionChars: 16_000,
  links: 20,
  quickAnswers: 30,
  quickAnswerChars: 2_000,
  titleChars: 120,
  urlChars: 2_000,
  /** A policy page's whole request body. */
  bodyBytes: 160 * 1024,
  /** Characters of a search query. */
  queryChars: 200,
} as const;

/** Where a section is on the page (jump-link targets). */
export const sectionAnchor = (id: string) => `section-${id.replaceAll("_", "-")}`;
