/**
 * What the Qwidget writes into a library's page by hand (outside Preact's
 * components, whose words are checked by the catalogs' own tests) goes
 * through the patron's catalog: no sentence is set as text or as an
 * accessible name in English only.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Text or a name given as a literal with words in it: `x.textContent = "…"`, `` = `…` ``, `setAttribute("aria-label", "…")`. */
const WORDED_LITERAL = /(?:textContent\s*=\s*|setAttribute\(\s*"aria-(?:label|description)"\s*,\s*)(["'`])[^"'`]*[A-Za-z]{2,}/g;

describe("the patron's words in the page", () => {
  const files = [...sourceFiles(path.join(root, "src/client/qwidget")), ...sourceFiles(path.join(root, "src/client/patron/extras"))];

  it("finds the files it checks (the co-browse sharing bar among them)", () => {
    expect(files.some((f) => f.endsWith(path.join("cobrowse", "share.ts")))).toBe(true);
  });

  it("sets no text and no accessible name from an English literal", () => {
    const found = files.flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(WORDED_LITERAL)].map((m) => `${path.relative(root, file)}: ${m[0]}`),
    );
    expect(found).toEqual([]);
  });
});
