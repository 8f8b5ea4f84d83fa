/**
 * The statistics pages in real Chromium, by keyboard alone: a group
 * administrator goes from the monitor to Statistics, walks every report —
 * axe-core clean at each, each table with its chart and its CSV — narrows the
 * figures with a filter (the URL keeps it), turns on the live refresh, reads
 * the pages at 320 px and in print. The questions module and administration
 * link to Statistics too.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { STAT_REPORT_TITLES, STAT_REPORTS } from "../../src/shared/stats-api";
import { axeViolations, signInTo, useBrowser } from "./browser";

const chromium = useBrowser();

/** Presses Tab until the focused element matches, and returns its text; fails after `max` presses. */
async function tabTo(page: Page, matches: (el: { tag: string; text: string; href: string | null; label: string | null }) => boolean, max = 120): Promise<string> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return { tag: a?.tagName.toLowerCase() ?? "", text: (a?.textContent ?? "").trim(), href: a?.getAttribute("href") ?? null, label: a?.getAttribute("aria-label") ?? null };
    });
    if (matches(el)) return el.text;
  }
  throw new Error("the element was never focused by Tab");
}

describe("statistics, in the browser", () => {
  it("walks every report by keyboard from the monitor, each axe-clean, with charts, tables and CSV", async () => {
    const context = await chromium.context();
    const page = await signInTo(context, "edna@capital-u.example", "/monitor");
    await page.getByRole("heading", { name: "Chat monitor" }).waitFor();
    await tabTo(page, (el) => el.tag === "a" && el.href === "/stats");
    await Promise.all([page.waitForURL("**/stats"), page.keyboard.press("Enter")]);
    await page.getByRole("heading", { name: "Statistics: Volume", level: 1 }).waitFor();

    for (const [i, report] of STAT_REPORTS.entries()) {
      const title = STAT_REPORT_TITLES[report];
      if (i > 0) {
        await tabTo(page, (el) => el.tag === "a" && el.text === title);
        await Promise.all([page.waitForURL(`**/stats/${report}**`), page.keyboard.press("Enter")]);
      }
      await page.getByRole("heading", { name: `Statistics: ${title}`, level: 1 }).waitFor();
      expect(await page.getByRole("navigation", { name: "Reports" }).getByRole("link", { name: title }).getAttribute("aria-current")).toBe("page");
      // The demo's history: a cooperative's figures, not an empty page.
      expect(await page.locator(".report-meta").textContent()).toContain("Statewide Ask a Librarian Cooperative");
      const tables = await page.locator("table.stat-data").count();
      expect(tables, report).toBeGreaterThanOrEqual(report === "waits" ? 2 : 3);
      expect(await page.locator("figure.chart svg[role=img]").count(), report).toBeGreaterThanOrEqual(1);
      expect(await page.getByRole("link", { name: /as CSV$/ }).count()).toBe(tables);
      expect(await axeViolations(page), report).toEqual([]);
    }

    // Each CSV is the table's numbers.
    await page.goto("/stats/volume");
    const csvHref = await page.getByRole("link", { name: "Download “By day” as CSV" }).getAttribute("href");
    const csv = await context.request.get(csvHref!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const firstRow = (await csv.text()).split("\r\n")[1]!.split(",");
    const tableRow = await page.locator("table.stat-data").nth(1).locator("tbody tr").first().locator("th, td").allTextContents();
    expect(firstRow).toEqual(tableRow.map((t) => t.trim()));
  });

  it("narrows the figures by keyboard, keeps them in the URL, refreshes live, and reads at 320 px and in print", async () => {
    const context = await chromium.context();
    const page = await signInTo(context, "marge@springfield-library.example", "/stats/codes");
    await page.getByRole("heading", { name: "Statistics: Codes", level: 1 }).waitFor();
    const before = await page.locator("table.stat-data").first().locator("tbody tr").count();

    // More filters opens from the keyboard; a resolution is chosen with the arrow keys; "Show figures" shows them.
    await tabTo(page, (el) => el.tag === "summary");
    await page.keyboard.press("Enter");
    await tabTo(page, (el) => el.tag === "select" && el.text.startsWith("Any") && el.text.includes("Answered"));
    await page.keyboard.press("ArrowDown");
    expect(await page.locator("#f-resolution").inputValue()).toBe("answered");
    await tabTo(page, (el) => el.tag === "button" && el.text === "Show figures");
    await Promise.all([page.waitForURL(/resolution=answered/), page.keyboard.press("Enter")]);
    expect(page.url()).toContain("resolution=answered");
    expect(await page.locator("table.stat-data").first().locator("tbody tr").count()).toBe(1);
    expect(before).toBeGreaterThan(1);
    expect(await axeViolations(page)).toEqual([]);
    // The URL is the view: opened again, it shows the same.
    const again = await context.newPage();
    await again.goto(page.url());
    expect(await again.locator("#f-resolution").inputValue()).toBe("answered");

    // Live: the figures refresh every minute, said once to screen readers.
    await tabTo(page, (el) => el.tag === "button" && el.text === "Refresh every minute");
    await page.keyboard.press("Enter");
    await page.getByText("The figures will refresh every minute.").waitFor();
    expect(await page.getByRole("button", { name: "Refresh every minute" }).getAttribute("aria-pressed")).toBe("true");

    // 320 px: the page reflows; charts and wide tables scroll inside their own focusable regions.
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto("/stats/when");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(await axeViolations(page)).toEqual([]);
    // Print: the figures, without the filters and links.
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".stats-filters").isVisible()).toBe(false);
    expect(await page.locator("table.stat-data").first().isVisible()).toBe(true);
  });

  it("the demo's history agrees both ways: the cooperative's rollups and each member's facts", async () => {
    const context = await chromium.context();
    await signInTo(context, "edna@capital-u.example", "/stats");
    const totals = async (query: string) => {
      const r = (await (await context.request.get(`/api/stats/volume?${query}`)).json()) as { tables: { id: string; columns: { key: string }[]; rows: number[][] }[] };
      const t = r.tables.find((x) => x.id === "totals")!;
      return Object.fromEntries(t.columns.map((c, i) => [c.key, t.rows[0]![i]!]));
    };
    // A range wider than the history on both sides: each member counts in its own zone, the cooperative in its own, and no chat lies near an edge.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const range = `from=${day(-1000)}&to=${day(2)}`;
    const whole = await totals(`scope=group&${range}`);
    expect(whole.requests).toBeGreaterThan(5000);
    let members = 0;
    for (const library of ["springfield", "shelbyville", "capital-u"]) members += (await totals(`scope=group&library=${library}&${range}`)).requests!;
    // A member's figures count its patrons and its librarians' answers: a chat a partner answered counts for both.
    expect(members - whole.partner_answered!).toBe(whole.requests);
  });

  it("is linked from the one staff header, on the questions module and administration", async () => {
    const context = await chromium.context();
    const page = await signInTo(context, "marge@springfield-library.example", "/questions");
    await page.getByRole("navigation", { name: "Refdesk" }).getByRole("link", { name: "Statistics" }).waitFor();
    await page.goto("/admin");
    await page.getByRole("navigation", { name: "Refdesk" }).getByRole("link", { name: "Statistics" }).click();
    await page.waitForURL("**/stats");
    await page.getByRole("heading", { name: "Statistics: Volume", level: 1 }).waitFor();
    // A library administrator's default: their library, its zone.
    expect(await page.locator(".report-meta").textContent()).toContain("Springfield Public Library");
    expect(await page.locator(".report-meta").textContent()).toContain("America/Chicago");
  });
});
