/**
 * A table as CSV (RFC 4180): UTF-8, CRLF line ends, a header row, fields
 * quoted when they hold a comma, a quote or a line break (quotes doubled).
 * Text that a spreadsheet would run as a formula (starting with =, +, -, @,
 * or a tab or carriage return) gets a leading apostrophe; numbers are written
 * as numbers. Days are ISO dates, and the header names their time zone.
 */
import type { StatCell, StatTable } from "../shared/stats-api";

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell as it may safely open in a spreadsheet. */
export function neutralised(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function field(cell: StatCell): string {
  if (cell === null) return "";
  const text = typeof cell === "number" ? String(cell) : neutralised(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function tableCsv(t: StatTable): string {
  const lines = [t.columns.map((c) => field(c.label)), ...t.rows.map((r) => r.map(field))];
  return lines.map((l) => l.join(",")).join("\r\n") + "\r\n";
}
