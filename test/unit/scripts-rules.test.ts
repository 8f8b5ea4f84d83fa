/**
 * Scripts' pure rules (src/shared/scripts.ts): placeholders filled in and
 * unknown ones found, what the composer's "/" picker offers, and CSV that
 * comes back as it went out, whatever the text holds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fillScript, matchScripts, parseCsv, scriptsToCsv, slashQuery, unknownPlaceholder, unprotectCell } from "../../src/shared/scripts";

const values = { patronName: "Ada", libraryName: "Springfield", librarianName: "Lisa", hoursToday: "9–5" };

describe("placeholders", () => {
  it("fills in each placeholder, spaces inside the braces too, and leaves other braces alone", () => {
    expect(fillScript("Hi {{patronName}}, {{ librarianName }} at {{libraryName}}: {{hoursToday}}.", values)).toBe("Hi Ada, Lisa at Springfield: 9–5.");
    expect(fillScript("Hi {{someone}} and {single}", values)).toBe("Hi {{someone}} and {single}");
    expect(fillScript("Today: {{hoursToday}}", { ...values, hoursToday: "" })).toBe("Today: ");
  });

  it("finds a placeholder scripts do not know", () => {
    expect(unknownPlaceholder("Hello {{patronName}}")).toBeNull();
    expect(unknownPlaceholder("Hello {{patronname}}")).toBe("{{patronname}}");
    expect(unknownPlaceholder("{{date}} and {{libraryName}}")).toBe("{{date}}");
  });
});

describe("the composer's picker", () => {
  const scripts = [
    { id: 1, title: "Greeting", category: "Openers", body: "Hello {{patronName}}!" },
    { id: 2, title: "Databases", category: "Research", body: "Try our databases at https://library.test/db" },
    { id: 3, title: "Goodbye", category: "Closers", body: "Have a good day." },
    { id: 4, title: "Hours", category: "Info", body: "We greet you from 9 to 5." },
  ];

  it("opens on / at the start of the text or after a space, not inside a word or a path", () => {
    expect(slashQuery("/gre")).toEqual({ start: 0, query: "gre" });
    expect(slashQuery("Sure! /")).toEqual({ start: 6, query: "" });
    expect(slashQuery("line one\n/db")).toEqual({ start: 9, query: "db" });
    expect(slashQuery("and/or")).toBeNull();
    expect(slashQuery("see /usr/bin")).toBeNull();
    expect(slashQuery("/greeting ")).toBeNull();
  });

  it("offers titles that start with the query first, then every script holding each word", () => {
    expect(matchScripts(scripts, "gr").map((s) => s.id)).toEqual([1, 4]);
    expect(matchScripts(scripts, "research").map((s) => s.id)).toEqual([2]);
    expect(matchScripts(scripts, "").map((s) => s.id)).toEqual([1, 2, 3, 4]);
    expect(matchScripts(scripts, "", 2)).toHaveLength(2);
    expect(matchScripts(scripts, "nothing like it")).toEqual([]);
  });
});

describe("CSV", () => {
  it("reads quoted cells with commas, quotes and line breaks, CRLF or LF, with a byte-order mark", () => {
    expect(parseCsv('\uFEFFcategory,title,body\r\nA,"T, ""one""","line 1\nline 2"\nB,T2,plain\n')).toEqual([
      ["category", "title", "body"],
      ["A", 'T, "one"', "line 1\nline 2"],
      ["B", "T2", "plain"],
    ]);
    expect(parseCsv('a,"never closed')).toBeNull();
    expect(parseCsv("\r\n\r\n")).toEqual([]);
  });

  it("gives back what it wrote, whatever the text", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", " ", ",", '"', "\n", "\r\n", "=", "+", "-", "@", "é", "'") , maxLength: 20 });
    fc.assert(
      fc.property(fc.array(fc.record({ category: cell, title: cell, body: cell }), { maxLength: 6 }), (scripts) => {
        const rows = parseCsv(scriptsToCsv(scripts))!;
        expect(rows[0]).toEqual(["category", "title", "body"]);
        const back = rows.slice(1).map(([category, title, body]) => ({ category: unprotectCell(category!), title: unprotectCell(title!), body: unprotectCell(body!) }));
        // Rows with nothing in them are not rows.
        expect(back).toEqual(scripts.filter((s) => [s.category, s.title, s.body].some((c) => c.trim() !== "")));
      }),
    );
  });
});
