/**
 * Plain text of (already sanitised) rich text, for the search index and
 * snippets. Not a sanitiser: never use it on untrusted HTML for display.
 * Dependency-free so scripts/local-state.mjs can import it to seed the demo.
 */
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

export function htmlToPlainText(html: string): string {
  return html
    .replace(/<(br|\/p|\/li|\/h\d|\/div|\/tr|\/dt|\/dd|\/blockquote)\b[^>]*>/gi, "\n")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*|#39);/gi, (whole, name: string) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : " ";
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/[ \t\r\f\v]+/g, " ")
    .replace(/ ?\n ?/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** What the search index holds of a page: one row per written section, one for the key links, one per quick answer. */
export interface SearchRow {
  section: string;
  title: string;
  body: string;
}

/**
 * The search rows of a (sanitised) policy page. The section list and link
 * labels are passed in (src/policies/sections.ts) so this file stays free of
 * imports for scripts/local-state.mjs, which seeds the demo index with it.
 */
export function searchRows(
  page: { sections: Record<string, string>; links: { kind: string; label: string; url: string }[]; quickAnswers: { title: string; text: string }[] },
  sections: readonly { id: string; title: string }[],
  linkKindLabels: Readonly<Record<string, string>>,
): SearchRow[] {
  const rows: SearchRow[] = [];
  for (const s of sections) {
    const body = htmlToPlainText(page.sections[s.id] ?? "");
    if (body) rows.push({ section: s.id, title: s.title, body });
  }
  if (page.links.length) rows.push({ section: "links", title: "Key links", body: page.links.map((l) => `${linkKindLabels[l.kind] ?? l.kind}: ${l.label} ${l.url}`).join("\n") });
  page.quickAnswers.forEach((q, i) => rows.push({ section: `quick-${i}`, title: `Quick answer: ${q.title}`, body: q.text }));
  return rows;
}
