/**
 * Reading scripts from a CSV file: a header row names the columns (category,
 * title, body — in any order; category may be left out), every other row is
 * one script, checked by the same rules as a script typed in. The first
 * problem names its row; nothing is imported until every row passes.
 */
import { lineText } from "../shared/api";
import { scriptFieldsSchema } from "../shared/script-schemas";
import { parseCsv, SCRIPT_LIMITS, unprotectCell } from "../shared/scripts";
import type { NewScript } from "./store";

export type CsvImport = { ok: true; scripts: NewScript[] } | { ok: false; message: string };

const categorySchema = lineText(SCRIPT_LIMITS.categoryChars);
const fieldsSchema = scriptFieldsSchema.pick({ title: true, body: true });

export function scriptsFromCsv(csv: string): CsvImport {
  const rows = parseCsv(csv);
  if (!rows) return { ok: false, message: "The file is not valid CSV: a quoted cell is never closed." };
  const [header, ...data] = rows;
  if (!header) return { ok: false, message: "The file is empty." };
  const names = header.map((h) => h.trim().toLowerCase());
  const column = (name: string) => names.indexOf(name);
  const [categoryAt, titleAt, bodyAt] = [column("category"), column("title"), column("body")];
  if (titleAt < 0 || bodyAt < 0) return { ok: false, message: "The first row must name the columns: category, title, body." };
  if (data.length === 0) return { ok: false, message: "The file has no scripts below its header row." };
  const scripts: NewScript[] = [];
  for (const [i, row] of data.entries()) {
    const line = i + 2;
    const cell = (at: number) => (at >= 0 ? unprotectCell(row[at] ?? "") : "");
    const parsed = fieldsSchema.safeParse({ title: cell(titleAt), body: cell(bodyAt) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, message: `Row ${line}, ${String(issue.path[0] ?? "script")}: ${issue.message}. Nothing was imported.` };
    }
    const category = categorySchema.safeParse(cell(categoryAt));
    if (!category.success) return { ok: false, message: `Row ${line}, category: ${category.error.issues[0]?.message}. Nothing was imported.` };
    scripts.push({ title: parsed.data.title, body: parsed.data.body, category: category.data });
  }
  return { ok: true, scripts };
}
