/**
 * CSV (RFC 4180) for the archive's spreadsheet views. A cell that a
 * spreadsheet would run as a formula (=, +, -, @ first) gets a leading
 * apostrophe: an archive holds patrons' words, and opening it must not run them.
 */
export type CsvValue = string | number | boolean | null | undefined;

function cell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, CRLF-terminated. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(cell).join(",")}\r\n`;
}

/** A value of any column as a CSV cell: JSON columns as their JSON text. */
export function csvValue(value: unknown): CsvValue {
  if (value === null || value === undefined || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}
