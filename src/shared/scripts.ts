/**
 * Scripts ("canned messages"): what a script is, at which of three levels it
 * lives, its placeholders, how the composer's picker finds one, and its CSV
 * form. Shared by the server (src/routes/canned-messages.ts, src/scripts/),
 * the monitor and the admin pages; the request schemas are in
 * ./script-schemas.ts (zod stays out of the front ends).
 *
 * - library: every librarian of the library reads them; its administrators write them;
 * - group: every librarian of a member library reads them; the group's administrators write them;
 * - personal: one librarian's own, read and written by them alone.
 *
 * A script's text may carry links (any http(s) address, or "www.…", becomes a
 * link in the chat, as in every message) and placeholders, filled in when the
 * script goes into a chat: {{patronName}}, {{libraryName}} (the patron's
 * library), {{librarianName}} (you), {{hoursToday}} (the patron's library's
 * hours today, in its time zone).
 */
import { LIMITS } from "./limits";

export const SCRIPT_SCOPES = ["library", "group", "personal"] as const;
export type ScriptScope = (typeof SCRIPT_SCOPES)[number];

export const SCRIPT_SCOPE_LABELS: Record<ScriptScope, string> = {
  library: "Library",
  group: "Cooperative",
  personal: "Personal",
};

export const SCRIPT_PLACEHOLDERS = ["patronName", "libraryName", "librarianName", "hoursToday"] as const;
export type ScriptPlaceholder = (typeof SCRIPT_PLACEHOLDERS)[number];

export const SCRIPT_PLACEHOLDER_HELP: Record<ScriptPlaceholder, string> = {
  patronName: "the patron's name (or “there” when they gave none)",
  libraryName: "the patron's library",
  librarianName: "your name",
  hoursToday: "the patron's library's hours today",
};

export const SCRIPT_LIMITS = {
  titleChars: LIMITS.cannedTitleChars,
  categoryChars: 60,
  /** Scripts one library, one group or one librarian may keep. */
  perOwner: LIMITS.cannedPerLibrary,
  /** Bytes of one CSV import. */
  csvBytes: 512 * 1024,
  /** Matches the composer's picker offers at once. */
  pickerMatches: 8,
} as const;

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** The first placeholder in `body` that scripts do not know, or null. */
export function unknownPlaceholder(body: string): string | null {
  for (const m of body.matchAll(PLACEHOLDER)) if (!(SCRIPT_PLACEHOLDERS as readonly string[]).includes(m[1]!)) return m[0];
  return null;
}

/** The script's text with its placeholders filled in (an empty value leaves nothing behind). */
export function fillScript(body: string, values: Record<ScriptPlaceholder, string>): string {
  return body.replace(PLACEHOLDER, (whole, key: string) => ((SCRIPT_PLACEHOLDERS as readonly string[]).includes(key) ? values[key as ScriptPlaceholder] : whole));
}

/** A script as the API answers. */
export interface ScriptView {
  id: number;
  scope: ScriptScope;
  groupId: string | null;
  /** The group's name, for a group script. */
  groupName?: string | null;
  category: string;
  title: string;
  body: string;
  position: number;
  useCount: number;
}

/**
 * The scripts the composer's picker offers for what follows "/": titles that
 * start with the query first, then scripts whose title, category or text
 * hold every word of it; at most SCRIPT_LIMITS.pickerMatches.
 */
export function matchScripts<T extends Pick<ScriptView, "title" | "category" | "body">>(scripts: readonly T[], query: string, limit: number = SCRIPT_LIMITS.pickerMatches): T[] {
  const q = query.trim().toLowerCase();
  if (!q) return scripts.slice(0, limit);
  const words = q.split(/\s+/);
  const starts = scripts.filter((s) => s.title.toLowerCase().startsWith(q));
  const contains = scripts.filter((s) => !starts.includes(s) && words.every((w) => `${s.title} ${s.category} ${s.body}`.toLowerCase().includes(w)));
  return [...starts, ...contains].slice(0, limit);
}

/** The "/query" being typed just before the caret, at the start of the text or after a space; null when there is none. */
export function slashQuery(textBeforeCaret: string): { start: number; query: string } | null {
  const m = /(^|\s)\/([^\s/]{0,40})$/.exec(textBeforeCaret);
  if (!m) return null;
  return { start: m.index + m[1]!.length, query: m[2]! };
}

// ---- CSV ------------------------------------------------------------------------------

/** The columns of a scripts CSV, in order (a header row names them). */
export const SCRIPT_CSV_COLUMNS = ["category", "title", "body"] as const;

/** What a spreadsheet would start a formula with (and the apostrophe that protects one). */
const FORMULA_START = /^[=+\-@\t\r']/;

function csvCell(value: string): string {
  // Cells that a spreadsheet would run as a formula get a leading apostrophe (and so does a cell
  // that already starts with an apostrophe, so reading back can tell the two apart). Blank space is no formula.
  const safe = FORMULA_START.test(value) && value.trim() !== "" ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Scripts as CSV (RFC 4180, CRLF line ends, a header row). */
export function scriptsToCsv(scripts: readonly Pick<ScriptView, "category" | "title" | "body">[]): string {
  const rows = [SCRIPT_CSV_COLUMNS.join(","), ...scripts.map((s) => [s.category, s.title, s.body].map(csvCell).join(","))];
  return `${rows.join("\r\n")}\r\n`;
}

/** Rows of CSV text (RFC 4180: quoted cells may hold commas, quotes and line breaks); null when a quote is never closed. */
export function parseCsv(input: string): string[][] | null {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const endCell = () => {
    row.push(cell);
    cell = "";
  };
  const endRow = () => {
    endCell();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") endCell();
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRow();
    } else cell += ch;
  }
  if (quoted) return null;
  if (cell !== "" || row.length > 0) endRow();
  return rows.filter((r) => r.some((c) => c.trim() !== ""));
}

/** A cell exported with a protective apostrophe reads back as written. */
export function unprotectCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
