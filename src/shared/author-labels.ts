/**
 * Who wrote a line, as people see it. A name is whatever its owner typed, so
 * it never says the role: every transcript (monitor, patron window, Qwidget,
 * questions module, mails) shows the role as a marker of its own beside the
 * isolated name, from this list. A patron who types "Lisa (librarian)" as a
 * name is shown as that name with the patron marker, in a patron's line.
 *
 * A patron's name may not be one of the labels themselves ("Librarian",
 * "Refdesk"…): alone in a waiting list or a tab, where no marker follows, it
 * would read as the role. No imports, so every client can use it.
 */

/** The role marker shown beside an author's name; system lines show no author. */
export const ROLE_MARKERS = { patron: "Patron", librarian: "Librarian" } as const;

/** Names that read as a role rather than a person, compared letters and digits only, case-folded. */
const ROLE_NAMES = new Set([
  "librarian",
  "thelibrarian",
  "referencelibrarian",
  "librarystaff",
  "staff",
  "admin",
  "administrator",
  "moderator",
  "system",
  "refdesk",
  "askalibrarian",
]);

/** True when `name` is a role label rather than a person's name (whatever its case, spacing, punctuation or width). */
export function isRoleLabel(name: string): boolean {
  return ROLE_NAMES.has(name.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]/gu, ""));
}
